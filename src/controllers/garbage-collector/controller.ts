/**
 * The garbage collector (upstream garbagecollector.go): deletes dependents whose owners are all
 * gone, carries out Foreground deletion (dependents first, then the owner's `foregroundDeletion`
 * finalizer) and Orphan deletion (drop the ownerReferences, then the `orphan` finalizer). It writes
 * through the registry like any client; pods it deletes get their normal grace period.
 */
import { deepEqual, type KubeObject, type OwnerReference } from '../../apimachinery/object.js';
import type { PropagationPolicy } from '../../registry/delete-options.js';
import { storageResource, type ResourceDefinition } from '../../registry/resource-definition.js';
import type { ChangeEvent } from '../../registry/watch-hub.js';
import type { ControllerContext } from '../context.js';
import type { Controller } from '../runtime/controller.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, hasFinalizer, isDeletingDependents, OwnershipGraph } from './graph.js';
import { isWriteRace } from '../runtime/write-races.js';

/** Not found (already gone) and conflict (replaced by a namesake) both mean: nothing left to do. */
function ignoreGone(e: unknown): void {
  if (isWriteRace(e)) return;
  throw e;
}

/** Whether the change is one the collector acts on for the object itself. */
function concernsItself(obj: KubeObject): boolean {
  if (obj.metadata.ownerReferences?.length) return true;
  return !!obj.metadata.deletionTimestamp && (hasFinalizer(obj, FINALIZER_ORPHAN) || hasFinalizer(obj, FINALIZER_FOREGROUND));
}

/**
 * Whether an update changed what the collector acts on: the owner references, the deletion mark or
 * the finalizers (upstream's graph builder looks at an updated object only for these; a status
 * write, a heartbeat or a label change queues nothing).
 */
function ownershipChanged(before: KubeObject, after: KubeObject): boolean {
  const b = before.metadata;
  const a = after.metadata;
  return (
    b.deletionTimestamp !== a.deletionTimestamp ||
    !deepEqual(b.finalizers, a.finalizers) ||
    !deepEqual(b.ownerReferences, a.ownerReferences)
  );
}

/** Why a dependent whose owner waits for it is deleted (told at info). */
const FOREGROUND_OWNER = 'its owner is being deleted in the foreground';

export function garbageCollector(ctx: ControllerContext): Controller {
  const graph = new OwnershipGraph(
    ctx.cache,
    () => ctx.registry.kinds(),
    () => ctx.registry.generation,
  );
  const storeOf = (def: ResourceDefinition) => ctx.registry.store(def.plural, def.group);

  /** Deletes with the uid as precondition, so a namesake created meanwhile is never hit. */
  function deleteItem(def: ResourceDefinition, obj: KubeObject, policy: PropagationPolicy, why: string): void {
    try {
      storeOf(def).delete(obj.metadata.namespace, obj.metadata.name!, {
        propagationPolicy: policy,
        preconditions: { uid: obj.metadata.uid },
      });
      const name = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name!;
      ctx.actions.note('garbage-collector', def.kind.toLowerCase(), name, `deleted by the garbage collector (${why})`);
    } catch (e) {
      ignoreGone(e);
    }
  }

  /** Read-modify-write of the current object with this uid; no write when `change` changes nothing. */
  function update(def: ResourceDefinition, obj: KubeObject, change: (current: KubeObject) => void): void {
    try {
      storeOf(def).patch(obj.metadata.namespace, obj.metadata.name!, (current) => {
        if (current.metadata.uid === obj.metadata.uid) change(current);
        return current;
      });
    } catch (e) {
      ignoreGone(e);
    }
  }

  function removeFinalizer(def: ResourceDefinition, obj: KubeObject, finalizer: string): void {
    update(def, obj, (current) => {
      const left = (current.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      if (left.length) current.metadata.finalizers = left;
      else delete current.metadata.finalizers;
    });
  }

  function removeOwnerReferences(def: ResourceDefinition, obj: KubeObject, uids: Set<string>): void {
    update(def, obj, (current) => {
      const left = (current.metadata.ownerReferences ?? []).filter((r) => !uids.has(r.uid));
      if (left.length) current.metadata.ownerReferences = left;
      else delete current.metadata.ownerReferences;
    });
  }

  /**
   * attemptToDeleteItem for a dependent: with a live owner it stays (losing only its references to
   * missing owners and to owners deleting in the foreground); with none it is deleted.
   */
  function attemptToDelete(def: ResourceDefinition, obj: KubeObject): void {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const r = graph.resolve(obj, def, ref);
      if (r.state === 'absent') dangling.push(ref);
      else if (r.state === 'present' && isDeletingDependents(r.owner)) waiting.push(ref);
      else solid.push(ref); // live, or a kind this server does not serve: never collected
    }
    if (solid.length) {
      if (dangling.length || waiting.length) removeOwnerReferences(def, obj, new Set([...dangling, ...waiting].map((r) => r.uid)));
      return;
    }
    if (waiting.length && graph.dependents(obj.metadata.uid).length) {
      // Its owner waits for it, and it has dependents of its own: they go first.
      deleteItem(def, obj, 'Foreground', FOREGROUND_OWNER);
      return;
    }
    const policy: PropagationPolicy = hasFinalizer(obj, FINALIZER_ORPHAN)
      ? 'Orphan'
      : hasFinalizer(obj, FINALIZER_FOREGROUND)
        ? 'Foreground'
        : 'Background';
    deleteItem(def, obj, policy, waiting.length ? FOREGROUND_OWNER : 'its owners are gone');
  }

  /** Foreground: delete the dependents; once no blocking one is left in storage, drop the finalizer. */
  function processDeletingDependents(def: ResourceDefinition, owner: KubeObject): void {
    const dependents = graph.dependents(owner.metadata.uid);
    if (!dependents.some((d) => d.ref.blockOwnerDeletion)) {
      removeFinalizer(def, owner, FINALIZER_FOREGROUND);
      return;
    }
    for (const d of dependents) {
      if (!d.object.metadata.deletionTimestamp) attemptToDelete(d.def, d.object);
    }
  }

  /** Orphan: every dependent loses its reference to the owner, then the owner its finalizer. */
  function orphanDependents(def: ResourceDefinition, owner: KubeObject): void {
    const uid = new Set([owner.metadata.uid!]);
    for (const d of graph.dependents(owner.metadata.uid)) removeOwnerReferences(d.def, d.object, uid);
    removeFinalizer(def, owner, FINALIZER_ORPHAN);
  }

  function reconcile(key: string): void {
    const item = graph.parse(key);
    if (!item) return;
    const obj = graph.get(item);
    if (!obj) return;
    if (obj.metadata.deletionTimestamp) {
      if (hasFinalizer(obj, FINALIZER_ORPHAN)) orphanDependents(item.def, obj);
      else if (hasFinalizer(obj, FINALIZER_FOREGROUND)) processDeletingDependents(item.def, obj);
      return; // otherwise it is on its way out already
    }
    if (obj.metadata.ownerReferences?.length) attemptToDelete(item.def, obj);
  }

  /** What one change puts on the queue: the object, its dependents when it goes, owners waiting on it. */
  function keysFor(def: ResourceDefinition, ev: ChangeEvent): string[] {
    // Most changes queue one key or none: a short list, each key added once.
    const keys: string[] = [];
    if (ev.type === 'DELETED') {
      // One key per dependent object (the graph lists each once): no look-up per key, however many.
      for (const d of graph.dependents(ev.object.metadata.uid)) keys.push(graph.key(d.def, d.object));
    } else if (concernsItself(ev.object) && (ev.type !== 'MODIFIED' || !ev.previous || ownershipChanged(ev.previous, ev.object)))
      addOnce(keys, graph.key(def, ev.object));
    for (const k of graph.deletingOwnerKeys(ev.object, def)) addOnce(keys, k);
    // A dependent that let go of an owner (or stopped blocking it) may be what the owner waited for
    // (references kept as they were, the one the object shares with its previous version, name the same owners).
    const previous = ev.previous;
    const before = previous?.metadata.ownerReferences;
    if (previous && before?.length && before !== ev.object.metadata.ownerReferences)
      for (const k of graph.deletingOwnerKeys(previous, def)) addOnce(keys, k);
    return keys;
  }

  return {
    name: 'garbage-collector',
    get caches() {
      // Ownership is metadata: the collector reads no more of any kind (upstream's metadata informers).
      return graph.defs.map((d) => ({ resource: d.plural, group: d.group, view: 'metadata' as const }));
    },
    get watches() {
      return graph.defs.map((def) => ({ resource: def.plural, group: def.group, keys: (ev: ChangeEvent) => keysFor(def, ev) }));
    },
    setup: () => graph.index(),
    initialKeys() {
      const keys: string[] = [];
      for (const def of graph.defs) {
        for (const obj of ctx.cache.list(storageResource(def))) if (concernsItself(obj)) keys.push(graph.key(def, obj));
      }
      return keys;
    },
    reconcile,
  };
}

/** Appends `key` unless the list has it. */
function addOnce(keys: string[], key: string): void {
  if (!keys.includes(key)) keys.push(key);
}

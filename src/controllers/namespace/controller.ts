/**
 * The namespace controller (upstream namespace deletion): once a namespace has a
 * deletionTimestamp it is Terminating; every namespaced object in it is deleted (Background, pods
 * with their grace period), the controller waits until they are gone, then removes `kubernetes`
 * from spec.finalizers through /finalize, which lets the store remove the namespace.
 */
import { StatusError } from '../../apimachinery/status.js';
import { storageResource, type ResourceDefinition } from '../../registry/resource-definition.js';
import type { ChangeEvent } from '../../registry/watch-hub.js';
import { finalizeWriteOptions } from '../../resources/namespaces/finalize.js';
import type { ControllerContext } from '../context.js';
import type { Controller, ReconcileResult } from '../runtime/controller.js';
import { isEventKind } from '../events/event-kinds.js';
import { nextConditions, type ContentTotals } from './conditions.js';
import type { NamespaceCondition } from '../../resources/schemas.js';
import type { StoredNamespace as Namespace } from '../../resources/stored.js';

const FINALIZER = 'kubernetes';
/** How soon a namespace whose events outlived their deletion (finalizers) is looked at again. */
const EVENTS_RECHECK_MS = 1000;

/** Not found / method not supported on delete: the object is gone or cannot be deleted this way. */
function ignorable(e: unknown): boolean {
  return e instanceof StatusError && (e.code === 404 || e.code === 405);
}

export function namespaceController(ctx: ControllerContext): Controller {
  const { cache, registry } = ctx;
  /** Every namespaced kind (custom resources too, as their CRDs come and go). */
  let known: { generation: number; defs: ResourceDefinition[] } | undefined;
  const contentDefs = (): ResourceDefinition[] => {
    if (known?.generation === registry.generation) return known.defs;
    const seen = new Set<string>();
    const defs = registry.kinds().filter((d) => {
      const id = storageResource(d);
      if (!d.namespaced || seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    known = { generation: registry.generation, defs };
    return defs;
  };
  /** The content kinds read from the cache (and watched): all but events, which are read from storage. */
  const cachedDefs = () => contentDefs().filter((d) => !isEventKind(d));
  const itemsOf = (def: ResourceDefinition, namespace: string) =>
    isEventKind(def) ? registry.store(def.plural, def.group).all(namespace) : cache.list(storageResource(def), namespace);
  const namespaces = registry.store<Namespace>('namespaces');

  const terminating = (name: string): boolean => !!cache.get('namespaces', undefined, name)?.metadata.deletionTimestamp;

  /** Deletes everything in the namespace; what is still stored afterwards is counted. */
  function deleteAllContent(namespace: string): ContentTotals {
    const totals: ContentTotals = { remaining: new Map(), finalizers: new Map(), errors: [] };
    for (const def of contentDefs()) {
      const store = registry.store(def.plural, def.group);
      for (const item of itemsOf(def, namespace)) {
        try {
          store.delete(namespace, item.metadata.name!, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!ignorable(e)) totals.errors.push(`${def.plural}.${def.group}: ${(e as Error).message}`);
        }
      }
      const left = itemsOf(def, namespace);
      if (!left.length) continue;
      totals.remaining.set(`${def.plural}.${def.group}`, left.length);
      for (const item of left) {
        for (const f of item.metadata.finalizers ?? []) totals.finalizers.set(f, (totals.finalizers.get(f) ?? 0) + 1);
      }
    }
    return totals;
  }

  /** Writes phase and conditions through /status, only when they change. */
  function updateStatus(ns: Namespace, conditions: NamespaceCondition[] | undefined): void {
    if (ns.status?.phase === 'Terminating' && !conditions) return;
    namespaces.patch(
      undefined,
      ns.metadata.name!,
      (current) => {
        if (current.metadata.uid !== ns.metadata.uid) return current;
        current.status = { ...(current.status ?? {}), phase: 'Terminating' };
        if (conditions) current.status.conditions = conditions;
        return current;
      },
      { subresource: 'status' },
    );
  }

  function finalize(ns: Namespace): void {
    namespaces.patch(
      undefined,
      ns.metadata.name!,
      (current) => {
        if (current.metadata.uid !== ns.metadata.uid) return current;
        const finalizers = [...new Set((current.spec?.finalizers ?? []).filter((f) => f !== FINALIZER))].sort();
        current.spec = { ...(current.spec ?? {}), finalizers };
        return current;
      },
      finalizeWriteOptions(),
    );
  }

  function reconcile(name: string): ReconcileResult | void {
    const ns = cache.get<Namespace>('namespaces', undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    if (!ns.spec?.finalizers?.includes(FINALIZER)) return; // finalized: the rest is not ours
    try {
      const totals = deleteAllContent(name);
      const latest = cache.get<Namespace>('namespaces', undefined, name);
      if (!latest || latest.metadata.uid !== ns.metadata.uid) return;
      updateStatus(latest, nextConditions(latest.status?.conditions, totals, ctx.clock.now()));
      if (totals.errors.length) throw new Error(`namespace ${name}: ${totals.errors.join('; ')}`);
      // Their deletions bring us back here, but those of events, which are not watched: look again.
      if (totals.remaining.size) {
        const eventsLeft = contentDefs().some((d) => isEventKind(d) && totals.remaining.has(`${d.plural}.${d.group}`));
        return eventsLeft ? { requeueAfterMs: EVENTS_RECHECK_MS } : undefined;
      }
      finalize(latest);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
  }

  const contentKeys = (ev: ChangeEvent): string[] => (ev.namespace && terminating(ev.namespace) ? [ev.namespace] : []);

  return {
    name: 'namespace-controller',
    get caches() {
      // Of the content it reads names and finalizers only.
      return [{ resource: 'namespaces' }, ...cachedDefs().map((d) => ({ resource: d.plural, group: d.group, view: 'metadata' as const }))];
    },
    get watches() {
      return [
        {
          resource: 'namespaces',
          keys: (ev: ChangeEvent) => (ev.type !== 'DELETED' && ev.object.metadata.deletionTimestamp ? [ev.name] : []),
        },
        ...cachedDefs().map((d) => ({ resource: d.plural, group: d.group, keys: contentKeys })),
      ];
    },
    initialKeys: () =>
      cache
        .list('namespaces')
        .filter((n) => n.metadata.deletionTimestamp)
        .map((n) => n.metadata.name!),
    reconcile,
  };
}

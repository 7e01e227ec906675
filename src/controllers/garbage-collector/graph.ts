/**
 * The garbage collector's view of ownership: an owner-uid → dependents index over every kind the
 * registry serves, kept by the shared cache, and the resolution of one ownerReference to the
 * object it names (upstream's dependency graph, without virtual nodes: every kind is local).
 */
import type { KubeObject, OwnerReference } from '../../apimachinery/object.js';
import { storageResource, type ResourceDefinition } from '../../registry/resource-definition.js';
import { groupOfApiVersion } from '../../apimachinery/group-version.js';
import type { ObjectCache } from '../runtime/cache.js';
import { isEventKind } from '../events/event-kinds.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

const OWNER_INDEX = 'gc:owner-uid';

/** One object as the collector queues it: `plural/group/namespace/name` (group and namespace may be empty). */
export interface ItemRef {
  def: ResourceDefinition;
  namespace: string | undefined;
  name: string;
}

export interface Dependent {
  def: ResourceDefinition;
  object: KubeObject;
  /** The dependent's reference to the owner asked about. */
  ref: OwnerReference;
}

/** What an ownerReference points at: a live owner, nothing (dangling), or a kind nobody serves. */
export type Resolution = { state: 'present'; def: ResourceDefinition; owner: KubeObject } | { state: 'absent' } | { state: 'unknown' };

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

/** Marked for deletion and waiting for its blocking dependents (Foreground). */
export function isDeletingDependents(obj: KubeObject): boolean {
  return !!obj.metadata.deletionTimestamp && hasFinalizer(obj, FINALIZER_FOREGROUND);
}

interface KnownKinds {
  generation: number;
  defs: ResourceDefinition[];
  /** By kindKey(group, kind). */
  byKind: Map<string, ResourceDefinition>;
  /** By kindKey(group, plural). */
  byResource: Map<string, ResourceDefinition>;
}

/** A group and a kind (or a plural) as one key: neither holds a slash. */
const kindKey = (group: string, name: string) => `${group}/${name}`;

export class OwnershipGraph {
  private known: KnownKinds | undefined;

  /**
   * @param kinds the stored kinds, read again whenever `generation` changes (custom resources come
   *   and go with their CRDs)
   */
  constructor(
    private readonly cache: ObjectCache,
    private readonly kinds: () => ResourceDefinition[],
    private readonly generation: () => number = () => 0,
  ) {}

  /** One definition per served resource (the preferred version), events left out. */
  get defs(): ResourceDefinition[] {
    return this.kindsNow().defs;
  }

  /** The definitions, and the first of them by kind and by resource (every change's references are resolved through them). */
  private kindsNow(): KnownKinds {
    const generation = this.generation();
    if (this.known?.generation === generation) return this.known;
    const seen = new Set<string>();
    const defs = this.kinds().filter((d) => {
      if (isEventKind(d)) return false; // upstream's DefaultIgnoredResources
      const id = storageResource(d);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    const byKind = new Map<string, ResourceDefinition>();
    const byResource = new Map<string, ResourceDefinition>();
    for (const d of defs) {
      if (!byKind.has(kindKey(d.group, d.kind))) byKind.set(kindKey(d.group, d.kind), d);
      if (!byResource.has(kindKey(d.group, d.plural))) byResource.set(kindKey(d.group, d.plural), d);
    }
    this.known = { generation, defs, byKind, byResource };
    return this.known;
  }

  /** Adds the owner index to every cached kind (call once the caches exist). */
  index(): void {
    for (const def of this.defs) {
      this.cache.addIndex(storageResource(def), OWNER_INDEX, (obj) => (obj.metadata.ownerReferences ?? []).map((r) => r.uid));
    }
  }

  key(def: ResourceDefinition, obj: KubeObject): string {
    return `${def.plural}/${def.group}/${def.namespaced ? (obj.metadata.namespace ?? '') : ''}/${obj.metadata.name ?? ''}`;
  }

  parse(key: string): ItemRef | undefined {
    const [plural, group, namespace, name] = key.split('/');
    const def = this.kindsNow().byResource.get(kindKey(group, plural));
    if (!def || name === undefined) return undefined;
    return { def, namespace: def.namespaced ? namespace : undefined, name };
  }

  get(item: ItemRef): KubeObject | undefined {
    return this.cache.get(storageResource(item.def), item.namespace, item.name);
  }

  /** Every object, of any kind, with an ownerReference to this uid. */
  dependents(uid: string | undefined): Dependent[] {
    if (!uid) return [];
    const out: Dependent[] = [];
    for (const def of this.defs) {
      for (const object of this.cache.byIndex(storageResource(def), OWNER_INDEX, uid)) {
        const ref = object.metadata.ownerReferences?.find((r) => r.uid === uid);
        if (ref) out.push({ def, object, ref });
      }
    }
    return out;
  }

  /**
   * The object a dependent's reference names. A different uid under that name counts as absent, as
   * does a namespaced owner named by a cluster-scoped dependent (upstream treats it as unresolvable).
   */
  resolve(dependent: KubeObject, dependentDef: ResourceDefinition, ref: OwnerReference): Resolution {
    const group = groupOfApiVersion(ref.apiVersion ?? '');
    const def = ref.kind === undefined ? undefined : this.kindsNow().byKind.get(kindKey(group, ref.kind));
    if (!def) return { state: 'unknown' };
    if (def.namespaced && !dependentDef.namespaced) return { state: 'absent' };
    const owner = this.cache.get(storageResource(def), def.namespaced ? dependent.metadata.namespace : undefined, ref.name);
    if (!owner || owner.metadata.uid !== ref.uid) return { state: 'absent' };
    return { state: 'present', def, owner };
  }

  /** Keys of the live owners of an object that are waiting for their dependents (Foreground). */
  deletingOwnerKeys(obj: KubeObject, def: ResourceDefinition): string[] {
    const keys: string[] = [];
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const r = this.resolve(obj, def, ref);
      if (r.state === 'present' && r.owner.metadata.deletionTimestamp) keys.push(this.key(r.def, r.owner));
    }
    return keys;
  }
}

/**
 * An informer-like cache of the objects controllers read, kept current by a watch of each
 * resource's store (its initial events fill it, then every committed change). The store's watch
 * delivers synchronously with commits, so the cache never lags the store inside this process.
 * Cached objects are shared, and so are equal parts of them (shared-parts.ts): clone before changing one.
 *
 * A kind whose readers all look at metadata only (the garbage collector reads every kind) is kept
 * as upstream's metadata informers keep it: apiVersion, kind and metadata, without managedFields
 * (CachedView 'metadata'). Once any reader asks for the kind whole, it is re-listed whole.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import type { Registry } from '../../registry/registry.js';
import { resourceKey } from '../../registry/resource-definition.js';
import type { WatchEvent } from '../../registry/store-watch.js';
import { SharedParts } from './shared-parts.js';

export type IndexFn = (obj: KubeObject) => string[];

/** Where a grouped index places an object: its group, and its member list inside the group; undefined leaves it out. */
export type GroupFn = (obj: KubeObject) => readonly [group: string, member: string] | undefined;

/** A grouped index: per group, the objects of each member list, in the order they were added. */
interface GroupedIndex {
  fn: GroupFn;
  groups: Map<string, Map<string, KubeObject[]>>;
  /** How many objects each group holds, all its lists together. */
  sizes: Map<string, number>;
  /**
   * With trackChanges: per group a reader takes changes of (from its first take on), the members
   * whose lists changed since it last took them. Groups nobody reads keep nothing.
   */
  changes?: Map<string, Set<string>>;
}

/**
 * The members of one group whose lists changed (an object added, removed, or replaced by its new
 * version) since the reader last asked. `index` tells the reader it is the same index it read
 * before: another (a re-added index) means everything may have changed.
 */
export interface ChangedMembers {
  readonly index: object;
  readonly members: ReadonlySet<string>;
}

/** What the cache keeps of each object of a kind: all of it, or its type and metadata (no managedFields). */
export type CachedView = 'full' | 'metadata';

interface ResourceCache {
  plural: string;
  group: string;
  view: CachedView;
  objects: Map<string, KubeObject>;
  /** Bumped on every change, so readers can keep what they derived from an unchanged resource. */
  version: number;
  indexes: Map<string, { fn: IndexFn; entries: Map<string, Set<string>> }>;
  grouped: Map<string, GroupedIndex>;
  /** The object created last: a new object with no sibling is shared by comparing it with it first. */
  lastCreated?: KubeObject;
  /**
   * The object created last under each generateName ('' for objects named by their writer): a new
   * object is shared by comparing it first with its sibling (the pods of one DaemonSet, whichever
   * other controller created pods in between).
   */
  lastCreatedAs: Map<string, KubeObject>;
  /** The object updated last: an update's changed parts are compared with this one's too (a kubelet's or a controller's writes come in waves of alike objects). */
  lastUpdated?: KubeObject;
}

/** `namespace/name`, or the name of a cluster-scoped object: joined flat, as it is kept for as long as the object. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? [namespace, name].join('/') : name;
}

/** The inverse of objectKey: `[namespace, name]`, the namespace undefined for a cluster-scoped key. */
export function splitObjectKey(key: string): [namespace: string | undefined, name: string] {
  const slash = key.indexOf('/');
  return slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
}

export function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
}

export class ObjectCache {
  private readonly caches = new Map<string, ResourceCache>();
  private readonly unsubscribers: (() => void)[] = [];
  private readonly stopWatch = new Map<string, () => void>();
  /** Equal parts of cached objects, stored once (pods of one DaemonSet are mostly alike). */
  private readonly parts = new SharedParts();

  constructor(private readonly registry: Registry) {}

  /**
   * Starts caching a stored kind (its plural in its group). Idempotent; a kind cached as metadata
   * that is asked for whole is re-listed whole (a view never narrows). The readers below name it
   * by its resourceKey: a core kind's plural (`pods`), else `<plural>.<group>` (`daemonsets.apps`).
   */
  track(plural: string, group = '', view: CachedView = 'full'): void {
    const resource = resourceKey(group, plural);
    const known = this.caches.get(resource);
    if (known && (known.view === 'full' || view === 'metadata')) return;
    const cache: ResourceCache = known ?? {
      plural,
      group,
      view,
      objects: new Map(),
      version: 0,
      indexes: new Map(),
      grouped: new Map(),
      lastCreatedAs: new Map(),
    };
    if (known) {
      // The new watch's initial events replace every object with its whole form (the indexes stay).
      this.stopWatch.get(resource)?.();
      cache.view = view;
    }
    this.caches.set(resource, cache);
    const watch = this.registry.store(plural, group).watch();
    this.unsubscribers.push(() => watch.stop());
    this.stopWatch.set(resource, () => watch.stop());
    // Without a resourceVersion or a timeout the watch never ends on the store's side.
    watch.start({ next: (ev) => this.apply(cache, ev), end: () => {} });
  }

  /** How a cached kind (resourceKey) is kept; undefined when it is not cached. */
  viewOf(resource: string): CachedView | undefined {
    return this.caches.get(resource)?.view;
  }

  /** Stops caching every resource (resourceKey) not in `keep` (kinds no longer served: their CRD was deleted). */
  untrackAllBut(keep: ReadonlySet<string>): void {
    for (const resource of [...this.caches.keys()]) {
      if (keep.has(resource)) continue;
      this.stopWatch.get(resource)?.();
      this.stopWatch.delete(resource);
      this.caches.delete(resource);
    }
  }

  /** Adds an index by `fn` under `name`; the same function under the same name again changes nothing. */
  addIndex(resource: string, name: string, fn: IndexFn): void {
    const cache = this.mustGet(resource);
    if (cache.indexes.get(name)?.fn === fn) return;
    const index = { fn, entries: new Map<string, Set<string>>() };
    cache.indexes.set(name, index);
    for (const [key, obj] of cache.objects) for (const v of fn(obj)) this.indexAdd(index.entries, v, key);
  }

  /**
   * Adds a grouped index by `fn` under `name` (the pods of each DaemonSet by node): kept as objects
   * change, so a reader gets the lists without regrouping every object it owns on every pass. The
   * same function under the same name again changes nothing.
   */
  addGroupedIndex(resource: string, name: string, fn: GroupFn, opts: { trackChanges?: boolean } = {}): void {
    const cache = this.mustGet(resource);
    if (cache.grouped.get(name)?.fn === fn) return;
    const index: GroupedIndex = { fn, groups: new Map(), sizes: new Map() };
    cache.grouped.set(name, index);
    for (const obj of cache.objects.values()) groupAdd(index, fn(obj), obj);
    // Tracked from here on: a reader's first look at a group reads it whole anyway.
    if (opts.trackChanges) index.changes = new Map();
  }

  /**
   * The members of `group` whose lists changed since the last call for it (a grouped index added
   * with trackChanges), handed over: the next call names only later changes. The first call starts
   * keeping them and names none (a reader reads a group whole the first time). A group nobody
   * takes changes of any more is let go with forgetChangedMembers.
   */
  takeChangedMembers(resource: string, name: string, group: string): ChangedMembers {
    const index = this.groupedIndex(resource, name);
    if (!index.changes) throw new Error(`grouped index ${name} of ${resource} does not track changes`);
    const members = index.changes.get(group) ?? NO_CHANGES;
    index.changes.set(group, new Set());
    return { index, members };
  }

  /** How many objects a group of a grouped index holds (0 for an absent group). */
  groupSize(resource: string, name: string, group: string): number {
    return this.groupedIndex(resource, name).sizes.get(group) ?? 0;
  }

  /** Stops keeping the changes of `group` (its reader is gone) until it is taken again. */
  forgetChangedMembers(resource: string, name: string, group: string): void {
    this.groupedIndex(resource, name).changes?.delete(group);
  }

  /**
   * One group of a grouped index: its member lists, live (they follow every later change of the
   * cache, a write of the reader's own included). Read only; an absent group is an empty map.
   */
  group<T extends KubeObject = KubeObject>(resource: string, name: string, group: string): ReadonlyMap<string, readonly T[]> {
    return (this.groupedIndex(resource, name).groups.get(group) ?? NO_MEMBERS) as ReadonlyMap<string, readonly T[]>;
  }

  private groupedIndex(resource: string, name: string): GroupedIndex {
    const index = this.mustGet(resource).grouped.get(name);
    if (!index) throw new Error(`resource ${resource} has no grouped index ${name}`);
    return index;
  }

  /** Whether a resource (resourceKey) is cached. */
  tracks(resource: string): boolean {
    return this.caches.has(resource);
  }

  get<T extends KubeObject = KubeObject>(resource: string, namespace: string | undefined, name: string): T | undefined {
    return this.mustGet(resource).objects.get(objectKey(namespace, name)) as T | undefined;
  }

  list<T extends KubeObject = KubeObject>(resource: string, namespace?: string): T[] {
    const all = [...this.mustGet(resource).objects.values()] as T[];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  byIndex<T extends KubeObject = KubeObject>(resource: string, index: string, value: string): T[] {
    const cache = this.mustGet(resource);
    const keys = cache.indexes.get(index)?.entries.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const o = cache.objects.get(k);
      if (o) out.push(o as T);
    }
    return out;
  }

  /** How many objects the index files under `value` (byIndex's length, without the list). */
  countByIndex(resource: string, index: string, value: string): number {
    return this.mustGet(resource).indexes.get(index)?.entries.get(value)?.size ?? 0;
  }

  /** Changes whenever any cached object of the resource changes. */
  version(resource: string): number {
    return this.mustGet(resource).version;
  }

  size(resource: string): number {
    return this.mustGet(resource).objects.size;
  }

  stop(): void {
    for (const u of this.unsubscribers.splice(0)) u();
  }

  /**
   * Re-reads every tracked resource from the store (after a snapshot restore, which sends no
   * events). A revision is written once, so an object cached at the stored resourceVersion is kept.
   */
  resync(): void {
    for (const cache of this.caches.values()) {
      const store = this.registry.tryStore(cache.plural, cache.group);
      if (!store) continue;
      const live = new Set<string>();
      for (const row of store.revisions()) {
        const key = objectKey(row.namespace || undefined, row.name);
        live.add(key);
        const old = cache.objects.get(key);
        if (old?.metadata.resourceVersion === String(row.rv)) continue;
        const current = store.tryGet(row.namespace || undefined, row.name);
        if (old) this.unindex(cache, key, old);
        if (current) this.put(cache, this.parts.share(viewed(cache, current)));
      }
      for (const [key, old] of cache.objects) {
        if (live.has(key)) continue;
        this.unindex(cache, key, old);
        cache.objects.delete(key);
        cache.version++;
      }
    }
  }

  private mustGet(resource: string): ResourceCache {
    const c = this.caches.get(resource);
    if (!c) throw new Error(`resource ${resource} is not cached`);
    return c;
  }

  private apply(cache: ResourceCache, ev: WatchEvent): void {
    if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') return; // neither is asked for
    const key = keyOf(ev.object);
    const old = cache.objects.get(key);
    if (ev.type === 'DELETED') {
      if (old) this.unindex(cache, key, old);
      cache.objects.delete(key);
      cache.version++;
      return;
    }
    if (!old) {
      const created = viewed(cache, ev.object);
      const family = created.metadata.generateName ?? '';
      const sibling = cache.lastCreatedAs.get(family) ?? cache.lastCreated;
      const obj = sibling ? this.parts.shareLike(created, sibling) : this.parts.share(created);
      if (cache.lastCreatedAs.size >= CREATED_FAMILIES) cache.lastCreatedAs.clear();
      cache.lastCreatedAs.set(family, obj);
      cache.lastCreated = obj;
      return this.put(cache, obj);
    }
    const obj = this.parts.shareAlike(viewed(cache, ev.object), old, cache.lastUpdated);
    cache.lastUpdated = obj;
    // An update moves the key only in the indexes whose values changed (most updates move none).
    cache.version++;
    cache.objects.set(key, obj);
    for (const index of cache.indexes.values()) {
      const before = index.fn(old);
      const after = index.fn(obj);
      if (before.length === after.length && before.every((v, i) => v === after[i])) continue;
      for (const v of before) this.indexRemove(index.entries, v, key);
      for (const v of after) this.indexAdd(index.entries, v, key);
    }
    for (const index of cache.grouped.values()) {
      const before = index.fn(old);
      const after = index.fn(obj);
      // Most updates stay where they were: the new version takes the old one's place in its list.
      if (before && after && before[0] === after[0] && before[1] === after[1]) groupReplace(index, before, old, obj);
      else {
        groupRemove(index, before, old);
        groupAdd(index, after, obj);
      }
    }
  }

  private put(cache: ResourceCache, obj: KubeObject): void {
    const key = keyOf(obj);
    cache.version++;
    cache.objects.set(key, obj);
    for (const index of cache.indexes.values()) for (const v of index.fn(obj)) this.indexAdd(index.entries, v, key);
    for (const index of cache.grouped.values()) groupAdd(index, index.fn(obj), obj);
  }

  private indexRemove(entries: Map<string, Set<string>>, value: string, key: string): void {
    const set = entries.get(value);
    set?.delete(key);
    if (set?.size === 0) entries.delete(value);
  }

  private unindex(cache: ResourceCache, key: string, obj: KubeObject): void {
    for (const index of cache.indexes.values()) {
      for (const v of index.fn(obj)) this.indexRemove(index.entries, v, key);
    }
    for (const index of cache.grouped.values()) groupRemove(index, index.fn(obj), obj);
  }

  private indexAdd(entries: Map<string, Set<string>>, value: string, key: string): void {
    let set = entries.get(value);
    if (!set) entries.set(value, (set = new Set()));
    set.add(key);
  }
}

const NO_MEMBERS: ReadonlyMap<string, readonly KubeObject[]> = new Map();
const NO_CHANGES: ReadonlySet<string> = new Set();

/** Notes that a member's list changed, where a reader takes the group's changes. */
function changed(index: GroupedIndex, at: readonly [string, string]): void {
  index.changes?.get(at[0])?.add(at[1]);
}

/** generateNames whose last object lastCreatedAs keeps before it starts afresh. */
const CREATED_FAMILIES = 1024;

function groupAdd(index: GroupedIndex, at: readonly [string, string] | undefined, obj: KubeObject): void {
  if (!at) return;
  changed(index, at);
  index.sizes.set(at[0], (index.sizes.get(at[0]) ?? 0) + 1);
  let members = index.groups.get(at[0]);
  if (!members) index.groups.set(at[0], (members = new Map<string, KubeObject[]>()));
  const list = members.get(at[1]);
  if (list) list.push(obj);
  else members.set(at[1], [obj]);
}

function groupRemove(index: GroupedIndex, at: readonly [string, string] | undefined, obj: KubeObject): void {
  if (!at) return;
  const members = index.groups.get(at[0]);
  const list = members?.get(at[1]);
  const i = list ? list.indexOf(obj) : -1;
  if (i < 0) return;
  changed(index, at);
  list!.splice(i, 1);
  const size = index.sizes.get(at[0])! - 1;
  if (size) index.sizes.set(at[0], size);
  else index.sizes.delete(at[0]);
  if (list!.length) return;
  members!.delete(at[1]);
  if (!members!.size) index.groups.delete(at[0]);
}

function groupReplace(index: GroupedIndex, at: readonly [string, string], old: KubeObject, obj: KubeObject): void {
  const list = index.groups.get(at[0])?.get(at[1]);
  const i = list ? list.indexOf(old) : -1;
  if (i < 0) return groupAdd(index, at, obj);
  changed(index, at);
  list![i] = obj;
}

/** The object as the cache keeps it: itself, or its type and metadata without managedFields. */
function viewed(cache: ResourceCache, obj: KubeObject): KubeObject {
  if (cache.view === 'full') return obj;
  const { managedFields: _managedFields, ...metadata } = obj.metadata;
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
}

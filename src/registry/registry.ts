/** The set of served kinds, each with its store, over one storage and one watch hub. */
import type { Clock } from '../apimachinery/clock.js';
import type { StorageBackend } from '../storage/storage-backend.js';
import type { ResourceDefinition, ServiceNetwork } from './resource-definition.js';
import { ResourceStore } from './store.js';
import { WatchHub } from './watch-hub.js';
import { ChangeFeed } from './change-feed.js';
import { tooLarge } from './paged-list.js';
import { WriteBatch, type WriteOutcome } from './write-batch.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';
import { DEFAULT_WATCH_WINDOW, WatchWindows, type WatchWindowSettings } from './watch-window.js';
import { servedDefinitions } from './served-versions.js';
import { clusterReader } from './cluster-reader.js';
import { DEFAULT_SERVICE_NETWORK } from './service-network.js';
import type { StoreContext } from './store.js';
import { companionWriter } from './companion-writer.js';

/** Told after served definitions were added or removed at run time (CustomResourceDefinitions). */
export type DefinitionsListener = () => void;

export interface RegistryOptions {
  clock: Clock;
  gracefulDeletion: boolean;
  garbageCollection: boolean;
  /** How far back watches may resume, per resource (kube-apiserver's watch cache sizing by default). */
  watchWindow?: Partial<WatchWindowSettings>;
  /** The service CIDR and node port range the Service allocators use (default 10.96.0.0/12, 30000-32767). */
  serviceNetwork?: ServiceNetwork;
  /**
   * How long a read of a resourceVersion not reached yet waits for it before the 504 Too large
   * resource version (default 3 s, the watch cache's blockTimeout).
   */
  freshnessWaitMs?: number;
}

/** kube-apiserver's watch cache waits this long for a resourceVersion it has not reached (blockTimeout). */
export const DEFAULT_FRESHNESS_WAIT_MS = 3000;

export class Registry {
  readonly hub = new WatchHub();
  readonly storage: StorageBackend;
  /** Where commits (this replica's, and its peers' when following a change stream) enter the hub. */
  readonly feed: ChangeFeed;
  private readonly stores = new Map<string, ResourceStore>();
  private readonly ctx: StoreContext;
  private readonly listeners = new Set<DefinitionsListener>();
  private readonly batch: WriteBatch;
  /**
   * Every served group-version's definition: `definitions`, then the versions they also serve, then
   * the ones added at run time. The array is changed in place, so holders of it see additions.
   */
  readonly served: ResourceDefinition[];
  readonly serviceNetwork: ServiceNetwork;
  /** Bumped on every run-time change of `served` (caches of documents derived from it key on it). */
  generation = 0;

  constructor(
    storage: StorageBackend,
    readonly definitions: ResourceDefinition[],
    readonly options: RegistryOptions,
  ) {
    this.storage = storage;
    this.serviceNetwork = options.serviceNetwork ?? DEFAULT_SERVICE_NETWORK;
    // Per resource, how far back a watch may resume; every window starts where this server starts serving.
    const windows = new WatchWindows(options.clock, this.storage.currentRevision(), { ...DEFAULT_WATCH_WINDOW, ...options.watchWindow });
    // A restore replaced the state without change events: watches start over from the restore point.
    this.hub.onReset(() => windows.reset(this.storage.currentRevision()));
    this.feed = new ChangeFeed(this.storage, this.hub, windows);
    this.batch = new WriteBatch(this.storage, (event) => this.feed.committed(event));
    const ctx: StoreContext = {
      storage: this.storage,
      hub: this.hub,
      feed: this.feed,
      watchWindows: windows,
      clock: options.clock,
      admitCreate: [],
      cluster: clusterReader(this.storage),
      serviceNetwork: this.serviceNetwork,
      gracefulDeletion: options.gracefulDeletion,
      garbageCollection: options.garbageCollection,
      batch: this.batch,
      companions: companionWriter((resource) => this.storeByKey(resource)),
    };
    this.ctx = ctx;
    this.served = [...servedDefinitions(definitions)];
    for (const def of this.served) this.stores.set(`${def.group}/${def.version}/${def.plural}`, new ResourceStore(def, ctx));
    // After the stores: each has told storage where its objects live (etcd keys) before namespaces are read.
    ctx.admitCreate.push(namespaceLifecycle(this.storage, this.hub));
  }

  /**
   * Runs writes whose writer does not wait for their outcome (a Lease renewal, an Event, a
   * kubelet's pod status): on a
   * store where each commit is a round trip (etcd) they join one transaction committed at the end
   * of the turn, and one that loses a race is dropped; elsewhere they commit at once. True when
   * they joined a batch. `outcome` is told the fate of each write made: when its batch is committed, or at
   * once when it committed at once (a write that fails at once throws instead).
   */
  batched(write: () => void, outcome?: WriteOutcome): boolean {
    if (!this.storage.remote) {
      write();
      outcome?.committed?.();
      return false;
    }
    this.batch.run(write, outcome);
    return true;
  }

  /**
   * Runs writes its writer makes at once and waits for together (upstream: a controller's
   * slow-start batch of creates, each in a goroutine of its own, then WaitGroup.Wait): on a store
   * where each commit is a round trip (etcd) they join one transaction committed before this
   * returns, so their changes are published (the writer's cache has them) when it does; one that
   * loses a race is dropped, as a failed create is, for the writer's next pass. Each write's own
   * errors (validation, admission) still reach it at once. Elsewhere each commits as it is made.
   */
  together(writes: () => void): void {
    if (this.batched(writes)) this.batch.flush();
  }

  /**
   * What a NotOlderThan read of a resourceVersion not reached yet waits for: undefined when revision
   * `rv` has reached the watch hub already, else a promise that resolves once it does, or rejects
   * with the 504 Too large resource version after the freshness wait.
   */
  waitForRevision(rv: number): Promise<void> | undefined {
    if (this.feed.revision() >= rv) return undefined;
    return this.feed.whenPublished(rv, this.options.freshnessWaitMs ?? DEFAULT_FRESHNESS_WAIT_MS).then((reached) => {
      if (!reached) throw tooLarge(rv, this.feed.revision());
    });
  }

  /** Commits the batched writes waiting (before the storage closes). */
  flushBatch(): void {
    this.batch.flush();
  }

  /**
   * Serves a kind defined at run time (a custom resource) in each group-version of `defs` (the
   * stored one first, then the versions it also serves); a definition already served under the same
   * group/version/plural is replaced (its objects stay: they live in storage).
   */
  addDefinitions(defs: ResourceDefinition[]): void {
    for (const def of defs) {
      const key = `${def.group}/${def.version}/${def.plural}`;
      const i = this.served.findIndex((d) => `${d.group}/${d.version}/${d.plural}` === key);
      if (i >= 0) this.served.splice(i, 1, def);
      else this.served.push(def);
      this.stores.set(key, new ResourceStore(def, this.ctx));
    }
    this.changed();
  }

  /** Stops serving every version of a resource added at run time (`plural` in `group`). */
  removeDefinitions(group: string, plural: string): void {
    const gone = this.served.filter((d) => d.group === group && d.plural === plural && !this.definitions.includes(d));
    if (!gone.length) return;
    for (const def of gone) {
      this.served.splice(this.served.indexOf(def), 1);
      this.stores.delete(`${def.group}/${def.version}/${def.plural}`);
    }
    this.changed();
  }

  /** One definition per stored kind (built-in and run-time), without the versions derived from them. */
  kinds(): ResourceDefinition[] {
    return this.served.filter((d) => !d.conversion);
  }

  /** Calls `listener` after every run-time change of the served definitions; returns the unsubscriber. */
  onDefinitionsChanged(listener: DefinitionsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.generation++;
    for (const l of [...this.listeners]) l();
  }

  /** The revision of the last committed write: the resourceVersion of the whole store. */
  currentRevision(): number {
    return this.storage.currentRevision();
  }

  /** The store for a group-version-resource, if served. */
  lookup(group: string, version: string, plural: string): ResourceStore | undefined {
    return this.stores.get(`${group}/${version}/${plural}`);
  }

  /** The store of a stored kind by its resourceKey (`ipaddresses.networking.k8s.io`). */
  private storeByKey(resource: string): ResourceStore {
    for (const s of this.stores.values()) if (s.resource === resource && !s.def.conversion) return s;
    throw new Error(`no stored resource ${resource}`);
  }

  /** The store for a stored kind's plural in its group (controllers use this). */
  store<T extends import('../apimachinery/object.js').KubeObject = import('../apimachinery/object.js').KubeObject>(
    plural: string,
    group = '',
  ): ResourceStore<T> {
    const s = this.tryStore<T>(plural, group);
    if (s) return s;
    throw new Error(`no resource ${plural} in group "${group}"`);
  }

  /** The store of a stored kind's plural in its group, if served (kinds come and go with their CRDs). */
  tryStore<T extends import('../apimachinery/object.js').KubeObject = import('../apimachinery/object.js').KubeObject>(
    plural: string,
    group = '',
  ): ResourceStore<T> | undefined {
    for (const s of this.stores.values()) {
      if (s.def.plural === plural && s.def.group === group && !s.def.conversion) return s as unknown as ResourceStore<T>;
    }
    return undefined;
  }
}

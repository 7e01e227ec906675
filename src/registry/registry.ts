/** The set of served kinds, each with its store, over one storage and one watch hub. */
import type { Clock } from '../apimachinery/clock.js';
import { ObjectStore } from '../storage/object-store.js';
import type { SqliteDatabase } from '../storage/database.js';
import type { ResourceDefinition, ServiceNetwork } from './resource-definition.js';
import { ResourceStore } from './store.js';
import { WatchHub } from './watch-hub.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';
import { DEFAULT_WATCH_WINDOW, WatchWindows, type WatchWindowSettings } from './watch-window.js';
import { servedDefinitions } from './served-versions.js';
import { clusterReader } from './cluster-reader.js';
import { DEFAULT_SERVICE_NETWORK } from './service-network.js';

export interface RegistryOptions {
  clock: Clock;
  gracefulDeletion: boolean;
  garbageCollection: boolean;
  /** Log rows of history kept for watch resumption and paged lists. */
  retainedEvents?: number;
  /** How far back watches may resume, per resource (kube-apiserver's watch cache sizing by default). */
  watchWindow?: Partial<WatchWindowSettings>;
  /** The service CIDR and node port range the Service allocators use (default 10.96.0.0/12, 30000-32767). */
  serviceNetwork?: ServiceNetwork;
}

export class Registry {
  readonly hub = new WatchHub();
  readonly storage: ObjectStore;
  private readonly stores = new Map<string, ResourceStore>();
  /** Every served group-version's definition: `definitions`, then the versions they also serve. */
  readonly served: ResourceDefinition[];
  readonly serviceNetwork: ServiceNetwork;

  constructor(
    db: SqliteDatabase,
    readonly definitions: ResourceDefinition[],
    readonly options: RegistryOptions,
  ) {
    this.storage = new ObjectStore(db, options.retainedEvents);
    this.serviceNetwork = options.serviceNetwork ?? DEFAULT_SERVICE_NETWORK;
    // Per resource, how far back a watch may resume; every window starts where this server starts serving.
    const windows = new WatchWindows(options.clock, this.storage.currentRevision(), { ...DEFAULT_WATCH_WINDOW, ...options.watchWindow });
    // A restore replaced the state without change events: watches start over from the restore point.
    this.hub.onReset(() => windows.reset(this.storage.currentRevision()));
    const ctx = {
      storage: this.storage,
      hub: this.hub,
      watchWindows: windows,
      clock: options.clock,
      admitCreate: [namespaceLifecycle(this.storage, this.hub)],
      cluster: clusterReader(this.storage),
      serviceNetwork: this.serviceNetwork,
      gracefulDeletion: options.gracefulDeletion,
      garbageCollection: options.garbageCollection,
    };
    this.served = servedDefinitions(definitions);
    for (const def of this.served) this.stores.set(`${def.group}/${def.version}/${def.plural}`, new ResourceStore(def, ctx));
  }

  /** The revision of the last committed write: the resourceVersion of the whole store. */
  currentRevision(): number {
    return this.storage.currentRevision();
  }

  /** The store for a group-version-resource, if served. */
  lookup(group: string, version: string, plural: string): ResourceStore | undefined {
    return this.stores.get(`${group}/${version}/${plural}`);
  }

  /** The store for a stored kind's plural in its group (controllers use this). */
  store<T extends import('../apimachinery/object.js').KubeObject = import('../apimachinery/object.js').KubeObject>(
    plural: string,
    group = '',
  ): ResourceStore<T> {
    for (const s of this.stores.values()) if (s.def.plural === plural && s.def.group === group) return s as unknown as ResourceStore<T>;
    throw new Error(`no resource ${plural} in group "${group}"`);
  }
}

/**
 * Everything a test drives kubemock with, beside the Kubernetes API: fault injection, chaos,
 * the request journal, snapshots, the clock and nodes. The HTTP control API
 * (src/http/control/routes.ts) and the library (src/index.ts) are both thin layers over this.
 */
import { ManualClock, type Clock } from '../apimachinery/clock.js';
import { StatusError, notFound, resourceExpired } from '../apimachinery/status.js';
import type { Manager } from '../controllers/runtime/manager.js';
import type { EventRecorder } from '../controllers/events/recorder.js';
import { Chaos } from '../kubelet/chaos/index.js';
import type { KubeletState } from '../kubelet/kubelet-state.js';
import type { Registry } from '../registry/registry.js';
import type { SqliteDatabase } from '../storage/database.js';
import type { ObjectStore } from '../storage/object-store.js';
import { SnapshotStore, type SnapshotInfo } from '../storage/snapshots.js';
import { FaultInjector } from '../http/control/faults.js';
import { RequestJournal } from '../http/control/journal.js';
import type { ClockState, ControlApi } from '../http/control/control-api.js';
import type { WatchRegistry } from '../http/watch-registry.js';
import { addNodes } from './nodes.js';

export interface ControlPlaneOptions {
  /** The SQLite store snapshots copy; absent on etcd, where snapshots are refused. */
  sqlite: { db: SqliteDatabase; store: ObjectStore } | undefined;
  registry: Registry;
  clock: Clock;
  /** The recorder the controllers use too (event names must not collide). */
  events: EventRecorder;
  watches: WatchRegistry;
  /** The simulated kubelets' state, which chaos changes. */
  kubelets: KubeletState;
  /** The controllers' manager, once it exists (none without controllers). */
  manager: () => Manager | undefined;
  journalSize?: number;
}

export type { ClockState } from '../http/control/control-api.js';

/** Steps of a clock advance are bounded, so a timer that re-arms itself at once cannot hang it. */
const MAX_ADVANCE_STEPS = 1_000_000;
/** The last instant a JS Date (and so an RFC 3339 timestamp here) can hold. */
const MAX_DATE_MS = 8.64e15;

export class ControlPlane implements ControlApi {
  readonly faults: FaultInjector;
  readonly journal: RequestJournal;
  private readonly snapshotStore: SnapshotStore | undefined;
  readonly chaos: Chaos;
  readonly clock: Clock;
  private readonly registry: Registry;
  private readonly watches: WatchRegistry;
  private readonly manager: () => Manager | undefined;
  private advancing: Promise<unknown> = Promise.resolve();

  constructor(opts: ControlPlaneOptions) {
    this.registry = opts.registry;
    this.clock = opts.clock;
    this.watches = opts.watches;
    this.manager = opts.manager;
    this.faults = new FaultInjector(opts.watches, opts.registry);
    this.journal = new RequestJournal(opts.journalSize);
    this.snapshotStore = opts.sqlite && new SnapshotStore(opts.sqlite.db, opts.sqlite.store);
    this.chaos = new Chaos(opts.registry, opts.clock, opts.events, opts.kubelets);
  }

  /** The snapshots of the SQLite store; on etcd every use answers 405 (etcd has its own: etcdctl snapshot). */
  get snapshots(): SnapshotStore {
    if (this.snapshotStore) return this.snapshotStore;
    throw new StatusError(
      405,
      'MethodNotAllowed',
      'snapshots are taken of the SQLite store; this kubemock stores its objects in etcd (--etcd-servers), whose own backups are etcdctl snapshot save and restore',
    );
  }

  takeSnapshot(): SnapshotInfo {
    return this.snapshots.take();
  }

  /**
   * Puts the stored state back as the snapshot has it: open watches end with an ERROR event
   * carrying 410 Expired (clients re-list), pod chaos and unreachable nodes are reset, and the
   * controllers' caches are refilled and every object requeued.
   */
  restoreSnapshot(id: string): { id: string; revision: number } {
    if (!this.snapshots.get(id)) throw notFound({ group: 'kubemock.io', resource: 'snapshots' }, id);
    this.chaos.reset();
    this.expireWatches(`the cluster state was restored from snapshot ${id}`, { withError: true, change: () => this.snapshots.restore(id) });
    return { id, revision: this.registry.storage.currentRevision() };
  }

  /**
   * The changes since some revision will never reach the watch hub (a restore, or a peer replica's
   * changes compacted before this one saw them): open watches end (`withError`: after an ERROR
   * event carrying 410 Expired; else as kube-apiserver ends its watchers when its watch cache
   * re-lists), `change` runs, a watch may resume only from the revision after it (older ones
   * answer 410 Expired), and the controllers' caches are refilled.
   */
  expireWatches(why: string, opts: { withError?: boolean; change?: () => void } = {}): void {
    const expired = resourceExpired(`too old resource version: ${why}`).status;
    this.watches.closeMatching(() => true, opts.withError ? { status: expired } : {});
    opts.change?.();
    this.registry.hub.reset();
    this.manager()?.resync();
  }

  clockState(): ClockState {
    const now = this.clock.now();
    return { mode: this.clock instanceof ManualClock ? 'manual' : 'real', now, time: new Date(now).toISOString() };
  }

  /**
   * Moves a manual clock `ms` forward, one due timer at a time, letting the controllers finish
   * what each one started before the next: a chain (pod bound → started → ready → available
   * after minReadySeconds) plays out within one advance as it would in real time.
   */
  advanceClock(ms: number): Promise<ClockState> {
    const clock = this.clock;
    if (!(clock instanceof ManualClock)) {
      return Promise.reject(
        new StatusError(
          409,
          'Conflict',
          'the clock is real time; start kubemock with --clock=manual (library: clock: "manual") to advance it',
        ),
      );
    }
    // A JS Date ends at 8.64e15 ms after the epoch: a time past it has no text.
    if (!Number.isFinite(ms) || ms < 0 || clock.now() + ms > MAX_DATE_MS)
      return Promise.reject(new StatusError(400, 'BadRequest', `cannot advance the clock by ${ms} ms`));
    const run = async () => {
      const target = clock.now() + ms;
      await this.settle();
      for (let step = 0; ; step++) {
        const due = clock.nextDue();
        if (due === undefined || due > target) break;
        if (step >= MAX_ADVANCE_STEPS) {
          throw new StatusError(
            500,
            'InternalError',
            `the clock advance stopped after ${MAX_ADVANCE_STEPS} timer steps, at ${new Date(clock.now()).toISOString()}: advance by less at a time`,
          );
        }
        clock.advance(Math.max(0, due - clock.now()));
        await this.settle();
      }
      clock.advance(target - clock.now());
      await this.settle();
      return this.clockState();
    };
    const result = this.advancing.then(run, run);
    this.advancing = result.catch(() => undefined);
    return result;
  }

  /** Resolves once the controllers have no work queued or running (at once without controllers). */
  async settle(timeoutMs = 10_000): Promise<void> {
    await this.manager()?.waitIdle(timeoutMs);
  }

  addNodes(what: number | string[]): string[] {
    return addNodes(this.registry, what);
  }

  close(): void {
    this.chaos.close();
    this.faults.clear();
    this.snapshotStore?.close();
  }
}

/**
 * One replica's share of the cluster's work, in one Manager: kube-controller-manager's controllers
 * and the simulated kubelets. Alone (no coordination) every controller and kubelet runs at once
 * and no Lease is written. Coordinated, the controllers run only while this replica holds the
 * `kube-controller-manager` Lease in kube-system (built afresh each time it gains it, so they
 * re-list as a restarted kube-controller-manager does), and the kubelets only for the nodes of the
 * kubelet shards it holds.
 */
import type { Clock } from './apimachinery/clock.js';
import type { Registry } from './registry/registry.js';
import type { ControllerContext, ControllerSettings } from './controllers/context.js';
import type { EventRecorder } from './controllers/events/recorder.js';
import { buildControllers } from './controllers/index.js';
import { Manager, type Logger } from './controllers/runtime/manager.js';
import { ActionLog } from './controllers/runtime/action-log.js';
import type { QueueMetrics } from './apimachinery/metrics/workqueue.js';
import {
  CONTROLLER_MANAGER_COMPONENT,
  CONTROLLER_MANAGER_LEASE,
  DEFAULT_LEADER_ELECTION_TIMING,
  LeaderElector,
  candidateIdentity,
  validateTiming,
  type LeaderElectionTiming,
} from './controllers/leader-election/leader-elector.js';
import { KUBELET_CONTROLLER_NAMES, kubeletControllers } from './kubelet/kubelet-controller.js';
import type { KubeletState } from './kubelet/kubelet-state.js';
import { DEFAULT_KUBELET_SHARDS, KubeletShards } from './kubelet/shards/kubelet-shards.js';

export interface ReplicaCoordination extends Partial<LeaderElectionTiming> {
  /** This replica's identity (default `<hostname>_<uuid>`, as kube-controller-manager's). */
  identity?: string;
  /** Shards the simulated kubelets are spread over (default 8). */
  kubeletShards?: number;
  /**
   * This process alone owns the store (SQLite): at start it takes the controller Lease and every
   * shard at once, even from a previous run that died holding them. False when other replicas may
   * share the store (etcd): a held Lease is then waited out.
   */
  exclusiveStore?: boolean;
  /** A random number in [0, 1) for the elector's retry jitter (default Math.random; tests may pin it). */
  random?: () => number;
}

export interface ReplicaOptions {
  registry: Registry;
  clock: Clock;
  events: EventRecorder;
  log: Logger & { info?(obj: unknown, msg?: string): void };
  /** Controllers' actions, told in words at info (default: a log of its own over `log`). */
  actions?: ActionLog;
  /** The workqueue_* metrics of a controller's queue, by the controller's name. */
  queueMetrics?: (controller: string) => QueueMetrics;
  settings: ControllerSettings;
  kubelets: KubeletState;
  apiServer?: ControllerContext['apiServer'];
  /** Elect the controllers and shard the kubelets (default: none, everything runs here). */
  coordination?: ReplicaCoordination;
}

/** The Manager group the elected controllers run in. */
const ELECTED = 'kube-controller-manager';

export class Replica {
  readonly manager: Manager;
  readonly elector?: LeaderElector;
  readonly shards?: KubeletShards;
  private readonly exclusiveStore: boolean;
  private stopping?: Promise<void>;

  constructor(opts: ReplicaOptions) {
    const { registry, clock, events, log, settings, kubelets, apiServer, coordination } = opts;
    const actions = opts.actions ?? new ActionLog(log);
    const manager = (this.manager = new Manager(registry, clock, log, opts.queueMetrics));
    const ctx: ControllerContext = { registry, cache: manager.cache, clock, events, log, actions, settings, apiServer };
    this.exclusiveStore = coordination?.exclusiveStore ?? false;
    if (!coordination) {
      for (const c of [...buildControllers(ctx), ...kubeletControllers({ ...ctx, kubelets })]) manager.add(c);
      return;
    }
    const timing = { ...DEFAULT_LEADER_ELECTION_TIMING, ...definedTiming(coordination) };
    const invalid = validateTiming(timing);
    if (invalid) throw new Error(`leader election: ${invalid}`);
    const identity = coordination.identity ?? candidateIdentity();
    const shards = (this.shards = new KubeletShards({
      registry,
      clock,
      identity,
      shards: coordination.kubeletShards ?? DEFAULT_KUBELET_SHARDS,
      timing,
      log,
      onChange: () => manager.requeue(KUBELET_CONTROLLER_NAMES),
    }));
    for (const c of kubeletControllers({ ...ctx, kubelets, hosts: shards })) manager.add(c);
    this.elector = new LeaderElector({
      registry,
      clock,
      lease: CONTROLLER_MANAGER_LEASE,
      identity,
      timing,
      component: CONTROLLER_MANAGER_COMPONENT,
      events,
      log,
      random: coordination.random,
      callbacks: {
        onStartedLeading: () => manager.startGroup(ELECTED, buildControllers(ctx)),
        onStoppedLeading: () => void manager.stopGroup(ELECTED),
      },
    });
  }

  /** Starts the controllers, or the campaign for them, and the kubelets of this replica's shards. */
  start(): void {
    this.manager.start();
    this.shards?.start(this.exclusiveStore);
    this.elector?.start(this.exclusiveStore);
  }

  /** Whether kube-controller-manager's controllers run here. */
  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : true;
  }

  /** Stops for good, giving the Leases up so other replicas take over at once. */
  stop(): Promise<void> {
    return this.halt(true);
  }

  /** Stops as a killed process would: nothing more is written, the Leases lapse (tests of failover). */
  crash(): Promise<void> {
    return this.halt(false);
  }

  private halt(release: boolean): Promise<void> {
    this.stopping ??= (async () => {
      this.elector?.stop(release);
      this.shards?.stop(release);
      await this.manager.stop();
    })();
    return this.stopping;
  }
}

/** The timings given, without undefined entries (which would hide the defaults). */
function definedTiming(c: ReplicaCoordination): Partial<LeaderElectionTiming> {
  const out: Partial<LeaderElectionTiming> = {};
  if (c.leaseDurationMs !== undefined) out.leaseDurationMs = c.leaseDurationMs;
  if (c.renewDeadlineMs !== undefined) out.renewDeadlineMs = c.renewDeadlineMs;
  if (c.retryPeriodMs !== undefined) out.retryPeriodMs = c.retryPeriodMs;
  return out;
}

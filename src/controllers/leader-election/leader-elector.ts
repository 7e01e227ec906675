/**
 * Leader election as kube-controller-manager runs it (client-go's leaderelection package): a
 * candidate tries for the Lease every retry period (jittered), and once it holds it renews it
 * every retry period; when renewals keep failing for the renew deadline it stops leading. On
 * gaining the Lease it records the `LeaderElection` Event "<identity> became leader" on it, on
 * losing it "<identity> stopped leading". Where kube-controller-manager exits on losing the Lease
 * (and is restarted), this elector calls onStoppedLeading and becomes a candidate again.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { CancelTimer, Clock } from '../../apimachinery/clock.js';
import type { Registry } from '../../registry/registry.js';
import type { StoredLease } from '../../resources/stored.js';
import type { EventRecorder, EventSource } from '../events/recorder.js';
import type { Logger } from '../runtime/manager.js';
import { LeaseCandidate } from './lease-candidate.js';

export interface LeaderElectionTiming {
  /** How long non-leaders wait after the last observed renewal before taking over (--leader-elect-lease-duration). */
  leaseDurationMs: number;
  /** How long the leader keeps retrying a renewal before it stops leading (--leader-elect-renew-deadline). */
  renewDeadlineMs: number;
  /** How long candidates wait between attempts (--leader-elect-retry-period). */
  retryPeriodMs: number;
}

/** kube-controller-manager's defaults: 15 s, 10 s, 2 s. */
export const DEFAULT_LEADER_ELECTION_TIMING: LeaderElectionTiming = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/** wait.JitterUntil's factor in client-go's acquire loop: a retry waits up to 2.2 retry periods. */
const JITTER_FACTOR = 1.2;

/** The Lease kube-controller-manager's controllers are elected through, and its namespace. */
export const CONTROLLER_MANAGER_LEASE = { namespace: 'kube-system', name: 'kube-controller-manager' };
/** The component name of kube-controller-manager: its Events' source and its writes' field manager. */
export const CONTROLLER_MANAGER_COMPONENT = 'kube-controller-manager';

/** An identity as kube-controller-manager makes one: `<hostname>_<uuid>`. */
export function candidateIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/** Rejects timings client-go refuses (NewLeaderElector): the lease outlasts the renew deadline, which outlasts 1.2 retry periods. */
export function validateTiming(t: LeaderElectionTiming): string | undefined {
  if (t.leaseDurationMs <= t.renewDeadlineMs) return 'leaseDuration must be greater than renewDeadline';
  if (t.renewDeadlineMs <= JITTER_FACTOR * t.retryPeriodMs) return 'renewDeadline must be greater than retryPeriod*JitterFactor';
  if (t.leaseDurationMs < 1000) return 'leaseDuration must be at least one second';
  if (t.retryPeriodMs < 1) return 'retryPeriod must be greater than zero';
  return undefined;
}

export interface LeaderCallbacks {
  onStartedLeading(): void;
  onStoppedLeading(): void;
}

export interface LeaderElectorOptions {
  registry: Registry;
  clock: Clock;
  lease: { namespace: string; name: string };
  identity: string;
  timing: LeaderElectionTiming;
  /** Who writes the Lease (managedFields) and records the Events. */
  component: string;
  callbacks: LeaderCallbacks;
  events?: EventRecorder;
  log: Logger & { info?(obj: unknown, msg?: string): void };
  /** A random number in [0, 1) for the retry jitter (tests may pin it). */
  random?: () => number;
}

export class LeaderElector {
  private readonly candidate: LeaseCandidate;
  private leading = false;
  private stopped = true;
  private cancelTimer?: CancelTimer;
  /** When the current round of renewal attempts began (a round fails after the renew deadline). */
  private roundStart?: number;

  constructor(private readonly opts: LeaderElectorOptions) {
    this.candidate = new LeaseCandidate({
      registry: opts.registry,
      clock: opts.clock,
      namespace: opts.lease.namespace,
      name: opts.lease.name,
      identity: opts.identity,
      leaseDurationMs: opts.timing.leaseDurationMs,
      fieldManager: opts.component,
      log: opts.log,
    });
  }

  get identity(): string {
    return this.opts.identity;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Starts campaigning: the first attempt runs now. With `takeOver`, it takes the Lease whoever
   * holds it (this process alone owns the store, so the holder is a previous run of it).
   */
  start(takeOver = false): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (takeOver) this.candidate.takeOverAtNextAttempt();
    this.acquireStep();
  }

  /**
   * Stops campaigning and leading (onStoppedLeading runs if it led). With `release`, gives the Lease
   * up so another candidate takes it at once; without, the Lease lapses as if this process died.
   */
  stop(release: boolean): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (!this.leading) return;
    // A process that dies records nothing; one that stops gives the Lease up and says so.
    if (release) this.candidate.release();
    this.stopLeading(release);
  }

  private schedule(ms: number, fn: () => void): void {
    this.cancelTimer = this.opts.clock.after(ms, () => {
      this.cancelTimer = undefined;
      if (!this.stopped) fn();
    });
  }

  private acquireStep(): void {
    if (this.candidate.tryAcquireOrRenew()) {
      this.leading = true;
      this.recordEvent('became leader');
      this.opts.log.info?.({ lease: this.describe() }, 'successfully acquired lease');
      this.opts.callbacks.onStartedLeading();
      this.roundStart = undefined;
      this.schedule(this.opts.timing.retryPeriodMs, () => this.renewStep());
      return;
    }
    const jitter = 1 + (this.opts.random ?? Math.random)() * JITTER_FACTOR;
    this.schedule(Math.round(this.opts.timing.retryPeriodMs * jitter), () => this.acquireStep());
  }

  private renewStep(): void {
    const now = this.opts.clock.now();
    this.roundStart ??= now;
    if (this.candidate.tryAcquireOrRenew()) {
      this.roundStart = undefined;
      this.schedule(this.opts.timing.retryPeriodMs, () => this.renewStep());
      return;
    }
    // Someone else holds it now (the renewal lost a race, or this process was stalled past its term), or the deadline passed.
    const lost = this.candidate.holder() !== '' && !this.candidate.isHolder();
    if (!lost && now + this.opts.timing.retryPeriodMs - this.roundStart < this.opts.timing.renewDeadlineMs) {
      this.schedule(this.opts.timing.retryPeriodMs, () => this.renewStep());
      return;
    }
    this.opts.log.error({ lease: this.describe() }, 'failed to renew lease: leader election lost');
    this.stopLeading(true);
    this.candidate.reset();
    this.acquireStep();
  }

  private stopLeading(record: boolean): void {
    this.leading = false;
    if (record) this.recordEvent('stopped leading');
    this.opts.callbacks.onStoppedLeading();
  }

  private describe(): string {
    return `${this.opts.lease.namespace}/${this.opts.lease.name}`;
  }

  /** LeaseLock.RecordEvent: a Normal `LeaderElection` Event on the Lease. */
  private recordEvent(what: string): void {
    if (!this.opts.events) return;
    const lease = this.opts.registry
      .store<StoredLease>('leases', 'coordination.k8s.io')
      .tryGet(this.opts.lease.namespace, this.opts.lease.name);
    if (!lease) return;
    const source: EventSource = { component: this.opts.component };
    this.opts.events.record(source, lease, 'Normal', 'LeaderElection', `${this.opts.identity} ${what}`);
  }
}

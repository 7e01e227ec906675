/**
 * One candidate for one coordination.k8s.io/v1 Lease, with client-go's rules (LeaderElector's
 * tryAcquireOrRenew over a LeaseLock): the Lease is created when missing, renewed while this
 * candidate holds it, and taken over once it is free (no holder) or its holder let it lapse. A
 * lapse is counted on this candidate's clock from when it last saw the record change, for the
 * record's leaseDurationSeconds, so the clocks of other processes never matter. Every write is
 * conditional on the resourceVersion last read, so two candidates never both win.
 */
import type { Clock } from '../../apimachinery/clock.js';
import { rfc3339Micro } from '../../apimachinery/object.js';
import { StatusError } from '../../apimachinery/status.js';
import type { Registry } from '../../registry/registry.js';
import type { ResourceStore } from '../../registry/store.js';
import type { StoredLease } from '../../resources/stored.js';

export interface LeaseCandidateOptions {
  registry: Registry;
  clock: Clock;
  namespace: string;
  name: string;
  /** Who this candidate is (kube-controller-manager's: `<hostname>_<uuid>`). */
  identity: string;
  /** The term written into the Lease (whole seconds, at least one). */
  leaseDurationMs: number;
  /** The manager the writes are recorded under in managedFields. */
  fieldManager: string;
  log?: { debug(obj: unknown, msg?: string): void };
}

type LeaseSpec = NonNullable<StoredLease['spec']>;

/** leaseDurationSeconds as client-go writes it: the duration's whole seconds (never below one, which validation rejects). */
export function leaseDurationSeconds(ms: number): number {
  return Math.max(1, Math.floor(ms / 1000));
}

export class LeaseCandidate {
  /** The record last seen, as read or written, and when (this clock) it was first seen so. */
  private observed?: { raw: string; spec: LeaseSpec; at: number };
  /** The Lease as last read or written: its resourceVersion guards the next write. */
  private lease?: StoredLease;
  /** Treat the next record read as lapsed, whoever holds it (a store this process alone owns). */
  private takeOverOnce = false;

  constructor(private readonly opts: LeaseCandidateOptions) {}

  get identity(): string {
    return this.opts.identity;
  }

  private store(): ResourceStore<StoredLease> {
    return this.opts.registry.store<StoredLease>('leases', 'coordination.k8s.io');
  }

  /** The holder last seen ('' when none, or nothing seen yet). */
  holder(): string {
    return this.observed?.spec.holderIdentity ?? '';
  }

  /** This candidate held the Lease when it last looked. */
  isHolder(): boolean {
    return this.holder() === this.opts.identity;
  }

  /** The term of the record last seen still runs at `now`. */
  isValid(now = this.opts.clock.now()): boolean {
    if (!this.observed) return false;
    return this.observed.at + (this.observed.spec.leaseDurationSeconds ?? 0) * 1000 > now;
  }

  /** The next attempt takes the Lease whoever holds it: a previous run of this process left it (exclusive store). */
  takeOverAtNextAttempt(): void {
    this.takeOverOnce = true;
  }

  /** Creates, renews or takes over the Lease; true when this candidate holds it afterwards. */
  tryAcquireOrRenew(): boolean {
    const now = this.opts.clock.now();
    const takeOver = this.takeOverOnce;
    this.takeOverOnce = false;
    const spec: LeaseSpec = {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: leaseDurationSeconds(this.opts.leaseDurationMs),
      acquireTime: rfc3339Micro(now),
      renewTime: rfc3339Micro(now),
      leaseTransitions: 0,
    };
    try {
      // The fast path: a holder whose term still runs renews from the Lease it wrote last.
      if (this.isHolder() && this.isValid(now) && this.lease) {
        const renewed = this.write({
          ...spec,
          acquireTime: this.observed!.spec.acquireTime,
          leaseTransitions: this.observed!.spec.leaseTransitions,
        });
        if (renewed) return true;
      }
      const current = this.store().tryGet(this.opts.namespace, this.opts.name);
      if (!current) return this.create(spec);
      this.lease = current;
      this.observe(current.spec ?? {}, now);
      if (!takeOver && this.holder() !== '' && this.isValid(now) && !this.isHolder()) return false;
      if (this.isHolder()) {
        spec.acquireTime = this.observed!.spec.acquireTime;
        spec.leaseTransitions = this.observed!.spec.leaseTransitions;
      } else spec.leaseTransitions = (this.observed!.spec.leaseTransitions ?? 0) + 1;
      return this.write(spec);
    } catch (err) {
      // Anything else (storage unavailable): the attempt failed, the caller's retry period brings the next one.
      this.opts.log?.debug({ err, lease: `${this.opts.namespace}/${this.opts.name}` }, 'lease attempt failed');
      return false;
    }
  }

  /**
   * Gives the Lease up (client-go's ReleaseOnCancel): no holder, a one-second term, so another
   * candidate takes it at its next attempt. True when released or not held.
   */
  release(): boolean {
    if (!this.isHolder() || !this.lease) return true;
    const now = rfc3339Micro(this.opts.clock.now());
    try {
      return this.write({
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: this.observed?.spec.leaseTransitions ?? 0,
      });
    } catch (err) {
      this.opts.log?.debug({ err, lease: `${this.opts.namespace}/${this.opts.name}` }, 'lease release failed');
      return false;
    }
  }

  /** Reads the Lease and notes whether its record changed (a lapse is counted from the last change seen). */
  look(): void {
    try {
      const current = this.store().tryGet(this.opts.namespace, this.opts.name);
      if (current) this.observe(current.spec ?? {}, this.opts.clock.now());
    } catch (err) {
      this.opts.log?.debug({ err, lease: `${this.opts.namespace}/${this.opts.name}` }, 'lease read failed');
    }
  }

  /** Forgets what was seen (the holder stopped: it must read the Lease again before claiming it). */
  reset(): void {
    this.observed = undefined;
    this.lease = undefined;
  }

  private observe(spec: LeaseSpec, now: number): void {
    const record: LeaseSpec = {
      holderIdentity: spec.holderIdentity ?? '',
      leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
      acquireTime: spec.acquireTime,
      renewTime: spec.renewTime,
      leaseTransitions: spec.leaseTransitions ?? 0,
    };
    const raw = JSON.stringify(record);
    if (this.observed?.raw === raw) return;
    this.observed = { raw, spec: record, at: now };
  }

  private create(spec: LeaseSpec): boolean {
    const lease: StoredLease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.opts.name, namespace: this.opts.namespace },
      spec,
    };
    try {
      const { object } = this.store().create(lease, { fieldManager: this.opts.fieldManager });
      this.lease = object as StoredLease;
    } catch (err) {
      if (err instanceof StatusError && err.code === 409) return false; // another candidate created it first
      throw err;
    }
    this.observe(spec, this.opts.clock.now());
    return true;
  }

  /** A conditional update of the Lease last seen; false when it changed meanwhile. */
  private write(spec: LeaseSpec): boolean {
    const base = this.lease!;
    const desired: StoredLease = { ...base, metadata: { ...base.metadata }, spec };
    try {
      const { object } = this.store().update(this.opts.namespace, this.opts.name, desired, { fieldManager: this.opts.fieldManager });
      this.lease = object as StoredLease;
    } catch (err) {
      if (err instanceof StatusError && (err.code === 409 || err.code === 404)) {
        this.lease = undefined;
        return false;
      }
      throw err;
    }
    this.observe(spec, this.opts.clock.now());
    return true;
  }
}

/**
 * Objects that expire a fixed time after their last write, as kube-apiserver's storage does for a
 * kind with a TTL (Events, `--event-ttl`: each write attaches an etcd lease, and the object is gone
 * when the lease runs out). Each committed change of the resource renews its object's deadline;
 * expired objects are deleted through the store, so watchers see DELETED, a few hundred at a time.
 *
 * The deadlines live in memory, in write order (with one TTL, the first entry is the next to
 * expire). What was stored before a start gets its deadline from the newest time the object
 * records of itself (managedFields, creation). After a reset (a snapshot restored, changes lost)
 * an object still at the revision whose write set its deadline keeps it; only the others are read.
 */
import type { Clock, CancelTimer } from '../apimachinery/clock.js';
import type { KubeObject } from '../apimachinery/object.js';
import { isStatusError } from '../apimachinery/status.js';
import type { ResourceStore } from './store.js';
import type { WatchHub } from './watch-hub.js';

/** Deletions per turn, so that a large expiry never holds the server for long. */
const BATCH = 500;

/**
 * An object's key in `deadlines`: `namespace/name` ('' for no namespace; a namespace has no '/').
 * Joined, not concatenated: a joined string is one flat string, while a concatenation kept as a key
 * keeps every piece it was built from (the name's own pieces included), for every object.
 */
const keyOf = (namespace: string | undefined, name: string) => [namespace ?? '', name].join('/');

function splitKey(key: string): [namespace: string | undefined, name: string] {
  const slash = key.indexOf('/');
  return [slash > 0 ? key.slice(0, slash) : undefined, key.slice(slash + 1)];
}

export class ObjectExpiry {
  /** Each object's deadline (ms), by key, in write order; one number per object keeps it small (an Event per pod write). */
  private readonly deadlines = new Map<string, number>();
  /** The revision of the write that set each deadline: after a reset, an object still at it keeps its deadline unread. */
  private readonly revisions = new Map<string, number>();
  private readonly cleanups: (() => void)[] = [];
  private cancelTimer: CancelTimer | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly store: ResourceStore,
    private readonly hub: WatchHub,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  start(): void {
    this.cleanups.push(
      // The store's key (its plural in its group), which the hub publishes changes under.
      this.hub.subscribe(this.store.resource, (ev) => {
        const key = keyOf(ev.namespace, ev.name);
        this.deadlines.delete(key);
        if (ev.type === 'DELETED') this.revisions.delete(key);
        else {
          this.deadlines.set(key, this.clock.now() + this.ttlMs);
          this.revisions.set(key, ev.rv);
        }
        this.schedule();
      }),
      this.hub.onReset(() => this.readStored()),
    );
    this.readStored();
  }

  stop(): void {
    for (const c of this.cleanups.splice(0)) c();
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /**
   * Sets every stored object's deadline. One that is still at the revision whose write set its
   * deadline keeps it (a restore rewrites only what changed since its snapshot: reading every
   * Event's body again made a restore of 1,000 running pods three times as slow); the others are
   * read, one by one when they are few, else with the whole list.
   */
  private readStored(): void {
    const entries: { key: string; rv: number; deadline: number }[] = [];
    const unknown: { key: string; namespace: string; name: string; rv: number }[] = [];
    const current = this.store.revisions();
    for (const { namespace, name, rv } of current) {
      const key = keyOf(namespace, name);
      const deadline = this.revisions.get(key) === rv ? this.deadlines.get(key) : undefined;
      if (deadline === undefined) unknown.push({ key, namespace, name, rv });
      else entries.push({ key, rv, deadline });
    }
    const deadlineOf = (o: KubeObject) => (lastRecordedWrite(o) ?? this.clock.now()) + this.ttlMs;
    if (unknown.length > current.length / 4) {
      const listed = this.store.list(undefined).items;
      entries.length = 0;
      for (const o of listed) {
        const rv = Number(o.metadata.resourceVersion);
        entries.push({ key: keyOf(o.metadata.namespace, o.metadata.name!), rv, deadline: deadlineOf(o) });
      }
    } else {
      for (const u of unknown) {
        const o = this.store.tryGet(u.namespace || undefined, u.name);
        if (o) entries.push({ key: u.key, rv: Number(o.metadata.resourceVersion), deadline: deadlineOf(o) });
      }
    }
    entries.sort((a, b) => a.deadline - b.deadline);
    this.deadlines.clear();
    this.revisions.clear();
    for (const e of entries) {
      this.deadlines.set(e.key, e.deadline);
      this.revisions.set(e.key, e.rv);
    }
    this.schedule();
  }

  /** Keeps one timer, at the first deadline. */
  private schedule(): void {
    const first = this.deadlines.values().next().value;
    if (first === undefined) return;
    if (this.cancelTimer && this.timerAt <= first) return;
    this.cancelTimer?.();
    this.timerAt = first;
    this.cancelTimer = this.clock.after(first - this.clock.now(), () => {
      this.cancelTimer = undefined;
      this.timerAt = Infinity;
      this.expire();
    });
  }

  private expire(): void {
    const now = this.clock.now();
    let n = 0;
    for (const [key, at] of this.deadlines) {
      if (at > now || n >= BATCH) break;
      n++;
      this.deadlines.delete(key);
      try {
        this.store.delete(...splitKey(key));
      } catch (e) {
        // Gone already, or changed meanwhile (its change renewed the deadline).
        if (!isStatusError(e) || (e.code !== 404 && e.code !== 409)) throw e;
      }
    }
    // The deletions above may have set a timer; one is kept.
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerAt = Infinity;
    if (n < BATCH) return this.schedule();
    this.timerAt = now;
    this.cancelTimer = this.clock.after(0, () => {
      this.cancelTimer = undefined;
      this.timerAt = Infinity;
      this.expire();
    });
  }
}

/** The newest time an object records of its writes: its managed fields' times, else its creation. */
function lastRecordedWrite(o: KubeObject): number | undefined {
  let latest: number | undefined;
  const times = [o.metadata.creationTimestamp, ...(o.metadata.managedFields ?? []).map((m) => (m as { time?: string }).time)];
  for (const t of times) {
    const ms = t ? Date.parse(t) : NaN;
    if (!Number.isNaN(ms) && (latest === undefined || ms > latest)) latest = ms;
  }
  return latest;
}

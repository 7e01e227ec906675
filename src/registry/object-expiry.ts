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
import { Fifo } from '../apimachinery/fifo.js';
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

/** Stale deadlines the queue may hold beyond twice the live ones before it drops them. */
const STALE_SLACK = 1024;

/** A write's deadline: the object's key, the write's revision and when it expires (ms). */
interface Deadline {
  key: string;
  rv: number;
  at: number;
}

export class ObjectExpiry {
  /**
   * The revision of the write that set each object's deadline, by key. A deadline in the queue whose
   * revision is not its object's here any more is stale (the object changed again or went).
   */
  private readonly revisions = new Map<string, number>();
  /**
   * The deadlines in write order (with one TTL, the first is the next to expire): appended at each
   * write, stale ones skipped when reached. One array push and one map entry a write (an Event per
   * pod write); removing and re-adding the entries of two maps cost twice that.
   */
  private readonly queue = new Fifo<Deadline>();
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
        if (ev.type === 'DELETED') return void this.revisions.delete(key);
        this.revisions.set(key, ev.rv);
        this.append({ key, rv: ev.rv, at: this.clock.now() + this.ttlMs });
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

  private append(deadline: Deadline): void {
    this.queue.push(deadline);
    // Stale deadlines (objects written again, or gone) past twice the live ones: the queue keeps the current ones only.
    if (this.queue.length > 2 * this.revisions.size + STALE_SLACK) this.queue.retain((d) => this.current(d));
  }

  private current(d: Deadline): boolean {
    return this.revisions.get(d.key) === d.rv;
  }

  /**
   * Sets every stored object's deadline. One that is still at the revision whose write set its
   * deadline keeps it (a restore rewrites only what changed since its snapshot: reading every
   * Event's body again made a restore of 1,000 running pods three times as slow); the others are
   * read, one by one when they are few, else with the whole list.
   */
  private readStored(): void {
    const kept = new Map<string, number>();
    for (const d of this.queue) if (this.current(d)) kept.set(d.key, d.at);
    const entries: Deadline[] = [];
    const unknown: { key: string; namespace: string; name: string; rv: number }[] = [];
    const current = this.store.revisions();
    for (const { namespace, name, rv } of current) {
      const key = keyOf(namespace, name);
      const at = this.revisions.get(key) === rv ? kept.get(key) : undefined;
      if (at === undefined) unknown.push({ key, namespace, name, rv });
      else entries.push({ key, rv, at });
    }
    const deadlineOf = (o: KubeObject) => (lastRecordedWrite(o) ?? this.clock.now()) + this.ttlMs;
    if (unknown.length > current.length / 4) {
      const listed = this.store.list(undefined).items;
      entries.length = 0;
      for (const o of listed) {
        const rv = Number(o.metadata.resourceVersion);
        entries.push({ key: keyOf(o.metadata.namespace, o.metadata.name!), rv, at: deadlineOf(o) });
      }
    } else {
      for (const u of unknown) {
        const o = this.store.tryGet(u.namespace || undefined, u.name);
        if (o) entries.push({ key: u.key, rv: Number(o.metadata.resourceVersion), at: deadlineOf(o) });
      }
    }
    entries.sort((a, b) => a.at - b.at);
    this.revisions.clear();
    for (const e of entries) this.revisions.set(e.key, e.rv);
    this.queue.replace(entries);
    this.schedule();
  }

  /** Keeps one timer, at the first deadline (a stale one too: reached, it is skipped and the next one set). */
  private schedule(): void {
    const first = this.queue.peek()?.at;
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
    for (let d = this.queue.peek(); d !== undefined && d.at <= now && n < BATCH; d = this.queue.peek()) {
      this.queue.shift();
      if (!this.current(d)) continue;
      n++;
      try {
        this.store.delete(...splitKey(d.key));
      } catch (e) {
        // Gone already, or changed meanwhile (its change renewed the deadline).
        if (!isStatusError(e) || (e.code !== 404 && e.code !== 409)) throw e;
        if (e.code === 404 && this.current(d)) this.revisions.delete(d.key);
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

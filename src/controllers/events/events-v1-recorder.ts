/**
 * Records Events the way client-go's tools/events recorder does (the events.k8s.io/v1 API, which
 * kube-scheduler uses): each one written through events.k8s.io/v1 by its component's field
 * manager, named `<regarding>.<hex nanos>`, with an eventTime (MicroTime), a reporting controller
 * and instance (`<controller>-<hostname>`) and an action; no source, timestamps or count. An event
 * isomorphic to one written in the last six minutes (same regarding, related, type, action,
 * reason and reporter) turns that one into a series instead of making another. As the upstream
 * broadcaster does, the series is written when it begins (count 2); later counts are kept and
 * written every 30 minutes while it goes on, and once it has been quiet six minutes.
 */
import { LRUCache } from 'lru-cache';
import { hostname } from 'node:os';
import type { KubeObject } from '../../apimachinery/object.js';
import { rfc3339Micro } from '../../apimachinery/object.js';
import type { CancelTimer, Clock } from '../../apimachinery/clock.js';
import { StatusError } from '../../apimachinery/status.js';
import type { Registry } from '../../registry/registry.js';
import type { ResourceStore } from '../../registry/store.js';
import type { EventType } from './recorder.js';
import { objectReference } from './object-reference.js';
import { rejectedByServer } from './rejected-write.js';

/** How long an event (or the last of its series) may be joined by an isomorphic one (the broadcaster's finishTime). */
const SERIES_WINDOW_MS = 6 * 60_000;
/** How often the count of a series still going on is written (the broadcaster's refreshTime). */
const SERIES_REFRESH_MS = 30 * 60_000;
const CACHE_ENTRIES = 4096;

interface Written {
  namespace: string;
  name: string;
  /** The event as written, in its events.k8s.io/v1 form (never handed to the store), to write again should it have gone. */
  served: KubeObject;
  /** When it was last observed: its eventTime, then its series' lastObservedTime. */
  lastMs: number;
  count: number;
  /** The count the stored event's series has (1: no series yet). */
  writtenCount: number;
  /** A series' timers: its end once quiet, its next refresh. */
  finishTimer?: CancelTimer;
  refreshTimer?: CancelTimer;
}

function cancelTimers(w: Written): void {
  w.finishTimer?.();
  w.refreshTimer?.();
  w.finishTimer = w.refreshTimer = undefined;
}

/**
 * The stored (core/v1) form of `served`, made afresh: the store fills in the metadata it is given
 * (uid, timestamps, managedFields), and the conversion keeps the metadata object (its other parts
 * are copies), so `served` stays as built.
 */
function storedForm(store: ResourceStore, served: KubeObject): KubeObject {
  return store.def.conversion!.toStorage({ ...served, metadata: { ...served.metadata } });
}

export class EventsV1Recorder {
  private readonly written = new LRUCache<string, Written>({ max: CACHE_ENTRIES, dispose: cancelTimers });
  private stopped = false;
  readonly reportingInstance: string;

  /**
   * @param nextName `<name>.<hex nanos>`, unique among every recorder's events in this process.
   * @param fieldManager the component's client (kube-scheduler's program name for default-scheduler);
   *   undefined: the registry's default, as the core/v1 recorder writes.
   */
  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
    private readonly nextName: (name: string) => string,
    readonly reportingController: string,
    private readonly fieldManager: string | undefined,
    host: string = hostname(),
  ) {
    this.reportingInstance = `${reportingController}-${host}`;
  }

  /** Records that `action` on `regarding` (and `related`) happened, for `reason`; `note` for humans. Nothing waits for the write. */
  eventf(regarding: KubeObject, related: KubeObject | undefined, type: EventType, reason: string, action: string, note: string): void {
    const nowMs = this.clock.now();
    const ref = objectReference(regarding);
    const relatedRef = related && objectReference(related);
    const key = JSON.stringify([type, action, reason, ref, relatedRef ?? null]);
    const previous = this.written.get(key);
    if (previous && nowMs - previous.lastMs <= SERIES_WINDOW_MS) return this.continueSeries(key, previous, nowMs);
    // A series that ended without its timer having fired yet: its last count first.
    if (previous) this.writeSeries(key, previous);
    const namespace = ref.namespace || 'default';
    const name = this.nextName(ref.name ?? '');
    const served: KubeObject = {
      kind: 'Event',
      apiVersion: 'events.k8s.io/v1',
      metadata: { name, namespace },
      eventTime: rfc3339Micro(nowMs),
      reportingController: this.reportingController,
      reportingInstance: this.reportingInstance,
      action,
      reason,
      regarding: ref,
      ...(relatedRef ? { related: relatedRef } : {}),
      note,
      type,
    };
    const store = this.store();
    try {
      this.registry.batched(() => store.create(storedForm(store, served), this.writeOptions()));
      this.written.set(key, { namespace, name, served, lastMs: nowMs, count: 1, writtenCount: 1 });
    } catch (err) {
      if (!rejectedByServer(err)) throw err;
    }
  }

  /**
   * An isomorphic event: the written one's series counts it. The series is written when it begins
   * (count 2); its later counts wait for its timers (every 30 minutes while it goes on, and once it
   * has been quiet six minutes), as upstream's broadcaster keeps them in its cache until then.
   */
  private continueSeries(key: string, w: Written, nowMs: number): void {
    w.count++;
    w.lastMs = nowMs;
    if (w.writtenCount > 1) return;
    this.writeSeries(key, w);
    if (this.written.peek(key) !== w) return;
    w.finishTimer = this.later(SERIES_WINDOW_MS, key, w, () => this.finish(key, w));
    w.refreshTimer = this.later(SERIES_REFRESH_MS, key, w, () => this.refresh(key, w));
  }

  /**
   * A timer of a series. Its write runs on no caller's stack: a failure the server did not answer
   * (storage gone) drops the series as a rejected write does, instead of ending the process.
   */
  private later(ms: number, key: string, w: Written, fn: () => void): CancelTimer {
    return this.clock.after(ms, () => {
      try {
        fn();
      } catch {
        if (this.written.peek(key) === w) this.written.delete(key);
      }
    });
  }

  /** The series' end: six minutes after its last event its count is written and it is forgotten (finishSeries). */
  private finish(key: string, w: Written): void {
    if (this.stopped || this.written.peek(key) !== w) return;
    const quiet = this.clock.now() - w.lastMs;
    if (quiet < SERIES_WINDOW_MS) {
      w.finishTimer = this.later(SERIES_WINDOW_MS - quiet, key, w, () => this.finish(key, w));
      return;
    }
    this.writeSeries(key, w);
    this.written.delete(key);
  }

  /** A series still going on has its count written every 30 minutes (refreshExistingEventSeries). */
  private refresh(key: string, w: Written): void {
    if (this.stopped || this.written.peek(key) !== w) return;
    this.writeSeries(key, w);
    if (this.written.peek(key) === w) w.refreshTimer = this.later(SERIES_REFRESH_MS, key, w, () => this.refresh(key, w));
  }

  /** Writes the series' count and last observation when the stored one is behind (patched in; an event gone meanwhile is written again, series and all). */
  private writeSeries(key: string, w: Written): void {
    if (w.count === w.writtenCount) return;
    const series = { count: w.count, lastObservedTime: rfc3339Micro(w.lastMs) };
    const store = this.store();
    const opts = this.writeOptions();
    try {
      this.registry.batched(() => {
        try {
          store.patch(w.namespace, w.name, (ev) => ({ ...ev, series }), opts);
        } catch (err) {
          if (!(err instanceof StatusError && err.code === 404)) throw err;
          store.create({ ...storedForm(store, w.served), series }, opts);
        }
      });
      w.writtenCount = w.count;
    } catch (err) {
      if (!rejectedByServer(err)) throw err;
      this.written.delete(key);
    }
  }

  /** Stops the series' timers (the server is closing): counts not written yet stay unwritten, as a stopped broadcaster's do. */
  stop(): void {
    this.stopped = true;
    for (const w of this.written.values()) cancelTimers(w);
  }

  private writeOptions(): { fieldManager?: string } {
    return this.fieldManager ? { fieldManager: this.fieldManager } : {};
  }

  /** The events store as served through events.k8s.io/v1: writes through it are that version's. */
  private store(): ResourceStore {
    const store = this.registry.lookup('events.k8s.io', 'v1', 'events');
    if (!store?.def.conversion) throw new Error('events.k8s.io/v1 events are not served');
    return store;
  }
}

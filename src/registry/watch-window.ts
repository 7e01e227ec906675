/**
 * How far back a watch may resume, per resource, as kube-apiserver's watch cache allows: each
 * resource keeps a ring of its latest changes (revision and time only; replay reads the log).
 * The ring holds at least `minEvents`; when it is full and its oldest change is younger than
 * `freshMs` it doubles (up to `maxEvents`), and when even the newest quarter is older than that it
 * halves. Before the first change falls out, the window reaches back to where it started (server
 * start or a snapshot restore), as the watch cache reaches back to its initial list.
 */
import type { Clock } from '../apimachinery/clock.js';

export interface WatchWindowSettings {
  /** The ring's smallest capacity (upstream's lowerBoundCapacity). */
  minEvents: number;
  /** The ring's largest capacity (upstream's upperBoundCapacity). */
  maxEvents: number;
  /** The ring grows to keep at least this much recent history (upstream's eventFreshDuration). */
  freshMs: number;
}

export const DEFAULT_WATCH_WINDOW: WatchWindowSettings = { minEvents: 100, maxEvents: 100 * 1024, freshMs: 75_000 };

/** The window of one resource. Indexes count changes ever recorded; slot = index % capacity. */
export class WatchWindow {
  private capacity: number;
  private revisions: Float64Array;
  private times: Float64Array;
  private start = 0;
  private end = 0;
  /** Whether a change fell out of the ring since it started. */
  private dropped = false;

  constructor(
    /** The revision the window starts at: a watch from it sees every later change. */
    private readonly startRevision: number,
    private readonly settings: WatchWindowSettings,
  ) {
    this.capacity = settings.minEvents;
    this.revisions = new Float64Array(this.capacity);
    this.times = new Float64Array(this.capacity);
  }

  /** Notes a committed change of this resource at `now`. */
  record(revision: number, now: number): void {
    if (this.end - this.start === this.capacity) {
      this.resize(now);
      if (this.end - this.start === this.capacity) {
        this.start++;
        this.dropped = true;
      }
    }
    const slot = this.end % this.capacity;
    this.revisions[slot] = revision;
    this.times[slot] = now;
    this.end++;
  }

  /** The oldest resourceVersion a watch may resume after: older ones answer 410 Expired. */
  oldestResumable(): number {
    return this.dropped ? this.revisions[this.start % this.capacity] - 1 : this.startRevision;
  }

  /** How many changes the ring can hold now. */
  currentCapacity(): number {
    return this.capacity;
  }

  /** A full ring grows while it spans less than freshMs, and shrinks when its newest quarter is older. */
  private resize(now: number): void {
    const { minEvents, maxEvents, freshMs } = this.settings;
    if (now - this.times[this.start % this.capacity] < freshMs) {
      const grown = Math.min(this.capacity * 2, maxEvents);
      if (grown > this.capacity) this.reallocate(grown);
      return;
    }
    const quarterBack = this.end - Math.floor(this.capacity / 4);
    if (now - this.times[quarterBack % this.capacity] > freshMs) {
      const shrunk = Math.max(Math.floor(this.capacity / 2), minEvents);
      if (shrunk < this.capacity) {
        this.start = this.end - shrunk;
        this.reallocate(shrunk);
      }
    }
  }

  private reallocate(capacity: number): void {
    const revisions = new Float64Array(capacity);
    const times = new Float64Array(capacity);
    for (let i = this.start; i < this.end; i++) {
      revisions[i % capacity] = this.revisions[i % this.capacity]!;
      times[i % capacity] = this.times[i % this.capacity]!;
    }
    this.revisions = revisions;
    this.times = times;
    this.capacity = capacity;
  }
}

/** Every resource's window, all starting at the same revision (where the server started serving). */
export class WatchWindows {
  private readonly windows = new Map<string, WatchWindow>();

  constructor(
    private readonly clock: Clock,
    private startRevision: number,
    private readonly settings: WatchWindowSettings = DEFAULT_WATCH_WINDOW,
  ) {}

  private window(resource: string): WatchWindow {
    let w = this.windows.get(resource);
    if (!w) this.windows.set(resource, (w = new WatchWindow(this.startRevision, this.settings)));
    return w;
  }

  /** Notes a committed change of `resource`. */
  record(resource: string, revision: number): void {
    this.window(resource).record(revision, this.clock.now());
  }

  /** The oldest resourceVersion a watch of `resource` may resume after. */
  oldestResumable(resource: string): number {
    return this.windows.get(resource)?.oldestResumable() ?? this.startRevision;
  }

  /** Every window starts over at `revision` (the stored state was replaced: a snapshot restore). */
  reset(revision: number): void {
    this.windows.clear();
    this.startRevision = revision;
  }
}

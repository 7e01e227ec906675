/**
 * A de-duplicating queue of keys (client-go workqueue): a key queued while it is being processed
 * is processed again afterwards, never concurrently; failures back off exponentially.
 */
import type { CancelTimer, Clock } from '../../apimachinery/clock.js';
import { Fifo } from '../../apimachinery/fifo.js';
import type { QueueMetrics } from '../../apimachinery/metrics/workqueue.js';

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

/** A key queued or being processed: `dirty`, added again meanwhile; `at`, when it was queued or taken (performance.now(), for the metrics). */
interface KeyState {
  processing: boolean;
  dirty: boolean;
  at: number;
}

export class WorkQueue {
  /** The queued keys, in the order they came. */
  private readonly queue = new Fifo<string>();
  /**
   * Every key queued or being processed (or both: queued again meanwhile), one entry each: a key's
   * add, take and done look it up once, instead of once in each of several sets.
   */
  private readonly keys = new Map<string, KeyState>();
  /** How many keys are being processed. */
  private processing = 0;
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { due: number; cancel: CancelTimer }>();
  private readonly pacingKeys = new Map<string, NodeJS.Timeout>();
  private waiter: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly backoff: BackoffSettings = { baseMs: 5, maxMs: 60_000 },
    /** client-go's workqueue_* metrics of this queue (none: not measured). */
    private readonly metrics?: QueueMetrics,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    const state = this.keys.get(key);
    if (state?.processing) {
      state.dirty = true;
      return;
    }
    if (state) return;
    this.keys.set(key, { processing: false, dirty: false, at: this.metrics ? performance.now() : 0 });
    this.enqueue(key);
  }

  /** Puts a key (its state set: not processing) at the end of the queue. */
  private enqueue(key: string): void {
    this.queue.push(key);
    if (this.metrics) {
      this.metrics.added();
      this.metrics.depth(this.length);
    }
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** Adds the key after `ms` (an earlier pending delay for the same key wins). */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    const due = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.due <= due) return;
    pending?.cancel();
    const cancel = this.clock.after(ms, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, { due, cancel });
  }

  /**
   * Adds the key after `ms` of real time, whatever the clock: pacing of expensive keys, which
   * must not wait for a manual clock to be advanced.
   */
  addAfterReal(key: string, ms: number): void {
    if (this.stopped || this.pacingKeys.has(key) || this.queuedNow(key)) return;
    const timer = setTimeout(() => {
      this.pacingKeys.delete(key);
      this.add(key);
    }, ms);
    this.pacingKeys.set(key, timer);
  }

  /** Queues every key that is waiting out its pacing delay now (the pacing only makes room for other work). */
  flushPacing(): void {
    for (const [key, timer] of this.pacingKeys) {
      clearTimeout(timer);
      this.pacingKeys.delete(key);
      this.add(key);
    }
  }

  /** Whether any key is waiting out its pacing delay. */
  get pacing(): boolean {
    return this.pacingKeys.size > 0;
  }

  /** Re-adds after an exponential back-off for this key. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.metrics?.retried();
    this.addAfter(key, Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** n));
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  /** The next key, waiting if none; undefined once shut down. */
  async get(): Promise<string | undefined> {
    while (!this.stopped && this.length === 0) await new Promise<void>((r) => (this.waiter = r));
    return this.take();
  }

  /** The next key if one is queued now (no waiting, no promise); undefined otherwise or once shut down. */
  take(): string | undefined {
    if (this.stopped || this.length === 0) return undefined;
    const key = this.queue.shift()!;
    const state = this.keys.get(key)!;
    state.processing = true;
    this.processing++;
    if (this.metrics) {
      const now = performance.now();
      this.metrics.depth(this.length);
      this.metrics.waited((now - state.at) / 1000);
      state.at = now;
    }
    return key;
  }

  done(key: string): void {
    const state = this.keys.get(key);
    if (!state?.processing) return;
    this.processing--;
    if (this.metrics) this.metrics.worked((performance.now() - state.at) / 1000);
    if (!state.dirty || this.stopped) {
      this.keys.delete(key);
      return;
    }
    // Added while it was processed: queued again, once.
    state.processing = state.dirty = false;
    if (this.metrics) state.at = performance.now();
    this.enqueue(key);
  }

  /** Whether the key waits in the queue (not only being processed). */
  private queuedNow(key: string): boolean {
    const state = this.keys.get(key);
    return state !== undefined && !state.processing;
  }

  get length(): number {
    return this.queue.length;
  }

  /** True when nothing is queued, being processed, or waiting on a timer. */
  get idle(): boolean {
    return this.length === 0 && this.processing === 0;
  }

  shutDown(): void {
    this.stopped = true;
    for (const d of this.delayed.values()) d.cancel();
    this.delayed.clear();
    for (const t of this.pacingKeys.values()) clearTimeout(t);
    this.pacingKeys.clear();
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

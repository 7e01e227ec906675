/**
 * A de-duplicating queue of keys (client-go workqueue): a key queued while it is being processed
 * is processed again afterwards, never concurrently; failures back off exponentially.
 */
import type { CancelTimer, Clock } from '../../apimachinery/clock.js';
import type { QueueMetrics } from '../../apimachinery/metrics/workqueue.js';

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

export class WorkQueue {
  /** FIFO of queued keys: `queue[head..]` are waiting (Array.shift is O(n) on a long queue). */
  private queue: string[] = [];
  private head = 0;
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { due: number; cancel: CancelTimer }>();
  private readonly pacingKeys = new Map<string, NodeJS.Timeout>();
  /** When each queued key was queued, and when each key being processed was taken (performance.now()), for the metrics. */
  private readonly queuedAt = new Map<string, number>();
  private readonly takenAt = new Map<string, number>();
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
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    if (this.metrics) {
      this.metrics.added();
      this.metrics.depth(this.length);
      this.queuedAt.set(key, performance.now());
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
    if (this.stopped || this.pacingKeys.has(key) || this.queued.has(key)) return;
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
    const key = this.queue[this.head++];
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.queued.delete(key);
    this.processing.add(key);
    if (this.metrics) {
      const now = performance.now();
      this.metrics.depth(this.length);
      this.metrics.waited((now - (this.queuedAt.get(key) ?? now)) / 1000);
      this.queuedAt.delete(key);
      this.takenAt.set(key, now);
    }
    return key;
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.metrics) {
      const taken = this.takenAt.get(key);
      if (taken !== undefined) this.metrics.worked((performance.now() - taken) / 1000);
      this.takenAt.delete(key);
    }
    if (this.dirty.delete(key)) this.add(key);
  }

  get length(): number {
    return this.queue.length - this.head;
  }

  /** True when nothing is queued, being processed, or waiting on a timer. */
  get idle(): boolean {
    return this.length === 0 && this.processing.size === 0;
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

/**
 * client-go's work-queue metrics as kube-controller-manager exports them (k8s.io/component-base
 * metrics/prometheus/workqueue): one series per queue, labelled by the queue's name. Kept in plain
 * cells and handed to prom-client when scraped (as series.ts does for the request series): making a
 * queue's series is then a few numbers, not five prom-client children with their zeroed buckets,
 * and every controller's queue is made at each start.
 */
import { Gauge, type Registry } from 'prom-client';
import { newHistogramCell, observe, registerCounter, registerHistogram, type HistogramCell } from './series.js';

/** 1 µs to 1000 s, ten times apart (upstream's ExponentialBuckets(10e-7, 10, 10)). */
export const WORKQUEUE_DURATION_BUCKETS = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];

/** What one queue reports; times in seconds. */
export interface QueueMetrics {
  added(): void;
  depth(n: number): void;
  /** A key waited this long between being queued and being taken. */
  waited(seconds: number): void;
  /** Processing a key took this long. */
  worked(seconds: number): void;
  retried(): void;
}

interface QueueCells {
  labels: { name: string };
  depth: number;
  adds: number;
  retries: number;
  latency: HistogramCell;
  work: HistogramCell;
}

const emptyDurations = () => newHistogramCell(WORKQUEUE_DURATION_BUCKETS);

export class WorkQueueMetrics {
  /** By queue name, in the order the queues were made (the order of their series). */
  private readonly queues = new Map<string, QueueCells>();

  constructor(registry: Registry) {
    const registers = [registry];
    const queues = this.queues;
    new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: ['name'],
      registers,
      collect() {
        for (const q of queues.values()) this.set(q.labels, q.depth);
      },
    });
    const totals = (value: (q: QueueCells) => number) => () => [...queues.values()].map((q) => ({ labels: q.labels, value: value(q) }));
    registerCounter(
      registry,
      { name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: ['name'] },
      totals((q) => q.adds),
    );
    const series = (cell: (q: QueueCells) => HistogramCell) => () => [...queues.values()].map((q) => ({ labels: q.labels, cell: cell(q) }));
    registerHistogram(
      registry,
      {
        name: 'workqueue_queue_duration_seconds',
        help: 'How long in seconds an item stays in workqueue before being requested.',
        buckets: WORKQUEUE_DURATION_BUCKETS,
        leFirst: true,
      },
      series((q) => q.latency),
    );
    registerHistogram(
      registry,
      {
        name: 'workqueue_work_duration_seconds',
        help: 'How long in seconds processing an item from workqueue takes.',
        buckets: WORKQUEUE_DURATION_BUCKETS,
        leFirst: true,
      },
      series((q) => q.work),
    );
    registerCounter(
      registry,
      { name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: ['name'] },
      totals((q) => q.retries),
    );
  }

  /** The metrics of the queue called `name` (its series exist from now on, at zero, as upstream's do once a queue is made). */
  forQueue(name: string): QueueMetrics {
    // A queue made again under the same name (a replica that leads again) shares its series: its
    // depth and durations start again at zero, its counters go on.
    let cells = this.queues.get(name);
    if (cells) {
      cells.depth = 0;
      Object.assign(cells.latency, emptyDurations());
      Object.assign(cells.work, emptyDurations());
    } else {
      cells = { labels: { name }, depth: 0, adds: 0, retries: 0, latency: emptyDurations(), work: emptyDurations() };
      this.queues.set(name, cells);
    }
    return {
      added: () => cells.adds++,
      depth: (n) => (cells.depth = n),
      waited: (s) => observe(cells.latency, WORKQUEUE_DURATION_BUCKETS, s),
      worked: (s) => observe(cells.work, WORKQUEUE_DURATION_BUCKETS, s),
      retried: () => cells.retries++,
    };
  }
}

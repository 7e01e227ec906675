/**
 * client-go's work-queue metrics as kube-controller-manager exports them (k8s.io/component-base
 * metrics/prometheus/workqueue): one series per queue, labelled by the queue's name.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

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

export class WorkQueueMetrics {
  private readonly depth: Gauge<'name'>;
  private readonly adds: Counter<'name'>;
  private readonly latency: Histogram<'name'>;
  private readonly work: Histogram<'name'>;
  private readonly retries: Counter<'name'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.depth = new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: ['name'], registers });
    this.adds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames: ['name'],
      registers,
    });
    this.latency = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested.',
      labelNames: ['name'],
      buckets: WORKQUEUE_DURATION_BUCKETS,
      registers,
    });
    this.work = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes.',
      labelNames: ['name'],
      buckets: WORKQUEUE_DURATION_BUCKETS,
      registers,
    });
    this.retries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames: ['name'],
      registers,
    });
  }

  /** The metrics of the queue called `name` (its series exist from now on, at zero, as upstream's do once a queue is made). */
  forQueue(name: string): QueueMetrics {
    const labels = { name };
    const depth = this.depth.labels(labels);
    const adds = this.adds.labels(labels);
    const latency = this.latency.labels(labels);
    const work = this.work.labels(labels);
    const retries = this.retries.labels(labels);
    depth.set(0);
    adds.inc(0);
    retries.inc(0);
    this.latency.zero(labels);
    this.work.zero(labels);
    return {
      added: () => adds.inc(),
      depth: (n) => depth.set(n),
      waited: (s) => latency.observe(s),
      worked: (s) => work.observe(s),
      retried: () => retries.inc(),
    };
  }
}

/**
 * Request series kept in plain cells and handed to prom-client when scraped: a request costs a
 * key concatenation and a Map look-up, not prom-client's label hashing and validation per call
 * (which costs more than serving a GET). Counters go through prom-client's Counter at the scrape;
 * histograms are metric objects of the registry that list their buckets as prom-client's own do.
 */
import { Counter, type Metric, type Registry } from 'prom-client';

/** One histogram series: per-bucket (non-cumulative) counts, sum and count. */
export interface HistogramCell {
  counts: number[];
  sum: number;
  count: number;
}

export function newHistogramCell(buckets: readonly number[]): HistogramCell {
  return { counts: new Array<number>(buckets.length).fill(0), sum: 0, count: 0 };
}

export function observe(cell: HistogramCell, buckets: readonly number[], value: number): void {
  cell.sum += value;
  cell.count++;
  for (let i = 0; i < buckets.length; i++) {
    if (value <= buckets[i]) {
      cell.counts[i]++;
      return;
    }
  }
}

/** Registers a counter whose series are `series()`'s totals, handed to prom-client's Counter at each scrape. */
export function registerCounter(
  registry: Registry,
  def: { name: string; help: string; labelNames: readonly string[] },
  series: () => Iterable<{ labels: Record<string, string>; value: number }>,
): void {
  new Counter({
    ...def,
    registers: [registry],
    collect() {
      this.reset();
      for (const { labels, value } of series()) this.inc(labels, value);
    },
  });
}

interface SeriesValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/**
 * Registers a histogram whose series are `series()`'s cells (in prom-client's exposition: the
 * cumulative `_bucket`s with `le`, then `_sum` and `_count`).
 */
export function registerHistogram(
  registry: Registry,
  def: {
    name: string;
    help: string;
    buckets: readonly number[];
    /** Write `le` before the series' labels, as prom-client's own Histogram does (default: after). */
    leFirst?: boolean;
  },
  series: () => Iterable<{ labels: Record<string, string>; cell: HistogramCell }>,
): void {
  const { name, help, buckets } = def;
  const withLe = def.leFirst
    ? (labels: Record<string, string>, le: number | string) => ({ le, ...labels })
    : (labels: Record<string, string>, le: number | string) => ({ ...labels, le });
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    collect: undefined,
    reset() {},
    async get() {
      const values: SeriesValue[] = [];
      for (const { labels, cell } of series()) {
        let cumulative = 0;
        for (let i = 0; i < buckets.length; i++) {
          cumulative += cell.counts[i];
          values.push({ value: cumulative, labels: withLe(labels, buckets[i]), metricName: `${name}_bucket` });
        }
        values.push({ value: cell.count, labels: withLe(labels, '+Inf'), metricName: `${name}_bucket` });
        values.push({ value: cell.sum, labels, metricName: `${name}_sum` });
        values.push({ value: cell.count, labels, metricName: `${name}_count` });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    },
  };
  // prom-client's registry takes any object of a metric's shape (name, help, type, get()).
  registry.registerMetric(metric as unknown as Metric);
}

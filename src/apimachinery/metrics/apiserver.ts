/**
 * kube-apiserver's own metrics, with its names, label names, types and buckets (k8s.io/apiserver
 * pkg/endpoints/metrics and the stable-metrics list of Kubernetes 1.33), on one app's registry.
 * Kind-agnostic: what the labels hold is decided by the HTTP layer (src/http/request-metrics.ts);
 * what is counted on a scrape (stored objects, open long-running requests) is asked of callbacks.
 */
import { Gauge, type Registry } from 'prom-client';
import { newHistogramCell, observe, registerCounter, registerHistogram, type HistogramCell } from './series.js';

/** `apiserver_request_duration_seconds`'s buckets (tuned upstream for the API-call latency SLO). */
export const REQUEST_DURATION_BUCKETS = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];
/** `apiserver_response_sizes`'s buckets: 1 KB to 1 GB, ten times apart. */
export const RESPONSE_SIZE_BUCKETS = [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** The labels of one request as kube-apiserver reports it. */
export interface RequestLabels {
  verb: string;
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
}

/** An open long-running request (a watch), as the apiserver_longrunning_requests gauge groups them. */
export type LongRunningLabels = Omit<RequestLabels, 'dry_run'>;

export type RequestKind = 'readOnly' | 'mutating';

/** What the scrape-time metrics read. */
export interface ApiServerSources {
  /** Stored objects per resource, named as upstream names them (`pods`, `daemonsets.apps`). */
  storedObjects(): Iterable<[resource: string, count: number]>;
  /** The long-running requests open now. */
  longRunning(): Iterable<LongRunningLabels>;
}

/** Events sent to watchers of one group/version/kind; a watch holds its cell and bumps it per event. */
export interface WatchEventCell {
  n: number;
}

/** Upstream reports the in-flight watermark of the last second, not the instant's count. */
const WATERMARK_WINDOW_MS = 1000;

interface RequestSeries {
  labels: RequestLabels;
  /** Requests by HTTP code. */
  codes: Map<number, number>;
  duration: HistogramCell;
}

interface SizeSeries {
  labels: Omit<RequestLabels, 'dry_run'>;
  size: HistogramCell;
}

export class ApiServerMetrics {
  private readonly requests = new Map<string, RequestSeries>();
  private readonly sizes = new Map<string, SizeSeries>();
  /** The series a labels object was counted in (its own key, its requests and sizes series). */
  private readonly cellsByLabels = new WeakMap<RequestLabels, { key: string; series?: RequestSeries; sized?: SizeSeries }>();
  private readonly inflight = { readOnly: 0, mutating: 0 };
  private readonly watermark = { readOnly: 0, mutating: 0 };
  private watermarkSince = performance.now();
  private readonly watchEvents = new Map<string, { labels: { group: string; version: string; kind: string }; cell: WatchEventCell }>();

  constructor(registry: Registry, sources: ApiServerSources) {
    const registers = [registry];
    const { requests, sizes, watchEvents } = this;
    registerCounter(
      registry,
      {
        name: 'apiserver_request_total',
        help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
        labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
      },
      function* () {
        for (const { labels, codes } of requests.values())
          for (const [code, n] of codes) yield { labels: { ...labels, code: String(code) }, value: n };
      },
    );
    registerHistogram(
      registry,
      {
        name: 'apiserver_request_duration_seconds',
        help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
        buckets: REQUEST_DURATION_BUCKETS,
      },
      function* () {
        for (const { labels, duration } of requests.values()) yield { labels: { ...labels }, cell: duration };
      },
    );
    registerHistogram(
      registry,
      {
        name: 'apiserver_response_sizes',
        help: 'Response size distribution in bytes for each group, version, verb, resource, subresource, scope and component.',
        buckets: RESPONSE_SIZE_BUCKETS,
      },
      function* () {
        for (const { labels, size } of sizes.values()) yield { labels: { ...labels }, cell: size };
      },
    );
    const takeWatermark = () => this.takeWatermark();
    new Gauge({
      name: 'apiserver_current_inflight_requests',
      help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
      labelNames: ['request_kind'],
      registers,
      collect() {
        const w = takeWatermark();
        this.set({ request_kind: 'readOnly' }, w.readOnly);
        this.set({ request_kind: 'mutating' }, w.mutating);
      },
    });
    new Gauge({
      name: 'apiserver_longrunning_requests',
      help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      registers,
      collect() {
        this.reset();
        for (const labels of sources.longRunning()) this.inc(labels);
      },
    });
    new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.',
      labelNames: ['resource'],
      registers,
      collect() {
        this.reset();
        for (const [resource, count] of sources.storedObjects()) this.set({ resource }, count);
      },
    });
    registerCounter(
      registry,
      { name: 'apiserver_watch_events_total', help: 'Number of events sent in watch clients', labelNames: ['group', 'version', 'kind'] },
      function* () {
        for (const { labels, cell } of watchEvents.values()) yield { labels, value: cell.n };
      },
    );
  }

  /**
   * A request ended (its code written, or its connection gone): a key and a Map look-up, the
   * series are labelled when scraped.
   */
  observeRequest(labels: RequestLabels, code: number, seconds: number, responseBytes?: number): void {
    // A caller that passes the same labels object again (request-metrics.ts keeps one per request shape) skips the keys.
    let cells = this.cellsByLabels.get(labels);
    if (!cells) this.cellsByLabels.set(labels, (cells = { key: '' }));
    let series = cells.series;
    if (!series) {
      const { verb, dry_run, group, version, resource, subresource, scope, component } = labels;
      cells.key = `${verb} ${group} ${version} ${resource} ${subresource} ${scope} ${component}`;
      const fullKey = `${cells.key} ${dry_run}`;
      series = this.requests.get(fullKey);
      if (!series)
        this.requests.set(
          fullKey,
          (series = { labels: { ...labels }, codes: new Map(), duration: newHistogramCell(REQUEST_DURATION_BUCKETS) }),
        );
      cells.series = series;
    }
    series.codes.set(code, (series.codes.get(code) ?? 0) + 1);
    observe(series.duration, REQUEST_DURATION_BUCKETS, seconds);
    if (responseBytes === undefined) return;
    let sized = cells.sized ?? this.sizes.get(cells.key);
    if (!sized) {
      const { dry_run: _dryRun, ...sizeLabels } = labels;
      this.sizes.set(cells.key, (sized = { labels: sizeLabels, size: newHistogramCell(RESPONSE_SIZE_BUCKETS) }));
    }
    cells.sized = sized;
    observe(sized.size, RESPONSE_SIZE_BUCKETS, responseBytes);
  }

  /** A request that counts against the in-flight limits started. */
  requestStarted(kind: RequestKind): void {
    const n = ++this.inflight[kind];
    if (n > this.watermark[kind]) this.watermark[kind] = n;
  }

  requestEnded(kind: RequestKind): void {
    this.inflight[kind]--;
  }

  /** The watch-event cell of a kind: `n` is bumped per event sent, without a label look-up. */
  watchEventCell(group: string, version: string, kind: string): WatchEventCell {
    const key = `${group}/${version}/${kind}`;
    let entry = this.watchEvents.get(key);
    if (!entry) this.watchEvents.set(key, (entry = { labels: { group, version, kind }, cell: { n: 0 } }));
    return entry.cell;
  }

  /** The highest in-flight counts since the window began (at least the current ones); a new window starts every second. */
  private takeWatermark(): { readOnly: number; mutating: number } {
    const out = {
      readOnly: Math.max(this.watermark.readOnly, this.inflight.readOnly),
      mutating: Math.max(this.watermark.mutating, this.inflight.mutating),
    };
    const now = performance.now();
    if (now - this.watermarkSince >= WATERMARK_WINDOW_MS) {
      this.watermarkSince = now;
      this.watermark.readOnly = this.inflight.readOnly;
      this.watermark.mutating = this.inflight.mutating;
    }
    return out;
  }
}

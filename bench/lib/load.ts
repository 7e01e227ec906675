/**
 * One bounded load run against one loopback URL, through autocannon's programmatic API.
 * A run that got any non-2xx answer, socket error or timeout yields an error, not a figure.
 */
import { createRequire } from 'node:module';

/** The part of autocannon's options this wrapper uses (autocannon ships no type declarations). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

interface AutocannonOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  requests?: AutocannonRequest[];
  connections: number;
  duration: number;
  timeout: number;
  pipelining: number;
  maxOverallRequests?: number;
  setupClient?: (client: AutocannonClient) => void;
}

/** The one method of autocannon's per-connection client this wrapper uses. */
interface AutocannonClient {
  setRequests(requests: AutocannonRequest[]): void;
}

interface Histogram {
  average: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  total: number;
  p50: number;
  p90: number;
  p99: number;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: Histogram;
  requests: Histogram & { sent: number };
  throughput: Histogram;
}

interface AutocannonInstance {
  stop(): void;
}

type Autocannon = (opts: AutocannonOptions, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadRequest {
  path: string;
  body?: string;
}

export interface LoadOptions {
  /** Base URL of the server under test, e.g. http://127.0.0.1:40123 — loopback only. */
  baseUrl: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** One path, or several that each connection cycles through (all requests prebuilt). */
  path: string | string[];
  body?: string;
  /**
   * Requests of its own for each connection: connection i cycles through perConnection[i]
   * (method, headers and body of opts unless a request sets them). Needs as many lists as
   * connections; `path` is then only the URL of the first connection's start.
   */
  perConnection?: LoadRequest[][];
  headers?: Record<string, string>;
  /** Default 32. */
  connections?: number;
  /** Seconds, 0.1 … 120. */
  durationSeconds: number;
  /** Per-request timeout in seconds (default 10). */
  timeoutSeconds?: number;
}

export interface LoadFigures {
  /** Mean of the per-second request counts (autocannon's requests.average). */
  reqPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  /** Mean response size (headers included), bytes. */
  bytesPerResponse: number;
  completed: number;
  durationSeconds: number;
}

export interface LoadResult {
  figures?: LoadFigures;
  /** Set when the run is not a figure: non-2xx answers, socket errors, timeouts. */
  error?: string;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
const MAX_DURATION_SECONDS = 120;
/** How long past its duration a run may take before it is stopped and reported as hung. */
const GRACE_MS = 15_000;

export function assertLoopback(baseUrl: string): URL {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname))
    throw new Error(`load target must be http on a loopback address, not ${baseUrl}`);
  return url;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const base = assertLoopback(opts.baseUrl);
  const duration = opts.durationSeconds;
  if (!(duration > 0 && duration <= MAX_DURATION_SECONDS))
    throw new Error(`load duration must be in (0, ${MAX_DURATION_SECONDS}] s, got ${duration}`);
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
  const paths = Array.isArray(opts.path) ? opts.path : [opts.path];
  if (paths.length === 0) throw new Error('runLoad: no path');
  const acOpts: AutocannonOptions = {
    url: new URL(paths[0], base).href,
    method,
    headers,
    connections: opts.connections ?? 32,
    duration,
    timeout: opts.timeoutSeconds ?? 10,
    pipelining: 1,
  };
  if (opts.body !== undefined) acOpts.body = opts.body;
  if (paths.length > 1) acOpts.requests = paths.map((p) => ({ method, path: p }));
  if (opts.perConnection) {
    const lists = opts.perConnection;
    if (lists.length < acOpts.connections)
      throw new Error(`runLoad: ${lists.length} per-connection request lists for ${acOpts.connections} connections`);
    let next = 0;
    acOpts.setupClient = (client) =>
      client.setRequests(lists[next++].map((r) => ({ method, headers, path: r.path, body: r.body ?? opts.body })));
  }

  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    let settled = false;
    const instance = autocannon(acOpts, (err, res) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      if (err) reject(err);
      else resolve(res);
    });
    const guard = setTimeout(
      () => {
        if (settled) return;
        settled = true;
        instance.stop();
        reject(new Error(`load run against ${acOpts.url} did not finish within ${duration} s + ${GRACE_MS / 1000} s`));
      },
      duration * 1000 + GRACE_MS,
    );
  });

  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count;
  const out: LoadResult = { non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, statusCodes };
  const problems: string[] = [];
  if (result.non2xx > 0) {
    const codes = Object.entries(statusCodes)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, n]) => `${n}×${code}`)
      .join(', ');
    problems.push(`${result.non2xx} non-2xx (${codes})`);
  }
  if (result.errors > 0) problems.push(`${result.errors} socket errors`);
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts`);
  const completed = result['2xx'];
  if (completed === 0 && problems.length === 0) problems.push('no request completed');
  if (problems.length) {
    out.error = problems.join('; ');
    return out;
  }
  out.figures = {
    reqPerSec: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.average,
    bytesPerResponse: completed > 0 ? result.throughput.total / completed : 0,
    completed,
    durationSeconds: result.duration,
  };
  return out;
}

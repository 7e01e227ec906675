/**
 * kube-apiserver's request metrics for every request (apiserver_request_total,
 * apiserver_request_duration_seconds, apiserver_response_sizes, apiserver_current_inflight_requests),
 * labelled as k8s.io/apiserver's endpoints/metrics labels them: the verb from the HTTP method
 * (GET of a collection is LIST, `?watch` is WATCH, server-side apply is APPLY, log/exec/attach/
 * portforward/proxy are CONNECT), the scope from the URL (`resource` for one object and for a
 * create, else `namespace` or `cluster`), dry_run from `?dryRun`. A request is recorded when its
 * response ends or its connection closes, so a watch counts once, when it ends.
 *
 * Resource requests of served kinds are recorded (also those answered early: 429, injected
 * faults), except refusals of authentication and authorization, which upstream answers before its
 * instrumented handlers; of the other paths only the health checks are, as upstream instruments them.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiServerMetrics, RequestKind, RequestLabels } from '../apimachinery/metrics/apiserver.js';
import { parseQueryBool } from '../apimachinery/query-params.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The resource request the dispatcher took on (for the request metrics); null for any other. */
    apiRequestInfo: RequestInfo | null;
    /** The request's in-flight kind, counted until its response closes (null: long-running, not counted). */
    inflightKind: RequestKind | null;
  }
}

/** Verbs and subresources upstream serves as long-running requests, outside the in-flight limits. */
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);
/** Subresources upstream reports with the verb CONNECT. */
const CONNECT_SUBRESOURCES = new Set(['log', 'exec', 'portforward', 'attach', 'proxy']);
/** The health checks' labels, as upstream's instrumented health handlers report them. */
const HEALTH_LABELS = new Map<string, RequestLabels>(
  ['/healthz', '/livez', '/readyz'].map((path) => [
    path,
    { verb: 'GET', dry_run: '', group: '', version: '', resource: '', subresource: path, scope: '', component: '' },
  ]),
);
const APPLY_PATCH = 'application/apply-patch+yaml';
/** Text that must be in a URL for it to be long-running (checked before parsing it). */
const LONG_RUNNING_HINT = /watch|\/(?:log|exec|attach|portforward|proxy)(?:[/?]|$)/;

function infoOf(method: string, url: string): RequestInfo | undefined {
  const q = url.indexOf('?');
  try {
    return parseRequestInfo(method, url, q >= 0 && parseQueryBool(new URLSearchParams(url.slice(q + 1)).get('watch')));
  } catch {
    return undefined;
  }
}

function isLongRunning(info: RequestInfo): boolean {
  return info.verb === 'watch' || (info.subresource !== undefined && LONG_RUNNING_SUBRESOURCES.has(info.subresource));
}

/** The in-flight kind of a request, undefined for a long-running one (upstream's max-in-flight filter). */
function inflightKind(method: string, url: string): RequestKind | undefined {
  if (LONG_RUNNING_HINT.test(url)) {
    const info = infoOf(method, url);
    if (info && isLongRunning(info)) return undefined;
  }
  return method === 'GET' || method === 'HEAD' ? 'readOnly' : 'mutating';
}

/** CleanScope: one object (or a create) is `resource`, else the namespace's or the cluster's collection. */
function scopeOf(info: RequestInfo): string {
  if (info.name !== undefined || info.verb === 'create') return 'resource';
  return info.namespace !== undefined ? 'namespace' : 'cluster';
}

function reportedVerb(method: string, info: RequestInfo, scope: string, contentType: string | undefined): string {
  if (info.verb === 'watch') return 'WATCH';
  if (info.subresource !== undefined && CONNECT_SUBRESOURCES.has(info.subresource)) return 'CONNECT';
  switch (method) {
    case 'GET':
    case 'HEAD':
      return scope === 'resource' ? 'GET' : 'LIST';
    case 'PATCH':
      return contentType === APPLY_PATCH ? 'APPLY' : 'PATCH';
    case 'POST':
    case 'PUT':
    case 'DELETE':
      return method;
    default:
      return 'other';
  }
}

/** cleanDryRun: '' without `dryRun`, `All` when every value is All, else `invalid`. */
function dryRunOf(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || !url.includes('dryRun', q)) return '';
  const values = new URLSearchParams(url.slice(q + 1)).getAll('dryRun');
  if (values.some((v) => v !== 'All')) return 'invalid';
  return values.length ? 'All' : '';
}

export interface RequestMetricsOptions {
  /** Whether the URL names a served kind (requests for other paths are not recorded). */
  served(info: RequestInfo): boolean;
}

/** Labels by request shape: one object per series, so the metrics find its cells without building keys. */
const labelCache = new Map<string, RequestLabels>();
const LABEL_CACHE_LIMIT = 10_000;

function labelsOf(method: string, info: RequestInfo, contentType: string | undefined, dryRun: string): RequestLabels {
  const apply = method === 'PATCH' && contentType === APPLY_PATCH;
  const shape = `${method} ${info.verb} ${info.group} ${info.version} ${info.resource} ${info.subresource ?? ''} ${info.name !== undefined} ${info.namespace !== undefined} ${apply} ${dryRun}`;
  let labels = labelCache.get(shape);
  if (!labels) {
    labels = { ...longRunningLabels(method, info, contentType), dry_run: dryRun };
    if (labelCache.size >= LABEL_CACHE_LIMIT) labelCache.clear();
    labelCache.set(shape, labels);
  }
  return labels;
}

export function registerRequestMetrics(fastify: FastifyInstance, metrics: ApiServerMetrics, opts: RequestMetricsOptions): void {
  fastify.decorateRequest('apiRequestInfo', null);
  fastify.decorateRequest('inflightKind', null);

  const record = (request: FastifyRequest, reply: FastifyReply): void => {
    const code = reply.raw.statusCode;
    const seconds = reply.elapsedTime / 1000;
    let info = request.apiRequestInfo;
    if (!info) {
      const q = request.url.indexOf('?');
      const path = q >= 0 ? request.url.slice(0, q) : request.url;
      const health = HEALTH_LABELS.get(path);
      if (health) return metrics.observeRequest(health, code, seconds);
      if (code === 401 || code === 403 || !(path.startsWith('/api/') || path.startsWith('/apis/'))) return;
      info = infoOf(request.method, request.url) ?? null;
      if (!info || !opts.served(info)) return;
    }
    const labels = labelsOf(request.method, info, request.headers['content-type'], dryRunOf(request.url));
    // Only reads' response sizes are of interest upstream.
    let size: number | undefined;
    if (info.verb === 'get' || info.verb === 'list') {
      const length = Number(reply.getHeader('content-length') ?? reply.raw.getHeader('content-length'));
      if (Number.isFinite(length) && length >= 0) size = length;
    }
    metrics.observeRequest(labels, code, seconds, size);
  };

  // `close` comes once per response, ended or cut off. One listener function for every response
  // (no closure, no `once` wrapper per request): it finds its reply on the response.
  function onClose(this: ServerResponse): void {
    const reply = (this as TrackedResponse)[TRACKED];
    if (!reply) return;
    const kind = reply.request.inflightKind;
    if (kind) metrics.requestEnded(kind);
    record(reply.request, reply);
  }

  // A callback hook: no promise per request.
  fastify.addHook('onRequest', (request, reply, done) => {
    const kind = inflightKind(request.method, request.url);
    if (kind) {
      metrics.requestStarted(kind);
      request.inflightKind = kind;
    }
    (reply.raw as TrackedResponse)[TRACKED] = reply;
    reply.raw.on('close', onClose);
    done();
  });
}

/** Where a response holds its Fastify reply for the shared `close` listener. */
const TRACKED = Symbol('kubemock.requestMetrics.reply');
type TrackedResponse = ServerResponse & { [TRACKED]?: FastifyReply };

/** A request's labels but dry_run: an open watch's for apiserver_longrunning_requests. */
export function longRunningLabels(method: string, info: RequestInfo, contentType?: string) {
  const scope = scopeOf(info);
  return {
    verb: reportedVerb(method, info, scope, contentType),
    group: info.group,
    version: info.version,
    resource: info.resource,
    subresource: info.subresource ?? '',
    scope,
    component: 'apiserver',
  };
}

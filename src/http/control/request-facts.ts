/**
 * What the control API knows of an API request, read once per request: the resource URL as
 * kube-apiserver reads it, the user agent and the field manager. Shared by faults and the journal.
 */
import type { FastifyRequest } from 'fastify';
import { parseRequestInfo, type RequestInfo } from '../request-info.js';

/** The reserved path prefix of the control API; no Kubernetes path starts with it. */
export const CONTROL_PREFIX = '/kubemock/';

export interface RequestFacts {
  method: string;
  /** The path, without the query string. */
  path: string;
  query: string;
  /** Set for resource URLs (`/api/v1/…`, `/apis/…`). */
  info?: RequestInfo;
  /** The resource verb, or for other paths the lowercase method (as kube-apiserver's non-resource verbs). */
  verb: string;
  userAgent?: string;
  /** `?fieldManager=`, else for writes the user agent up to its first `/`, as kube-apiserver defaults it. */
  fieldManager?: string;
}

const WRITE_VERBS = new Set(['create', 'update', 'patch']);
const cache = new WeakMap<FastifyRequest, RequestFacts>();

export function isControlRequest(request: FastifyRequest): boolean {
  return request.url.startsWith(CONTROL_PREFIX);
}

export function requestFacts(request: FastifyRequest): RequestFacts {
  let facts = cache.get(request);
  if (facts) return facts;
  const url = request.url;
  const q = url.indexOf('?');
  const query = (request.query ?? {}) as Record<string, unknown>;
  const watchParam = query.watch === 'true' || query.watch === '1';
  const info = parseRequestInfo(request.method, url, watchParam);
  const userAgent = request.headers['user-agent'];
  facts = {
    method: request.method,
    path: q >= 0 ? url.slice(0, q) : url,
    query: q >= 0 ? url.slice(q + 1) : '',
    verb: info?.verb ?? request.method.toLowerCase(),
    userAgent,
  };
  if (info) facts.info = info;
  const manager = typeof query.fieldManager === 'string' && query.fieldManager !== '' ? query.fieldManager : undefined;
  if (manager) facts.fieldManager = manager;
  else if (info && WRITE_VERBS.has(info.verb) && userAgent) facts.fieldManager = userAgent.split('/')[0];
  cache.set(request, facts);
  return facts;
}

/** `pods`, or `pods/status` for a subresource. */
export function resourcePath(info: RequestInfo | undefined): string | undefined {
  if (!info) return undefined;
  return info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
}

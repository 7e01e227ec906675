/**
 * What the control API knows of an API request: the resource URL as kube-apiserver reads it, the
 * user agent and the field manager. Shared by faults (per request, only while rules exist) and
 * the journal (when it is read, not when requests are recorded).
 */
import type { FastifyRequest } from 'fastify';
import { parseRequestInfo, type RequestInfo } from '../request-info.js';
import { parseQueryBool } from '../../apimachinery/query-params.js';
import { CONTROL_PREFIX } from './control-prefix.js';

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

export function isControlRequest(request: FastifyRequest): boolean {
  return request.url.startsWith(CONTROL_PREFIX);
}

/** The facts of a request as it arrived (method, URL with query, User-Agent). */
export function factsOf(method: string, url: string, userAgent: string | undefined): RequestFacts {
  const q = url.indexOf('?');
  const query = q >= 0 ? url.slice(q + 1) : '';
  const params = new URLSearchParams(query);
  const info = parseRequestInfo(method, url, parseQueryBool(params.get('watch')));
  const facts: RequestFacts = { method, path: q >= 0 ? url.slice(0, q) : url, query, verb: info?.verb ?? method.toLowerCase(), userAgent };
  if (info) facts.info = info;
  const manager = params.get('fieldManager');
  if (manager) facts.fieldManager = manager;
  else if (info && WRITE_VERBS.has(info.verb) && userAgent) facts.fieldManager = userAgent.split('/')[0];
  return facts;
}

export function requestFacts(request: FastifyRequest): RequestFacts {
  return factsOf(request.method, request.url, request.headers['user-agent']);
}

/** `pods`, or `pods/status` for a subresource. */
export function resourcePath(info: RequestInfo | undefined): string | undefined {
  if (!info) return undefined;
  return info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
}

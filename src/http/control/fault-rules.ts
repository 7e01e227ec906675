/**
 * Fault rules as data: which requests they match, what they do, how often. Parsing and checking
 * of the JSON a test posts to /kubemock/v1/faults; the injector (faults.ts) applies them.
 */
import { badRequest } from '../../apimachinery/status.js';
import type { RequestFacts } from './request-facts.js';
import { resourcePath } from './request-facts.js';

export type FaultAction = 'error' | 'latency' | 'cut-watch';

/** The answers an error rule may give; each becomes a Kubernetes Status. */
export const FAULT_STATUS_CODES = [400, 403, 404, 409, 410, 422, 429, 500, 502, 503, 504] as const;

export interface FaultMatch {
  /** Kubernetes verbs (get, list, watch, create, update, patch, delete, deletecollection). */
  verb?: string[];
  /** Plural resource, `pods/status` for a subresource; `*` or absent for any. */
  resource?: string;
  /** API group ('' is the core group). */
  group?: string;
  namespace?: string;
  name?: string;
  fieldManager?: string;
  /** A substring of the User-Agent header. */
  userAgent?: string;
}

export interface FaultSpec extends FaultMatch {
  action: FaultAction;
  /** error: the HTTP code, answered as a Kubernetes Status. */
  status?: number;
  message?: string;
  /** 429 and 503: the Retry-After header and details.retryAfterSeconds. */
  retryAfterSeconds?: number;
  /** latency: added before the request is handled (wall-clock time). */
  latencyMs?: number;
  /** cut-watch: how long the stream runs before it is cut (wall-clock time). */
  afterMs?: number;
  /** cut-watch: reset the connection instead of ending the stream cleanly. */
  abrupt?: boolean;
  /** Fire this many times, then the rule is spent and removed (absent: until deleted). */
  count?: number;
  /** Fire on a matching request with this probability (default 1). */
  probability?: number;
  /** Seed of the rule's random numbers, for reproducible probabilistic faults. */
  seed?: number;
}

const MATCH_STRINGS = ['resource', 'group', 'namespace', 'name', 'fieldManager', 'userAgent'] as const;
const KNOWN = new Set<string>([
  ...MATCH_STRINGS,
  'verb',
  'action',
  'status',
  'message',
  'retryAfterSeconds',
  'latencyMs',
  'afterMs',
  'abrupt',
  'count',
  'probability',
  'seed',
]);

function num(body: Record<string, unknown>, key: string, min: number, max: number, integer: boolean): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw badRequest(`fault: ${key} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return v;
}

/** Checks and normalises a posted rule; throws a 400 Status on a bad one. */
export function parseFaultSpec(body: unknown): FaultSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('fault: expected a JSON object');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !KNOWN.has(k));
  if (unknown.length) throw badRequest(`fault: unknown field(s) ${unknown.join(', ')}`);
  const status = num(b, 'status', 400, 599, true);
  const latencyMs = num(b, 'latencyMs', 0, 600_000, true);
  const inferred: FaultAction | undefined = status !== undefined ? 'error' : latencyMs !== undefined ? 'latency' : undefined;
  const action = (b.action ?? inferred) as FaultAction | undefined;
  if (action !== 'error' && action !== 'latency' && action !== 'cut-watch') {
    throw badRequest('fault: action must be error, latency or cut-watch (or give status or latencyMs)');
  }
  const spec: FaultSpec = { action };
  for (const key of MATCH_STRINGS) {
    const v = b[key];
    if (v === undefined || v === '*') continue;
    if (typeof v !== 'string') throw badRequest(`fault: ${key} must be a string`);
    spec[key] = v;
  }
  if (b.verb !== undefined && b.verb !== '*') {
    const verbs = typeof b.verb === 'string' ? b.verb.split(',') : b.verb;
    if (!Array.isArray(verbs) || verbs.some((v) => typeof v !== 'string' || v === ''))
      throw badRequest('fault: verb must be a string or a list of strings');
    spec.verb = verbs.map((v: string) => v.trim().toLowerCase());
  }
  if (action === 'error') {
    if (status === undefined || !(FAULT_STATUS_CODES as readonly number[]).includes(status)) {
      throw badRequest(`fault: an error rule needs status, one of ${FAULT_STATUS_CODES.join(', ')}`);
    }
    spec.status = status;
  }
  if (action === 'latency') {
    if (latencyMs === undefined) throw badRequest('fault: a latency rule needs latencyMs');
    spec.latencyMs = latencyMs;
  }
  if (action === 'cut-watch') {
    if (spec.verb && spec.verb.some((v) => v !== 'watch')) throw badRequest('fault: a cut-watch rule matches watch requests only');
    spec.verb = ['watch'];
    spec.afterMs = num(b, 'afterMs', 0, 86_400_000, true) ?? 0;
    if (b.abrupt !== undefined && typeof b.abrupt !== 'boolean') throw badRequest('fault: abrupt must be a boolean');
    if (b.abrupt) spec.abrupt = true;
  }
  if (typeof b.message === 'string') spec.message = b.message;
  const retry = num(b, 'retryAfterSeconds', 0, 86_400, true);
  if (retry !== undefined) spec.retryAfterSeconds = retry;
  const count = num(b, 'count', 1, Number.MAX_SAFE_INTEGER, true);
  if (count !== undefined) spec.count = count;
  const probability = num(b, 'probability', 0, 1, false);
  if (probability !== undefined) spec.probability = probability;
  const seed = num(b, 'seed', 0, 2 ** 32 - 1, true);
  if (seed !== undefined) spec.seed = seed;
  return spec;
}

/** Whether a rule's match fields select this request (only resource requests are ever matched). */
export function matches(m: FaultMatch, facts: Pick<RequestFacts, 'info' | 'fieldManager' | 'userAgent'>): boolean {
  const info = facts.info;
  if (!info) return false;
  if (m.verb && !m.verb.includes(info.verb)) return false;
  if (m.resource !== undefined && m.resource !== resourcePath(info)) return false;
  if (m.group !== undefined && m.group !== info.group) return false;
  if (m.namespace !== undefined && m.namespace !== (info.namespace ?? '')) return false;
  if (m.name !== undefined && m.name !== (info.name ?? '')) return false;
  if (m.fieldManager !== undefined && m.fieldManager !== facts.fieldManager) return false;
  if (m.userAgent !== undefined && !(facts.userAgent ?? '').includes(m.userAgent)) return false;
  return true;
}

/** mulberry32: small, fast, good enough to decide whether a fault fires. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

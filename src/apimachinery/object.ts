/** The kind-agnostic shape of every stored object: TypeMeta + ObjectMeta + the rest. */
import type { OwnerReference } from './schemas/meta.js';

export type { OwnerReference };

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [extra: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/**
 * A kind's schema-derived type as the store hands it out: the schema leaves metadata optional (a
 * client may send none), but every stored object has it; `Present` names further top-level fields
 * the kind's defaulting or validation guarantees on every stored object (a Pod's spec).
 */
export type Stored<T extends { metadata?: object }, Present extends keyof T = never> = T & {
  metadata: NonNullable<T['metadata']>;
} & { [K in Present]-?: NonNullable<T[K]> };

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  return deepEqualObjects(a, b as object);
}

/**
 * deepEqual of two JSON objects (no inherited keys), the key `skip` left out: the same defined keys,
 * each with an equal value; no key arrays or copies are made.
 */
export function deepEqualObjects(a: object, b: object, skip?: string): boolean {
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let defined = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined || k === skip) continue;
    if (!deepEqual(v, bo[k])) return false;
    defined++;
  }
  for (const k in bo) if (bo[k] !== undefined && k !== skip) defined--;
  return defined === 0;
}

/** Whether a value is a map (a plain object) without keys; no key array is made. */
export function isEmptyMap(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  for (const key in v) if (Object.prototype.hasOwnProperty.call(v, key)) return false;
  return true;
}

/** An empty list or an empty map. */
export const isEmptyContainer = (v: unknown): boolean => (Array.isArray(v) ? v.length === 0 : isEmptyMap(v));

/**
 * A copy of a JSON value (an API object, a patch), equal to what a trip through JSON gives (keys
 * whose value is undefined or a function dropped, such items null, non-finite numbers null, -0 as
 * 0) but made by walking it: several times cheaper than the trip, and than structuredClone. A
 * value that is not plain JSON (a Date, anything with toJSON, a class instance) is copied through JSON.
 */
export function deepClone<T>(v: T): T {
  return copyJson(v) as T;
}

function copyJson(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v + 0 : null;
    case 'object':
      break;
    case 'bigint':
      return JSON.parse(JSON.stringify(v)) as unknown; // throws, as the trip does
    default:
      return undefined; // undefined, a function, a symbol: left out of an object, null in a list
  }
  if (v === null) return null;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyJson(v[i]) ?? null;
    return out;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function')
    return JSON.parse(JSON.stringify(v)) as unknown;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const c = copyJson((v as Record<string, unknown>)[key]);
    if (c === undefined) continue;
    // JSON.parse makes `__proto__` an own key, where an assignment would set the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: c, enumerable: true, writable: true, configurable: true });
    else out[key] = c;
  }
  return out;
}

/** Milliseconds of an RFC 3339 time (Time or MicroTime); undefined when absent, empty or unreadable (a zero time). */
export function parseRfc3339(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** metav1.MicroTime: RFC 3339 UTC with six fractional digits (`2025-01-01T00:00:00.000000Z`). */
export function rfc3339Micro(ms: number): string {
  // toISOString always ends in milliseconds and Z: three more zeros make microseconds.
  return `${new Date(ms).toISOString().slice(0, -1)}000Z`;
}

/** The second rfc3339 formatted last, and its text (a burst of writes stamps the same second many times). */
let lastSecond = NaN;
let lastText = '';

/** RFC 3339 UTC with second precision, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}

/**
 * A JSON value as the CEL value a rule sees (upstream's UnstructuredToVal): integers as CEL ints
 * (bigint) where the schema says integer or does not say, numbers as doubles, formatted strings
 * as timestamps, durations or bytes, objects as maps of
 * their declared fields under their escaped names (an open object also shows the others), maps
 * and lists element by element.
 */
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { isPlainObject } from '../object.js';
import { DYN, type CelSchemaType } from './types.js';

const env = celEnv();
const asTimestamp = plan(env, parse('timestamp(v)'));
const asDuration = plan(env, parse('duration(v)'));

/** A formatted string as CEL's timestamp, duration or bytes; the string itself when it does not parse. */
function formatted(v: string, kind: 'timestamp' | 'duration' | 'bytes', date: boolean): unknown {
  if (kind === 'bytes') return /^[A-Za-z0-9+/]*={0,2}$/.test(v) ? new Uint8Array(Buffer.from(v, 'base64')) : v;
  const r = kind === 'duration' ? asDuration({ v }) : asTimestamp({ v: date && /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v });
  return isCelError(r) ? v : r;
}

/**
 * The lists and maps toCel made: upstream's unstructured lists and maps, which (unlike a list or
 * map a rule builds) have no zero value (optional.ofNonZeroValue of an empty one has a value).
 */
const unstructured = new WeakSet<object>();

/** Whether `v` is a list or map toCel made (the array or Map itself). */
export const isUnstructured = (v: unknown): boolean => typeof v === 'object' && v !== null && unstructured.has(v);

/** The CEL input for `v` typed by `t` (null stays null; a JSON value never holds undefined). */
export function toCel(v: unknown, t: CelSchemaType): unknown {
  const out = convert(v, t);
  if (typeof out === 'object' && out !== null && (Array.isArray(out) || out instanceof Map)) unstructured.add(out);
  return out;
}

function convert(v: unknown, t: CelSchemaType): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (t.kind === 'double') return v;
    return Number.isInteger(v) ? BigInt(v) : v;
  }
  if (typeof v === 'string' && (t.kind === 'timestamp' || t.kind === 'duration' || t.kind === 'bytes')) {
    return formatted(v, t.kind, t.kind === 'timestamp');
  }
  if (Array.isArray(v)) return v.map((item) => toCel(item, t.kind === 'list' ? t.elem : DYN));
  if (isPlainObject(v)) {
    const out = new Map<string, unknown>();
    if (t.kind === 'object') {
      for (const [escaped, field] of t.fields) {
        if (Object.hasOwn(v, field.name)) out.set(escaped, toCel(v[field.name], field.type));
      }
      if (t.open) {
        const declared = new Set([...t.fields.values()].map((f) => f.name));
        for (const [k, value] of Object.entries(v)) if (!declared.has(k)) out.set(k, toCel(value, DYN));
      }
      return out;
    }
    const valueType = t.kind === 'map' ? t.value : DYN;
    for (const [k, value] of Object.entries(v)) out.set(k, toCel(value, valueType));
    return out;
  }
  return v;
}

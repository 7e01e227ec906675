/**
 * A JSON value as the CEL value a rule sees (upstream's UnstructuredToVal): integers as CEL ints
 * (bigint) where the schema says integer or does not say, numbers as doubles, formatted strings
 * as timestamps, durations or bytes (read as upstream reads them), objects as maps of
 * their declared fields under their escaped names (and the other keys as they are), maps
 * and lists element by element.
 */
import { isPlainObject } from '../object.js';
import { goBase64Error } from '../go-base64.js';
import { DYN, type CelSchemaType } from './types.js';
import { parseStrfmtDate, parseStrfmtDateTime, parseStrfmtDuration, type Instant, type StrfmtResult } from './strfmt.js';
import { durationOf, timestampAt } from './timestamp-offsets.js';

/**
 * The error value of a formatted string upstream's reader refuses: @bufbuild/cel raises it where a
 * rule reads the field ("Unsupported input Error: <text>", which runtime-errors.ts words as cel-go).
 */
const unreadable = (message: string): Error => new Error(message);

function timestamp(read: StrfmtResult<Instant>, what: string, v: string): unknown {
  if (read.error !== undefined) return unreadable(`Invalid ${what} formatted string ${v}: ${read.error}`);
  try {
    return timestampAt(read.value.unixSeconds, read.value.nanos, read.value.offset);
  } catch (e) {
    return unreadable((e as Error).message);
  }
}

/**
 * A formatted string as upstream's UnstructuredToVal reads it (strfmt.ts): a duration, a date or
 * date-time as a timestamp, a byte string as bytes; one it refuses is an error the rule meets
 * when it reads the field ("Invalid duration 1x: unable to parse 1x as duration").
 */
function formatted(v: string, kind: 'timestamp' | 'duration' | 'bytes', format: 'date' | 'date-time' | undefined): unknown {
  switch (kind) {
    case 'bytes': {
      const error = goBase64Error(v);
      return error ? unreadable(`Invalid byte formatted string ${v}: ${error}`) : new Uint8Array(Buffer.from(v, 'base64'));
    }
    case 'duration': {
      const read = parseStrfmtDuration(v);
      return read.error === undefined ? durationOf(read.value) : unreadable(`Invalid duration ${v}: ${read.error}`);
    }
    default:
      return format === 'date' ? timestamp(parseStrfmtDate(v), 'date', v) : timestamp(parseStrfmtDateTime(v), 'date-time', v);
  }
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
    return formatted(v, t.kind, t.kind === 'timestamp' ? t.format : undefined);
  }
  if (Array.isArray(v)) return v.map((item) => toCel(item, t.kind === 'list' ? t.elem : DYN));
  if (isPlainObject(v)) {
    const out = new Map<string, unknown>();
    if (t.kind === 'object') {
      for (const [escaped, field] of t.fields) {
        // a null field (a nullable one) is absent to a rule, as upstream's unstructuredMap.Find has it
        if (Object.hasOwn(v, field.name) && v[field.name] !== null) out.set(escaped, toCel(v[field.name], field.type));
      }
      // the keys no field declares (preserved unknown fields, a property CEL does not see, metadata's
      // other fields) no rule can select, but they count in equality and size as in upstream's unstructuredMap
      const declared = new Set([...t.fields.values()].map((f) => f.name));
      for (const [k, value] of Object.entries(v)) if (!declared.has(k)) out.set(k, toCel(value, DYN));
      return out;
    }
    const valueType = t.kind === 'map' ? t.value : DYN;
    for (const [k, value] of Object.entries(v)) out.set(k, toCel(value, valueType));
    return out;
  }
  return v;
}

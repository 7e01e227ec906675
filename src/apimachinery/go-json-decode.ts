/**
 * encoding/json's Unmarshal of a JSON text into a described Go type, for the alpha annotations that
 * hold JSON (a node's taints and preferAvoidPods, a pod's tolerations): object keys are matched to
 * fields without regard to case, unknown keys and nulls are skipped, and a value of the wrong kind
 * is encoding/json's UnmarshalTypeError, worded as it words it.
 */
import { JsonSyntaxError, parseGoJson } from './json-scan.js';
import { parseGoTime } from './go-time.js';
import { jsonKind } from './prune.js';

/** A field's Go type: a string kind, a bool, an int64, a metav1.Time, or a nested struct. */
export type GoField = { kind: 'string' | 'bool' | 'int64' | 'time'; goType: string } | { kind: 'struct'; struct: GoStruct };

export interface GoStruct {
  /** The type's name in an error (v1.OwnerReference); `name` is its bare name (OwnerReference). */
  goType: string;
  name: string;
  fields: Record<string, GoField>;
  /** Each field's JSON name by its lower-case form. */
  byLowerCase: Map<string, string>;
}

export function goStruct(goType: string, name: string, fields: Record<string, GoField>): GoStruct {
  return { goType, name, fields, byLowerCase: new Map(Object.keys(fields).map((f) => [f.toLowerCase(), f])) };
}

/** A string field (of a named string type when `goType` says so). */
export const goString = (goType = 'string'): GoField => ({ kind: 'string', goType });

/** Where a value sits for encoding/json: the innermost struct's name and the JSON field names to it. */
export interface GoFieldPath {
  struct: string;
  fields: string[];
}

/** An error of the decoding (encoding/json's UnmarshalTypeError, or a Time's parse error). */
export class GoDecodeError extends Error {}

/** encoding/json's UnmarshalTypeError; `what` is the JSON value's kind, or `number 1.5`. */
function mismatch(what: string, goType: string, at: GoFieldPath | undefined): GoDecodeError {
  const where = at ? `Go struct field ${at.struct}.${at.fields.join('.')}` : 'Go value';
  return new GoDecodeError(`json: cannot unmarshal ${what} into ${where} of type ${goType}`);
}

/** A value that is not the Go type at `at` (undefined: the top-level value). */
export const goMismatch = (value: unknown, goType: string, at?: GoFieldPath): GoDecodeError => mismatch(jsonKind(value), goType, at);

/** One field's value as Go stores it (a Time is parsed as metav1.Time does; an int64 must be a whole number). */
function decodeField(type: GoField, value: unknown, at: GoFieldPath): unknown {
  if (type.kind === 'struct') return decodeGoStruct(type.struct, value, at);
  if (type.kind === 'bool') {
    if (typeof value !== 'boolean') throw goMismatch(value, type.goType, at);
    return value;
  }
  if (type.kind === 'int64') {
    if (typeof value !== 'number') throw goMismatch(value, type.goType, at);
    // JSON.parse has already normalised the number's text, so `1.0` reads as an integer here.
    if (!Number.isSafeInteger(value)) throw mismatch(`number ${String(value)}`, type.goType, at);
    return value;
  }
  if (typeof value !== 'string') throw goMismatch(value, type.goType, at);
  if (type.kind === 'time') {
    const parsed = parseGoTime(value, 'Time');
    if (parsed.error !== undefined) throw new GoDecodeError(parsed.error);
  }
  return value;
}

/** A JSON object as the struct `s` (null is the zero struct); `at` is where it sits (undefined: the top-level value or a list item there). */
export function decodeGoStruct(s: GoStruct, value: unknown, at?: GoFieldPath): Record<string, unknown> {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw goMismatch(value, s.goType, at);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const name = s.byLowerCase.get(key.toLowerCase());
    if (name === undefined || v === null) continue;
    out[name] = decodeField(s.fields[name], v, { struct: s.name, fields: [...(at?.fields ?? []), name] });
  }
  return out;
}

/** A JSON array as a slice of `s` (null is an empty one); `at` is where the slice sits (undefined: the top-level value). */
export function decodeGoList(s: GoStruct, value: unknown, at?: GoFieldPath): Record<string, unknown>[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw goMismatch(value, `[]${s.goType}`, at);
  return value.map((item) => decodeGoStruct(s, item, at));
}

/** encoding/json's Unmarshal of `text` with `decode`, or its error's text. */
export function unmarshalGo<T>(text: string, decode: (parsed: unknown) => T): { value: T } | { error: string } {
  try {
    return { value: decode(parseGoJson(Buffer.from(text, 'utf8'))) };
  } catch (e) {
    if (e instanceof JsonSyntaxError || e instanceof GoDecodeError) return { error: e.message };
    throw e;
  }
}

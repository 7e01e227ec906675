/**
 * Small helpers for walking plain JSON objects the way Go sees their typed counterparts: an absent
 * key, `null` and the zero value all mean "unset" for value fields, and bad values print like Go's
 * field.Error does.
 */
import type { BadValue } from './field-errors.js';
import { goQuote } from './go-quote.js';
import { isPlainObject, type KubeObject } from './object.js';

export type Obj = Record<string, unknown>;

export const isObj: (v: unknown) => v is Obj = isPlainObject;

/** The object at `v`, or undefined when it is absent or not an object. */
export function asObj(v: unknown): Obj | undefined {
  return isObj(v) ? v : undefined;
}

/** The object at `o[key]`, created (as `{}`) when absent or null. */
export function ensureObj(o: Obj, key: string): Obj {
  const cur = o[key];
  if (isObj(cur)) return cur;
  const fresh: Obj = {};
  o[key] = fresh;
  return fresh;
}

/** An object's spec as a plain object: `{}` when absent or not an object. */
export function specObj(o: KubeObject): Obj {
  return asObj((o as Obj).spec) ?? {};
}

/** The array at `v`, or [] when it is absent or not an array. */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The elements of an array as objects, keeping indexes (non-objects read as `{}`). */
export function objList(v: unknown): Obj[] {
  return list(v).map((e) => (isObj(e) ? e : {}));
}

/** A string field: '' when absent, null or not a string. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A number field: undefined when absent or null. */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** A non-pointer Go value is unset when absent, null or its zero value "". */
export function unsetString(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** A pointer Go value is unset when absent or null. */
export function unsetPtr(v: unknown): boolean {
  return v === undefined || v === null;
}

/** A string-to-string map field (labels, nodeSelector). */
export function strMap(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = typeof val === 'string' ? val : String(val ?? '');
  return out;
}

/**
 * How field.Error prints a nil bad value: the value becomes the *string* "null", which is then
 * quoted like any string.
 */
export const GO_NULL: BadValue = { go: '"null"' };

/**
 * An intstr.IntOrString bad value. Its String() has a pointer receiver, which a field error never
 * calls (it follows a pointer to the struct first), so it prints with %#v:
 * `intstr.IntOrString{Type:1, IntVal:0, StrVal:"20%"}` (Type 0 and IntVal for a number).
 */
export function goIntOrString(v: unknown): BadValue {
  if (v === undefined || v === null) return GO_NULL;
  if (typeof v === 'string') return { go: `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}` };
  return { go: `intstr.IntOrString{Type:0, IntVal:${String(v)}, StrVal:""}` };
}

/** Drops what Go cannot tell from "unset" in non-pointer fields: null, "", empty lists and maps. */
export function normalize(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(normalize);
    return items.length === 0 ? undefined : items.map((i) => (i === undefined ? {} : i));
  }
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, val] of Object.entries(v)) {
      const n = normalize(val);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (v === null || v === '') return undefined;
  return v;
}

/** apiequality.Semantic.DeepEqual, approximated on JSON (nil and empty slices/maps compare equal). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return jsonEqual(normalize(a), normalize(b));
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const ak = Object.keys(a);
    if (ak.length !== Object.keys(b).length) return false;
    return ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Pruning an object against its schema, as decoding into kube-apiserver's typed structs does:
 * unknown fields are dropped (and reported with their paths), open values (preserve-unknown,
 * RawExtension) and map values are kept, `null` fields disappear (a null map value or list item
 * becomes the zero value of its type; a custom resource keeps the nulls its schema allows), and the fields come out in schema (= Go struct) order.
 * A value of the wrong JSON type, or a []byte value that is not base64, is reported the way encoding/json words it;
 * a Time or MicroTime is parsed as Go parses it and kept as the apiserver prints it again (go-time.ts),
 * a quantity is checked as resource.Quantity reads it (go-quantity.ts) and kept in its canonical text.
 * A number is judged by its text where JSON.parse lost it (json-numbers.ts): `80.0` or `1e2` is no
 * int, `1e999999` no float64, and the errors quote the token as written.
 * Duplicate fields can only be seen in the raw text: see json-scan.ts.
 */
import type { TSchema } from '@sinclair/typebox';
import { isPlainObject } from './object.js';
import { X } from './schemas/extensions.js';
import {
  isIntOrString,
  itemsOf,
  mapValueOf,
  propertyNames,
  propertyOf,
  scalarType,
  shapeOf,
  structName,
  timeLayoutOf,
} from './schema-walk.js';

import { MAX_STRICT_ERRORS, type FieldQuote } from './json-scan.js';
import { goQuote } from './go-quote.js';
import { goBase64Error } from './go-base64.js';
import { parseGoTime, type TimeLayout } from './go-time.js';
import { goZerosOf, zeroCopy } from './go-zeros.js';
import { readGoQuantity } from './go-quantity.js';
import { quantityString } from './quantity-string.js';
import { numberPointer, tokenFitsInt, tokenOverflowsFloat, type NumberTokens } from './json-numbers.js';

export { parseGoJson, scanJson, JsonSyntaxError } from './json-scan.js';

/** One step of a path: a field (or map key), or a list item with the list's schema. */
export type PathSegment = string | { index: number; item: unknown; list: TSchema };

export interface PruneResult {
  value: unknown;
  /** Paths of the dropped unknown fields, in document order. */
  unknown: PathSegment[][];
  /** The first type mismatch, worded as Go's json decoder words it. */
  typeError?: string;
  /**
   * The first error of a type that decodes itself (metav1.Time and MicroTime, resource.Quantity,
   * IntOrString): Go's decoder stops at it, so it is the decoding's error even after a type
   * mismatch; structured-merge-diff sees only a string or number there and does not report it.
   */
  unmarshalError?: string;
}

/** The error decoding `result`'s value into the Go type would give: a self-decoding type's first, as Go stops there. */
export function decodeError(result: PruneResult): string | undefined {
  return result.unmarshalError ?? result.typeError;
}

/** `spec.template.spec.containers[0].imagee`: the path format of strict decoding errors. */
export function strictPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'string') out += out ? `.${seg}` : seg;
    else out += `[${seg.index}]`;
  }
  return out;
}

/** A key JS objects list first, out of insertion order (an array index: `0`, `17`, …). */
const isIndexLikeKey = (key: string) => /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1;

/**
 * Whether `value`'s key order (Object.keys) is its text's order along these paths: false when a
 * field on them is named like an array index, which JS objects move to the front.
 */
export function pathsKeepTextOrder(paths: readonly PathSegment[][]): boolean {
  return paths.length < 2 || paths.every((path) => path.every((seg) => typeof seg !== 'string' || !isIndexLikeKey(seg)));
}

/** Orders two paths into `value` as its keys (Object.keys) and list items come. */
function compareInValue(value: unknown, a: readonly PathSegment[], b: readonly PathSegment[]): number {
  let node = value as Record<string, unknown> | unknown[] | undefined;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'string' && typeof y === 'string') {
      if (x !== y) {
        const keys = node ? Object.keys(node) : [];
        return keys.indexOf(x) - keys.indexOf(y);
      }
      node = (node as Record<string, unknown> | undefined)?.[x] as typeof node;
    } else if (typeof x !== 'string' && typeof y !== 'string') {
      if (x.index !== y.index) return x.index - y.index;
      node = (node as unknown[] | undefined)?.[x.index] as typeof node;
    } else return 0;
  }
  return a.length - b.length;
}

/**
 * Strict decoding's `unknown field "<path>"` findings for the paths prune dropped from `value`, in
 * the order a decoder reading `value` front to back meets them, deduplicated and capped as
 * json-scan reports them. For a JSON text this is the text's order when it has no duplicate keys
 * and pathsKeepTextOrder holds.
 */
export function unknownFieldFindings(value: unknown, paths: readonly PathSegment[][], quote: FieldQuote = goQuote): string[] {
  const ordered = paths.length < 2 ? paths : [...paths].sort((a, b) => compareInValue(value, a, b));
  const out = new Set<string>();
  for (const path of ordered) {
    if (out.size >= MAX_STRICT_ERRORS) break;
    out.add(`unknown field ${quote(strictPath(path))}`);
  }
  return [...out];
}

function smdValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** `.spec.containers[name="nginx"].imagee`: the path format of server-side apply (structured-merge-diff). */
export function fieldPathString(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'string') {
      out += `.${seg}`;
      continue;
    }
    const list = seg.list as Record<string, unknown>;
    const keys = list[X.listMapKeys];
    if (list[X.listType] === 'map' && Array.isArray(keys) && isPlainObject(seg.item)) {
      const item = seg.item;
      const present = (keys as string[]).filter((k) => item[k] !== undefined && item[k] !== null);
      out += `[${present.map((k) => `${k}=${smdValue(item[k])}`).join(',')}]`;
    } else if (list[X.listType] === 'set') out += `[=${smdValue(seg.item)}]`;
    else out += `[${seg.index}]`;
  }
  return out;
}

/**
 * Whether a custom resource keeps a null where `schema` applies: nullable, or with a default that
 * defaulting puts there (apiextensions' isNonNullableNonDefaultableNull, the other way round); a
 * value no schema describes (preserved unknown fields) is kept as it is.
 */
function keepsNull(schema: TSchema | undefined): boolean {
  if (!schema) return true;
  const s = schema as Record<string, unknown>;
  return s.nullable === true || s.default !== undefined;
}

/** The value a Go field of this type holds when JSON gave it null. */
function zeroValue(schema: TSchema | undefined): unknown {
  if (!schema) return null;
  const shape = shapeOf(schema);
  if (shape === 'object') return {};
  if (shape !== 'scalar') return null;
  if (isIntOrString(schema)) return (schema as Record<string, unknown>).format === 'quantity' ? '0' : 0;
  const t = scalarType(schema);
  return t === 'integer' || t === 'number' ? 0 : t === 'boolean' ? false : t === 'string' ? '' : null;
}

/** The Go package of a named schema: `io.k8s.api.core.v1.PodSpec` → `v1`. */
function goPackage(schema: TSchema): string {
  const id = (schema as Record<string, unknown>).$id;
  const parts = typeof id === 'string' ? id.split('.') : [];
  return parts.length >= 2 ? parts[parts.length - 2] : 'v1';
}

/** Go's name for the type of a schema, as in `of type []v1.Container`. */
function goType(schema: TSchema): string {
  const shape = shapeOf(schema);
  if (shape === 'object') return `${goPackage(schema)}.${structName(schema) || 'Object'}`;
  if (shape === 'list') {
    const items = itemsOf(schema);
    return `[]${items ? goType(items) : 'interface {}'}`;
  }
  if (shape === 'map') {
    const v = mapValueOf(schema);
    return `map[string]${v ? goType(v) : 'interface {}'}`;
  }
  if (shape === 'open') return 'interface {}';
  if (isIntOrString(schema)) return 'int32';
  const t = scalarType(schema);
  const format = (schema as Record<string, unknown>).format;
  if (t === 'integer') return format === 'int32' ? 'int32' : 'int64';
  if (t === 'number') return 'float64';
  if (t === 'boolean') return 'bool';
  return 'string';
}

/** The kind of JSON value encoding/json names in its errors (`array`, `object`, `bool`, `number`, `string`). */
export function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (isPlainObject(v)) return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

class Pruner {
  readonly unknown: PathSegment[][] = [];
  typeError?: string;
  unmarshalError?: string;
  /** The innermost struct and the field names from the root (Go's errorContext). */
  private struct = '';
  private fields: string[] = [];

  /**
   * @param goZeros whether unset always-written fields come out as their Go zeros (decoding into the Go struct)
   * @param numbers the text of the numbers JSON.parse did not keep as written, by location
   */
  constructor(
    private readonly goZeros: boolean,
    private readonly numbers: NumberTokens | undefined,
    private readonly unstructured: boolean,
  ) {}

  private mismatchText(schema: TSchema, what: string): string {
    const where = this.fields.length ? `Go struct field ${this.struct}.${this.fields.join('.')}` : 'Go value';
    return `json: cannot unmarshal ${what} into ${where} of type ${goType(schema)}`;
  }

  private mismatch(value: unknown, schema: TSchema, what = jsonKind(value)): void {
    this.typeError ??= this.mismatchText(schema, what);
  }

  /** An error of a type that decodes itself: Go's decoder stops at the first. */
  private stop(why: string | undefined): void {
    if (why !== undefined) this.unmarshalError ??= why;
  }

  /** A []byte field's value that is not base64: Go's decoder stops with the base64 error itself. */
  private fail(why: string | undefined): void {
    if (why && !this.typeError) this.typeError = why;
  }

  walk(value: unknown, schema: TSchema, path: PathSegment[]): unknown {
    switch (shapeOf(schema)) {
      case 'open':
        return value;
      case 'object':
        return this.object(value, schema, path);
      case 'map':
        return this.map(value, schema, path);
      case 'list':
        return this.list(value, schema, path);
      default:
        return this.scalar(value, schema, path);
    }
  }

  private object(value: unknown, schema: TSchema, path: PathSegment[]): unknown {
    if (!isPlainObject(value)) {
      this.mismatch(value, schema);
      return value;
    }
    for (const k of Object.keys(value)) if (!propertyOf(schema, k)) this.unknown.push([...path, k]);
    const out: Record<string, unknown> = {};
    const saved = { struct: this.struct, depth: this.fields.length };
    const zeros = this.goZeros ? goZerosOf(schema) : undefined;
    for (const k of propertyNames(schema)) {
      const v = Object.prototype.hasOwnProperty.call(value, k) ? value[k] : undefined;
      if (v === null && this.unstructured && keepsNull(propertyOf(schema, k))) out[k] = null;
      if (v === null || v === undefined) {
        if (zeros?.has(k)) out[k] = zeroCopy(zeros.get(k));
        continue;
      }
      this.struct = structName(schema) || saved.struct;
      this.fields.push(k);
      const walked = this.walk(v, propertyOf(schema, k)!, [...path, k]);
      // Undefined: the value decodes to the field's zero (a zero Time): unset, as if absent.
      if (walked !== undefined) out[k] = walked;
      else if (zeros?.has(k)) out[k] = zeroCopy(zeros.get(k));
      this.fields.length = saved.depth;
    }
    this.struct = saved.struct;
    return out;
  }

  private map(value: unknown, schema: TSchema, path: PathSegment[]): unknown {
    if (!isPlainObject(value)) {
      this.mismatch(value, schema);
      return value;
    }
    const valueSchema = mapValueOf(schema);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null && this.unstructured) {
        if (keepsNull(valueSchema)) out[k] = null;
      } else if (v === null) out[k] = zeroValue(valueSchema);
      else out[k] = valueSchema ? this.walk(v, valueSchema, [...path, k]) : v;
    }
    return out;
  }

  private list(value: unknown, schema: TSchema, path: PathSegment[]): unknown {
    if (!Array.isArray(value)) {
      this.mismatch(value, schema);
      return value;
    }
    const items = itemsOf(schema);
    if (!items) return value;
    const nullItem = () => (this.unstructured ? null : zeroValue(items));
    return value.map((v: unknown, index) => (v === null ? nullItem() : this.walk(v, items, [...path, { index, item: v, list: schema }])));
  }

  private scalar(value: unknown, schema: TSchema, path: PathSegment[]): unknown {
    const t = scalarType(schema);
    // The number as written, where JSON.parse's value would not print it so.
    const token = typeof value === 'number' && this.numbers ? this.numbers.get(numberPointer(path)) : undefined;
    if (isIntOrString(schema)) {
      if ((schema as Record<string, unknown>).format === 'quantity') {
        // Quantity parses the number's text; stored as the apiserver prints the decoded quantity.
        const read = readGoQuantity(token ?? value);
        if (read.error === undefined) return read.quantity ? quantityString(read.quantity) : value;
        this.stop(read.error);
      }
      // IntOrString reads a number as an int32 itself; the error it returns gets the field's context.
      else if (typeof value === 'number' && !fitsInt(value, token, 'int32'))
        this.stop(this.mismatchText(schema, `number ${token ?? value}`));
      else if (typeof value !== 'number' && typeof value !== 'string') {
        this.mismatch(value, schema); // structured-merge-diff refuses it too
        this.stop(this.mismatchText(schema, jsonKind(value)));
      }
      return value;
    }
    if (t === 'string' && typeof value !== 'string') this.mismatch(value, schema);
    else if (t === 'string') return this.string(value as string, schema);
    else if (t === 'boolean' && typeof value !== 'boolean') this.mismatch(value, schema);
    else if (t === 'number' && typeof value !== 'number') this.mismatch(value, schema);
    else if (t === 'number' && token !== undefined && tokenOverflowsFloat(token)) this.mismatch(value, schema, `number ${token}`);
    else if (t === 'integer') {
      const bits = (schema as Record<string, unknown>).format === 'int32' ? 'int32' : 'int64';
      if (typeof value !== 'number') this.mismatch(value, schema);
      else if (!fitsInt(value, token, bits)) this.mismatch(value, schema, `number ${token ?? value}`);
    }
    return value;
  }

  /** A string: a Time or MicroTime is parsed, base64 bytes are checked. */
  private string(value: string, schema: TSchema): string | undefined {
    const layout = timeLayoutOf(schema);
    if (layout) return this.time(value, layout);
    if ((schema as Record<string, unknown>).format === 'byte') this.fail(goBase64Error(value));
    return value;
  }

  /**
   * A Time or MicroTime: stored as the apiserver prints it again (UTC; seconds or microseconds).
   * Decoded into the Go struct, Go's zero instant is the zero Time, which metav1 prints as null and
   * reads back as unset: undefined here (a struct's always-written Time gets its null from the zeros).
   */
  private time(value: string, layout: TimeLayout): string | undefined {
    const parsed = parseGoTime(value, layout);
    if (parsed.error === undefined) return parsed.zero && this.goZeros ? undefined : parsed.text;
    this.stop(parsed.error);
    return value;
  }
}

/**
 * Whether an int field of this size takes the number: its token as strconv.ParseInt reads it, where
 * there is one. An int64 past 2^53 is refused too, though Go takes it: a JS number cannot hold it.
 */
function fitsInt(n: number, token: string | undefined, bits: 'int32' | 'int64'): boolean {
  if (token !== undefined && !tokenFitsInt(token, bits)) return false;
  if (bits === 'int32') return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;
  return Number.isSafeInteger(n);
}

export interface PruneOptions {
  /**
   * Fill what the Go struct always writes (go-zeros.ts) where the value leaves it unset, as decoding
   * a body into the struct does; not for an apply configuration, whose fields are what its manager owns.
   */
  goZeros?: boolean;
  /** The numbers of the JSON text `value` was parsed from that JSON.parse did not keep as written (json-numbers.ts). */
  numbers?: NumberTokens;
  /**
   * A custom resource, decoded as unstructured JSON: a null field or map value stays where its
   * schema is nullable or has a default (which defaulting then gives it), and goes where it is
   * neither (apiextensions' PruneNonNullableNullsWithoutDefaults); a null list item stays, for
   * defaulting or validation. Without it, nulls go as decoding into a Go struct has them go.
   */
  unstructured?: boolean;
}

/** Prunes `value` (not modified) against `schema`. */
export function prune(value: unknown, schema: TSchema, opts: PruneOptions = {}): PruneResult {
  const p = new Pruner(opts.goZeros === true, opts.numbers, opts.unstructured === true);
  const out = p.walk(value, schema, []);
  const result: PruneResult = { value: out, unknown: p.unknown };
  if (p.typeError) result.typeError = p.typeError;
  if (p.unmarshalError) result.unmarshalError = p.unmarshalError;
  return result;
}

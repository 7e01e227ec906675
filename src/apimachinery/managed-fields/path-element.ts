/**
 * One step of a field path as structured-merge-diff names it, in its FieldsV1 spelling: `f:<name>`
 * (a struct field or map key), `k:{"name":"c"}` (an item of a map-typed list, by its key fields
 * sorted by name), `v:<json>` (an item of a set-typed list) and `i:<n>` (a list index). The spelling
 * is the identity; the order (fields, then keys, then values, then indexes) is upstream's, which is
 * the key order of an encoded FieldsV1.
 */
import { stringifyGo } from '../go-json.js';
import { isPlainObject } from '../object.js';
import { boundedMemo } from '../bounded-memo.js';

/** A path element in its FieldsV1 spelling. */
export type PathElement = string;

/**
 * Elements spelled before, by what they spell: field names are the object keys V8 interns, so the
 * look-up hashes nothing new, and every set holding an element holds one string whose hash is
 * known (a set's look-ups and inserts do not hash a fresh copy each time). Bounded: map keys
 * (labels, list items' keys) are open-ended.
 */
const MAX_SPELLED = 16_384;

export const fieldElement: (name: string) => PathElement = boundedMemo((name: string) => `f:${name}`, MAX_SPELLED);

/** Per key field name (a schema's list-map key: few), the spelling of each string value. */
const singleKeyElements = new Map<string, (value: string) => PathElement>();

export const valueElement = (value: unknown): PathElement => `v:${stringifyGo(value)}`;

/** `k:{…}` with the key fields sorted by name (Go's sort of a FieldList). */
export function keyElement(fields: Record<string, unknown>): PathElement {
  const names = Object.keys(fields);
  if (names.length === 1) return `k:${stringifyGo(fields)}`;
  // One encoding of the whole object, its keys inserted in sorted order (key field names are never
  // integer-like, so the object keeps that order).
  const sorted: Record<string, unknown> = {};
  for (const n of names.sort(byBytes)) sorted[n] = fields[n];
  return `k:${stringifyGo(sorted)}`;
}

/** `k:{"<name>":<value>}`: keyElement of an item keyed by one field, spelled without building the object (once per string value). */
export function singleKeyElement(name: string, value: unknown): PathElement {
  if (typeof value !== 'string') return `k:{${stringifyGo(name)}:${stringifyGo(value)}}`;
  let spell = singleKeyElements.get(name);
  if (!spell) {
    const quotedName = stringifyGo(name);
    singleKeyElements.set(name, (spell = boundedMemo((v: string) => `k:{${quotedName}:${stringifyGo(v)}}`, MAX_SPELLED)));
  }
  return spell(value);
}

function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const KIND_RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Whether a FieldsV1 key is one of the four element spellings (others are skipped when decoding). */
export function isPathElement(key: string): boolean {
  return key.length >= 2 && key[1] === ':' && KIND_RANK[key[0]] !== undefined;
}

/** Where a value's type sorts in value.Compare. */
function rank(v: unknown): number {
  return typeof v === 'number'
    ? 0
    : typeof v === 'string'
      ? 1
      : typeof v === 'boolean'
        ? 2
        : Array.isArray(v)
          ? 3
          : isPlainObject(v)
            ? 4
            : 5;
}

/** value.Compare: numbers, then strings, then booleans, lists, maps, and null last. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (ra === 0) return Math.sign((a as number) - (b as number));
  if (ra === 1) return byBytes(a as string, b as string);
  if (ra === 2) return a === b ? 0 : a ? 1 : -1;
  if (ra === 3) {
    const la = a as unknown[];
    const lb = b as unknown[];
    for (let i = 0; i < Math.min(la.length, lb.length); i++) {
      const c = compareValues(la[i], lb[i]);
      if (c) return c;
    }
    return Math.sign(la.length - lb.length);
  }
  if (ra === 4) return compareFieldLists(sortedFields(a as Record<string, unknown>), sortedFields(b as Record<string, unknown>));
  return 0;
}

function sortedFields(m: Record<string, unknown>): [string, unknown][] {
  return Object.keys(m)
    .sort(byBytes)
    .map((k) => [k, m[k]]);
}

function compareFieldLists(a: [string, unknown][], b: [string, unknown][]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length && i >= b.length) return 0;
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const c = byBytes(a[i][0], b[i][0]) || compareValues(a[i][1], b[i][1]);
    if (c) return c;
  }
}

const parsedKeys = new Map<string, [string, unknown][]>();

function keyFields(pe: PathElement): [string, unknown][] {
  let fields = parsedKeys.get(pe);
  if (!fields) {
    fields = sortedFields(JSON.parse(pe.slice(2)) as Record<string, unknown>);
    if (parsedKeys.size > 10_000) parsedKeys.clear();
    parsedKeys.set(pe, fields);
  }
  return fields;
}

/** PathElement.Compare: the order of keys in an encoded FieldsV1 and of paths in messages. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  if (a === b) return 0;
  const ka = KIND_RANK[a[0]];
  const kb = KIND_RANK[b[0]];
  if (ka !== kb) return ka < kb ? -1 : 1;
  switch (a[0]) {
    case 'f':
      return byBytes(a, b); // the same `f:` prefix: the names compare as the whole strings do
    case 'k':
      return compareFieldLists(keyFields(a), keyFields(b));
    case 'v':
      return compareValues(JSON.parse(a.slice(2)), JSON.parse(b.slice(2)));
    default:
      return Math.sign(Number(a.slice(2)) - Number(b.slice(2)));
  }
}

/** value.ToString: how a key or set value prints inside a path. */
function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (isPlainObject(v))
    return Object.entries(v)
      .map(([k, x]) => `${k}=${valueString(x)}`)
      .join('');
  return String(v);
}

/** PathElement.String: `.name`, `[name="c",port=80]`, `[=value]`, `[3]`. */
export function pathElementString(pe: PathElement): string {
  switch (pe[0]) {
    case 'f':
      return `.${pe.slice(2)}`;
    case 'k':
      return `[${keyFields(pe)
        .map(([k, v]) => `${k}=${valueString(v)}`)
        .join(',')}]`;
    case 'v':
      return `[=${valueString(JSON.parse(pe.slice(2)))}]`;
    default:
      return `[${pe.slice(2)}]`;
  }
}

/** Path.String: the elements' strings joined, `.spec.containers[name="c"].image`. */
export function pathString(path: readonly PathElement[]): string {
  return path.map(pathElementString).join('');
}

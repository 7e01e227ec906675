/**
 * CEL optional values (cel.OptionalTypes, cel-go v0.23's library at its newest version, in
 * Kubernetes' CEL environments since 1.28): `optional.of`, `optional.ofNonZeroValue`,
 * `optional.none`, `hasValue()`, `value()`, `or()`, `orValue()`, the list methods `first()` and
 * `last()`, `optional.unwrap(list)` and `list.unwrapOpt()`, and what the optional syntax
 * (optional-syntax.ts) becomes: the optional field selection `_?._`, the optional index `_[?_]`,
 * an index or selection on an optional (optional-lowering.ts), and list and map literals with
 * optional elements and entries. An optional is a map holding its value, if any, under a marker key.
 * `or` and `orValue` are evaluated lazily by optional-lowering.ts; the functions here serve a
 * call that reaches them anyway.
 */
import { CelScalar, celFunc, celMethod, isCelList, isCelMap, isCelUint, listType, mapType, type CelValue } from '@bufbuild/cel';
import { isUnstructured } from './values.js';

const { DYN, STRING, BOOL } = CelScalar;
const OPTIONAL_KEY = '@optional';
export const MAP: ReturnType<typeof mapType> = mapType(CelScalar.STRING, CelScalar.DYN);
const LIST = listType(DYN);

/**
 * The functions the optional selection and index (`_?._`, `_[?_]`, which @bufbuild/cel's planner
 * takes for its own attribute accesses) and optional list and map literals are lowered to
 * (optional-lowering.ts).
 */
export const OPTIONAL_SELECT = '@kubemock.optionalSelect';
export const OPTIONAL_INDEX = '@kubemock.optionalIndex';
export const OPTIONAL_ELEMENTS = '@kubemock.optionalElements';
export const OPTIONAL_ENTRIES = '@kubemock.optionalEntries';
/** Whether a value is an optional at run time: a selection or index on a dyn operand asks (optional-lowering.ts). */
export const IS_OPTIONAL = '@kubemock.isOptional';

/** An optional value (`oldSelf` of an optionalOldSelf rule): a map holding its value, if any, under a marker key. */
export function optionalOf(v: unknown): Map<string, CelValue> {
  const out = new Map<string, CelValue>([[OPTIONAL_KEY, v !== undefined]]);
  if (v !== undefined) out.set('value', v as CelValue);
  return out;
}

const NONE = () => optionalOf(undefined);

/** The optional `v` is, or undefined when it is no optional. */
function asOptional(v: CelValue): { has: boolean; value: CelValue | undefined } | undefined {
  const has = isCelMap(v) ? v.get(OPTIONAL_KEY) : undefined;
  if (typeof has !== 'boolean') return undefined;
  return { has, value: (v as unknown as Map<string, CelValue>).get('value') };
}

function optional(v: CelValue): { has: boolean; value: CelValue | undefined } {
  const o = asOptional(v);
  if (!o) throw new Error('no such overload');
  return o;
}

/**
 * The array or Map a CelList or CelMap wraps (@bufbuild/cel keeps it as `_array` / `_map`), to tell
 * the lists and maps of `self` from those a rule builds.
 */
const wrapped = (v: CelValue): unknown => (v as { _array?: unknown; _map?: unknown })._array ?? (v as { _map?: unknown })._map;

/**
 * cel-go's zero values (traits.Zeroer): null, false, 0, '', empty bytes, an empty list or map a
 * rule built, a zero duration. Kubernetes' lists and maps of `self` (unstructuredList,
 * unstructuredMap) are no Zeroers, so an empty one is no zero value; nor is a timestamp.
 */
function isZero(v: CelValue): boolean {
  if (v === null || v === false || v === 0n || v === 0 || v === '') return true;
  if (v instanceof Uint8Array) return v.length === 0;
  if (isCelUint(v)) return v.value === 0n;
  if ((isCelList(v) || isCelMap(v)) && isUnstructured(wrapped(v))) return false;
  if (isCelList(v)) return v.size === 0;
  if (isCelMap(v)) return v.size === 0 && !asOptional(v);
  // a duration is a reflected protobuf message
  const d = (v as { message?: { $typeName?: string; seconds?: bigint; nanos?: number } }).message;
  return d?.$typeName === 'google.protobuf.Duration' && !d.seconds && !d.nanos;
}

/** A value's entry at `key`, if it has one: a map's key, a list's index (an int in range). */
function find(container: CelValue, key: CelValue): { found: boolean; value?: CelValue } {
  if (isCelMap(container)) {
    const value = container.get(key as never);
    return value === undefined && !container.has(key as never) ? { found: false } : { found: true, value: value! };
  }
  if (isCelList(container)) {
    const i = typeof key === 'bigint' ? key : typeof key === 'number' && Number.isInteger(key) ? BigInt(key) : undefined;
    if (i === undefined) throw new Error('unsupported index type');
    return i >= 0n && i < BigInt(container.size) ? { found: true, value: container.get(Number(i))! } : { found: false };
  }
  throw new Error('no such overload');
}

/** `x.?f` and `x[?k]`: optional.of the entry when present, else optional.none(); on an optional, on its value. */
function optionalEntry(container: CelValue, key: CelValue): Map<string, CelValue> {
  const o = asOptional(container);
  if (o && !o.has) return NONE();
  const { found, value } = find(o ? o.value! : container, key);
  return found ? optionalOf(value) : NONE();
}

/** Go's %v of a value in the literal errors (enough for the scalars a literal usually holds). */
const goValue = (v: CelValue) => (typeof v === 'string' ? v : v === null ? '<nil>' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export const OPTIONALS = [
  celFunc('optional.of', [DYN], MAP, (v) => optionalOf(v)),
  celFunc('optional.ofNonZeroValue', [DYN], MAP, (v) => (isZero(v) ? NONE() : optionalOf(v))),
  celFunc('optional.none', [], MAP, NONE),
  celMethod('hasValue', MAP, [], BOOL, function () {
    return optional(this).has;
  }),
  celMethod('value', MAP, [], DYN, function () {
    const o = optional(this);
    if (!o.has) throw new Error('optional.none() dereference');
    return o.value!;
  }),
  celMethod('orValue', MAP, [DYN], DYN, function (fallback) {
    const o = optional(this);
    return o.has ? o.value! : fallback;
  }),
  celMethod('or', MAP, [DYN], DYN, function (other) {
    return optional(this).has ? this : (optional(other), other);
  }),
  celMethod('first', LIST, [], MAP, function () {
    return this.size ? optionalOf(this.get(0)) : NONE();
  }),
  celMethod('last', LIST, [], MAP, function () {
    return this.size ? optionalOf(this.get(this.size - 1)) : NONE();
  }),
  celFunc('optional.unwrap', [LIST], LIST, (list) => unwrap(list)),
  celMethod('unwrapOpt', LIST, [], LIST, function () {
    return unwrap(this);
  }),
  celFunc(OPTIONAL_SELECT, [DYN, STRING], MAP, (x, field) => optionalEntry(x, field)),
  celFunc(OPTIONAL_INDEX, [DYN, DYN], MAP, (x, key) => optionalEntry(x, key)),
  celFunc(IS_OPTIONAL, [DYN], BOOL, (x) => asOptional(x) !== undefined),
  celFunc(OPTIONAL_ELEMENTS, [LIST, LIST], LIST, (list, indices) => {
    const optionals = new Set([...indices].map(Number));
    return [...list].flatMap((v, i) => {
      if (!optionals.has(i)) return [v];
      const o = asOptional(v);
      if (!o) throw new Error(`cannot initialize optional list element from non-optional value ${goValue(v)}`);
      return o.has ? [o.value!] : [];
    });
  }),
  celFunc(OPTIONAL_ENTRIES, [mapType(DYN, DYN), LIST], mapType(DYN, DYN), (map, indices) => {
    const optionals = new Set([...indices].map(Number));
    const out = new Map<CelValue, CelValue>();
    [...map.entries()].forEach(([k, v], i) => {
      if (!optionals.has(i)) return void out.set(k, v);
      const o = asOptional(v);
      if (!o) throw new Error(`cannot initialize optional entry '${goValue(k)}' from non-optional value ${goValue(v)}`);
      if (o.has) out.set(k, o.value!);
    });
    return out as never;
  }),
];

function unwrap(list: Iterable<CelValue>): CelValue[] {
  return [...list].flatMap((v) => {
    const o = asOptional(v);
    if (!o) throw new Error(`value ${goValue(v)} is not optional`);
    return o.has ? [o.value!] : [];
  });
}

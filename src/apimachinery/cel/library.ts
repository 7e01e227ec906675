/**
 * The Kubernetes CEL library functions a CRD rule may call besides CEL's standard ones
 * (k8s.io/apiserver/pkg/cel/library): the strings extension (from @bufbuild/cel), lists
 * (isSorted, sum, min, max, indexOf, lastIndexOf), regex (find, findAll), URLs (url, isURL and
 * the getters), sets (sets.contains, sets.equivalent, sets.intersects), quantities (quantity,
 * isQuantity and their methods), formats (format.dns1123Label()… and validate), IPs and CIDRs; and
 * apart, as it came with 1.33, semantic versions (semver, isSemver, major/minor/patch), which only
 * the StoredExpressions environment has (environments.ts). A URL, quantity or semver value is a map
 * holding one marker key, the only way to give a value a type of its own without protobuf messages.
 */
import {
  CelScalar,
  celEnv,
  celFunc,
  celMethod,
  parse,
  plan,
  isCelList,
  isCelMap,
  listType,
  mapType,
  type CelFunc,
  type CelValue,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { FORMAT_LIBRARY } from './format.js';
import { IP_LIBRARY } from './ip.js';
import { compareSemvers, parseSemver, type Semver } from './semver.js';
import { regexpFindAll } from '../re2.js';
import {
  addQuantities,
  compareQuantities,
  isQuantity,
  parseQuantity,
  quantityFloat,
  quantityInteger,
  quantityOf,
  type Quantity,
} from '../quantity.js';

const { DYN, STRING, INT, BOOL, DOUBLE } = CelScalar;
const LIST = listType(DYN);
const STRINGS = listType(STRING);
const MAP = mapType(STRING, DYN);

function items(v: CelValue): CelValue[] {
  if (!isCelList(v)) throw new Error('no such overload');
  return [...v];
}

type Scalar = bigint | number | string | boolean;

function comparable(v: CelValue): v is Scalar {
  return typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

/** CEL's ordering of two comparable values of one kind (ints and doubles compare as numbers). */
function compare(a: CelValue, b: CelValue): number {
  if (!comparable(a) || !comparable(b)) throw new Error('no such overload');
  const numeric = (x: CelValue) => typeof x === 'bigint' || typeof x === 'number';
  if (numeric(a) && numeric(b)) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a !== typeof b) throw new Error('no such overload');
  return a < b ? -1 : a > b ? 1 : 0;
}

const celEquals = plan(celEnv(), parse('a == b'));

/** CEL's own equality (lists and maps element by element, ints and doubles by value). */
const same = (a: CelValue, b: CelValue): boolean => celEquals({ a, b }) === true;

function extreme(list: CelValue, sign: 1 | -1, name: string): CelValue {
  const xs = items(list);
  if (!xs.length) throw new Error(`${name} called on empty list`);
  return xs.reduce((best, x) => (compare(x, best) * sign > 0 ? x : best));
}

const lists: CelFunc[] = [
  celMethod('isSorted', LIST, [], BOOL, function () {
    const xs = items(this);
    return xs.every((x, i) => i === 0 || compare(xs[i - 1], x) <= 0);
  }),
  celMethod('sum', LIST, [], DYN, function () {
    const xs = items(this);
    if (!xs.length) return 0n;
    if (xs.every((x) => typeof x === 'bigint')) return xs.reduce((a, b) => a + b);
    if (xs.every((x) => typeof x === 'number')) return xs.reduce((a, b) => a + b);
    throw new Error('no such overload');
  }),
  celMethod('min', LIST, [], DYN, function () {
    return extreme(this, -1, 'min');
  }),
  celMethod('max', LIST, [], DYN, function () {
    return extreme(this, 1, 'max');
  }),
  celMethod('indexOf', LIST, [DYN], INT, function (x) {
    return BigInt(items(this).findIndex((y) => same(y, x)));
  }),
  celMethod('lastIndexOf', LIST, [DYN], INT, function (x) {
    return BigInt(items(this).findLastIndex((y) => same(y, x)));
  }),
];

const regexes: CelFunc[] = [
  celMethod('find', STRING, [STRING], STRING, function (pattern) {
    return regexpFindAll(pattern, this, 1)[0] ?? '';
  }),
  celMethod('findAll', STRING, [STRING], STRINGS, function (pattern) {
    return regexpFindAll(pattern, this);
  }),
  celMethod('findAll', STRING, [STRING, INT], STRINGS, function (pattern, n) {
    return regexpFindAll(pattern, this, n < 0n ? -1 : Number(n));
  }),
];

const URL_KEY = '@url';

function parseUrl(s: string): URL | undefined {
  try {
    return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s) || s.startsWith('/') ? new URL(s, 'http://relative.invalid') : undefined;
  } catch {
    return undefined;
  }
}

function urlOf(v: CelValue): { raw: string; url: URL } {
  const raw = isCelMap(v) ? v.get(URL_KEY) : undefined;
  if (typeof raw !== 'string') throw new Error('no such overload');
  return { raw, url: parseUrl(raw)! };
}

const absolute = (raw: string) => !raw.startsWith('/');
const urlGetter = (name: string, get: (u: { raw: string; url: URL }) => string) =>
  celMethod(name, MAP, [], STRING, function () {
    return get(urlOf(this));
  });

const urls: CelFunc[] = [
  celFunc('isURL', [STRING], BOOL, (s) => parseUrl(s) !== undefined),
  celFunc('url', [STRING], MAP, (s) => {
    if (!parseUrl(s)) throw new Error(`URL parse error during conversion from string: ${s}`);
    return new Map([[URL_KEY, s]]);
  }),
  urlGetter('getScheme', (u) => (absolute(u.raw) ? u.url.protocol.replace(/:$/, '') : '')),
  urlGetter('getHost', (u) => (absolute(u.raw) ? u.url.host : '')),
  urlGetter('getHostname', (u) => (absolute(u.raw) ? u.url.hostname.replace(/^\[(.*)\]$/, '$1') : '')),
  urlGetter('getPort', (u) => (absolute(u.raw) ? u.url.port : '')),
  urlGetter('getEscapedPath', (u) => u.url.pathname),
  celMethod('getQuery', MAP, [], mapType(STRING, STRINGS), function () {
    const out = new Map<string, string[]>();
    for (const [k, v] of urlOf(this).url.searchParams) out.set(k, [...(out.get(k) ?? []), v]);
    return out;
  }),
];

const sets: CelFunc[] = [
  celFunc('sets.contains', [LIST, LIST], BOOL, (a, b) => items(b).every((x) => items(a).some((y) => same(x, y)))),
  celFunc('sets.equivalent', [LIST, LIST], BOOL, (a, b) => {
    const xs = items(a);
    const ys = items(b);
    return xs.every((x) => ys.some((y) => same(x, y))) && ys.every((y) => xs.some((x) => same(x, y)));
  }),
  celFunc('sets.intersects', [LIST, LIST], BOOL, (a, b) => items(a).some((x) => items(b).some((y) => same(x, y)))),
];

const QUANTITY_KEY = '@quantity';

function quantity(v: CelValue): Quantity {
  const raw = isCelMap(v) ? v.get(QUANTITY_KEY) : undefined;
  if (typeof raw !== 'string') throw new Error('no such overload');
  return parseQuantity(raw)!;
}

const asQuantityValue = (q: Quantity) => new Map([[QUANTITY_KEY, q.text]]);
const quantityArg = (v: CelValue): Quantity => (typeof v === 'bigint' ? quantityOf(v) : quantity(v));

const quantities: CelFunc[] = [
  celFunc('isQuantity', [STRING], BOOL, (s) => isQuantity(s)),
  celFunc('quantity', [STRING], MAP, (s) => {
    const q = parseQuantity(s);
    if (!q) throw new Error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    return asQuantityValue(q);
  }),
  celMethod('sign', MAP, [], INT, function () {
    const n = quantity(this).mant;
    return n > 0n ? 1n : n < 0n ? -1n : 0n;
  }),
  celMethod('isInteger', MAP, [], BOOL, function () {
    return quantityInteger(quantity(this)) !== undefined;
  }),
  celMethod('asInteger', MAP, [], INT, function () {
    const i = quantityInteger(quantity(this));
    if (i === undefined) throw new Error('cannot convert value to integer');
    return i;
  }),
  celMethod('asApproximateFloat', MAP, [], DOUBLE, function () {
    return quantityFloat(quantity(this));
  }),
  ...(['add', 'sub'] as const).flatMap((op) =>
    [MAP, INT].map((arg) =>
      celMethod(op, MAP, [arg], MAP, function (o: CelValue) {
        return asQuantityValue(addQuantities(quantity(this), quantityArg(o), op === 'sub'));
      }),
    ),
  ),
];

const SEMVER_KEY = '@semver';

function semver(v: CelValue): Semver {
  const raw = isCelMap(v) ? v.get(SEMVER_KEY) : undefined;
  if (typeof raw !== 'string') throw new Error('no such overload');
  return parseSemver(raw)!;
}

function toSemver(s: string, normalize: boolean): Map<string, string> {
  const v = parseSemver(s, normalize);
  if (!v) throw new Error(`Invalid semver: ${s}`);
  return new Map([[SEMVER_KEY, v.text]]);
}

/** The semver library (SemverLib, version 1), introduced in 1.33. */
export const SEMVER_LIBRARY: CelFunc[] = [
  celFunc('isSemver', [STRING], BOOL, (s) => parseSemver(s) !== undefined),
  celFunc('isSemver', [STRING, BOOL], BOOL, (s, normalize) => parseSemver(s, normalize) !== undefined),
  celFunc('semver', [STRING], MAP, (s) => toSemver(s, false)),
  celFunc('semver', [STRING, BOOL], MAP, (s, normalize) => toSemver(s, normalize)),
  ...(['major', 'minor', 'patch'] as const).map((part) =>
    celMethod(part, MAP, [], INT, function () {
      return semver(this)[part];
    }),
  ),
];

/** Compares two quantities or two semvers (the comparison methods both libraries name alike). */
function compareMarked(a: CelValue, b: CelValue): number {
  if (isCelMap(a) && a.has(SEMVER_KEY)) return compareSemvers(semver(a), semver(b));
  return compareQuantities(quantity(a), quantity(b));
}

const comparisons: CelFunc[] = [
  celMethod('isGreaterThan', MAP, [MAP], BOOL, function (o) {
    return compareMarked(this, o) > 0;
  }),
  celMethod('isLessThan', MAP, [MAP], BOOL, function (o) {
    return compareMarked(this, o) < 0;
  }),
  celMethod('compareTo', MAP, [MAP], INT, function (o) {
    return BigInt(compareMarked(this, o));
  }),
];

/**
 * The functions beyond CEL's standard library a CRD validation rule may call on a 1.32 server (the
 * comparison methods serve quantities here, and semvers too where SEMVER_LIBRARY is there).
 */
export const KUBERNETES_LIBRARY: CelFunc[] = [
  ...strings,
  ...lists,
  ...regexes,
  ...urls,
  ...sets,
  ...quantities,
  ...comparisons,
  ...FORMAT_LIBRARY,
  ...IP_LIBRARY,
];

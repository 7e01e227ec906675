/**
 * The strings extension's functions where cel-go (ext/strings.go, v0.23; Kubernetes 1.33) behaves
 * otherwise than @bufbuild/cel's (same overloads, so these come later in the environment and win).
 * Strings are indexed by code point (Go's []rune), not UTF-16 unit. charAt(i) is "" at the end and
 * substring(i[, j]) fails past it with "index out of range: i"; substring(i, j) with i > j fails
 * first, with "invalid substring range. start: i, end: j". indexOf and lastIndexOf with an offset
 * fail only below 0 ("index out of range: -1") and answer -1 from past the end (an empty needle
 * answers the offset). replace(old, new, n) and split(sep, n) are Go's strings.Replace and
 * strings.SplitN: a negative n means all, split keeps the rest in its last piece and an n of 0 is
 * the empty list; an empty `old` or `sep` works between code points.
 */
import { CelScalar, celMethod, listType, type CelFunc } from '@bufbuild/cel';

const { STRING, INT } = CelScalar;

const outOfRange = (i: bigint | number) => new Error(`index out of range: ${i}`);
const runes = (s: string): string[] => Array.from(s);

function charAt(s: string, index: bigint): string {
  const r = runes(s);
  if (index < 0n || index > BigInt(r.length)) throw outOfRange(index);
  return r[Number(index)] ?? '';
}

function substring(s: string, start: bigint, end?: bigint): string {
  const r = runes(s);
  const length = BigInt(r.length);
  if (end !== undefined && start > end) throw new Error(`invalid substring range. start: ${start}, end: ${end}`);
  if (start < 0n || start > length) throw outOfRange(start);
  if (end !== undefined && (end < 0n || end > length)) throw outOfRange(end);
  return r.slice(Number(start), end === undefined ? undefined : Number(end)).join('');
}

/** Whether `needle` sits in `hay` at code point `i`. */
const at = (hay: string[], needle: string[], i: number) => needle.every((c, j) => hay[i + j] === c);

function indexOf(s: string, sub: string, offset = 0n): bigint {
  if (sub === '') return offset;
  if (offset < 0n) throw outOfRange(offset);
  const hay = runes(s);
  const needle = runes(sub);
  if (offset >= BigInt(hay.length)) return -1n;
  for (let i = Number(offset); i < hay.length - (needle.length - 1); i++) if (at(hay, needle, i)) return BigInt(i);
  return -1n;
}

function lastIndexOf(s: string, sub: string, offset?: bigint): bigint {
  const hay = runes(s);
  if (sub === '') return offset ?? BigInt(hay.length);
  const from = offset ?? BigInt(hay.length - 1);
  if (from < 0n) throw outOfRange(from);
  const needle = runes(sub);
  if (from >= BigInt(hay.length)) return -1n;
  for (let i = Math.min(Number(from), hay.length - needle.length); i >= 0; i--) if (at(hay, needle, i)) return BigInt(i);
  return -1n;
}

/** Go's strings.Replace (n < 0: every occurrence). */
function replace(s: string, old: string, replacement: string, n = -1n): string {
  if (old === replacement || n === 0n) return s;
  const limit = (count: number) => (n < 0n || BigInt(count) < n ? count : Number(n));
  if (old === '') {
    const r = runes(s);
    const times = limit(r.length + 1);
    return r.map((c, i) => (i < times ? replacement : '') + c).join('') + (times > r.length ? replacement : '');
  }
  const parts = s.split(old);
  const times = limit(parts.length - 1);
  return parts.slice(0, times + 1).join(replacement) + (times < parts.length - 1 ? old + parts.slice(times + 1).join(old) : '');
}

/** Go's strings.SplitN (n < 0: every piece; n == 0: none; else at most n, the last holding the rest). */
function split(s: string, sep: string, n = -1n): string[] {
  if (n === 0n) return [];
  const pieces = sep === '' ? runes(s) : s.split(sep);
  if (n < 0n || BigInt(pieces.length) <= n) return pieces;
  const keep = Number(n) - 1;
  return [...pieces.slice(0, keep), pieces.slice(keep).join(sep)];
}

const STRINGS = listType(STRING);

export const STRING_EXT_FUNCS: CelFunc[] = [
  celMethod('charAt', STRING, [INT], STRING, function (i) {
    return charAt(this, i);
  }),
  celMethod('substring', STRING, [INT], STRING, function (i) {
    return substring(this, i);
  }),
  celMethod('substring', STRING, [INT, INT], STRING, function (i, j) {
    return substring(this, i, j);
  }),
  celMethod('indexOf', STRING, [STRING], INT, function (sub) {
    return indexOf(this, sub);
  }),
  celMethod('indexOf', STRING, [STRING, INT], INT, function (sub, offset) {
    return indexOf(this, sub, offset);
  }),
  celMethod('lastIndexOf', STRING, [STRING], INT, function (sub) {
    return lastIndexOf(this, sub);
  }),
  celMethod('lastIndexOf', STRING, [STRING, INT], INT, function (sub, offset) {
    return lastIndexOf(this, sub, offset);
  }),
  celMethod('replace', STRING, [STRING, STRING], STRING, function (old, replacement) {
    return replace(this, old, replacement);
  }),
  celMethod('replace', STRING, [STRING, STRING, INT], STRING, function (old, replacement, n) {
    return replace(this, old, replacement, n);
  }),
  celMethod('split', STRING, [STRING], STRINGS, function (sep) {
    return split(this, sep);
  }),
  celMethod('split', STRING, [STRING, INT], STRINGS, function (sep, n) {
    return split(this, sep, n);
  }),
];

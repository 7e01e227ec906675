/**
 * What resource.Quantity's UnmarshalJSON makes of a value: its error when it refuses it (which
 * the apiserver puts in its 400: "Pod in version "v1" cannot be handled as a Pod: quantities must
 * match the regular expression …"), else the quantity. The value's text (a JSON string's contents, or a number
 * as written), trimmed of spaces, is read as Go's ParseQuantity reads it: a sign, digits, a
 * fraction, then a suffix made of the letters e E i n u m k K M G T P, an optional sign and
 * digits, which must be one Kubernetes knows (Ki…Ei, n u m k M G T P E, or an exponent e3 / E-2).
 * Go's reader is lenient in ways kept here: "-", "." and "Ki" alone read as zero.
 */
import { quantityFromParts, type Quantity, type QuantityUnit } from './quantity.js';

const FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const NUMERIC = 'unable to parse numeric part of quantity';
const SUFFIX = "unable to parse quantity's suffix";

const SUFFIX_LETTERS = 'eEinumkKMGTP';
const BINARY_EXPONENTS: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Digits an int64 holds without overflow: more go through the arbitrary-precision path. */
const INT64_DIGITS = 18;

const isDigitAt = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

interface Parts {
  /** The number as written up to its suffix (sign, digits, fraction). */
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** Go's parseQuantityString: the parts of a quantity, or undefined where its format is wrong. */
function split(str: string): Parts | undefined {
  let pos = 0;
  const end = str.length;
  if (str[0] === '-' || str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { value: '0', num: '0', denom: '', suffix: '' };
  const numStart = pos;
  while (isDigitAt(str, pos)) pos++;
  if (pos >= end) return { value: str, num: str.slice(numStart), denom: '', suffix: '' };
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (str[pos] === '.') {
    const denomStart = ++pos;
    while (isDigitAt(str, pos)) pos++;
    denom = str.slice(denomStart, pos);
    if (pos >= end) return { value: str, num, denom, suffix: '' };
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && SUFFIX_LETTERS.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (isDigitAt(str, pos)) pos++;
  if (pos < end) return undefined;
  return { value, num, denom, suffix: str.slice(suffixStart) };
}

/** The suffix's base and exponent (Go's quantitySuffixer.interpret); undefined for an unknown one. */
function interpret(suffix: string): QuantityUnit | undefined {
  if (suffix in BINARY_EXPONENTS) return { binary: true, exponent: BINARY_EXPONENTS[suffix] };
  if (suffix in DECIMAL_EXPONENTS) return { binary: false, exponent: DECIMAL_EXPONENTS[suffix] };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
    // Go reads the exponent as an int64, then keeps its low 32 bits.
    const exponent = BigInt(suffix.slice(1));
    if (exponent >= -(2n ** 63n) && exponent < 2n ** 63n) return { binary: false, exponent: Number(BigInt.asIntN(32, exponent)) };
  }
  return undefined;
}

/** What decoding a JSON value as resource.Quantity gives: Go's error, or the quantity (none for null). */
export interface GoQuantityRead {
  error?: string;
  quantity?: Quantity;
}

/**
 * Decodes `value` as resource.Quantity's UnmarshalJSON does: its error, or the quantity, including
 * the forms only Go's lenient reader takes ("-", ".", "Ki" alone are zero).
 */
export function readGoQuantity(value: unknown): GoQuantityRead {
  if (value === null) return {};
  const text = (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value)).trim();
  if (text === '') return { error: FORMAT_WRONG };
  const parts = split(text);
  if (!parts) return { error: FORMAT_WRONG };
  const unit = interpret(parts.suffix);
  if (!unit) return { error: SUFFIX };
  // Go keeps small values in an int64 and hands the rest to an arbitrary-precision decimal, whose
  // reader is stricter about the number (a lone sign or point).
  const digits = parts.num.length + parts.denom.length;
  const fast = unit.binary
    ? parts.denom === '' && unit.exponent >= 0 && INT64_DIGITS - 3 - parts.num.length - Math.trunc((unit.exponent * 3) / 10) - 1 >= 0
    : INT64_DIGITS - digits >= 0 && unit.exponent - parts.denom.length >= -9;
  if (!fast && !/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(parts.value)) return { error: NUMERIC };
  const exponentSuffix = parts.suffix.length > 1 && (parts.suffix[0] === 'e' || parts.suffix[0] === 'E');
  return { quantity: quantityFromParts(parts.value[0] === '-', parts.num, parts.denom, unit, exponentSuffix, text) };
}

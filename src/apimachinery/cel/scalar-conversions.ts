/**
 * CEL's conversions of strings to int, uint, double and bool, and of bytes and doubles to strings,
 * as cel-go (v0.23, Kubernetes 1.33) runs them (common/types String/Bytes/Double.ConvertToType), in
 * place of @bufbuild/cel's (same overloads, so these come later in the environment and win): a
 * string reads as Go's strconv reads it (ParseInt and ParseUint in base 10, ParseFloat, ParseBool),
 * so `int("")`, `int(" 5")` or `int("0x10")` fail where JavaScript's BigInt reads them; one that does
 * not read fails with "type conversion error from 'string' to 'int'" (or uint, double, bool). Bytes
 * that are not UTF-8 fail with "invalid UTF-8 in bytes, cannot convert to string". A double becomes
 * the text of Go's %g (1e+06, 1e-05, +Inf).
 */
import { CelScalar, celFunc, celUint, type CelFunc } from '@bufbuild/cel';
import { goFloat } from '../go-format.js';

const { STRING, INT, UINT, DOUBLE, BOOL, BYTES } = CelScalar;

const conversionError = (to: string) => new Error(`type conversion error from 'string' to '${to}'`);

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv.ParseInt(s, 10, 64): a sign, then decimal digits, within int64. */
function parseInt64(s: string): bigint {
  if (!/^[+-]?\d+$/.test(s)) throw conversionError('int');
  const n = BigInt(s);
  if (n < INT64_MIN || n > INT64_MAX) throw conversionError('int');
  return n;
}

/** strconv.ParseUint(s, 10, 64): decimal digits only (no sign), within uint64. */
function parseUint64(s: string): bigint {
  if (!/^\d+$/.test(s)) throw conversionError('uint');
  const n = BigInt(s);
  if (n > UINT64_MAX) throw conversionError('uint');
  return n;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/;

/** strconv.ParseFloat(s, 64): decimal or hexadecimal (with its p exponent), inf, infinity and nan; a finite text beyond float64 is an error. */
function parseFloat64(s: string): number {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special) return special[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  let n: number;
  const hex = HEX.exec(s);
  if (DECIMAL.test(s)) n = Number(s);
  else if (hex && (hex[2] || hex[3])) {
    const digits = `${hex[2]}${hex[3] ?? ''}`;
    const mantissa = Number.parseInt(digits, 16);
    n = mantissa * 2 ** (Number(hex[4]) - 4 * (hex[3] ?? '').length);
    if (hex[1] === '-') n = -n;
  } else throw conversionError('double');
  if (!Number.isFinite(n)) throw conversionError('double');
  return n;
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool. */
function parseBool(s: string): boolean {
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw conversionError('bool');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bytesToString(b: Uint8Array): string {
  try {
    return utf8.decode(b);
  } catch {
    throw new Error('invalid UTF-8 in bytes, cannot convert to string');
  }
}

export const SCALAR_CONVERSIONS: CelFunc[] = [
  celFunc('int', [STRING], INT, (s) => parseInt64(s)),
  celFunc('uint', [STRING], UINT, (s) => celUint(parseUint64(s))),
  celFunc('double', [STRING], DOUBLE, (s) => parseFloat64(s)),
  celFunc('bool', [STRING], BOOL, (s) => parseBool(s)),
  celFunc('string', [BYTES], STRING, (b) => bytesToString(b)),
  celFunc('string', [DOUBLE], STRING, (d) => goFloat(d)),
];

/**
 * resource.Quantity's canonical text (its String() and MarshalJSON): the value in the format its
 * text was written in (binary Ki…Ei, decimal n…E, or an exponent), with the largest suffix that
 * keeps it exact: `1000m` → `1`, `0.5` → `500m`, `1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`. What the
 * apiserver stores and answers for every quantity a client writes.
 */
import { quantityInteger, type Quantity } from './quantity.js';

const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL_SUFFIXES: Record<number, string> = {
  [-9]: 'n',
  [-6]: 'u',
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
};

/** A binary quantity's text when it is a whole number of at least 1024 in magnitude, else undefined. */
function binaryString(q: Quantity): string | undefined {
  const whole = quantityInteger(q);
  if (whole === undefined || (whole > -1024n && whole < 1024n)) return undefined;
  let v = whole;
  let e = 0;
  while (v % 1024n === 0n && e < BINARY_SUFFIXES.length - 1) {
    v /= 1024n;
    e++;
  }
  return `${v}${BINARY_SUFFIXES[e]}`;
}

/** resource.Quantity's String(): the canonical form in the quantity's format. */
export function quantityString(q: Quantity): string {
  if (q.mant === 0n) return '0';
  if (q.format === 'BinarySI') {
    const text = binaryString(q);
    if (text !== undefined) return text;
  }
  // The mantissa without its trailing zeros, then the exponent down to a multiple of three.
  const negative = q.mant < 0n;
  const digits = (negative ? -q.mant : q.mant).toString();
  const kept = digits.replace(/0+$/, '');
  let x = q.exp + digits.length - kept.length;
  const extra = ((x % 3) + 3) % 3;
  x -= extra;
  let m = `${negative ? '-' : ''}${kept}${'0'.repeat(extra)}`;
  if (q.format === 'DecimalExponent') return x === 0 ? m : `${m}e${x}`;
  if (x > 18) {
    m += '0'.repeat(x - 18);
    x = 18;
  }
  return `${m}${DECIMAL_SUFFIXES[x]}`;
}

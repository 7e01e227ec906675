/**
 * resource.Quantity's canonical text (its String() and MarshalJSON): the value in the format its
 * text was written in (binary Ki…Ei, decimal n…E, or an exponent), with the largest suffix that
 * keeps it exact: `1000m` → `1`, `0.5` → `500m`, `1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`. What the
 * apiserver stores and answers for every quantity a client writes.
 */
import { parseQuantity, type Quantity } from './cel/quantity.js';

type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

function formatOf(text: string): QuantityFormat {
  if (/(Ki|Mi|Gi|Ti|Pi|Ei)$/.test(text)) return 'BinarySI';
  if (/\d[eE][+-]?\d+$/.test(text)) return 'DecimalExponent';
  return 'DecimalSI';
}

export const NANO = 10n ** 9n;
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

/** The value in nano units, rounded away from zero as ParseQuantity rounds finer values. */
export function nanoUnits(q: Quantity): bigint {
  const scaled = q.num * NANO;
  const whole = scaled / q.den;
  return whole * q.den === scaled ? whole : whole + (scaled < 0n ? -1n : 1n);
}

/** resource.Quantity's String(): the canonical form in the quantity's format. */
export function quantityString(q: Quantity): string {
  let format = formatOf(q.text.trim());
  const nanos = nanoUnits(q);
  if (format === 'BinarySI') {
    const small = nanos > -1024n * NANO && nanos < 1024n * NANO;
    if (small || nanos % NANO !== 0n) format = 'DecimalSI';
    else {
      let v = nanos / NANO;
      let e = 0;
      while (v !== 0n && v % 1024n === 0n && e < BINARY_SUFFIXES.length - 1) {
        v /= 1024n;
        e++;
      }
      return `${v}${BINARY_SUFFIXES[e]}`;
    }
  }
  if (nanos === 0n) return '0';
  let m = nanos;
  let x = -9;
  while (m % 10n === 0n) {
    m /= 10n;
    x++;
  }
  const extra = ((x % 3) + 3) % 3;
  m *= 10n ** BigInt(extra);
  x -= extra;
  if (format === 'DecimalExponent') return x === 0 ? `${m}` : `${m}e${x}`;
  if (x > 18) {
    m *= 10n ** BigInt(x - 18);
    x = 18;
  }
  return `${m}${DECIMAL_SUFFIXES[x]}`;
}

/**
 * A quantity as the apiserver stores it once it decoded (goQuantityError found nothing wrong): its
 * canonical text. A form only Go's lenient reader takes (a lone sign or point) is kept as written.
 */
export function canonicalQuantity(value: string | number): string | number {
  const q = parseQuantity(typeof value === 'string' ? value.trim() : String(value));
  return q ? quantityString(q) : value;
}

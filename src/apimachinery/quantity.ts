/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): a signed decimal number
 * with a binary (Ki…Ei), decimal (n, u, m, k, M…E) or exponent (e3, E-2) suffix. Held exactly as
 * mant × 10^exp, as ParseQuantity leaves it: rounded away from zero to whole nano units, and a
 * binary one capped at the int64 maximum. The exponent stays apart and is multiplied out only where
 * a result needs it, so `1e1000000` costs what `1` costs (a power of ten that size would stall the
 * server for minutes).
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  mant: bigint;
  exp: number;
  /** The format its text was written in, which its canonical text keeps (resource.Format). */
  format: QuantityFormat;
  text: string;
}

/** A suffix's meaning: binary, a power of two (10 for Ki … 60 for Ei); else a power of ten. */
export interface QuantityUnit {
  binary: boolean;
  exponent: number;
}

const NANO_EXP = -9;
const MAX_INT64 = 2n ** 63n - 1n;
/** How far apart two exponents may be for a sum (CEL's add/sub): the power of ten it needs stays cheap. */
const MAX_ALIGNMENT = 10_000;

const abs = (n: bigint) => (n < 0n ? -n : n);
const digitCount = (n: bigint) => abs(n).toString().length;
const pow10 = (n: number) => 10n ** BigInt(n);

/** ParseQuantity's rounding: finer than a nano unit rounds away from zero. */
function roundToNano(mant: bigint, exp: number): [bigint, number] {
  if (exp >= NANO_EXP) return [mant, exp];
  const places = NANO_EXP - exp;
  if (places > digitCount(mant)) return [mant < 0n ? -1n : 1n, NANO_EXP];
  const p = pow10(places);
  const q = mant / p;
  return [q * p === mant ? q : q + (mant < 0n ? -1n : 1n), NANO_EXP];
}

function make(mant: bigint, exp: number, format: QuantityFormat, text: string): Quantity {
  if (mant === 0n) return { mant, exp: 0, format, text };
  [mant, exp] = roundToNano(mant, exp);
  // A binary quantity beyond int64 is capped at its maximum, keeping its sign.
  if (format === 'BinarySI' && compareQuantities({ mant: abs(mant), exp, format, text }, { mant: MAX_INT64, exp: 0, format, text }) > 0) {
    [mant, exp] = [mant < 0n ? -MAX_INT64 : MAX_INT64, 0];
  }
  return { mant, exp, format, text };
}

/**
 * A quantity from its written parts: its sign, the digits before and after the point (either may be
 * empty) and its suffix's unit; `exponentSuffix` when the suffix was an exponent (e3, E-2).
 */
export function quantityFromParts(
  negative: boolean,
  whole: string,
  fraction: string,
  unit: QuantityUnit,
  exponentSuffix: boolean,
  text: string,
): Quantity {
  let mant = BigInt(`${whole}${fraction}` || '0');
  let exp = -fraction.length;
  if (unit.binary) mant <<= BigInt(unit.exponent);
  else exp += unit.exponent;
  if (negative) mant = -mant;
  return make(mant, exp, unit.binary ? 'BinarySI' : exponentSuffix ? 'DecimalExponent' : 'DecimalSI', text);
}

const FORM = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The suffix's unit, given the suffix is one the grammar allows. */
function unitOf(suffix: string): QuantityUnit {
  if (suffix in BINARY) return { binary: true, exponent: BINARY[suffix] };
  if (suffix in DECIMAL) return { binary: false, exponent: DECIMAL[suffix] };
  return { binary: false, exponent: Number(suffix.slice(1)) };
}

/** A quantity in the strict form the CEL library and printers read (digits required); undefined otherwise. */
export function parseQuantity(text: string): Quantity | undefined {
  const m = FORM.exec(text);
  if (!m || (m[2] === '' && !m[3])) return undefined;
  const suffix = m[4] ?? '';
  return quantityFromParts(m[1] === '-', m[2], m[3] ?? '', unitOf(suffix), suffix.length > 1 && /^[eE]/.test(suffix), text);
}

export const isQuantity = (text: string): boolean => parseQuantity(text) !== undefined;

export const quantityOf = (i: bigint): Quantity => make(i, 0, 'DecimalSI', i.toString());

/** Whether the quantity is a whole number. */
export function isWholeQuantity(q: Quantity): boolean {
  return q.exp >= 0 || q.mant % pow10(-q.exp) === 0n;
}

/** The quantity as an int64 when it is a whole number in range, else undefined. */
export function quantityInteger(q: Quantity): bigint | undefined {
  if (!isWholeQuantity(q)) return undefined;
  if (q.exp >= 0 && digitCount(q.mant) + q.exp > 19) return undefined;
  const i = q.exp >= 0 ? q.mant * pow10(q.exp) : q.mant / pow10(-q.exp);
  return i >= -(2n ** 63n) && i < 2n ** 63n ? i : undefined;
}

/** Quantity.Value(): rounded up to a whole number; undefined beyond int64. */
export function quantityValue(q: Quantity): bigint | undefined {
  if (q.exp >= 0) return quantityInteger(q);
  const p = pow10(-q.exp);
  const whole = q.mant / p;
  return quantityInteger(quantityOf(whole * p === q.mant || q.mant < 0n ? whole : whole + 1n));
}

export const quantityFloat = (q: Quantity): number => Number(`${q.mant}e${q.exp}`);

export function compareQuantities(a: Quantity, b: Quantity): number {
  const sa = a.mant < 0n ? -1 : a.mant > 0n ? 1 : 0;
  const sb = b.mant < 0n ? -1 : b.mant > 0n ? 1 : 0;
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // The order of magnitude decides first; where it is the same, the exponents are close.
  const ma = digitCount(a.mant) + a.exp;
  const mb = digitCount(b.mant) + b.exp;
  if (ma !== mb) return ma < mb ? -sa : sa;
  const e = Math.min(a.exp, b.exp);
  const x = a.mant * pow10(a.exp - e);
  const y = b.mant * pow10(b.exp - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a + b, or a − b; an error when their exponents are too far apart to align cheaply. */
export function addQuantities(a: Quantity, b: Quantity, subtract = false): Quantity {
  const e = Math.min(a.exp, b.exp);
  if (Math.max(a.exp, b.exp) - e > MAX_ALIGNMENT) throw new Error('quantity out of range');
  const mant = a.mant * pow10(a.exp - e) + (subtract ? -1n : 1n) * b.mant * pow10(b.exp - e);
  return make(mant, e, 'DecimalSI', plainText(mant, e));
}

/** mant × 10^exp written so parseQuantity reads it back: a plain decimal, or with an exponent when exp > 0. */
function plainText(mant: bigint, exp: number): string {
  if (exp > 0) return `${mant}e${exp}`;
  if (exp === 0) return `${mant}`;
  const digits = abs(mant)
    .toString()
    .padStart(-exp + 1, '0');
  const fraction = digits.slice(exp).replace(/0+$/, '');
  return `${mant < 0n ? '-' : ''}${digits.slice(0, exp)}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource) as exact rationals for
 * the CEL quantity library: a signed decimal number with a binary (Ki…Ei), decimal (n, u, m, k,
 * M…E) or exponent (e3, E-2) suffix, held as num/den with den a power of ten.
 */
export interface Quantity {
  num: bigint;
  den: bigint;
  text: string;
}

const FORM = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

export function parseQuantity(text: string): Quantity | undefined {
  const m = FORM.exec(text);
  if (!m) return undefined;
  const [whole, frac = ''] = m[1].replace(/^[+-]/, '').split('.');
  let num = BigInt(`${whole || '0'}${frac}`) * (m[1].startsWith('-') ? -1n : 1n);
  let den = 10n ** BigInt(frac.length);
  const suffix = m[2] ?? '';
  let exp = 0;
  if (suffix in BINARY) num *= 1024n ** BigInt(BINARY[suffix]);
  else if (suffix in DECIMAL) exp = DECIMAL[suffix];
  else if (suffix) exp = Number(suffix.slice(1));
  if (exp >= 0) num *= 10n ** BigInt(exp);
  else den *= 10n ** BigInt(-exp);
  return { num, den, text };
}

export const isQuantity = (text: string): boolean => parseQuantity(text) !== undefined;

export const quantityOf = (i: bigint): Quantity => ({ num: i, den: 1n, text: i.toString() });

/** The quantity as an int64 when it is a whole number in range, else undefined. */
export function quantityInteger(q: Quantity): bigint | undefined {
  if (q.num % q.den !== 0n) return undefined;
  const i = q.num / q.den;
  return i >= -(2n ** 63n) && i < 2n ** 63n ? i : undefined;
}

export const quantityFloat = (q: Quantity): number => Number(q.num) / Number(q.den);

export function compareQuantities(a: Quantity, b: Quantity): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

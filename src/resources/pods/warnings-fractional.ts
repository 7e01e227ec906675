/**
 * The "fractional byte value" warning of pkg/api/pod and pkg/api/persistentvolumeclaim: a memory,
 * ephemeral-storage or storage quantity whose MilliValue (rounded up to a whole milli unit) is not a
 * whole number of bytes, quoted (%q) in its canonical text.
 */
import type { FieldPath } from '../../apimachinery/field-errors.js';
import { parseQuantity } from '../../apimachinery/quantity.js';
import { quantityString } from '../../apimachinery/quantity-string.js';
import { goQuote } from '../../apimachinery/go-quote.js';

/** Whether MilliValue() % 1000 != 0: the quantity in milli units, rounded up, is not whole bytes. */
function hasFractionalBytes(mant: bigint, exp: number): boolean {
  const milliExp = exp + 3;
  if (milliExp >= 3) return false;
  if (milliExp >= 0) return (mant * 10n ** BigInt(milliExp)) % 1000n !== 0n;
  const divisor = 10n ** BigInt(-milliExp);
  let milli = mant / divisor;
  if (milli * divisor !== mant) milli += mant < 0n ? -1n : 1n;
  return milli % 1000n !== 0n;
}

/** Appends the warning for the quantity at `at` when it is fractional; nothing when absent or unparsable. */
export function warnFractionalBytes(value: unknown, at: FieldPath, warnings: string[]): void {
  if (typeof value !== 'string' && typeof value !== 'number') return;
  const quantity = parseQuantity(String(value));
  if (!quantity || !hasFractionalBytes(quantity.mant, quantity.exp)) return;
  warnings.push(`${String(at)}: fractional byte value ${goQuote(quantityString(quantity))} is invalid, must be an integer`);
}

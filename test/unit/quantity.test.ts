/** resource.Quantity held as mant × 10^exp: parsing, ParseQuantity's rounding and cap, comparison, sums and the canonical text. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readGoQuantity } from '../../src/apimachinery/go-quantity.js';
import {
  addQuantities,
  compareQuantities,
  parseQuantity,
  quantityFloat,
  quantityInteger,
  quantityValue,
} from '../../src/apimachinery/quantity.js';
import { quantityString } from '../../src/apimachinery/quantity-string.js';

const q = (text: string) => {
  const parsed = parseQuantity(text);
  assert.ok(parsed, text);
  return parsed;
};
const canonical = (value: unknown) => {
  const read = readGoQuantity(value);
  assert.equal(read.error, undefined, String(value));
  return quantityString(read.quantity!);
};

describe('quantities', () => {
  it('print as resource.Quantity.String() does, in the format they were written in', () => {
    const cases: Array<[unknown, string]> = [
      ['1000m', '1'],
      ['0.5', '500m'],
      ['0.1', '100m'],
      ['-0.5', '-500m'],
      ['1500m', '1500m'],
      ['1000', '1k'],
      ['1500', '1500'],
      ['1024Mi', '1Gi'],
      ['1.5Gi', '1536Mi'],
      ['1.5Ki', '1536'],
      ['0.5Ki', '512'],
      ['2000Ki', '2000Ki'],
      ['1e3', '1e3'],
      ['12e6', '12e6'],
      ['1000e-3', '1'],
      ['1E', '1E'],
      ['1000E', '1000E'],
      [2, '2'],
      [0.25, '250m'],
      // ParseQuantity rounds what is finer than a nano unit away from zero.
      ['1e-30', '1e-9'],
      ['0.0000000001', '1n'],
      ['-0.0000000001', '-1n'],
      // Go's lenient reader takes these as zero.
      ['-', '0'],
      ['.', '0'],
      ['Ki', '0'],
      // A binary quantity beyond int64 is capped at its maximum.
      ['99999999999999999999Ki', '9223372036854775807'],
    ];
    for (const [text, want] of cases) assert.equal(canonical(text), want, String(text));
  });

  it('keep a huge exponent as an exponent: no power of ten that size is ever computed', { timeout: 10_000 }, () => {
    assert.equal(canonical('1e1000000'), '10e999999');
    assert.equal(canonical('1e-1000000'), '1e-9');
    assert.equal(quantityInteger(q('1e1000000')), undefined);
    assert.equal(quantityValue(q('1e1000000')), undefined);
    assert.equal(quantityFloat(q('1e1000000')), Infinity);
    assert.equal(compareQuantities(q('1e1000000'), q('8Ei')), 1);
    assert.equal(compareQuantities(q('-1e1000000'), q('-1')), -1);
    assert.equal(compareQuantities(q('1e1000000'), q('1e1000001')), -1);
    assert.throws(() => addQuantities(q('1e1000000'), q('1')), /out of range/);
  });

  it('compare by value whatever the suffix', () => {
    assert.equal(compareQuantities(q('1000m'), q('1')), 0);
    assert.equal(compareQuantities(q('1Ki'), q('1024')), 0);
    assert.equal(compareQuantities(q('1n'), q('1e-30')), 0);
    assert.equal(compareQuantities(q('999m'), q('1')), -1);
    assert.equal(compareQuantities(q('1.5Gi'), q('1536Mi')), 0);
    assert.equal(compareQuantities(q('-2'), q('1')), -1);
    assert.equal(compareQuantities(q('0'), q('0e99')), 0);
  });

  it('read as integers only when whole and within int64', () => {
    assert.equal(quantityInteger(q('1e3')), 1000n);
    assert.equal(quantityInteger(q('2Ki')), 2048n);
    assert.equal(quantityInteger(q('1.5')), undefined);
    assert.equal(quantityInteger(q('0e99999')), 0n);
    assert.equal(quantityInteger(q('9223372036854775807')), 9223372036854775807n);
    assert.equal(quantityInteger(q('9223372036854775808')), undefined);
    assert.equal(quantityValue(q('1.2')), 2n);
  });

  it('add and subtract exactly', () => {
    assert.equal(quantityString(addQuantities(q('1'), q('500m'))), '1500m');
    assert.equal(quantityString(addQuantities(q('1Ki'), q('24'), true)), '1k');
    assert.equal(compareQuantities(addQuantities(q('1e3'), q('1')), q('1001')), 0);
  });

  it('refuse what is not a quantity', () => {
    for (const text of ['', '.', '-', 'Ki', '1x', '1.2.3', 'e3']) assert.equal(parseQuantity(text), undefined, text);
  });
});

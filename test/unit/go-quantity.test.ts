/** goQuantityError: resource.Quantity's JSON decoding, its three errors and the leniencies Go's reader has. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readGoQuantity } from '../../src/apimachinery/go-quantity.js';

const goQuantityError = (value: unknown) => readGoQuantity(value).error;

const FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

test('quantities Go reads, including its lenient forms', () => {
  for (const ok of [
    '0',
    '100m',
    '1Gi',
    '0.5Gi',
    '1.5',
    '-1',
    '+1',
    '1e3',
    '1E',
    '1e+3',
    '1.',
    '.5',
    ' 2 ',
    '1Ki ',
    '-',
    '.',
    'Ki',
    '1n',
    5,
    1.5,
    null,
  ])
    assert.equal(goQuantityError(ok), undefined, JSON.stringify(ok));
});

test('a text that is not a quantity fails as ParseQuantity fails', () => {
  const cases: [unknown, string][] = [
    ['abc', FORMAT],
    ['1x', FORMAT],
    ['1.5.5', FORMAT],
    ['', FORMAT],
    ['1 Ki', FORMAT],
    [true, FORMAT],
    [{ a: 1 }, FORMAT],
    ['1KK', "unable to parse quantity's suffix"],
    ['1e', "unable to parse quantity's suffix"],
    ['1i', "unable to parse quantity's suffix"],
    ['.e-20', 'unable to parse numeric part of quantity'], // too small for an int64: the decimal reader wants a digit
  ];
  for (const [value, error] of cases) assert.equal(goQuantityError(value), error, JSON.stringify(value));
});

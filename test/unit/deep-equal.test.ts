import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepEqual } from '../../src/apimachinery/object.js';

test('deepEqual: JSON values equal in content whatever the key order; undefined keys are absent keys', () => {
  const equal: [unknown, unknown][] = [
    [{ a: 1, b: undefined }, { a: 1 }],
    [{ a: 1 }, { a: 1, c: undefined }],
    [
      { a: [1, { x: null }], b: 'y' },
      { b: 'y', a: [1, { x: null }] },
    ],
    [null, null],
    ['a', 'a'],
  ];
  const different: [unknown, unknown][] = [
    [{ a: 1 }, { b: 1 }],
    [{ a: 1 }, { a: 1, b: 2 }],
    [{ a: null }, { a: undefined }],
    [{}, []],
    [{ a: { b: { c: 'x' } } }, { a: { b: { c: 'y' } } }],
    [{ a: 1 }, { a: '1' }],
    [
      [1, 2],
      [2, 1],
    ],
    [null, {}],
  ];
  for (const [a, b] of equal) {
    assert.ok(deepEqual(a, b), JSON.stringify([a, b]));
    assert.ok(deepEqual(b, a), JSON.stringify([b, a]));
  }
  for (const [a, b] of different) {
    assert.ok(!deepEqual(a, b), JSON.stringify([a, b]));
    assert.ok(!deepEqual(b, a), JSON.stringify([b, a]));
  }
});

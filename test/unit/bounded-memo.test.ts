/** One remembered answer per key, up to a bound; undefined answers are remembered too, thrown errors are not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundedMemo } from '../../src/apimachinery/bounded-memo.js';

test('each key is answered once until the table fills, then afresh', () => {
  const asked: string[] = [];
  const upper = boundedMemo((s: string) => (asked.push(s), s.toUpperCase()), 2);
  assert.equal(upper('a'), 'A');
  assert.equal(upper('a'), 'A');
  assert.equal(upper('b'), 'B');
  assert.deepEqual(asked, ['a', 'b']);
  assert.equal(upper('c'), 'C', 'a third key: the table starts afresh');
  assert.equal(upper('a'), 'A');
  assert.deepEqual(asked, ['a', 'b', 'c', 'a']);
});

test('an undefined answer is remembered; a thrown error is not', () => {
  let calls = 0;
  const parse = boundedMemo((s: string) => {
    calls++;
    if (s === 'bad') throw new Error('bad');
    return s === 'none' ? undefined : s.length;
  }, 10);
  assert.equal(parse('none'), undefined);
  assert.equal(parse('none'), undefined);
  assert.equal(calls, 1);
  assert.throws(() => parse('bad'));
  assert.throws(() => parse('bad'));
  assert.equal(calls, 3);
});

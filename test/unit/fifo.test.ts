/** The head-indexed queue behind the work queue, the Event expiry and the watch fan-out (src/apimachinery/fifo.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fifo } from '../../src/apimachinery/fifo.js';

test('hands items out first in, first out, across the cut of its spent head, with peek, iteration and length agreeing', () => {
  const q = new Fifo<number>();
  assert.equal(q.shift(), undefined);
  assert.equal(q.peek(), undefined);
  for (let i = 0; i < 5000; i++) q.push(i);
  const out: number[] = [];
  for (let i = 0; i < 3000; i++) out.push(q.shift()!);
  for (let i = 5000; i < 5100; i++) q.push(i);
  assert.equal(q.length, 2100);
  assert.equal(q.peek(), 3000);
  assert.deepEqual(
    [...q],
    Array.from({ length: 2100 }, (_, i) => 3000 + i),
  );
  while (q.length) out.push(q.shift()!);
  assert.deepEqual(
    out,
    Array.from({ length: 5100 }, (_, i) => i),
  );
  assert.equal(q.shift(), undefined);
});

test('retain keeps the pending items that pass, in order; replace makes new ones pending', () => {
  const q = new Fifo<number>();
  for (let i = 0; i < 10; i++) q.push(i);
  q.shift();
  q.retain((n) => n % 2 === 0);
  assert.deepEqual([...q], [2, 4, 6, 8]);
  q.replace([7, 8]);
  q.push(9);
  assert.deepEqual([q.shift(), q.shift(), q.shift(), q.shift()], [7, 8, 9, undefined]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slowStartBatches } from '../../src/controllers/runtime/slow-start.js';

/** Runs slowStartBatches over 0..n-1 with the given failing items; returns the attempts in order. */
function run(n: number, failing: number[] = []): { attempted: number; calls: number[] } {
  const calls: number[] = [];
  const attempted = slowStartBatches(
    Array.from({ length: n }, (_, i) => i),
    (i) => {
      calls.push(i);
      return !failing.includes(i);
    },
  );
  return { attempted, calls };
}

test('without failures every item is attempted, in order, in batches of 1, 2, 4, …', () => {
  assert.deepEqual(run(10), { attempted: 10, calls: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
  assert.deepEqual(run(0), { attempted: 0, calls: [] });
});

test('a failure ends the slow start after the batch it happened in', () => {
  assert.deepEqual(run(10, [0]).calls, [0], 'the first batch is one item');
  assert.deepEqual(run(10, [1]).calls, [0, 1, 2], 'the second batch (1–2) is finished');
  assert.deepEqual(run(10, [4]).calls, [0, 1, 2, 3, 4, 5, 6], 'the third batch (3–6) is finished');
  assert.deepEqual(run(10, [8]).calls, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'the last batch is what is left (7–9)');
});

test("each batch's attempts run inside one call of `together` (one transaction per batch on etcd)", () => {
  const batches: number[][] = [];
  let open: number[] | undefined;
  slowStartBatches(
    Array.from({ length: 10 }, (_, i) => i),
    (i) => {
      assert.ok(open, 'attempted inside together');
      open.push(i);
      return true;
    },
    (batch) => {
      open = [];
      batch();
      batches.push(open);
      open = undefined;
    },
  );
  assert.deepEqual(batches, [[0], [1, 2], [3, 4, 5, 6], [7, 8, 9]]);
});

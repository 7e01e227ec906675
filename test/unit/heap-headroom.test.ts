/** The bound on the heap's growth the command sets with --writer-thread (src/heap-headroom.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { boundHeapGrowth, growingPercentFor } from '../../src/heap-headroom.js';
import { waitFor } from '../helpers/eventually.js';

const MB = 1024 * 1024;

test('V8 decides while its largest factor (4) stays within the headroom; above, the growth is the headroom', () => {
  assert.equal(growingPercentFor(0, 256 * MB), 0);
  assert.equal(growingPercentFor(50 * MB, 256 * MB), 0, '50 MB may grow to 200 MB: within 256 MB more');
  assert.equal(growingPercentFor(85 * MB, 256 * MB), 0);
  assert.equal(growingPercentFor(100 * MB, 256 * MB), 256, '100 MB grows by 256 MB at most: 256%');
  assert.equal(growingPercentFor(512 * MB, 256 * MB), 50);
  assert.equal(growingPercentFor(4096 * MB, 256 * MB), 25, 'never below 25%: a full collection per few MB would cost more');
});

test('after a full collection the growing percent is set from what it kept, and stopping hands the choice back to V8', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const set: string[] = [];
  // A headroom so small that any live heap is over it: the smallest growth is set.
  const stop = boundHeapGrowth({ headroomBytes: 1, setFlags: (f) => set.push(f) });
  try {
    gc();
    await waitFor(() => assert.deepEqual(set, ['--heap-growing-percent=25']));
    gc();
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(set, ['--heap-growing-percent=25'], 'the same percent is not set again');
  } finally {
    stop();
  }
  assert.deepEqual(set, ['--heap-growing-percent=25', '--heap-growing-percent=0']);
});

test('a headroom the live heap stays well within leaves V8 its own factor (nothing set)', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const set: string[] = [];
  const stop = boundHeapGrowth({ headroomBytes: 1024 * 1024 * MB, setFlags: (f) => set.push(f) });
  gc();
  await new Promise((r) => setTimeout(r, 50));
  stop();
  assert.deepEqual(set, []);
});

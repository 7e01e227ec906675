/** Nodes fall into kubelet shards by 32-bit FNV-1a of their names: stable across processes and versions, and even. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shardOf } from '../../src/kubelet/shards/shard-of.js';

test('the hash is 32-bit FNV-1a of the UTF-8 name (its published test vectors)', () => {
  assert.equal(shardOf('', 2 ** 32), 0x811c9dc5);
  assert.equal(shardOf('a', 2 ** 32), 0xe40c292c);
  assert.equal(shardOf('foobar', 2 ** 32), 0xbf9cf968);
});

test('node names spread evenly over the shards', () => {
  const counts = new Array<number>(8).fill(0);
  for (let i = 1; i <= 8000; i++) counts[shardOf(`node-${i}`, 8)]++;
  for (const c of counts) assert.ok(c > 900 && c < 1100, `${counts.join()}`);
  assert.deepEqual(
    ['node-1', 'node-2', 'node-3'].map((n) => shardOf(n, 8)),
    [3, 6, 1],
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadCache } from '../../src/storage/read-cache.js';

const row = (rv: number, chars: number) => ({ rv, body: 'x'.repeat(chars) });

test('the read cache keeps rows up to its size in characters, dropping the oldest first', () => {
  const cache = new ReadCache(100);
  cache.remember('a', row(1, 40));
  cache.remember('b', row(2, 40));
  assert.equal(cache.size, 2);
  cache.remember('c', row(3, 40));
  assert.equal(cache.get('a'), undefined, 'the oldest went');
  assert.equal(cache.get('b')?.rv, 2);
  assert.equal(cache.get('c')?.rv, 3);
  cache.remember('b', row(4, 10));
  cache.remember('d', row(5, 50));
  assert.equal(cache.get('c')?.rv, 3, 'b was remembered again: c is now the oldest and 10 + 40 + 50 fit');
  assert.equal(cache.get('b')?.rv, 4);
  cache.remember('e', row(6, 101));
  assert.equal(cache.get('e'), undefined, 'a body larger than the whole cache is not kept');
  assert.equal(cache.size, 3);
  cache.forget('c');
  cache.forget('nothing');
  assert.equal(cache.size, 2);
  cache.clear();
  assert.equal(cache.size, 0);
  cache.remember('f', row(7, 100));
  assert.equal(cache.get('f')?.rv, 7, 'after a clear the whole size is free again');
});

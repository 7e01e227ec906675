import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyFilter } from '../../src/storage/key-filter.js';

const key = (i: number) => `events/default/pod-${i}.18c1f${i.toString(16)}`;

test('the key filter never forgets a key added, and at capacity says "maybe" to few keys it never saw', () => {
  const filter = new KeyFilter(10_000);
  for (let i = 0; i < 10_000; i++) filter.add(key(i));
  for (let i = 0; i < 10_000; i++) assert.equal(filter.mayHave(key(i)), true, key(i));
  let maybe = 0;
  for (let i = 10_000; i < 110_000; i++) if (filter.mayHave(key(i))) maybe++;
  assert.ok(maybe < 2_000, `${maybe} of 100,000 absent keys answered "maybe" (sized for under 1%)`);
  assert.ok(maybe > 0, 'a Bloom filter of this size does answer "maybe" to some');
  assert.equal(filter.full(), false);
  filter.add(key(10_000));
  assert.equal(filter.full(), true, 'one key more than its capacity');
  assert.equal(new KeyFilter(16).mayHave('pods/default/a'), false, 'an empty filter knows no key');
});

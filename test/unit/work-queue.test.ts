import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../../src/controllers/runtime/work-queue.js';
import { ManualClock } from '../../src/apimachinery/clock.js';

async function drain(q: WorkQueue, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = (await q.get())!;
    out.push(key);
    q.done(key);
  }
  return out;
}

test('a long queue hands keys out first-in first-out, each once, across its internal compaction', async () => {
  const q = new WorkQueue(new ManualClock(0));
  const keys = Array.from({ length: 5000 }, (_, i) => `ns/pod-${i}`);
  for (const k of keys) q.add(k);
  for (const k of keys) q.add(k); // duplicates of queued keys are dropped
  assert.equal(q.length, 5000);
  const first = await drain(q, 3000);
  for (let i = 0; i < 100; i++) q.add(`late-${i}`);
  const rest = await drain(q, 2100);
  assert.deepEqual([...first, ...rest], [...keys, ...Array.from({ length: 100 }, (_, i) => `late-${i}`)]);
  assert.equal(q.length, 0);
  assert.ok(q.idle);
});

test('a key added while it is processed comes back once after done, never twice at a time', async () => {
  const q = new WorkQueue(new ManualClock(0));
  q.add('a');
  const key = await q.get();
  q.add('a');
  q.add('a');
  assert.equal(q.length, 0, 'not handed out again while processing');
  q.done(key!);
  assert.equal(q.length, 1);
  assert.deepEqual(await drain(q, 1), ['a']);
  assert.ok(q.idle);
});

test('take hands out a queued key at once, as get does, and nothing when the queue is empty or shut down', () => {
  const q = new WorkQueue(new ManualClock(0));
  assert.equal(q.take(), undefined);
  q.add('a');
  q.add('b');
  assert.equal(q.take(), 'a');
  // A key being processed is not handed out again; added meanwhile, it comes back after done.
  q.add('a');
  assert.equal(q.take(), 'b');
  assert.equal(q.take(), undefined);
  q.done('a');
  assert.equal(q.take(), 'a');
  q.done('a');
  q.done('b');
  q.add('c');
  q.shutDown();
  assert.equal(q.take(), undefined);
});

test("the metrics see each key's wait from its add and its work from its take, a key added again while processed from its done", async () => {
  const seen: string[] = [];
  const q = new WorkQueue(new ManualClock(0), undefined, {
    added: () => seen.push('added'),
    depth: (n) => seen.push(`depth ${n}`),
    waited: (s) => seen.push(`waited ${s >= 0.05 ? 'long' : 'short'}`),
    worked: (s) => seen.push(`worked ${s >= 0.05 ? 'long' : 'short'}`),
    retried: () => seen.push('retried'),
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // Long: 100 ms or more apart; short: within one synchronous step (a stall of 50 ms would be needed to read long).
  q.add('a');
  await sleep(100);
  assert.equal(q.take(), 'a');
  q.add('a');
  q.done('a');
  assert.equal(q.take(), 'a');
  await sleep(100);
  q.done('a');
  q.done('a'); // not being processed: nothing to observe
  assert.deepEqual(seen, [
    'added',
    'depth 1',
    'depth 0',
    'waited long',
    'worked short',
    'added',
    'depth 1',
    'depth 0',
    'waited short',
    'worked long',
  ]);
  assert.ok(q.idle);
});

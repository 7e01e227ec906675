/**
 * Pacing of expensive reconciles: it only makes room for other work. A heavy key changed while
 * nothing else is queued runs at once; paced keys are released when the queues run dry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';
import { Manager } from '../../src/controllers/runtime/manager.js';
import type { Controller } from '../../src/controllers/runtime/controller.js';
import { WorkQueue } from '../../src/controllers/runtime/work-queue.js';
import { ManualClock } from '../../src/apimachinery/clock.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const SERVICE = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ port: 80 }] } };

test('flushPacing queues every paced key at once, each once', async () => {
  const q = new WorkQueue(new ManualClock(0));
  q.addAfterReal('a', 60_000);
  q.addAfterReal('b', 60_000);
  q.addAfterReal('a', 60_000);
  assert.ok(q.pacing);
  assert.equal(q.length, 0);
  q.flushPacing();
  assert.ok(!q.pacing, 'no timer left behind');
  assert.equal(q.length, 2);
});

test('a heavy key changed while every queue is empty is reconciled at once, not after its pacing delay', async (t) => {
  const { kubemock } = await buildTestApp(t);
  const runs: string[] = [];
  const heavy: Controller = {
    name: 'heavy',
    caches: [],
    watches: [{ resource: 'services', keys: (ev) => [ev.name] }],
    initialKeys: () => [],
    reconcile(key) {
      runs.push(key);
      busy(30); // 30 ms: paced for up to 80 × 30 ms (capped at 1 s) after it ends
    },
  };
  const manager = new Manager(kubemock.registry, new ManualClock(0), { error() {}, warn() {}, info() {}, debug() {} });
  manager.add(heavy);
  manager.start();
  t.after(() => manager.stop());
  const services = kubemock.registry.store('services');
  services.create(structuredClone(SERVICE));
  await turn();
  assert.deepEqual(runs, ['s']);
  services.patch('default', 's', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { v: '2' } } }));
  await turn();
  assert.deepEqual(runs, ['s', 's'], 'the second change ran on the next turn: nothing else was waiting');
});

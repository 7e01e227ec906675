import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/apimachinery/clock.js';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { ORPHAN_QUARANTINE_MS } from '../../src/controllers/pod-gc/controller.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const PODS = '/api/v1/namespaces/default/pods';

const pod = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...meta },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

/** A manual clock: the quarantine passes when the test says so, and no kubelet timer fires meanwhile. */
async function setup(t: TestContext) {
  const clock = new ManualClock();
  const app = await buildTestApp(t, { controllers: true, clock });
  await app.kubemock.ensureNodes(2);
  const seen: KubeObject[] = [];
  const unsubscribe = app.kubemock.registry.hub.subscribe('pods', (ev) => {
    if (ev.type !== 'DELETED') seen.push(ev.object);
  });
  t.after(unsubscribe);
  return { app, clock, seen };
}

async function created(app: TestApp, body: object) {
  const res = await app.http.post(PODS).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

async function passTime(app: TestApp, clock: ManualClock, ms: number) {
  await app.kubemock.manager!.waitIdle();
  clock.advance(ms);
  await app.kubemock.manager!.waitIdle();
}

test('pods bound to a deleted node are marked Failed with DisruptionTarget, then force-deleted after the quarantine', async (t) => {
  const { app, clock, seen } = await setup(t);
  await created(app, pod('on-2', { nodeName: 'node-2' }));
  await created(app, pod('on-1', { nodeName: 'node-1' }));
  assert.equal((await app.http.delete('/api/v1/nodes/node-2')).status, 200);
  await passTime(app, clock, ORPHAN_QUARANTINE_MS / 2);
  assert.equal((await app.http.get(`${PODS}/on-2`)).status, 200, 'still in quarantine');

  await passTime(app, clock, ORPHAN_QUARANTINE_MS);
  assert.equal((await app.http.get(`${PODS}/on-2`)).status, 404);
  assert.equal((await app.http.get(`${PODS}/on-1`)).status, 200, 'pods on live nodes stay');
  const last = seen.filter((p) => p.metadata.name === 'on-2').at(-1) as KubeObject & {
    status: { phase: string; conditions: Record<string, unknown>[] };
  };
  assert.equal(last.status.phase, 'Failed');
  const condition = last.status.conditions.find((c) => c.type === 'DisruptionTarget');
  assert.deepEqual(condition && { status: condition.status, reason: condition.reason, message: condition.message }, {
    status: 'True',
    reason: 'DeletionByPodGC',
    message: 'PodGC: node no longer exists',
  });
});

test('a pod bound to a node that never existed goes the same way; a node that comes back saves its pods', async (t) => {
  const { app, clock } = await setup(t);
  await created(app, pod('lost', { nodeName: 'node-9' }));
  await created(app, pod('back', { nodeName: 'node-3' }));
  await passTime(app, clock, ORPHAN_QUARANTINE_MS / 2);
  await app.kubemock.ensureNodes(3);
  await passTime(app, clock, ORPHAN_QUARANTINE_MS);
  assert.equal((await app.http.get(`${PODS}/lost`)).status, 404);
  assert.equal((await app.http.get(`${PODS}/back`)).status, 200);
});

test('a terminating pod that was never scheduled is marked Failed and force-deleted', async (t) => {
  const { app } = await setup(t);
  // A node selector nothing matches keeps it unscheduled.
  await created(app, pod('held', { nodeSelector: { 'example.com/none': 'none' } }, { finalizers: ['example.com/hold'] }));
  assert.equal((await app.http.delete(`${PODS}/held`)).status, 200);
  await app.kubemock.manager!.waitIdle();
  const held = (await app.http.get(`${PODS}/held`)).body;
  assert.equal(held.status.phase, 'Failed');
  assert.equal(held.metadata.deletionGracePeriodSeconds, 0);
  await app.http
    .patch(`${PODS}/held`)
    .set('content-type', 'application/merge-patch+json')
    .send({ metadata: { finalizers: null } });
  await app.kubemock.manager!.waitIdle();
  assert.equal((await app.http.get(`${PODS}/held`)).status, 404);
});

test('terminating pods on a NotReady node are force-deleted once it is tainted out-of-service', async (t) => {
  const { app } = await setup(t);
  await created(app, pod('stuck', { nodeName: 'node-1', terminationGracePeriodSeconds: 300 }));
  // Its kubelet is cut off: nothing on the node stops the pod (a kubelet would at once).
  assert.equal((await app.http.post('/kubemock/v1/chaos').send({ action: 'node-unreachable', node: 'node-1' })).status, 200);
  assert.equal((await app.http.delete(`${PODS}/stuck`)).status, 200);
  const node = (await app.http.get('/api/v1/nodes/node-1')).body;
  node.status.conditions = node.status.conditions.map((c: { type: string }) =>
    c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c,
  );
  assert.equal((await app.http.put('/api/v1/nodes/node-1/status').send(node)).status, 200);
  await app.kubemock.manager!.waitIdle();
  assert.equal((await app.http.get(`${PODS}/stuck`)).status, 200, 'NotReady alone is not enough, as upstream');

  const taint = { spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] } };
  assert.equal((await app.http.patch('/api/v1/nodes/node-1').set('content-type', 'application/merge-patch+json').send(taint)).status, 200);
  await app.kubemock.manager!.waitIdle();
  assert.equal((await app.http.get(`${PODS}/stuck`)).status, 404);
});

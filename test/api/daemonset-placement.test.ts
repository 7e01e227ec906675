/**
 * Where DaemonSet pods run as the cluster changes: node labels against nodeSelector, NoSchedule
 * against NoExecute taints with and without tolerations, NotReady nodes, and a restart of kubemock
 * in the middle of reconciling (no duplicate pod, no lost pod).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';

const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const MERGE = 'application/merge-patch+json';
type Obj = Record<string, any>;

function daemonSet(name: string, spec: Obj = {}): Obj {
  return {
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...spec } },
    },
  };
}

async function cluster(t: TestContext | undefined, nodes: number, db = ':memory:'): Promise<TestApp> {
  const app = await buildTestApp(t, { db, controllers: true, simulation: { podStartupMs: 0, maxTerminationMs: 0 } });
  await app.kubemock.ensureNodes(nodes);
  return app;
}

async function podNodes(app: TestApp, ds: string): Promise<string[]> {
  const res = await app.http.get('/api/v1/namespaces/default/pods').query({ labelSelector: `app=${ds}` });
  return res.body.items
    .filter((p: Obj) => !p.metadata.deletionTimestamp)
    .map((p: Obj) => p.spec.nodeName ?? '?')
    .sort();
}

async function status(app: TestApp, ds: string): Promise<Obj> {
  return (await app.http.get(`${DS}/${ds}`)).body.status;
}

const patchNode = (app: TestApp, name: string, body: Obj) => app.http.patch(`/api/v1/nodes/${name}`).set('content-type', MERGE).send(body);

test('nodeSelector follows node label changes', async (t) => {
  const app = await cluster(t, 3);
  await patchNode(app, 'node-1', { metadata: { labels: { disk: 'ssd' } } });
  await app.http.post(DS).send(daemonSet('ssd', { nodeSelector: { disk: 'ssd' } }));
  await waitFor(async () => assert.deepEqual(await podNodes(app, 'ssd'), ['node-1']));
  await patchNode(app, 'node-2', { metadata: { labels: { disk: 'ssd' } } });
  await waitFor(async () => assert.deepEqual(await podNodes(app, 'ssd'), ['node-1', 'node-2']));
  await patchNode(app, 'node-1', { metadata: { labels: { disk: null } } });
  await waitFor(async () => assert.deepEqual(await podNodes(app, 'ssd'), ['node-2']));
  await waitFor(async () =>
    assert.deepEqual([(await status(app, 'ssd')).desiredNumberScheduled, (await status(app, 'ssd')).numberReady], [1, 1]),
  );
});

test('NoSchedule keeps running pods but places none; NoExecute evicts; tolerations override both', async (t) => {
  const app = await cluster(t, 2);
  await app.http.post(DS).send(daemonSet('plain'));
  await app.http.post(DS).send(daemonSet('tolerant', { tolerations: [{ key: 'dedicated', operator: 'Exists' }] }));
  await waitFor(async () => assert.deepEqual(await podNodes(app, 'plain'), ['node-1', 'node-2']));
  await patchNode(app, 'node-1', { spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] } });
  await waitFor(async () => {
    const s = await status(app, 'plain');
    assert.deepEqual([s.desiredNumberScheduled, s.numberMisscheduled], [1, 1], 'the pod stays, counted as misscheduled');
  });
  assert.deepEqual(await podNodes(app, 'plain'), ['node-1', 'node-2']);
  await patchNode(app, 'node-2', { spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }] } });
  await waitFor(async () => assert.deepEqual(await podNodes(app, 'plain'), ['node-1']));
  await waitFor(async () => assert.deepEqual(await podNodes(app, 'tolerant'), ['node-1', 'node-2']));
  assert.equal((await status(app, 'tolerant')).desiredNumberScheduled, 2);
});

test('a NotReady node drops out of desired; its pod stays and counts as misscheduled', async (t) => {
  const app = await cluster(t, 3);
  await app.http.post(DS).send(daemonSet('agent'));
  await waitFor(async () => assert.equal((await status(app, 'agent')).numberReady, 3));
  const node = (await app.http.get('/api/v1/nodes/node-3')).body;
  const conditions = node.status.conditions.map((c: Obj) =>
    c.type === 'Ready' ? { ...c, status: 'False', reason: 'KubeletNotReady' } : c,
  );
  await app.http.patch('/api/v1/nodes/node-3/status').set('content-type', MERGE).send({ status: { conditions } });
  await waitFor(async () => {
    const s = await status(app, 'agent');
    assert.deepEqual([s.desiredNumberScheduled, s.numberMisscheduled], [2, 1]);
  });
  assert.deepEqual(await podNodes(app, 'agent'), ['node-1', 'node-2', 'node-3']);
});

test('a restart in the middle of reconciling leaves exactly one pod per node', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'kubemock-restart-')), 'k.db');
  const first = await cluster(undefined, 300, db);
  await first.http.post(DS).send(daemonSet('big'));
  // Stop while the controller is still creating (it creates in bursts of 250).
  await waitFor(
    async () =>
      (await first.http.get('/api/v1/namespaces/default/pods').query({ labelSelector: 'app=big', limit: 1 })).body.items.length > 0,
    { intervalMs: 1 },
  );
  await first.kubemock.close();
  const second = await cluster(undefined, 300, db);
  try {
    await waitFor(
      async () => {
        const s = await status(second, 'big');
        assert.deepEqual([s.desiredNumberScheduled, s.currentNumberScheduled, s.numberReady], [300, 300, 300]);
      },
      { timeoutMs: 20_000 },
    );
    const nodes = await podNodes(second, 'big');
    assert.equal(nodes.length, 300, 'no duplicate pod');
    assert.equal(new Set(nodes).size, 300, 'no node without its pod');
  } finally {
    await second.kubemock.close();
  }
});

test("events about a DaemonSet follow client-go's correlator: nine creates, then one combined event, at most 25 writes", async (t) => {
  const app = await cluster(t, 40);
  await app.http.post(DS).send(daemonSet('many'));
  await waitFor(async () => (await status(app, 'many')).numberReady === 40, { timeoutMs: 15_000 });
  const res = await app.http.get('/api/v1/namespaces/default/events').query({ fieldSelector: 'involvedObject.name=many' });
  const events = res.body.items as Obj[];
  const plain = events.filter((e) => /^Created pod: many-/.test(e.message));
  const combined = events.filter((e) => e.message.startsWith('(combined from similar events): Created pod: many-'));
  assert.equal(plain.length, 9, events.map((e) => e.message).join('\n'));
  assert.equal(combined.length, 1);
  assert.equal(combined[0].reason, 'SuccessfulCreate');
  assert.equal(combined[0].count, 25 - 9, 'the source budget (25) ends the count');
  assert.equal(combined[0].reportingComponent, '');
  assert.ok(plain.every((e) => e.count === 1 && e.reportingComponent === 'daemonset-controller'));
  assert.equal((await podNodes(app, 'many')).length, 40, 'every pod was still created');
});

test('a DaemonSet pod for a full node stays Pending with FailedScheduling Too many pods, and is placed once there is room', async (t) => {
  const app = await cluster(t, 2);
  const full = await app.http
    .patch('/api/v1/nodes/node-1/status')
    .set('content-type', MERGE)
    .send({ status: { allocatable: { pods: '1' } } });
  assert.equal(full.status, 200, JSON.stringify(full.body));
  const pods = '/api/v1/namespaces/default/pods';
  const filler = { metadata: { name: 'filler' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] } };
  assert.equal((await app.http.post(pods).send(filler)).status, 201);
  await app.http.post(DS).send(daemonSet('agent'));
  await waitFor(async () => assert.deepEqual(await podNodes(app, 'agent'), ['?', 'node-2']));
  const res = await app.http.get(pods).query({ labelSelector: 'app=agent' });
  const pending = (res.body.items as Obj[]).find((p) => !p.spec.nodeName)!;
  assert.equal(pending.status.phase, 'Pending');
  const message =
    "0/2 nodes are available: 1 Too many pods, 1 node(s) didn't match Pod's node affinity/selector. " +
    'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.';
  const condition = (pending.status.conditions as Obj[]).find((c) => c.type === 'PodScheduled')!;
  assert.deepEqual([condition.status, condition.reason, condition.message], ['False', 'Unschedulable', message]);
  const events = await app.http
    .get('/api/v1/namespaces/default/events')
    .query({ fieldSelector: `involvedObject.name=${pending.metadata.name}` });
  assert.ok(
    (events.body.items as Obj[]).some((e) => e.reason === 'FailedScheduling' && e.message === message),
    JSON.stringify(events.body.items),
  );
  assert.equal((await app.http.delete(`${pods}/filler`).send({ gracePeriodSeconds: 0 })).status, 200);
  await waitFor(async () => assert.deepEqual(await podNodes(app, 'agent'), ['node-1', 'node-2']));
});

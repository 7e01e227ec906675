/**
 * spec.readinessGates: a pod whose gate condition is not True is not Ready
 * (ReadinessGatesNotReady, upstream's message) though its containers are; it turns Ready when a
 * client sets the condition True through pods/status, and not Ready when it is set back; the
 * kubelet never drops the client's condition.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualCluster, type ManualCluster } from '../helpers/manual-cluster.js';

type Obj = Record<string, any>;

const PODS = '/api/v1/namespaces/default/pods';
const GATE = 'example.com/lb-ready';
const SMP = 'application/strategic-merge-patch+json';

const condition = (pod: Obj, type: string): Obj => (pod.status.conditions as Obj[]).find((c) => c.type === type) ?? {};
const brief = (pod: Obj) => (pod.status.conditions as Obj[]).map((c) => `${c.type}=${c.status}`);

async function startGatedPod(c: ManualCluster): Promise<Obj> {
  const res = await c.app.http.post(PODS).send({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], readinessGates: [{ conditionType: GATE }] },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await c.settle();
  await c.pass(1000);
  return c.get(`${PODS}/web`);
}

test('a readiness gate nobody set keeps a running pod not Ready; set True through pods/status (PATCH) it turns Ready; set False (PUT) not Ready again', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 1000 });
  let pod = await startGatedPod(c);
  assert.equal(pod.status.phase, 'Running');
  assert.equal(pod.status.containerStatuses[0].ready, true);
  assert.equal(condition(pod, 'ContainersReady').status, 'True');
  const notReady = condition(pod, 'Ready');
  const containersReadyAt = condition(pod, 'ContainersReady').lastTransitionTime;
  assert.deepEqual(
    [notReady.status, notReady.reason, notReady.message],
    ['False', 'ReadinessGatesNotReady', `corresponding condition of pod readiness gate "${GATE}" does not exist.`],
  );

  await c.pass(5000);
  const patched = await c.app.http
    .patch(`${PODS}/web/status`)
    .set('content-type', SMP)
    .send({ status: { conditions: [{ type: GATE, status: 'True', lastTransitionTime: '2025-01-01T00:00:06Z' }] } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  await c.settle();
  pod = await c.get(`${PODS}/web`);
  const ready = condition(pod, 'Ready');
  assert.deepEqual([ready.status, ready.reason, ready.message], ['True', undefined, undefined]);
  assert.notEqual(ready.lastTransitionTime, notReady.lastTransitionTime, 'the transition time moved');
  assert.equal(condition(pod, 'ContainersReady').lastTransitionTime, containersReadyAt, 'ContainersReady did not change');
  assert.deepEqual(
    brief(pod),
    [`${GATE}=True`, 'PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
    "the client's condition kept, first (as the kubelet orders them)",
  );
  assert.equal(condition(pod, GATE).lastTransitionTime, '2025-01-01T00:00:06Z');

  const table = await c.app.http.get(`${PODS}/web`).set('accept', 'application/json;as=Table;v=v1;g=meta.k8s.io');
  assert.deepEqual(table.body.rows[0].cells.slice(1, 3), ['1/1', 'Running']);

  await c.pass(5000);
  const back = {
    ...pod,
    status: {
      ...pod.status,
      conditions: pod.status.conditions.map((x: Obj) =>
        x.type === GATE ? { ...x, status: 'False', lastTransitionTime: '2025-01-01T00:00:11Z' } : x,
      ),
    },
  };
  const put = await c.app.http.put(`${PODS}/web/status`).send(back);
  assert.equal(put.status, 200, JSON.stringify(put.body));
  await c.settle();
  pod = await c.get(`${PODS}/web`);
  const again = condition(pod, 'Ready');
  assert.deepEqual(
    [again.status, again.reason, again.message],
    ['False', 'ReadinessGatesNotReady', `the status of pod readiness gate "${GATE}" is not "True", but False`],
  );
  assert.notEqual(again.lastTransitionTime, ready.lastTransitionTime);
  assert.equal(condition(pod, GATE).status, 'False');
  assert.equal(condition(pod, 'ContainersReady').status, 'True');

  const rv = pod.metadata.resourceVersion;
  await c.pass(60_000);
  assert.equal((await c.get(`${PODS}/web`)).metadata.resourceVersion, rv, 'nothing more to write');
});

test("a JSON merge patch that replaces the conditions with the gate's alone: the kubelet reports its own again", async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 1000 });
  await startGatedPod(c);
  await c.patch(`${PODS}/web/status`, { status: { conditions: [{ type: GATE, status: 'True' }] } });
  const pod = await c.get(`${PODS}/web`);
  assert.deepEqual(brief(pod), [
    `${GATE}=True`,
    'PodReadyToStartContainers=True',
    'Initialized=True',
    'Ready=True',
    'ContainersReady=True',
    'PodScheduled=True',
  ]);
});

test('a DaemonSet whose pods have a readiness gate nobody sets: pods Running, numberReady 0, numberAvailable 0', async (t) => {
  const c = await manualCluster(t, 2, { podStartupMs: 1000 });
  const res = await c.app.http.post('/apis/apps/v1/namespaces/default/daemonsets').send({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'gated' },
    spec: {
      selector: { matchLabels: { app: 'gated' } },
      template: {
        metadata: { labels: { app: 'gated' } },
        spec: { containers: [{ name: 'c', image: 'nginx' }], readinessGates: [{ conditionType: GATE }] },
      },
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await c.settle();
  await c.pass(3000);
  const pods = (await c.get(`${PODS}?labelSelector=app%3Dgated`)).items as Obj[];
  assert.deepEqual(
    pods.map((p) => [p.status.phase, condition(p, 'Ready').reason]),
    [
      ['Running', 'ReadinessGatesNotReady'],
      ['Running', 'ReadinessGatesNotReady'],
    ],
  );
  const ds = await c.get('/apis/apps/v1/namespaces/default/daemonsets/gated');
  assert.deepEqual(
    [ds.status.desiredNumberScheduled, ds.status.currentNumberScheduled, ds.status.numberReady, ds.status.numberAvailable ?? 0],
    [2, 2, 0, 0],
  );
});

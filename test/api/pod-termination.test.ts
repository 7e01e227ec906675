/**
 * Graceful termination on a manual clock: containers exit on SIGTERM after containerStopMs (the
 * grace period is only the upper bound), a preStop sleep hook runs first, and a pod that ignores
 * SIGTERM (kubemock's annotation, or the pod-ignore-sigterm chaos action) runs to the end of its
 * grace period, capped by maxTerminationMs. A finalizer keeps a pod around after the kubelet's
 * delete, so its last status can be read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualCluster, type ManualCluster } from '../helpers/manual-cluster.js';

const PODS = '/api/v1/namespaces/default/pods';
const IGNORE_SIGTERM = { 'kubemock.io/ignore-sigterm': 'true' };
const HOLD = ['example.com/hold'];
type Obj = Record<string, any>;

function pod(name: string, opts: { grace?: number; annotations?: Obj; finalizers?: string[]; container?: Obj } = {}): Obj {
  const metadata: Obj = { name };
  if (opts.annotations) metadata.annotations = opts.annotations;
  if (opts.finalizers) metadata.finalizers = opts.finalizers;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: { terminationGracePeriodSeconds: opts.grace ?? 30, containers: [{ name: 'c', image: 'nginx', ...opts.container }] },
  };
}

async function remove(c: ManualCluster, name: string): Promise<void> {
  assert.equal((await c.app.http.delete(`${PODS}/${name}`)).status, 200);
  await c.settle();
}

const exists = async (c: ManualCluster, name: string) => (await c.app.http.get(`${PODS}/${name}`)).status === 200;
const kubeletEvents = async (c: ManualCluster, name: string) =>
  ((await c.get(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).items as Obj[]).filter(
    (e) => e.source.component === 'kubelet',
  );

test('a deleted pod stops when its containers exit on SIGTERM (containerStopMs), not after its grace period: Killing, terminated Completed, Succeeded, removed', async (t) => {
  const c = await manualCluster(t, 1, { containerStopMs: 300 });
  const before = await c.runPod(pod('web', { finalizers: HOLD }));
  await remove(c, 'web');
  const killing = (await kubeletEvents(c, 'web')).filter((e) => e.reason === 'Killing');
  assert.deepEqual(
    killing.map((e) => e.message),
    ['Stopping container c'],
    'announced as the stop begins',
  );
  assert.ok((await c.get(`${PODS}/web`)).status.containerStatuses[0].state.running, 'still running until it exits');
  await c.patch(`${PODS}/web`, { metadata: { labels: { touched: 'yes' } } }); // the kubelet looks at the pod again

  await c.pass(1000);
  const done = await c.get(`${PODS}/web`);
  assert.equal(done.metadata.deletionGracePeriodSeconds, 0, 'the kubelet deleted it (the finalizer holds it)');
  assert.equal(done.status.phase, 'Succeeded');
  const [cs] = done.status.containerStatuses;
  assert.deepEqual([cs.ready, cs.started], [false, false]);
  const { finishedAt, ...terminated } = cs.state.terminated;
  assert.deepEqual(terminated, {
    containerID: before.status.containerStatuses[0].containerID,
    exitCode: 0,
    reason: 'Completed',
    startedAt: before.status.containerStatuses[0].state.running.startedAt,
  });
  assert.ok(finishedAt);
  const conditions = Object.fromEntries(done.status.conditions.map((x: Obj) => [x.type, `${x.status}/${x.reason ?? ''}`]));
  assert.deepEqual(conditions, {
    PodReadyToStartContainers: 'False/',
    Initialized: 'True/PodCompleted',
    Ready: 'False/PodCompleted',
    ContainersReady: 'False/PodCompleted',
    PodScheduled: 'True/',
  });

  const announced = (await kubeletEvents(c, 'web')).filter((e) => e.reason === 'Killing');
  assert.deepEqual(
    announced.map((e) => e.count),
    [1],
    'announced once, whatever else the kubelet wrote meanwhile',
  );

  await c.patch(`${PODS}/web`, { metadata: { finalizers: null } });
  assert.equal(await exists(c, 'web'), false);
});

test('a pod annotated to ignore SIGTERM runs to the end of its grace period, then its containers are killed: 137 Error, Failed', async (t) => {
  const c = await manualCluster(t, 1);
  await c.runPod(pod('deaf', { grace: 10, annotations: IGNORE_SIGTERM }));
  await c.runPod(pod('deaf-held', { grace: 10, annotations: IGNORE_SIGTERM, finalizers: HOLD }));
  await remove(c, 'deaf');
  await remove(c, 'deaf-held');
  await c.pass(9000);
  assert.equal(await exists(c, 'deaf'), true, 'still terminating just before the grace period ends');
  assert.ok((await c.get(`${PODS}/deaf-held`)).status.containerStatuses[0].state.running);
  await c.pass(1000);
  assert.equal(await exists(c, 'deaf'), false, 'gone once the grace period is over');
  const held = await c.get(`${PODS}/deaf-held`);
  assert.equal(held.status.phase, 'Failed');
  assert.deepEqual(
    [held.status.containerStatuses[0].state.terminated.exitCode, held.status.containerStatuses[0].state.terminated.reason],
    [137, 'Error'],
  );
  assert.equal(held.status.conditions.find((x: Obj) => x.type === 'Ready').reason, 'PodFailed');
});

test('maxTerminationMs caps the wait for a pod that ignores SIGTERM', async (t) => {
  const c = await manualCluster(t, 1, { maxTerminationMs: 3000 });
  await c.runPod(pod('deaf', { grace: 30, annotations: IGNORE_SIGTERM }));
  await remove(c, 'deaf');
  await c.pass(2000);
  assert.equal(await exists(c, 'deaf'), true, 'still terminating');
  await c.pass(1000);
  assert.equal(await exists(c, 'deaf'), false);
});

test('the pod-ignore-sigterm chaos action makes a deletion take the grace period; pod-recover undoes it', async (t) => {
  const c = await manualCluster(t, 1);
  await c.runPod(pod('slow', { grace: 20 }));
  await c.runPod(pod('cured', { grace: 20 }));
  for (const name of ['slow', 'cured']) {
    const res = await c.app.http.post('/kubemock/v1/chaos').send({ action: 'pod-ignore-sigterm', pod: name });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.object.metadata.annotations['kubemock.io/ignore-sigterm'], 'true');
  }
  const state = (await c.get('/kubemock/v1/chaos')).pods as Obj[];
  assert.deepEqual(state.map((p) => `${p.kind} ${p.pod}`).sort(), ['ignore-sigterm cured', 'ignore-sigterm slow']);
  const recovered = await c.app.http.post('/kubemock/v1/chaos').send({ action: 'pod-recover', pod: 'cured' });
  assert.equal(recovered.body.object.metadata.annotations, undefined);
  await c.settle();
  await remove(c, 'slow');
  await remove(c, 'cured');
  assert.equal(
    (await c.app.http.post('/kubemock/v1/chaos').send({ action: 'pod-ignore-sigterm', pod: 'slow' })).status,
    409,
    'too late: it is being deleted',
  );
  await c.pass(1000);
  assert.deepEqual([await exists(c, 'slow'), await exists(c, 'cured')], [true, false]);
  await c.pass(18_000);
  assert.equal(await exists(c, 'slow'), true);
  await c.pass(1000);
  assert.equal(await exists(c, 'slow'), false);
  const gone = await c.app.http.post('/kubemock/v1/chaos').send({ action: 'pod-ignore-sigterm', pod: 'slow' });
  assert.equal(gone.status, 404);
  const some = await c.app.http.post('/kubemock/v1/chaos').send({ action: 'pod-ignore-sigterm', pod: 'cured', containers: ['c'] });
  assert.equal(some.status, 400);
});

test('a preStop sleep hook runs before SIGTERM; exec hooks finish at once', async (t) => {
  const c = await manualCluster(t, 1);
  await c.runPod(pod('sleepy', { container: { lifecycle: { preStop: { sleep: { seconds: 5 } } } } }));
  await c.runPod(pod('exec', { container: { lifecycle: { preStop: { exec: { command: ['sleep', '20'] } } } } }));
  await remove(c, 'sleepy');
  await remove(c, 'exec');
  await c.pass(1000);
  assert.equal(await exists(c, 'exec'), false);
  await c.pass(4000);
  assert.equal(await exists(c, 'sleepy'), true, 'the hook still sleeps');
  await c.pass(1000);
  assert.equal(await exists(c, 'sleepy'), false);
});

test('a pod whose containers never started is removed at once', async (t) => {
  const c = await manualCluster(t, 1);
  assert.equal((await c.app.http.post(PODS).send(pod('stuck', { container: { image: 'foo:non-existent' } }))).status, 201);
  await c.pass(1000);
  assert.equal((await c.get(`${PODS}/stuck`)).status.containerStatuses[0].state.waiting.reason, 'ErrImagePull');
  await remove(c, 'stuck');
  assert.equal(await exists(c, 'stuck'), false);
  assert.deepEqual(
    (await kubeletEvents(c, 'stuck')).filter((e) => e.reason === 'Killing'),
    [],
  );
});

/**
 * A running container whose image is changed (kubectl set image on a pod: a patch of
 * spec.containers[].image) is restarted by its kubelet, on a manual clock: Killing, the old
 * container stopped, the new image pulled and started. An image that never pulls leaves it in
 * ErrImagePull / ImagePullBackOff. Other containers, and init containers, are left alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualCluster, type ManualCluster } from '../helpers/manual-cluster.js';

const PODS = '/api/v1/namespaces/default/pods';
type Obj = Record<string, any>;

const pod = (name: string, spec: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    containers: [
      { name: 'app', image: 'nginx:1.27' },
      { name: 'side', image: 'busybox:1.36' },
    ],
    ...spec,
  },
});

async function setImage(c: ManualCluster, name: string, path: string, image: string): Promise<void> {
  const res = await c.app.http
    .patch(`${PODS}/${name}`)
    .set('content-type', 'application/json-patch+json')
    .send([{ op: 'replace', path, value: image }]);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await c.settle();
}

const status = (p: Obj, name: string) => (p.status.containerStatuses as Obj[]).find((s) => s.name === name)!;
const ready = (p: Obj) => p.status.conditions.find((x: Obj) => x.type === 'Ready');
const kubeletEvents = async (c: ManualCluster, name: string) =>
  ((await c.get(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).items as Obj[])
    .filter((e) => e.source.component === 'kubelet')
    .map((e) => `${e.reason}: ${e.message}`);

async function eventCounts(c: ManualCluster, name: string): Promise<Map<string, number>> {
  const items = (await c.get(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).items as Obj[];
  return new Map(items.map((e) => [`${e.reason}: ${e.message}`, e.count]));
}

test('a changed image restarts that container: Killing, then the new image pulled and started, restartCount 1, the old container as lastState', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 500, containerStopMs: 200 });
  const before = await c.runPod(pod('web'));
  const startEvents = (await kubeletEvents(c, 'web')).length;
  await setImage(c, 'web', '/spec/containers/0/image', 'nginx:1.28');
  assert.deepEqual((await kubeletEvents(c, 'web')).slice(startEvents), ['Killing: Container app definition changed, will be restarted']);
  assert.deepEqual(status(await c.get(`${PODS}/web`), 'app'), status(before, 'app'), 'nothing reported until the new container runs');

  await c.pass(1000);
  const after = await c.get(`${PODS}/web`);
  const old = status(before, 'app');
  const now = status(after, 'app');
  assert.equal(now.image, 'docker.io/library/nginx:1.28');
  assert.notEqual(now.imageID, old.imageID);
  assert.notEqual(now.containerID, old.containerID);
  assert.deepEqual([now.restartCount, now.ready, now.started, Boolean(now.state.running)], [1, true, true, true]);
  const { finishedAt, ...last } = now.lastState.terminated;
  assert.deepEqual(last, { containerID: old.containerID, exitCode: 0, reason: 'Completed', startedAt: old.state.running.startedAt });
  assert.ok(finishedAt >= old.state.running.startedAt);
  assert.deepEqual(status(after, 'side'), status(before, 'side'), 'the other container is untouched');
  assert.deepEqual([after.status.phase, ready(after).status], ['Running', 'True']);
  const events = (await kubeletEvents(c, 'web')).slice(startEvents + 1);
  assert.equal(events.length, 2, events.join('\n'));
  assert.equal(events[0], 'Pulling: Pulling image "nginx:1.28"');
  assert.match(
    events[1],
    /^Pulled: Successfully pulled image "nginx:1\.28" in 500ms \(500ms including waiting\)\. Image size: \d+ bytes\.$/,
  );
  // Created and Started repeat the first start's events word for word: the correlator counts them.
  const counts = await eventCounts(c, 'web');
  assert.deepEqual([counts.get('Created: Created container: app'), counts.get('Started: Started container app')], [2, 2]);

  await c.pass(60_000);
  assert.equal(status(await c.get(`${PODS}/web`), 'app').restartCount, 1, 'restarted once');
});

test('a changed image that never pulls leaves the container in ErrImagePull then ImagePullBackOff, the pod not Ready; a good image starts it', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 500 });
  const before = await c.runPod(pod('web'));
  await setImage(c, 'web', '/spec/containers/0/image', 'nginx:non-existent');
  await c.pass(1000);
  let p = await c.get(`${PODS}/web`);
  let app = status(p, 'app');
  assert.equal(app.state.waiting.reason, 'ErrImagePull');
  assert.deepEqual([app.ready, app.restartCount, app.lastState.terminated.containerID], [false, 0, status(before, 'app').containerID]);
  assert.deepEqual([p.status.phase, ready(p).status, ready(p).reason], ['Running', 'False', 'ContainersNotReady']);
  assert.equal(status(p, 'side').ready, true);
  await c.pass(1000);
  p = await c.get(`${PODS}/web`);
  assert.deepEqual(status(p, 'app').state.waiting, { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:non-existent"' });
  assert.ok((await kubeletEvents(c, 'web')).includes('Failed: Error: ErrImagePull'));

  await setImage(c, 'web', '/spec/containers/0/image', 'nginx:1.28');
  await c.pass(1000);
  p = await c.get(`${PODS}/web`);
  app = status(p, 'app');
  assert.deepEqual([app.image, app.restartCount, app.ready, Boolean(app.state.running)], ['docker.io/library/nginx:1.28', 1, true, true]);
  assert.equal(ready(p).status, 'True');
});

test('a pod that ignores SIGTERM keeps running its old container for the whole grace period before the restart', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 0 });
  const body = pod('deaf', { terminationGracePeriodSeconds: 5 });
  body.metadata.annotations = { 'kubemock.io/ignore-sigterm': 'true' };
  await c.runPod(body);
  await setImage(c, 'deaf', '/spec/containers/1/image', 'busybox:1.37');
  await c.pass(4000);
  assert.equal(status(await c.get(`${PODS}/deaf`), 'side').restartCount, 0);
  await c.pass(1000);
  const side = status(await c.get(`${PODS}/deaf`), 'side');
  assert.deepEqual([side.restartCount, side.lastState.terminated.exitCode, side.lastState.terminated.reason], [1, 137, 'Error']);
});

test('an init container image change does not restart a running pod', async (t) => {
  const c = await manualCluster(t, 1);
  const before = await c.runPod(pod('init', { initContainers: [{ name: 'setup', image: 'busybox:1.36' }] }));
  await setImage(c, 'init', '/spec/initContainers/0/image', 'busybox:1.37');
  await c.pass(60_000);
  const after = await c.get(`${PODS}/init`);
  assert.deepEqual(after.status, before.status);
  assert.deepEqual(
    (await kubeletEvents(c, 'init')).filter((e) => e.startsWith('Killing')),
    [],
  );
});

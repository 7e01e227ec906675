/**
 * Chaos as data through POST /kubemock/v1/chaos, on a manual clock so every step is exact:
 * crash loops with upstream back-off, failed pods, pods never ready, nodes NotReady, unreachable
 * or gone.
 */
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';

const PODS = '/api/v1/namespaces/default/pods';
const CHAOS = '/kubemock/v1/chaos';
const pod = (name: string) => ({
  metadata: { name },
  spec: {
    containers: [
      { name: 'app', image: 'nginx' },
      { name: 'side', image: 'busybox' },
    ],
  },
});

async function cluster(t: Parameters<typeof buildTestApp>[0]): Promise<TestApp> {
  const app = await buildTestApp(t, {
    controllers: true,
    clock: new ManualClock(Date.UTC(2030, 0, 1)),
    simulation: { podStartupMs: 1000 },
  });
  await app.kubemock.ensureNodes(2);
  await settle(app);
  return app;
}

const settle = (app: TestApp) => app.http.post('/kubemock/v1/settle').expect(200);
const advance = (app: TestApp, ms: number) => app.http.post('/kubemock/v1/clock/advance').send({ ms }).expect(200);
const chaos = (app: TestApp, body: Record<string, unknown>) => app.http.post(CHAOS).send(body);
const getPod = async (app: TestApp, name: string) => (await app.http.get(`${PODS}/${name}`).expect(200)).body;
const ready = (p: { status: { conditions?: { type: string; status: string; reason?: string }[] } }) =>
  p.status.conditions?.find((c) => c.type === 'Ready');

async function runningPod(app: TestApp, name: string) {
  await app.http.post(PODS).send(pod(name)).expect(201);
  await advance(app, 1000);
  const p = await getPod(app, name);
  assert.equal(p.status.phase, 'Running');
  return p;
}

describe('pod chaos', () => {
  it('pod-crash: restartCount grows on the clock with back-off 10s, 20s, 40s; pod-recover ends it', async (t) => {
    const app = await cluster(t);
    await runningPod(app, 'c');
    await chaos(app, { action: 'pod-crash', pod: 'c', containers: ['app'] }).expect(200);
    const status = async () => {
      const p = await getPod(app, 'c');
      const s = p.status.containerStatuses.find((c: { name: string }) => c.name === 'app');
      return {
        restarts: s.restartCount,
        waiting: s.state.waiting?.message as string | undefined,
        ready: ready(p)?.status,
        last: s.lastState.terminated?.exitCode,
        phase: p.status.phase,
      };
    };
    let s = await status();
    assert.equal(s.restarts, 1);
    assert.match(s.waiting!, /^back-off 10s restarting failed container=app pod=c_default\(.+\)$/);
    assert.deepEqual([s.ready, s.last, s.phase], ['False', 1, 'Running']);
    const side = (await getPod(app, 'c')).status.containerStatuses.find((c: { name: string }) => c.name === 'side');
    assert.deepEqual([side.restartCount, side.ready], [0, true]);
    await advance(app, 9_999);
    assert.equal((await status()).restarts, 1);
    await advance(app, 1);
    s = await status();
    assert.equal(s.restarts, 2);
    assert.match(s.waiting!, /^back-off 20s /);
    await advance(app, 20_000);
    s = await status();
    assert.equal(s.restarts, 3);
    assert.match(s.waiting!, /^back-off 40s /);
    const events = (await app.http.get('/api/v1/namespaces/default/events')).body.items as {
      reason: string;
      type: string;
      count: number;
      involvedObject: { fieldPath?: string };
    }[];
    const backOff = events.find((e) => e.reason === 'BackOff');
    assert.equal(backOff?.type, 'Warning');
    assert.equal(backOff?.count, 3);
    assert.equal(backOff?.involvedObject.fieldPath, 'spec.containers{app}', 'about the container that crashed');
    assert.deepEqual(
      (await app.http.get(CHAOS)).body.pods.map((p: { kind: string; pod: string }) => [p.kind, p.pod]),
      [['crash', 'c']],
    );

    await chaos(app, { action: 'pod-recover', pod: 'c' }).expect(200);
    await advance(app, 300_000);
    s = await status();
    assert.deepEqual([s.restarts, s.ready, s.waiting], [3, 'True', undefined]);
    assert.deepEqual((await app.http.get(CHAOS)).body.pods, []);
  });

  it('pod-crash and pod-never-ready before the kubelet starts the pod: no watcher ever sees it Ready', async (t) => {
    const app = await cluster(t);
    const rv = (await app.http.get(PODS)).body.metadata.resourceVersion;
    const w = await openWatch(app.kubemock, `${PODS}?watch=1&resourceVersion=${rv}`);
    t.after(() => w.close());
    await app.http.post(PODS).send(pod('crashy')).expect(201);
    await app.http.post(PODS).send(pod('shy')).expect(201);
    await chaos(app, { action: 'pod-crash', pod: 'crashy' }).expect(200);
    await chaos(app, { action: 'pod-never-ready', namespace: 'default', pod: 'shy' }).expect(200);
    assert.deepEqual(
      (await app.http.get(CHAOS)).body.pods.map((p: { pending: boolean }) => p.pending),
      [true, true],
    );
    await advance(app, 60_000);
    const crashy = await getPod(app, 'crashy');
    assert.equal(crashy.status.phase, 'Running');
    assert.ok(crashy.status.containerStatuses.every((c: { restartCount: number }) => c.restartCount >= 2));
    const shy = await getPod(app, 'shy');
    assert.equal(shy.status.phase, 'Running');
    assert.ok(shy.status.containerStatuses.every((c: { ready: boolean; state: { running?: unknown } }) => !c.ready && c.state.running));
    assert.equal(ready(shy)?.status, 'False');
    const everReady = w.events.filter((e) => ready(e.object as never)?.status === 'True').map((e) => e.object.metadata.name);
    assert.deepEqual(everReady, []);
  });

  it('pod-never-ready on a running pod: an Unhealthy readiness failure about each of its containers', async (t) => {
    const app = await cluster(t);
    await runningPod(app, 'u');
    await chaos(app, { action: 'pod-never-ready', pod: 'u' }).expect(200);
    const events = (await app.http.get('/api/v1/namespaces/default/events?fieldSelector=reason%3DUnhealthy')).body.items as {
      type: string;
      message: string;
      involvedObject: { name: string; fieldPath?: string };
    }[];
    assert.deepEqual(
      events.map((e) => [e.type, e.involvedObject.name, e.involvedObject.fieldPath, e.message]),
      [
        ['Warning', 'u', 'spec.containers{app}', 'Readiness probe failed: HTTP probe failed with statuscode: 503'],
        ['Warning', 'u', 'spec.containers{side}', 'Readiness probe failed: HTTP probe failed with statuscode: 503'],
      ],
    );
  });

  it('pod-fail: containers exit 1 and the pod is Failed with Ready=False (PodFailed)', async (t) => {
    const app = await cluster(t);
    await runningPod(app, 'f');
    const res = await chaos(app, { action: 'pod-fail', pod: 'f' }).expect(200);
    assert.equal(res.body.object.status.phase, 'Failed');
    const p = await getPod(app, 'f');
    assert.equal(p.status.phase, 'Failed');
    assert.ok(
      p.status.containerStatuses.every(
        (c: { state: { terminated?: { exitCode: number; reason: string } } }) =>
          c.state.terminated?.exitCode === 1 && c.state.terminated.reason === 'Error',
      ),
    );
    assert.deepEqual([ready(p)?.status, ready(p)?.reason], ['False', 'PodFailed']);
    await chaos(app, { action: 'pod-crash', pod: 'f' }).expect(409);
  });

  it('refuses unknown actions and missing pods with Status objects', async (t) => {
    const app = await cluster(t);
    assert.equal((await chaos(app, { action: 'pod-explode', pod: 'x' }).expect(400)).body.kind, 'Status');
    await chaos(app, { action: 'pod-crash' }).expect(400);
    await chaos(app, { action: 'pod-crash', pod: 'missing' }).expect(404);
    await chaos(app, { action: 'node-gone', node: 'missing' }).expect(404);
  });
});

describe('node chaos', () => {
  const readyOf = async (app: TestApp, name: string) => {
    const n = (await app.http.get(`/api/v1/nodes/${name}`).expect(200)).body;
    const c = n.status.conditions.find((x: { type: string }) => x.type === 'Ready');
    return [c.status, c.reason];
  };

  it('node-not-ready reports KubeletNotReady; node-ready brings it back', async (t) => {
    const app = await cluster(t);
    await chaos(app, { action: 'node-not-ready', node: 'node-1' }).expect(200);
    assert.deepEqual(await readyOf(app, 'node-1'), ['False', 'KubeletNotReady']);
    await advance(app, 60_000);
    assert.deepEqual(await readyOf(app, 'node-1'), ['False', 'KubeletNotReady'], 'the kubelet does not undo it');
    const taints = (await app.http.get('/api/v1/nodes/node-1')).body.spec.taints as { key: string }[];
    assert.ok(taints.some((x) => x.key === 'node.kubernetes.io/not-ready'));
    await chaos(app, { action: 'node-ready', node: 'node-1' }).expect(200);
    assert.deepEqual(await readyOf(app, 'node-1'), ['True', 'KubeletReady']);
  });

  it('node-unreachable: Unknown once the Lease grace period has passed on the clock; node-ready reconnects', async (t) => {
    const app = await cluster(t);
    await chaos(app, { action: 'node-unreachable', node: 'node-2' }).expect(200);
    assert.deepEqual((await app.http.get(CHAOS)).body.unreachableNodes, ['node-2']);
    await advance(app, 30_000);
    assert.deepEqual(await readyOf(app, 'node-2'), ['True', 'KubeletReady']);
    await advance(app, 30_000);
    assert.deepEqual(await readyOf(app, 'node-2'), ['Unknown', 'NodeStatusUnknown']);
    assert.deepEqual(await readyOf(app, 'node-1'), ['True', 'KubeletReady']);
    await chaos(app, { action: 'node-ready', node: 'node-2' }).expect(200);
    await advance(app, 1_000);
    assert.deepEqual(await readyOf(app, 'node-2'), ['True', 'KubeletReady']);
    assert.deepEqual((await app.http.get(CHAOS)).body.unreachableNodes, []);
  });

  it('node-gone deletes the Node', async (t) => {
    const app = await cluster(t);
    await chaos(app, { action: 'node-gone', node: 'node-2' }).expect(200);
    await app.http.get('/api/v1/nodes/node-2').expect(404);
  });
});

test('a clock advance past the last time a timestamp can hold is a 400, and the clock does not move', async (t) => {
  const app = await cluster(t);
  const before = (await app.http.get('/kubemock/v1/clock').expect(200)).body;
  for (const ms of [1e308, 8.64e15]) {
    const res = await app.http.post('/kubemock/v1/clock/advance').send({ ms });
    assert.equal(res.status, 400);
    assert.equal(res.body.message, `cannot advance the clock by ${ms} ms`);
  }
  assert.deepEqual((await app.http.get('/kubemock/v1/clock').expect(200)).body, before);
});

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { ManualClock } from '../../src/apimachinery/clock.js';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { EventRecorder } from '../../src/controllers/events/recorder.js';
import { truncateNote } from '../../src/controllers/scheduler/scheduler-controller.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const PODS = '/api/v1/namespaces/default/pods';
const MERGE = 'application/merge-patch+json';

type Obj = Record<string, any>;

const pod = (name: string, spec: Obj = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

async function setup(t: TestContext, nodes = 4): Promise<TestApp> {
  const app = await buildTestApp(t, { controllers: true, clock: new ManualClock() });
  await app.kubemock.ensureNodes(nodes);
  await settle(app);
  return app;
}

const settle = (app: TestApp) => app.kubemock.manager!.waitIdle();

async function create(app: TestApp, body: Obj): Promise<void> {
  const res = await app.http.post(PODS).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await settle(app);
}

async function get(app: TestApp, name: string): Promise<Obj> {
  const res = await app.http.get(`${PODS}/${name}`);
  assert.equal(res.status, 200);
  return res.body as Obj;
}

async function patchNode(app: TestApp, name: string, body: Obj): Promise<void> {
  const res = await app.http.patch(`/api/v1/nodes/${name}`).set('content-type', MERGE).send(body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await settle(app);
}

const scheduled = (p: Obj) => p.status.conditions?.find((c: Obj) => c.type === 'PodScheduled');

async function eventsFor(app: TestApp, name: string): Promise<Obj[]> {
  const res = await app.http.get(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`);
  return res.body.items as Obj[];
}

test('a pending pod is bound to the node with the fewest pods (ties by name), with PodScheduled and a Scheduled event', async (t) => {
  const app = await setup(t, 3);
  await create(app, pod('a', { nodeName: 'node-1' }));
  await create(app, pod('b', { nodeName: 'node-2' }));
  await create(app, pod('web'));
  const web = await get(app, 'web');
  assert.equal(web.spec.nodeName, 'node-3');
  assert.equal(scheduled(web).status, 'True');
  assert.equal(scheduled(web).lastProbeTime, null);
  const ev = (await eventsFor(app, 'web')).find((e) => e.reason === 'Scheduled');
  assert.equal(ev?.message, 'Successfully assigned default/web to node-3');
  assert.equal(ev?.type, 'Normal');
  // Written as kube-scheduler's events.k8s.io/v1 recorder writes it: no source, count or timestamps.
  assert.deepEqual(
    [ev?.action, ev?.reportingComponent, ev?.reportingInstance, ev?.source, ev?.count, ev?.firstTimestamp, ev?.lastTimestamp],
    ['Binding', 'default-scheduler', `default-scheduler-${hostname()}`, {}, undefined, null, null],
  );
  assert.match(ev?.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.deepEqual(Object.keys(ev?.involvedObject ?? {}), ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion']);
  assert.equal(ev?.involvedObject.uid, web.metadata.uid);
  await create(app, pod('next'));
  assert.equal((await get(app, 'next')).spec.nodeName, 'node-1', 'all have one pod now: the first by name');
});

test("the scheduler's events are written through events.k8s.io/v1 by kube-scheduler, as client-go's tools/events recorder writes them", async (t) => {
  const app = await setup(t, 1);
  await create(app, pod('web'));
  const web = await get(app, 'web');
  const list = await app.http.get('/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Dweb').expect(200);
  const [ev] = (list.body.items as Obj[]).filter((e) => e.reason === 'Scheduled');
  assert.ok(ev, 'a Scheduled event');
  assert.match(ev.metadata.name, /^web\.[0-9a-f]+$/);
  assert.deepEqual(
    {
      reportingController: ev.reportingController,
      reportingInstance: ev.reportingInstance,
      action: ev.action,
      note: ev.note,
      type: ev.type,
      regarding: ev.regarding,
      series: ev.series,
      deprecatedSource: ev.deprecatedSource,
      deprecatedCount: ev.deprecatedCount,
      deprecatedFirstTimestamp: ev.deprecatedFirstTimestamp,
      deprecatedLastTimestamp: ev.deprecatedLastTimestamp,
    },
    {
      reportingController: 'default-scheduler',
      reportingInstance: `default-scheduler-${hostname()}`,
      action: 'Binding',
      note: 'Successfully assigned default/web to node-1',
      type: 'Normal',
      regarding: {
        kind: 'Pod',
        namespace: 'default',
        name: 'web',
        uid: web.metadata.uid,
        apiVersion: 'v1',
        resourceVersion: ev.regarding.resourceVersion,
      },
      series: undefined,
      deprecatedSource: {},
      deprecatedCount: undefined,
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    },
  );
  assert.match(ev.eventTime, /\.\d{6}Z$/);
  // The field manager tracked the write in the version it was made through.
  assert.deepEqual(
    (ev.metadata.managedFields as Obj[]).map((m) => [m.manager, m.operation, m.apiVersion, Object.keys(m.fieldsV1).sort()]),
    [
      [
        'kube-scheduler',
        'Update',
        'events.k8s.io/v1',
        ['f:action', 'f:eventTime', 'f:note', 'f:reason', 'f:regarding', 'f:reportingController', 'f:reportingInstance', 'f:type'],
      ],
    ],
  );
});

test("a changed FailedScheduling message is another event: the pod's resourceVersion moved, so it is not isomorphic", async (t) => {
  const app = await setup(t, 1);
  await create(app, pod('stuck', { nodeSelector: { disk: 'none' } }));
  await app.kubemock.ensureNodes(2);
  await settle(app);
  assert.match(scheduled(await get(app, 'stuck')).message, /^0\/2 nodes are available/);
  const failed = (await eventsFor(app, 'stuck')).filter((e) => e.reason === 'FailedScheduling');
  assert.deepEqual(
    failed.map((e) => [e.message.slice(0, 26), e.series, e.count]),
    [
      ['0/1 nodes are available: 1', undefined, undefined],
      ['0/2 nodes are available: 2', undefined, undefined],
    ],
  );
  assert.notEqual(failed[0].involvedObject.resourceVersion, failed[1].involvedObject.resourceVersion);
});

test('an isomorphic event within six minutes becomes a series of the first one; later, a new event', async (t) => {
  const clock = new ManualClock();
  const app = await buildTestApp(t, { clock });
  const { registry } = app.kubemock;
  const recorder = new EventRecorder(registry, clock).newRecorder('default-scheduler');
  const created = await app.http.post(PODS).send(pod('p')).expect(201);
  const p = created.body as KubeObject;
  recorder.eventf(p, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'first');
  clock.advance(60_000);
  recorder.eventf(p, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'second');
  const v1 = async () =>
    ((await app.http.get('/apis/events.k8s.io/v1/namespaces/default/events').expect(200)).body.items as Obj[]).filter(
      (e) => e.reason === 'FailedScheduling',
    );
  let [ev, ...rest] = await v1();
  assert.deepEqual(rest, []);
  assert.equal(ev.note, 'first', 'the series keeps the first note');
  assert.deepEqual(ev.series, { count: 2, lastObservedTime: '2025-01-01T00:01:00.000000Z' });
  const update = (ev.metadata.managedFields as Obj[]).map((m) => [m.manager, m.apiVersion, m.fieldsV1['f:series']]);
  assert.deepEqual(update, [['kube-scheduler', 'events.k8s.io/v1', { '.': {}, 'f:count': {}, 'f:lastObservedTime': {} }]]);

  clock.advance(7 * 60_000);
  recorder.eventf(p, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'third');
  [ev, ...rest] = await v1();
  assert.deepEqual([ev.note, ev.series?.count, rest.map((e) => [e.note, e.series])], ['first', 2, [['third', undefined]]]);
});

test('an event the API server rejects is dropped, as client-go gives up on it: the recording controller goes on', async (t) => {
  const clock = new ManualClock();
  const app = await buildTestApp(t, { clock });
  const { registry } = app.kubemock;
  const events = new EventRecorder(registry, clock);
  const p = (await app.http.post(PODS).send(pod('p')).expect(201)).body as KubeObject;
  // core/v1: the name the recorder picks (the object's name and the nanoseconds) is taken: a 409.
  const taken = `p.${(BigInt(clock.now()) * 1_000_000n).toString(16)}`;
  await app.http
    .post('/api/v1/namespaces/default/events')
    .send({ metadata: { name: taken }, involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' }, reason: 'Earlier' })
    .expect(201);
  assert.doesNotThrow(() => events.record({ component: 'my-controller' }, p, 'Normal', 'Tested', 'a name taken'));
  // events.k8s.io/v1 validation: a note of more than 1024 characters is a 422.
  assert.doesNotThrow(() => events.newRecorder('my-controller').eventf(p, undefined, 'Normal', 'Tested', 'Testing', 'x'.repeat(1025)));
  const all = (await app.http.get('/api/v1/namespaces/default/events').expect(200)).body.items as Obj[];
  assert.deepEqual(
    all.filter((e) => e.source?.component === 'my-controller' || e.reportingComponent === 'my-controller'),
    [],
    'nothing written',
  );
  // A valid one after them is written.
  events.newRecorder('my-controller').eventf(p, undefined, 'Normal', 'Tested', 'Testing', 'fine');
  const written = (await app.http.get('/apis/events.k8s.io/v1/namespaces/default/events').expect(200)).body.items as Obj[];
  assert.deepEqual(
    written.filter((e) => e.reportingController === 'my-controller').map((e) => e.note),
    ['fine'],
  );
});

test('a series counts on in memory: written when it begins, every 30 minutes while it goes on, and once quiet six minutes', async (t) => {
  const clock = new ManualClock();
  const app = await buildTestApp(t, { clock });
  const recorder = new EventRecorder(app.kubemock.registry, clock).newRecorder('default-scheduler');
  const p = (await app.http.post(PODS).send(pod('p')).expect(201)).body as KubeObject;
  const again = () => recorder.eventf(p, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'not yet');
  const stored = async () =>
    ((await app.http.get('/apis/events.k8s.io/v1/namespaces/default/events').expect(200)).body.items as Obj[])
      .filter((e) => e.reason === 'FailedScheduling')
      .map((e) => e.series ?? null);
  const at = (minute: number) => `2025-01-01T00:${String(minute).padStart(2, '0')}:00.000000Z`;
  const minutes = (n: number) => clock.advance(n * 60_000);

  again();
  minutes(1);
  again();
  assert.deepEqual(await stored(), [{ count: 2, lastObservedTime: at(1) }], 'the series begins: written at once');
  minutes(1);
  again();
  minutes(1);
  again();
  assert.deepEqual(await stored(), [{ count: 2, lastObservedTime: at(1) }], 'later counts wait');
  minutes(5);
  assert.deepEqual(await stored(), [{ count: 2, lastObservedTime: at(1) }], 'quiet for five minutes: still going on');
  minutes(1);
  assert.deepEqual(await stored(), [{ count: 4, lastObservedTime: at(3) }], 'quiet for six: its count is written, and it ends');
  minutes(1);
  again();
  assert.deepEqual(await stored(), [{ count: 4, lastObservedTime: at(3) }, null], 'the next one is a new event');

  // One every five minutes: the series (begun at 00:15) has its count written at 00:45 as it stood
  // then (seven events, the last at 00:40), and counts on in memory after (nine by 00:50).
  for (let i = 0; i < 8; i++) {
    minutes(5);
    again();
  }
  const [, running] = await stored();
  assert.deepEqual(running, { count: 7, lastObservedTime: at(40) });
});

test('a stopped recorder writes no more series counts (the server is closing)', async (t) => {
  const clock = new ManualClock();
  const app = await buildTestApp(t, { clock });
  const recorder = new EventRecorder(app.kubemock.registry, clock).newRecorder('default-scheduler');
  const p = (await app.http.post(PODS).send(pod('p')).expect(201)).body as KubeObject;
  for (let i = 0; i < 3; i++) {
    recorder.eventf(p, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'not yet');
    clock.advance(60_000);
  }
  recorder.stop();
  clock.advance(10 * 60_000);
  const items = (await app.http.get('/apis/events.k8s.io/v1/namespaces/default/events').expect(200)).body.items as Obj[];
  assert.deepEqual(
    items.filter((e) => e.reason === 'FailedScheduling').map((e) => e.series?.count),
    [2],
  );
});

test("a FailedScheduling note longer than events.k8s.io's 1024 characters is cut, ending ' ...'", () => {
  const long = 'x'.repeat(2000);
  assert.equal(truncateNote(long), `${'x'.repeat(1020)} ...`);
  assert.equal(truncateNote('x'.repeat(1024)), 'x'.repeat(1024));
});

test('pods naming another scheduler are left alone', async (t) => {
  const app = await setup(t, 1);
  await create(app, pod('other', { schedulerName: 'my-scheduler' }));
  const other = await get(app, 'other');
  assert.equal(other.spec.nodeName, undefined);
  assert.equal(scheduled(other), undefined);
  assert.deepEqual(await eventsFor(app, 'other'), []);
});

test('untolerated taints and node affinity give the upstream message, a FailedScheduling event, and a retry once the node changes', async (t) => {
  const app = await setup(t, 4);
  await patchNode(app, 'node-1', { spec: { taints: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] } });
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }],
      },
    },
  };
  await create(app, pod('pinned', { affinity }));
  const pinned = await get(app, 'pinned');
  const message =
    "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/master: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.";
  assert.equal(pinned.spec.nodeName, undefined);
  assert.deepEqual(
    { ...scheduled(pinned), lastTransitionTime: undefined },
    {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: undefined,
      reason: 'Unschedulable',
      message,
    },
  );
  const failed = (await eventsFor(app, 'pinned')).filter((e) => e.reason === 'FailedScheduling');
  assert.equal(failed.length, 1);
  assert.equal(failed[0].type, 'Warning');
  assert.equal(failed[0].action, 'Scheduling');
  assert.equal(failed[0].message, message);

  await patchNode(app, 'node-1', { spec: { taints: null } });
  assert.equal((await get(app, 'pinned')).spec.nodeName, 'node-1');
});

test('nodeSelector, tolerations and cordoned nodes', async (t) => {
  const app = await setup(t, 3);
  await patchNode(app, 'node-1', { metadata: { labels: { disk: 'ssd' } } });
  await create(app, pod('ssd', { nodeSelector: { disk: 'ssd' } }));
  assert.equal((await get(app, 'ssd')).spec.nodeName, 'node-1');

  await patchNode(app, 'node-2', { spec: { unschedulable: true } });
  await patchNode(app, 'node-3', { spec: { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoExecute' }] } });
  await create(app, pod('plain'));
  assert.equal((await get(app, 'plain')).spec.nodeName, 'node-1', 'cordoned and tainted nodes are skipped');

  await create(
    app,
    pod('infra', {
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoExecute' }],
      nodeSelector: { 'kubernetes.io/hostname': 'node-3' },
    }),
  );
  assert.equal((await get(app, 'infra')).spec.nodeName, 'node-3');

  await create(
    app,
    pod('cordon-ok', {
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
      nodeSelector: { 'kubernetes.io/hostname': 'node-2' },
    }),
  );
  assert.equal((await get(app, 'cordon-ok')).spec.nodeName, 'node-2');

  await create(app, pod('nowhere', { nodeSelector: { 'kubernetes.io/hostname': 'node-2' } }));
  assert.equal(
    scheduled(await get(app, 'nowhere')).message,
    "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: infra}, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  );
});

test('a host port in use keeps a second pod off the node until the first is gone', async (t) => {
  const app = await setup(t, 1);
  const ports = { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }] };
  await create(app, pod('first', ports));
  await create(app, pod('second', ports));
  assert.equal((await get(app, 'first')).spec.nodeName, 'node-1');
  const second = await get(app, 'second');
  assert.equal(second.spec.nodeName, undefined);
  assert.equal(
    scheduled(second).message,
    "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
  );
  assert.equal((await app.http.delete(`${PODS}/first`).send({ gracePeriodSeconds: 0 })).status, 200);
  await settle(app);
  assert.equal((await get(app, 'second')).spec.nodeName, 'node-1');
});

test("a node's allocatable pods is its capacity: Too many pods, until a pod finishes or the capacity grows", async (t) => {
  const app = await setup(t, 3);
  const capacity = async (node: string, pods: string) => {
    const res = await app.http
      .patch(`/api/v1/nodes/${node}/status`)
      .set('content-type', MERGE)
      .send({ status: { allocatable: { pods } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await settle(app);
  };
  for (const node of ['node-1', 'node-2', 'node-3']) await capacity(node, '1');
  for (const name of ['a', 'b', 'c']) await create(app, pod(name));
  assert.deepEqual(
    new Set(await Promise.all(['a', 'b', 'c'].map(async (n) => (await get(app, n)).spec.nodeName))),
    new Set(['node-1', 'node-2', 'node-3']),
  );

  await create(app, pod('d'));
  const d = await get(app, 'd');
  assert.equal(d.spec.nodeName, undefined);
  const message =
    '0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
  assert.deepEqual([scheduled(d).status, scheduled(d).reason, scheduled(d).message], ['False', 'Unschedulable', message]);
  assert.deepEqual(
    (await eventsFor(app, 'd')).map((e) => [e.type, e.reason, e.message]),
    [['Warning', 'FailedScheduling', message]],
  );

  // A pod that finished leaves room.
  const a = await get(app, 'a');
  const finished = await app.http
    .patch(`${PODS}/a/status`)
    .set('content-type', MERGE)
    .send({ status: { phase: 'Succeeded' } });
  assert.equal(finished.status, 200, JSON.stringify(finished.body));
  await settle(app);
  assert.equal((await get(app, 'd')).spec.nodeName, a.spec.nodeName);

  // A node reporting more room takes the next one.
  await create(app, pod('e'));
  assert.equal((await get(app, 'e')).spec.nodeName, undefined);
  await capacity('node-2', '2');
  assert.equal((await get(app, 'e')).spec.nodeName, 'node-2');
});

test('no nodes at all', async (t) => {
  const app = await setup(t, 0);
  await create(app, pod('lonely'));
  assert.equal(scheduled(await get(app, 'lonely')).message, 'no nodes available to schedule pods');
});

test('POST pods/binding binds once: 201 Success, then 409 already assigned', async (t) => {
  const app = await buildTestApp(t, {});
  await app.kubemock.ensureNodes(2);
  assert.equal((await app.http.post(PODS).send(pod('web'))).status, 201);
  const binding = {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: 'web' },
    target: { apiVersion: 'v1', kind: 'Node', name: 'node-2' },
  };
  const ok = await app.http.post(`${PODS}/web/binding`).send(binding);
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  const web = await get(app, 'web');
  assert.equal(web.spec.nodeName, 'node-2');
  assert.equal(scheduled(web).status, 'True');

  const again = await app.http.post(`${PODS}/web/binding`).send({ ...binding, target: { kind: 'Node', name: 'node-1' } });
  assert.equal(again.status, 409);
  assert.equal(again.body.reason, 'Conflict');
  assert.equal(again.body.message, 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-2"');
  assert.deepEqual(again.body.details, { name: 'web', kind: 'pods/binding' });

  assert.equal((await app.http.post(`${PODS}/nope/binding`).send({ ...binding, metadata: { name: 'nope' } })).status, 404);
  const noTarget = await app.http.post(`${PODS}/web/binding`).send({ kind: 'Binding', metadata: { name: 'web' }, target: {} });
  assert.equal(noTarget.status, 500);
  assert.equal(noTarget.body.message, 'target.name: Required value');
  const otherName = await app.http.post(`${PODS}/web/binding`).send({ ...binding, metadata: { name: 'x' } });
  assert.equal(otherName.status, 400);
  assert.equal(otherName.body.message, 'name in URL does not match name in Binding object');
  assert.equal((await app.http.get(`${PODS}/web/binding`)).status, 405);
});

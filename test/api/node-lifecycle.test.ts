import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_MONITOR_GRACE_MS } from '../../src/controllers/node-lifecycle/taint-plan.js';
import { manualCluster, type ManualCluster } from '../helpers/manual-cluster.js';

const PODS = '/api/v1/namespaces/default/pods';
type Obj = Record<string, any>;

type Cluster = ManualCluster;
const cluster = (t: TestContext, nodes: number) => manualCluster(t, nodes, { podStartupMs: 0, maxTerminationMs: 0 });

const taintsOf = async (c: Cluster, node: string) => ((await c.get(`/api/v1/nodes/${node}`)).spec.taints ?? []) as Obj[];
const brief = (taints: Obj[]) => taints.map((x) => `${x.key}:${x.effect}${x.timeAdded ? '@' : ''}`);

async function createPod(c: Cluster, name: string, spec: Obj): Promise<void> {
  const res = await c.app.http
    .post(PODS)
    .send({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await c.pass(100);
}

function readyCondition(status: string, reason: string) {
  return {
    type: 'Ready',
    status,
    reason,
    message: 'container runtime network not ready',
    lastHeartbeatTime: '2025-01-01T00:00:00Z',
    lastTransitionTime: '2025-01-01T00:00:00Z',
  };
}

test('Ready=False taints the node not-ready (NoSchedule, and NoExecute with timeAdded); Ready=True removes them', async (t) => {
  const c = await cluster(t, 1);
  await c.patch('/api/v1/nodes/node-1', { spec: { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] } });
  await c.patch('/api/v1/nodes/node-1/status', { status: { conditions: [readyCondition('False', 'KubeletNotReady')] } });
  assert.deepEqual(brief(await taintsOf(c, 'node-1')), [
    'dedicated:NoSchedule',
    'node.kubernetes.io/not-ready:NoSchedule',
    'node.kubernetes.io/not-ready:NoExecute@',
  ]);
  await c.patch('/api/v1/nodes/node-1/status', { status: { conditions: [readyCondition('True', 'KubeletReady')] } });
  assert.deepEqual(brief(await taintsOf(c, 'node-1')), ['dedicated:NoSchedule']);
});

test('spec.unschedulable adds node.kubernetes.io/unschedulable:NoSchedule; clearing it removes the taint', async (t) => {
  const c = await cluster(t, 1);
  await c.patch('/api/v1/nodes/node-1', { spec: { unschedulable: true } });
  const taints = await taintsOf(c, 'node-1');
  assert.deepEqual(taints, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
  await c.patch('/api/v1/nodes/node-1', { spec: { unschedulable: null } });
  assert.deepEqual(await taintsOf(c, 'node-1'), []);
});

test('an unreachable kubelet: after the grace period the node is Unknown, tainted unreachable, its pods not Ready; it recovers when reachable', async (t) => {
  const c = await cluster(t, 2);
  await createPod(c, 'web', { nodeName: 'node-1' });
  assert.equal((await c.get(`${PODS}/web`)).status.phase, 'Running');
  c.app.kubemock.kubelets.reachability.setReachable('node-1', false);
  await c.pass(NODE_MONITOR_GRACE_MS - 10_000);
  assert.equal(
    (await c.get('/api/v1/nodes/node-1')).status.conditions.find((x: Obj) => x.type === 'Ready').status,
    'True',
    'within the grace period',
  );
  await c.pass(11_000); // the grace period, and the re-check a moment later

  const node = await c.get('/api/v1/nodes/node-1');
  const ready = node.status.conditions.find((x: Obj) => x.type === 'Ready');
  assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
  assert.deepEqual(
    node.status.conditions.map((x: Obj) => x.status),
    ['Unknown', 'Unknown', 'Unknown', 'Unknown'],
  );
  assert.deepEqual(brief(node.spec.taints), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute@']);
  const web = await c.get(`${PODS}/web`);
  assert.equal(web.status.conditions.find((x: Obj) => x.type === 'Ready').status, 'False');
  const other = await c.get('/api/v1/nodes/node-2');
  assert.equal(other.status.conditions.find((x: Obj) => x.type === 'Ready').status, 'True', 'other nodes keep heartbeating');

  c.app.kubemock.kubelets.reachability.setReachable('node-1', true);
  await c.pass(10_000);
  const back = await c.get('/api/v1/nodes/node-1');
  assert.equal(back.status.conditions.find((x: Obj) => x.type === 'Ready').status, 'True');
  assert.equal(back.spec.taints, undefined);
  assert.equal((await c.get(`${PODS}/web`)).status.conditions.find((x: Obj) => x.type === 'Ready').status, 'True');
});

test('a Lease renewal seen late counts from when the controller saw it (upstream probeTimestamp), not from its renewTime', async (t) => {
  const c = await cluster(t, 1);
  const readyOf = async () => (await c.get('/api/v1/nodes/node-1')).status.conditions.find((x: Obj) => x.type === 'Ready').status;
  // The kubelet goes quiet; 30 s later a renewal it made 25 s ago reaches the controller (a busy watch, a peer replica's kubelet).
  c.app.kubemock.kubelets.reachability.setReachable('node-1', false);
  const quiet = c.clock.now();
  await c.pass(30_000);
  const late = new Date(quiet + 5_000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  await c.patch('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1', { spec: { renewTime: late } });
  await c.pass(25_000);
  assert.equal(await readyOf(), 'True', '55 s after going quiet, but within the grace period counted from the observation');
  await c.pass(NODE_MONITOR_GRACE_MS - 25_000 + 2_000);
  assert.equal(await readyOf(), 'Unknown', 'the grace period after the observation');
});

test('NoExecute eviction: untolerated now, tolerationSeconds after the taint was added, unbounded tolerations never', async (t) => {
  const c = await cluster(t, 1);
  const tolerate = (seconds?: number) => [
    { key: 'maintenance', operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) },
  ];
  await createPod(c, 'plain', { nodeName: 'node-1' });
  await createPod(c, 'minute', { nodeName: 'node-1', tolerations: tolerate(60) });
  await createPod(c, 'forever', { nodeName: 'node-1', tolerations: tolerate() });
  const seen: Obj[] = [];
  t.after(c.app.kubemock.registry.hub.subscribe('pods', (ev) => ev.type === 'MODIFIED' && seen.push(ev.object)));

  await c.patch('/api/v1/nodes/node-1', {
    spec: { taints: [{ key: 'maintenance', effect: 'NoExecute', timeAdded: '2025-01-01T00:00:00Z' }] },
  });
  assert.equal((await c.app.http.get(`${PODS}/plain`)).status, 404, 'evicted at once');
  const marked = seen.find((p) => p.metadata.name === 'plain' && p.status.conditions.some((x: Obj) => x.type === 'DisruptionTarget'));
  const target = marked?.status.conditions.find((x: Obj) => x.type === 'DisruptionTarget');
  assert.deepEqual([target?.reason, target?.message], ['DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint']);
  const events = (await c.get('/api/v1/namespaces/default/events?fieldSelector=reason%3DTaintManagerEviction')).items as Obj[];
  assert.deepEqual(
    events.map((e) => [e.message, e.involvedObject]),
    [['Marking for deletion Pod default/plain', { kind: 'Pod', namespace: 'default', name: 'plain', apiVersion: 'v1' }]],
  );

  await c.pass(55_000);
  assert.equal((await c.app.http.get(`${PODS}/minute`)).status, 200);
  await c.pass(6000);
  assert.equal((await c.app.http.get(`${PODS}/minute`)).status, 404, '60 s after timeAdded');
  await c.pass(600_000);
  assert.equal((await c.app.http.get(`${PODS}/forever`)).status, 200);
});

/** A pod on node-1 tolerating its NoExecute taint k for 30 s, 10 s into that wait. */
async function waitingForEviction(t: TestContext, name: string) {
  const c = await cluster(t, 1);
  await createPod(c, name, {
    nodeName: 'node-1',
    tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }],
  });
  await c.patch('/api/v1/nodes/node-1', { spec: { taints: [{ key: 'k', effect: 'NoExecute' }] } });
  await c.pass(10_000);
  return c;
}

test('a pod deleted while its eviction waits for tolerationSeconds: the wait is called off with its event', async (t) => {
  const c = await waitingForEviction(t, 'waiting');
  const deleted = await c.app.http.delete(`${PODS}/waiting`).send({ gracePeriodSeconds: 0 });
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  // At once, not when the wait would have ended (20 s later).
  await c.pass(1000);
  const events = (await c.get('/api/v1/namespaces/default/events?fieldSelector=reason%3DTaintManagerEviction')).items as Obj[];
  assert.deepEqual(
    events.map((e) => e.message),
    ['Cancelling deletion of Pod default/waiting'],
  );
});

test('a taint not tolerated at all while an eviction waits: the wait is called off, and the pod goes at once', async (t) => {
  const c = await waitingForEviction(t, 'waiting');
  assert.equal((await c.app.http.get(`${PODS}/waiting`)).status, 200, 'waiting for its 30 s');
  await c.patch('/api/v1/nodes/node-1', {
    spec: {
      taints: [
        { key: 'k', effect: 'NoExecute' },
        { key: 'other', effect: 'NoExecute' },
      ],
    },
  });
  await c.pass(1000);
  const events = (await c.get('/api/v1/namespaces/default/events?fieldSelector=reason%3DTaintManagerEviction')).items as Obj[];
  assert.deepEqual(
    events.map((e) => e.message),
    ['Cancelling deletion of Pod default/waiting', 'Marking for deletion Pod default/waiting'],
  );
  const pod = await c.app.http.get(`${PODS}/waiting`);
  assert.ok(pod.status === 404 || pod.body.metadata?.deletionTimestamp, 'deleted at once, not 20 s later');
});

test('a planned eviction is dropped when the taint goes first', async (t) => {
  const c = await waitingForEviction(t, 'minute');
  await c.patch('/api/v1/nodes/node-1', { spec: { taints: null } });
  await c.pass(60_000);
  assert.equal((await c.app.http.get(`${PODS}/minute`)).status, 200);
  // Upstream says it called the deletion off, about a bare reference to the pod (no uid or resourceVersion).
  const events = (await c.get('/api/v1/namespaces/default/events?fieldSelector=reason%3DTaintManagerEviction')).items as Obj[];
  assert.deepEqual(
    events.map((e) => [e.message, e.source.component, e.involvedObject]),
    [
      [
        'Cancelling deletion of Pod default/minute',
        'taint-eviction-controller',
        { kind: 'Pod', namespace: 'default', name: 'minute', apiVersion: 'v1' },
      ],
    ],
  );
});

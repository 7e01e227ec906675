/**
 * Host ports: the scheduler never puts two pods wanting the same port, protocol and overlapping
 * host IP on one node (NodePorts filter, FailedScheduling with upstream's aggregated message); a pod
 * bound by spec.nodeName past the scheduler is rejected by the kubelet's admission; a DaemonSet pod
 * whose node has the port taken stays Pending until it is free.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualCluster, type ManualCluster } from '../helpers/manual-cluster.js';

const NS = '/api/v1/namespaces/default';
const PODS = `${NS}/pods`;
type Obj = Record<string, any>;

function pod(name: string, port: Obj, spec: Obj = {}): Obj {
  return {
    metadata: { name, labels: { app: name } },
    spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, ...port }] }], ...spec },
  };
}

async function post(c: ManualCluster, path: string, body: Obj): Promise<void> {
  const res = await c.app.http.post(path).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await c.pass(1000);
}

const scheduledCondition = (p: Obj) => p.status.conditions?.find((x: Obj) => x.type === 'PodScheduled');

async function events(c: ManualCluster, name: string, reason: string): Promise<Obj[]> {
  const list = await c.get(`${NS}/events?fieldSelector=involvedObject.name%3D${name}`);
  return (list.items as Obj[]).filter((e) => e.reason === reason);
}

const NOT_FREE_OF_3 =
  "0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.";

test('two pods pinned by nodeSelector to one node with the same hostPort: the second stays Pending with FailedScheduling', async (t) => {
  const c = await manualCluster(t, 3, { podStartupMs: 0 });
  const onNode2 = { nodeSelector: { 'kubernetes.io/hostname': 'node-2' } };
  await post(c, PODS, pod('first', { hostPort: 8080 }, onNode2));
  await post(c, PODS, pod('second', { hostPort: 8080 }, onNode2));
  // Another protocol, or another specific host IP, is another port.
  await post(c, PODS, pod('udp', { hostPort: 8080, protocol: 'UDP' }, onNode2));
  await post(c, PODS, pod('ip-a', { hostPort: 9090, hostIP: '10.0.0.1' }, onNode2));
  await post(c, PODS, pod('ip-b', { hostPort: 9090, hostIP: '10.0.0.2' }, onNode2));
  // 0.0.0.0 overlaps every IP.
  await post(c, PODS, pod('ip-any', { hostPort: 9090, hostIP: '0.0.0.0' }, onNode2));

  const first = await c.get(`${PODS}/first`);
  assert.equal(first.spec.nodeName, 'node-2');
  assert.equal(first.status.phase, 'Running');
  for (const name of ['udp', 'ip-a', 'ip-b']) assert.equal((await c.get(`${PODS}/${name}`)).spec.nodeName, 'node-2', name);
  for (const name of ['second', 'ip-any']) {
    const p = await c.get(`${PODS}/${name}`);
    assert.equal(p.spec.nodeName, undefined, name);
    assert.equal(p.status.phase, 'Pending');
    assert.deepEqual(
      { status: scheduledCondition(p).status, reason: scheduledCondition(p).reason, message: scheduledCondition(p).message },
      { status: 'False', reason: 'Unschedulable', message: NOT_FREE_OF_3 },
    );
    const failed = await events(c, name, 'FailedScheduling');
    assert.deepEqual(
      failed.map((e) => [e.type, e.reportingComponent, e.action, e.message]),
      [['Warning', 'default-scheduler', 'Scheduling', NOT_FREE_OF_3]],
    );
  }

  assert.equal((await c.app.http.delete(`${PODS}/first`).send({ gracePeriodSeconds: 0 })).status, 200);
  await c.pass(1000);
  assert.equal((await c.get(`${PODS}/second`)).spec.nodeName, 'node-2');
  assert.equal((await c.get(`${PODS}/second`)).status.phase, 'Running');
});

test('a pod bound by nodeName to a node whose host port is taken is rejected by the kubelet: Failed, reason NodePorts', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 0 });
  await post(c, PODS, pod('holder', { hostPort: 80 }, { nodeName: 'node-1' }));
  await post(c, PODS, pod('late', { hostPort: 80 }, { nodeName: 'node-1' }));
  await post(c, PODS, pod('other-port', { hostPort: 81 }, { nodeName: 'node-1' }));

  assert.equal((await c.get(`${PODS}/holder`)).status.phase, 'Running');
  assert.equal((await c.get(`${PODS}/other-port`)).status.phase, 'Running');
  const late = await c.get(`${PODS}/late`);
  assert.equal(late.status.phase, 'Failed');
  assert.equal(late.status.reason, 'NodePorts');
  assert.equal(
    late.status.message,
    "Pod was rejected: Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports",
  );
  assert.equal(late.status.containerStatuses, undefined, 'never started');
  assert.ok(late.status.startTime);
  assert.deepEqual(
    (await events(c, 'late', 'NodePorts')).map((e) => [e.type, e.source.component, e.message]),
    [['Warning', 'kubelet', "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports"]],
  );
});

test('a sidecar (restartable init container) holds its host port as the containers do', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 0 });
  const sidecar = {
    initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', ports: [{ containerPort: 15000, hostPort: 15000 }] }],
  };
  await post(c, PODS, pod('meshed', { hostPort: 8080 }, sidecar));
  await post(c, PODS, pod('clash', { hostPort: 15000 }));
  assert.equal((await c.get(`${PODS}/meshed`)).spec.nodeName, 'node-1');
  assert.equal(
    scheduledCondition(await c.get(`${PODS}/clash`)).message,
    "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
  );
});

test('a DaemonSet pod whose node has its host port taken stays Pending; the others run; it runs once the port is free', async (t) => {
  const c = await manualCluster(t, 3, { podStartupMs: 0 });
  await post(c, PODS, pod('squatter', { hostPort: 9100 }, { nodeName: 'node-3' }));
  await post(c, '/apis/apps/v1/namespaces/default/daemonsets', {
    metadata: { name: 'exporter' },
    spec: {
      selector: { matchLabels: { app: 'exporter' } },
      template: {
        metadata: { labels: { app: 'exporter' } },
        spec: { containers: [{ name: 'c', image: 'node-exporter', ports: [{ containerPort: 9100, hostPort: 9100 }] }] },
      },
    },
  });
  const daemonPods = async () =>
    ((await c.get(`${PODS}?labelSelector=app%3Dexporter`)).items as Obj[]).filter((p) => !p.metadata.deletionTimestamp);
  const pods = await daemonPods();
  assert.equal(pods.length, 3, 'the DaemonSet controller creates a pod for every node, port or not');
  const blocked = pods.find((p) => !p.spec.nodeName);
  assert.ok(blocked, 'one pod is not bound');
  assert.deepEqual(
    blocked.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values,
    ['node-3'],
  );
  assert.equal(blocked.status.phase, 'Pending');
  assert.equal(scheduledCondition(blocked).message, NOT_FREE_OF_3);
  assert.deepEqual(
    pods
      .filter((p) => p.spec.nodeName)
      .map((p) => [p.spec.nodeName, p.status.phase])
      .sort(),
    [
      ['node-1', 'Running'],
      ['node-2', 'Running'],
    ],
  );
  const ds = await c.get('/apis/apps/v1/namespaces/default/daemonsets/exporter');
  assert.equal(ds.status.desiredNumberScheduled, 3);
  assert.equal(ds.status.numberReady, 2);

  assert.equal((await c.app.http.delete(`${PODS}/squatter`).send({ gracePeriodSeconds: 0 })).status, 200);
  await c.pass(1000);
  const after = await c.get(`${PODS}/${blocked.metadata.name}`);
  assert.equal(after.spec.nodeName, 'node-3');
  assert.equal(after.status.phase, 'Running');
  assert.equal((await c.get('/apis/apps/v1/namespaces/default/daemonsets/exporter')).status.numberReady, 3);
});

/**
 * Nodes created by a client (a POST, a --fixtures file) with part of their status or none: the
 * simulated kubelet registers over them as a kubelet does, keeping what was given, and runs
 * their pods.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { manualCluster } from '../helpers/manual-cluster.js';

type Obj = Record<string, any>;

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const tutorialDaemonSet = () => YAML.parse(readFileSync(fixture('tutorial-daemonset.yaml'), 'utf8')) as Obj;
const DS = '/apis/apps/v1/namespaces/kube-system/daemonsets';
const DS_PODS = '/api/v1/namespaces/kube-system/pods?labelSelector=name%3Dfluentd-elasticsearch';

const node = (name: string, status?: Obj, metadata: Obj = {}) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, ...metadata },
  ...(status ? { status } : {}),
});
const internalIP = (n: Obj) => n.status.addresses?.find((a: Obj) => a.type === 'InternalIP')?.address;
const ready = (o: Obj) => o.status.conditions?.find((c: Obj) => c.type === 'Ready')?.status;

async function post(app: TestApp, path: string, body: Obj): Promise<void> {
  const res = await app.http.post(path).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

/** Every pod of the tutorial DaemonSet Running and Ready on its node's InternalIP, one per node. */
async function assertPodsRunOnNodes(app: TestApp, nodeNames: string[]): Promise<void> {
  const pods = (await app.http.get(DS_PODS)).body.items as Obj[];
  assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), [...nodeNames].sort());
  for (const pod of pods) {
    const n = (await app.http.get(`/api/v1/nodes/${pod.spec.nodeName}`)).body;
    assert.equal(pod.status.phase, 'Running', `${pod.metadata.name} on ${pod.spec.nodeName}: ${JSON.stringify(pod.status)}`);
    assert.equal(ready(pod), 'True');
    assert.ok(internalIP(n), `${n.metadata.name} has an InternalIP: ${JSON.stringify(n.status.addresses)}`);
    assert.equal(pod.status.hostIP, internalIP(n));
  }
}

test("the issue's Show: a DaemonSet on three nodes created with only a Ready condition runs Ready pods on the kubelet's addresses", async (t) => {
  const c = await manualCluster(t, 0, { podStartupMs: 1000 });
  const names = ['kwok-node-0', 'kwok-node-1', 'kwok-node-2'];
  for (const name of names) await post(c.app, '/api/v1/nodes', node(name, { conditions: [{ type: 'Ready', status: 'True' }] }));
  await post(c.app, DS, tutorialDaemonSet());
  await c.settle();
  await c.pass(1000);

  await assertPodsRunOnNodes(c.app, names);
  const ds = await c.get(`${DS}/fluentd-elasticsearch`);
  assert.deepEqual([ds.status.desiredNumberScheduled, ds.status.numberReady, ds.status.numberAvailable], [3, 3, 3]);
  const nodes = (await c.get('/api/v1/nodes')).items as Obj[];
  const ips = nodes.map(internalIP);
  assert.equal(new Set(ips).size, 3, `distinct InternalIPs: ${ips.join(',')}`);
  for (const n of nodes) {
    assert.deepEqual(
      n.status.addresses.map((a: Obj) => a.type),
      ['InternalIP', 'Hostname'],
    );
    assert.equal(n.status.addresses[1].address, n.metadata.name);
    assert.equal(n.status.capacity.pods, '110');
    assert.deepEqual(n.status.allocatable, n.status.capacity);
    assert.ok(n.status.nodeInfo.kubeletVersion);
    assert.equal(n.status.daemonEndpoints.kubeletEndpoint.Port, 10250);
    assert.deepEqual(
      n.status.conditions.map((x: Obj) => `${x.type}=${x.status}`),
      ['Ready=True', 'MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False'],
    );
    assert.ok(
      n.status.conditions.every((x: Obj) => x.lastHeartbeatTime && x.reason),
      'the kubelet reports its conditions',
    );
    assert.equal(n.metadata.labels['kubernetes.io/hostname'], n.metadata.name);
  }
});

test('a node created without a status, and one with values of an odd shape, run their pods; what was given is kept', async (t) => {
  const c = await manualCluster(t, 0, { podStartupMs: 1000 });
  await post(c.app, '/api/v1/nodes', node('bare'));
  await post(
    c.app,
    '/api/v1/nodes',
    node(
      'odd',
      {
        capacity: { cpu: 2, memory: '8Gi' }, // a number, and no pods
        addresses: [{ type: 'ExternalIP', address: '203.0.113.7' }, { type: 'InternalIP' }],
        nodeInfo: { kubeletVersion: 'v1.29.2' },
        conditions: [{ type: 'Ready' }, { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' }],
      },
      { labels: { team: 'blue', 'kubernetes.io/os': 'linux' } },
    ),
  );
  await post(c.app, DS, tutorialDaemonSet());
  await c.settle();
  await c.pass(1000);

  await assertPodsRunOnNodes(c.app, ['bare', 'odd']);
  const odd = await c.get('/api/v1/nodes/odd');
  assert.equal(odd.status.capacity.cpu, '2', 'a number is stored as the text resource.Quantity prints');
  assert.equal(odd.status.capacity.memory, '8Gi');
  assert.equal(odd.status.capacity.pods, '110');
  assert.equal(odd.status.allocatable.memory, '8Gi');
  assert.deepEqual(
    odd.status.addresses.map((a: Obj) => a.type),
    ['InternalIP', 'ExternalIP', 'Hostname'],
  );
  assert.equal(odd.status.addresses[1].address, '203.0.113.7');
  assert.equal(odd.status.nodeInfo.kubeletVersion, 'v1.29.2');
  assert.equal(odd.status.conditions.find((x: Obj) => x.type === 'NetworkUnavailable').reason, 'RouteCreated');
  assert.equal(ready(odd), 'True');
  assert.equal(odd.metadata.labels.team, 'blue');
  assert.equal(odd.metadata.labels['kubernetes.io/hostname'], 'odd');
  const events = (await c.get('/api/v1/events?fieldSelector=involvedObject.kind%3DNode')).items as Obj[];
  assert.deepEqual(events.map((e) => `${e.involvedObject.name} ${e.reason}`).sort(), ['bare NodeReady', 'odd NodeReady']);
});

test('nodes of a --fixtures file (the tutorial cluster, no status) are registered before the DaemonSet runs on them', async (t) => {
  const clock = new ManualClock();
  const app = await buildTestApp(t, {
    controllers: true,
    clock,
    simulation: { podStartupMs: 1000 },
    fixtures: fixture('tutorial-cluster.yaml'),
  });
  const settle = () => app.kubemock.manager!.waitIdle();
  await settle();
  await post(app, DS, tutorialDaemonSet());
  await settle();
  clock.advance(1000);
  await settle();
  await assertPodsRunOnNodes(app, ['master', 'node-1', 'node-2', 'node-3']);
  const master = (await app.http.get('/api/v1/nodes/master')).body;
  assert.equal(master.metadata.labels['node-role.kubernetes.io/master'], '', 'fixture labels kept');
  assert.equal(master.metadata.labels['kubernetes.io/arch'], 'amd64', "the kubelet's default labels added");
  assert.deepEqual(master.spec.taints, [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }]);
});

test('a node whose addresses are written away gets them back from its kubelet', async (t) => {
  const c = await manualCluster(t, 1);
  const before = await c.get('/api/v1/nodes/node-1');
  await c.patch('/api/v1/nodes/node-1/status', { status: { addresses: null } });
  const after = await c.get('/api/v1/nodes/node-1');
  assert.deepEqual(after.status.addresses, before.status.addresses);
});

/**
 * No pod sits Pending without a reason a user can see: a pod the kubelet cannot give an address
 * says so in a FailedCreatePodSandBox event; a node with an IPv6 podCIDR runs its pods.
 * (Unschedulable pods: scheduler.test.ts; images that never pull: kubelet.test.ts; silent or
 * NotReady nodes: node-lifecycle.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualCluster, type ManualCluster } from '../helpers/manual-cluster.js';

type Obj = Record<string, any>;

const PODS = '/api/v1/namespaces/default/pods';

async function post(c: ManualCluster, path: string, body: Obj): Promise<void> {
  const res = await c.app.http.post(path).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

const node = (name: string, podCIDR: string) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: { podCIDR, podCIDRs: [podCIDR] },
});
const pod = (name: string, nodeName: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
});

test("a pod for which the node's podCIDR has no address left stays ContainerCreating with a FailedCreatePodSandBox event", async (t) => {
  const c = await manualCluster(t, 0, { podStartupMs: 1000 });
  await post(c, '/api/v1/nodes', node('tiny', '10.244.9.0/30')); // one address for pods: .2
  await c.settle();
  await post(c, PODS, pod('first', 'tiny'));
  await post(c, PODS, pod('second', 'tiny'));
  await c.settle();
  await c.pass(2000);

  const first = await c.get(`${PODS}/first`);
  assert.deepEqual([first.status.phase, first.status.podIP], ['Running', '10.244.9.2']);
  const second = await c.get(`${PODS}/second`);
  assert.equal(second.status.phase, 'Pending');
  assert.equal(second.status.containerStatuses[0].state.waiting.reason, 'ContainerCreating');
  const events = (await c.get(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dsecond`)).items as Obj[];
  const failed = events.filter((e) => e.reason === 'FailedCreatePodSandBox');
  assert.equal(failed.length, 1, JSON.stringify(events.map((e) => e.reason)));
  assert.equal(failed[0].type, 'Warning');
  assert.equal(failed[0].source.component, 'kubelet');
  assert.match(
    failed[0].message,
    /^Failed to create pod sandbox: .*failed to allocate for range 0: no IP addresses available in range set: 10\.244\.9\.1-10\.244\.9\.2$/,
  );

  // The first pod goes: its address is free again, and the second one starts.
  assert.equal((await c.app.http.delete(`${PODS}/first?gracePeriodSeconds=0`)).status, 200);
  await c.settle();
  await c.pass(1000);
  const started = await c.get(`${PODS}/second`);
  assert.deepEqual([started.status.phase, started.status.podIP], ['Running', '10.244.9.2']);
});

test('a node with an IPv6 podCIDR runs its pods on IPv6 addresses of it', async (t) => {
  const c = await manualCluster(t, 0, { podStartupMs: 1000 });
  await post(c, '/api/v1/nodes', node('six', 'fd00:10:244:1::/64'));
  await c.settle();
  await post(c, PODS, pod('a', 'six'));
  await post(c, PODS, pod('b', 'six'));
  await c.settle();
  await c.pass(1000);
  const ips = [];
  for (const name of ['a', 'b']) {
    const p = await c.get(`${PODS}/${name}`);
    assert.equal(p.status.phase, 'Running');
    assert.deepEqual(p.status.podIPs, [{ ip: p.status.podIP }]);
    ips.push(p.status.podIP);
  }
  assert.deepEqual(ips.sort(), ['fd00:10:244:1::2', 'fd00:10:244:1::3']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ORPHAN_QUARANTINE_MS } from '../../src/controllers/pod-gc/controller.js';
import { manualCluster, type ManualCluster } from '../helpers/manual-cluster.js';
import { waitFor } from '../helpers/eventually.js';

const PODS = '/api/v1/namespaces/default/pods';
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
type Obj = Record<string, any>;

const pod = (name: string, spec: Obj = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

type Cluster = ManualCluster;
const cluster = manualCluster;

async function create(c: Cluster, body: Obj, path = PODS): Promise<void> {
  const res = await c.app.http.post(path).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await c.settle();
}

test('a bound pod starts after podStartupMs: Running, Ready, IPs from the node, container statuses, kubelet events', async (t) => {
  const c = await cluster(t, 1, { podStartupMs: 2000 });
  await create(c, pod('one'));
  await create(c, pod('two'));
  assert.equal((await c.get(`${PODS}/one`)).status.phase, 'Pending', 'not before podStartupMs');
  await c.pass(2000);
  const one = await c.get(`${PODS}/one`);
  const two = await c.get(`${PODS}/two`);
  const node = await c.get('/api/v1/nodes/node-1');
  assert.equal(one.status.phase, 'Running');
  assert.deepEqual(
    one.status.conditions.map((x: Obj) => `${x.type}=${x.status}`),
    ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
  );
  const internal = node.status.addresses.find((a: Obj) => a.type === 'InternalIP').address;
  assert.equal(one.status.hostIP, internal);
  assert.deepEqual(one.status.hostIPs, [{ ip: internal }]);
  assert.ok(one.status.podIP.startsWith(node.spec.podCIDR.replace(/0\/24$/, '')), `${one.status.podIP} in ${node.spec.podCIDR}`);
  assert.notEqual(one.status.podIP, two.status.podIP);
  assert.deepEqual(one.status.podIPs, [{ ip: one.status.podIP }]);
  assert.equal(one.status.qosClass, 'BestEffort');
  assert.ok(one.status.startTime);
  const [cs] = one.status.containerStatuses;
  assert.equal(cs.ready, true);
  assert.equal(cs.started, true);
  assert.equal(cs.restartCount, 0);
  assert.equal(cs.image, 'docker.io/library/nginx:latest');
  assert.match(cs.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.match(cs.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.ok(cs.state.running.startedAt);
  const events = (await c.get(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Done`)).items as Obj[];
  const kubelet = events.filter((e) => e.source.component === 'kubelet');
  assert.deepEqual(
    kubelet.map((e) => e.reason),
    ['Pulled', 'Created', 'Started'],
  );
  assert.equal(kubelet[0].source.host, 'node-1');
  // Each component writes its Events through its own client: the field manager is its program name.
  assert.deepEqual(
    kubelet.map((e) => e.metadata.managedFields.map((m: Obj) => m.manager)),
    [['kubelet'], ['kubelet'], ['kubelet']],
  );
  const scheduled = events.find((e) => e.reason === 'Scheduled')!;
  assert.deepEqual(
    scheduled.metadata.managedFields.map((m: Obj) => m.manager),
    ['kube-scheduler'],
  );
  // The kubelet's container events are about the container (GenerateContainerRef): its fieldPath
  // last, in ObjectReference's field order. The scheduler's is about the pod itself.
  for (const e of kubelet) {
    assert.deepEqual(Object.keys(e.involvedObject), ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']);
    assert.equal(e.involvedObject.fieldPath, 'spec.containers{c}');
  }
  assert.equal(scheduled.involvedObject.fieldPath, undefined);
});

test('identical container events about two containers are two events, each naming its container', async (t) => {
  const c = await cluster(t, 1, { podStartupMs: 1000 });
  const containers = [
    { name: 'a', image: 'nginx' },
    { name: 'b', image: 'nginx' },
  ];
  await create(c, pod('pair', { containers }));
  await create(c, pod('bad', { containers: [{ name: 'c', image: 'foo:non-existent' }, ...containers] }));
  await c.pass(2000);
  const about = async (name: string) =>
    ((await c.get(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).items as Obj[]).filter(
      (e) => e.source.component === 'kubelet',
    );
  const pulled = (await about('pair')).filter((e) => e.reason === 'Pulled');
  assert.deepEqual(
    pulled.map((e) => [e.involvedObject.fieldPath, e.count, e.message]),
    [
      ['spec.containers{a}', 1, 'Container image "nginx" already present on machine'],
      ['spec.containers{b}', 1, 'Container image "nginx" already present on machine'],
    ],
  );
  // The image pull failure, then its back-off, are about the container whose image does not pull.
  const failing = (await about('bad')).filter((e) => ['Pulling', 'Failed', 'BackOff'].includes(e.reason));
  assert.deepEqual(
    failing.map((e) => `${e.reason} ${e.involvedObject.fieldPath}`),
    [
      'Pulling spec.containers{c}',
      'Failed spec.containers{c}',
      'Failed spec.containers{c}',
      'BackOff spec.containers{c}',
      'Failed spec.containers{c}',
    ],
  );
});

test('init containers are started before the others: their Pulled, Created and Started events come first, each naming its init container', async (t) => {
  const c = await cluster(t, 1, { podStartupMs: 1000 });
  await create(
    c,
    pod('inits', {
      initContainers: [
        { name: 'setup', image: 'busybox:1.36' },
        { name: 'migrate', image: 'busybox:1.36' },
      ],
    }),
  );
  await c.pass(2000);
  const events = ((await c.get('/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dinits')).items as Obj[])
    .filter((e) => e.source.component === 'kubelet')
    // In the order recorded: an Event's name ends in the nanoseconds it was made at.
    .sort((a, b) => (BigInt(`0x${a.metadata.name.split('.').pop()}`) < BigInt(`0x${b.metadata.name.split('.').pop()}`) ? -1 : 1));
  assert.deepEqual(
    events.map((e) => `${e.reason} ${e.involvedObject.fieldPath}`),
    ['setup', 'migrate']
      .flatMap((n) => ['Pulled', 'Created', 'Started'].map((r) => `${r} spec.initContainers{${n}}`))
      .concat(['Pulled', 'Created', 'Started'].map((r) => `${r} spec.containers{c}`)),
  );
  const running = await c.get(`${PODS}/inits`);
  assert.equal(running.status.phase, 'Running');
});

test('an image matching failingImagePattern never starts: ErrImagePull, then ImagePullBackOff', async (t) => {
  const c = await cluster(t, 1, { podStartupMs: 1000 });
  await create(c, pod('bad', { containers: [{ name: 'c', image: 'foo:non-existent' }] }));
  await c.pass(1000);
  let bad = await c.get(`${PODS}/bad`);
  assert.equal(bad.status.phase, 'Pending');
  assert.equal(bad.status.containerStatuses[0].state.waiting.reason, 'ErrImagePull');
  await c.pass(1000);
  bad = await c.get(`${PODS}/bad`);
  assert.deepEqual(bad.status.containerStatuses[0].state, {
    waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "foo:non-existent"' },
  });
  assert.equal(bad.status.conditions.find((x: Obj) => x.type === 'Ready').reason, 'ContainersNotReady');
  const rv = bad.metadata.resourceVersion;
  await c.pass(60_000);
  assert.equal((await c.get(`${PODS}/bad`)).metadata.resourceVersion, rv, 'no further writes');
});

test('a pod bound to a node that does not exist is left alone', async (t) => {
  const c = await cluster(t, 1);
  await create(c, pod('ghost', { nodeName: 'no-such-node' }));
  await c.pass(ORPHAN_QUARANTINE_MS / 2); // before pod GC's quarantine ends
  const ghost = await c.get(`${PODS}/ghost`);
  assert.equal(ghost.status.phase, 'Pending');
  assert.equal(ghost.status.containerStatuses, undefined);
});

test('a node created without status is registered: podCIDR, Ready conditions, addresses, and a Lease renewed every heartbeat', async (t) => {
  const c = await cluster(t, 0, { nodeHeartbeatMs: 10_000 });
  await create(c, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker' } }, '/api/v1/nodes');
  const node = await c.get('/api/v1/nodes/worker');
  assert.equal(node.spec.podCIDR, '10.244.1.0/24');
  assert.deepEqual(node.spec.podCIDRs, ['10.244.1.0/24']);
  assert.deepEqual(
    node.status.conditions.map((x: Obj) => `${x.type}=${x.status}`),
    ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True'],
  );
  assert.ok(node.status.addresses.some((a: Obj) => a.type === 'InternalIP'));
  const lease = await c.get(`${LEASES}/worker`);
  assert.deepEqual(lease.spec, { holderIdentity: 'worker', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' });
  assert.deepEqual(lease.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'worker', uid: node.metadata.uid }]);

  const nodeRv = node.metadata.resourceVersion;
  await c.pass(10_000);
  assert.equal((await c.get(`${LEASES}/worker`)).spec.renewTime, '2025-01-01T00:00:10.000000Z');
  await c.pass(60_000);
  assert.equal((await c.get(`${LEASES}/worker`)).spec.renewTime, '2025-01-01T00:01:10.000000Z');
  assert.equal((await c.get('/api/v1/nodes/worker')).metadata.resourceVersion, nodeRv, 'heartbeats write only the Lease');
  await c.pass(5 * 60_000);
  const later = await c.get('/api/v1/nodes/worker');
  assert.notEqual(later.metadata.resourceVersion, nodeRv, 'the status is posted again every five minutes');
  assert.equal(later.status.conditions.find((x: Obj) => x.type === 'Ready').lastHeartbeatTime, '2025-01-01T00:05:00Z');
});

async function logs(c: Cluster, name: string, query = ''): Promise<{ status: number; text: string; body: Obj }> {
  const res = await c.app.http
    .get(`${PODS}/${name}/log${query}`)
    .buffer(true)
    .parse((r, cb) => {
      let data = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => (data += chunk));
      r.on('end', () => cb(null, data));
    });
  const text = res.body as string;
  return { status: res.status, text, body: res.status === 200 ? {} : (JSON.parse(text) as Obj) };
}

test('pods/log: errors before start and for bad parameters, then the container output', async (t) => {
  const c = await cluster(t, 1, { podStartupMs: 1000 });
  await create(c, pod('web'));
  await create(
    c,
    pod('duo', {
      containers: [
        { name: 'a', image: 'nginx' },
        { name: 'b', image: 'busybox' },
      ],
    }),
  );
  const early = await logs(c, 'web');
  assert.equal(early.status, 400);
  assert.equal(early.body.message, 'container "c" in pod "web" is waiting to start: ContainerCreating');
  await c.pass(3000);

  const plain = await logs(c, 'web');
  assert.equal(plain.status, 200);
  assert.match(plain.text, /^kubemock: container c started from image docker\.io\/library\/nginx:latest\n/);
  assert.equal(plain.text.trimEnd().split('\n').length, 5, plain.text);
  const tail = await logs(c, 'web', '?tailLines=1&timestamps=true');
  assert.match(tail.text, /^2025-01-01T00:00:03\.000000000Z kubemock: c tick 2\n$/);

  const which = await logs(c, 'duo');
  assert.equal(which.status, 400);
  assert.equal(which.body.message, 'a container name must be specified for pod duo, choose one of: [a b]');
  assert.equal((await logs(c, 'duo', '?container=b')).status, 200);
  assert.equal((await logs(c, 'duo', '?container=zz')).body.message, 'container zz is not valid for pod duo');
  assert.equal((await logs(c, 'web', '?previous=true')).body.message, 'previous terminated container "c" in pod "web" not found');
  assert.equal((await logs(c, 'web', '?tailLines=-1')).status, 422);
  const recent = await logs(c, 'web', '?sinceTime=2025-01-01T02:00:02%2B02:00');
  assert.deepEqual(recent.text.trimEnd().split('\n').length, 2, 'the lines from 00:00:02 UTC on');
  const badTime = await logs(c, 'web', '?sinceTime=yesterday');
  assert.equal(badTime.status, 400);
  assert.equal(badTime.body.message, 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"');
  const both = await logs(c, 'web', '?sinceSeconds=5&sinceTime=2025-01-01T00:00:00Z');
  assert.equal(both.status, 422);
  assert.equal(
    both.body.message,
    'PodLogOptions "web" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
  );
  const many = await logs(c, 'web', '?tailLines=-1&limitBytes=0&sinceSeconds=0&stream=Stdout');
  assert.equal(many.status, 422);
  assert.deepEqual(
    many.body.details.causes.map((cause: { field: string; message: string }) => `${cause.field}: ${cause.message}`),
    [
      'tailLines: Invalid value: -1: must be greater than or equal to 0',
      'limitBytes: Invalid value: 0: must be greater than 0',
      'sinceSeconds: Invalid value: 0: must be greater than 0',
      'stream: Forbidden: may not be specified',
    ],
    'every finding at once, in ValidatePodLogOptions order; stream needs a feature 1.33 has off',
  );
  assert.equal((await logs(c, 'nope')).status, 404);
});

/**
 * A running pod `web` (`spec`: more of its spec) on a listening server, with the pods watch
 * listeners and clock timers counted before any follower.
 */
async function followedPod(t: Parameters<typeof cluster>[0], spec: Obj = {}) {
  const c = await cluster(t, 1, { podStartupMs: 0 });
  await create(c, pod('web', spec));
  await c.pass(100);
  await c.app.kubemock.fastify.listen({ host: '127.0.0.1', port: 0 });
  const { port } = c.app.kubemock.fastify.server.address() as AddressInfo;
  const hub = c.app.kubemock.registry.hub;
  return { c, port, hub, listeners: hub.listenerCount('pods'), timers: c.clock.pendingTimers() };
}

test('pods/log?follow=true streams a line per second until the pod is gone', async (t) => {
  const { c, port, timers } = await followedPod(t, { terminationGracePeriodSeconds: 0 });
  let text = '';
  const ended = new Promise<void>((resolve, reject) => {
    httpGet(`http://127.0.0.1:${port}${PODS}/web/log?follow=true&tailLines=0`, (res) => {
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', resolve);
    }).on('error', reject);
  });
  // The stream follows once its timer is on the clock (nothing is sent before the first line).
  await waitFor(() => c.clock.pendingTimers() === timers + 1);
  await c.pass(3000);
  await waitFor(() => assert.equal(text, 'kubemock: c tick 1\nkubemock: c tick 2\nkubemock: c tick 3\n'));
  assert.equal((await c.app.http.delete(`${PODS}/web`)).status, 200);
  await c.pass(1000);
  await ended;
});

test('pods/log?follow=true stops its timer and watch when the client goes away', async (t) => {
  const { c, port, hub, listeners, timers } = await followedPod(t);
  const req = httpGet(`http://127.0.0.1:${port}${PODS}/web/log?follow=true`);
  req.on('error', () => {});
  await new Promise<void>((resolve) => req.on('response', () => resolve()));
  assert.equal(hub.listenerCount('pods'), listeners + 1);
  assert.equal(c.clock.pendingTimers(), timers + 1);
  req.destroy();
  await waitFor(() => hub.listenerCount('pods') === listeners && c.clock.pendingTimers() === timers);
});

test('pods/log?follow=true&limitBytes ends the stream once that many bytes are sent, and stops following', async (t) => {
  const { c, port, hub, listeners, timers } = await followedPod(t);
  let text = '';
  const ended = new Promise<void>((resolve, reject) => {
    httpGet(`http://127.0.0.1:${port}${PODS}/web/log?follow=true&tailLines=0&limitBytes=25`, (res) => {
      assert.equal(res.statusCode, 200);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', resolve);
    }).on('error', reject);
  });
  await waitFor(() => c.clock.pendingTimers() === timers + 1);
  await c.pass(3000);
  await ended;
  assert.equal(text, 'kubemock: c tick 1\nkubemo');
  await waitFor(() => hub.listenerCount('pods') === listeners && c.clock.pendingTimers() === timers);
});

/** The endpoints and EndpointSlice controllers: a Service's pods as Endpoints and EndpointSlices, kept current. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualCluster, type ManualCluster } from '../helpers/manual-cluster.js';

type Obj = Record<string, any>;
const NS = '/api/v1/namespaces/default';
const SLICES = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';

function webPod(name: string, node: string, labels: Record<string, string> = { app: 'web' }): Obj {
  return {
    metadata: { name, labels },
    spec: { nodeName: node, containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
  };
}

async function createService(c: ManualCluster, spec: Obj, name = 'web', labels: Record<string, string> = { tier: 'front' }): Promise<Obj> {
  const res = await c.app.http.post(`${NS}/services`).send({ metadata: { name, labels }, spec });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await c.settle();
  return res.body as Obj;
}

async function slicesOf(c: ManualCluster, service: string): Promise<Obj[]> {
  const list = await c.get(`${SLICES}?labelSelector=kubernetes.io/service-name=${service}`);
  return list.items as Obj[];
}

test('a Service with a selector gets Endpoints and an EndpointSlice with its pods, ports resolved by name', async (t) => {
  const c = await manualCluster(t, 2);
  await c.patch('/api/v1/nodes/node-1', { metadata: { labels: { 'topology.kubernetes.io/zone': 'zone-a' } } });
  const p1 = await c.runPod(webPod('web-1', 'node-1'));
  const p2 = await c.runPod(webPod('web-2', 'node-2'));
  await c.runPod(webPod('other', 'node-2', { app: 'other' }));
  const svc = await createService(c, { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });

  const ep = await c.get(`${NS}/endpoints/web`);
  assert.deepEqual(ep.metadata.labels, { tier: 'front' });
  assert.ok(ep.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time']);
  const expectedAddresses = [p1, p2]
    .map((p) => ({
      ip: p.status.podIP,
      nodeName: p.spec.nodeName,
      targetRef: { kind: 'Pod', namespace: 'default', name: p.metadata.name, uid: p.metadata.uid },
    }))
    .sort((a, b) => a.ip.localeCompare(b.ip, undefined, { numeric: true }));
  assert.deepEqual(ep.subsets, [{ addresses: expectedAddresses, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]);

  const [slice, ...more] = await slicesOf(c, 'web');
  assert.equal(more.length, 0);
  assert.match(slice.metadata.name, /^web-[a-z0-9]{5}$/);
  assert.equal(slice.metadata.generateName, 'web-');
  assert.deepEqual(slice.metadata.labels, {
    'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    'kubernetes.io/service-name': 'web',
    tier: 'front',
  });
  assert.deepEqual(slice.metadata.ownerReferences, [
    { apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true },
  ]);
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
  const byPod = new Map((slice.endpoints as Obj[]).map((e) => [e.targetRef.name, e]));
  assert.deepEqual(byPod.get('web-1'), {
    addresses: [p1.status.podIP],
    conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: p1.metadata.uid },
    nodeName: 'node-1',
    zone: 'zone-a',
  });
  assert.equal(byPod.get('web-2')?.zone, undefined);
  assert.equal(byPod.size, 2);

  // A node gaining a zone label moves the zone of its pods' endpoints.
  await c.patch('/api/v1/nodes/node-2', { metadata: { labels: { 'topology.kubernetes.io/zone': 'zone-b' } } });
  const [relabelled] = await slicesOf(c, 'web');
  assert.equal((relabelled.endpoints as Obj[]).find((e) => e.targetRef.name === 'web-2')?.zone, 'zone-b');
});

test('a pod that stops being ready moves to notReadyAddresses and ready=false; publishNotReadyAddresses keeps it ready', async (t) => {
  const c = await manualCluster(t, 1);
  const pod = await c.runPod(webPod('web-1', 'node-1'));
  await createService(c, { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
  await createService(c, { selector: { app: 'web' }, ports: [{ port: 80 }], publishNotReadyAddresses: true }, 'web-all');
  const res = await c.app.http.post('/kubemock/v1/chaos').send({ action: 'pod-never-ready', namespace: 'default', pod: 'web-1' });
  assert.ok(res.status < 300, JSON.stringify(res.body));
  await c.pass(2000);
  const ep = await c.get(`${NS}/endpoints/web`);
  assert.equal(ep.subsets.length, 1);
  assert.equal(ep.subsets[0].addresses, undefined);
  assert.deepEqual(
    ep.subsets[0].notReadyAddresses.map((a: Obj) => a.ip),
    [pod.status.podIP],
  );
  const [slice] = await slicesOf(c, 'web');
  assert.deepEqual(slice.endpoints[0].conditions, { ready: false, serving: false, terminating: false });

  const all = await c.get(`${NS}/endpoints/web-all`);
  assert.deepEqual(
    all.subsets[0].addresses.map((a: Obj) => a.ip),
    [pod.status.podIP],
  );
  const [allSlice] = await slicesOf(c, 'web-all');
  assert.deepEqual(allSlice.endpoints[0].conditions, { ready: true, serving: false, terminating: false });
});

test('a Service without pods gets empty Endpoints and one placeholder slice; a deleted pod goes away; nothing is rewritten when nothing changed', async (t) => {
  const c = await manualCluster(t, 1);
  await createService(c, { selector: { app: 'web' }, ports: [{ port: 80 }] });
  const ep = await c.get(`${NS}/endpoints/web`);
  assert.equal(ep.subsets, undefined);
  const [placeholder, ...more] = await slicesOf(c, 'web');
  assert.equal(more.length, 0);
  assert.equal(placeholder.endpoints, null);
  assert.equal(placeholder.ports, null);

  await c.runPod(webPod('web-1', 'node-1'));
  await c.settle();
  const [slice, ...others] = await slicesOf(c, 'web');
  assert.equal(others.length, 0, 'the placeholder is reused');
  assert.equal(slice.metadata.name, placeholder.metadata.name);
  assert.equal(slice.endpoints.length, 1);
  const epRv = (await c.get(`${NS}/endpoints/web`)).metadata.resourceVersion;
  const sliceRv = slice.metadata.resourceVersion;
  await c.pass(3000);
  assert.equal((await c.get(`${NS}/endpoints/web`)).metadata.resourceVersion, epRv);
  assert.equal((await slicesOf(c, 'web'))[0].metadata.resourceVersion, sliceRv);

  const del = await c.app.http.delete(`${NS}/pods/web-1`).send({ gracePeriodSeconds: 0 });
  assert.equal(del.status, 200);
  await c.settle();
  assert.equal((await c.get(`${NS}/endpoints/web`)).subsets, undefined);
  const [after] = await slicesOf(c, 'web');
  assert.equal(after.endpoints, null);
});

test('headless Service: hostname for pods naming it as subdomain, the headless label; deleting the Service removes its Endpoints', async (t) => {
  const c = await manualCluster(t, 1);
  const pod = webPod('web-1', 'node-1');
  pod.spec.hostname = 'web-1';
  pod.spec.subdomain = 'web';
  await c.runPod(pod);
  await createService(c, { selector: { app: 'web' }, clusterIP: 'None' }, 'web', {});
  const ep = await c.get(`${NS}/endpoints/web`);
  assert.deepEqual(ep.metadata.labels, { 'service.kubernetes.io/headless': '' });
  assert.equal(ep.subsets[0].addresses[0].hostname, 'web-1');
  assert.equal(ep.subsets[0].ports, undefined);
  const [slice] = await slicesOf(c, 'web');
  assert.equal(slice.metadata.labels['service.kubernetes.io/headless'], '');
  assert.equal(slice.endpoints[0].hostname, 'web-1');
  assert.equal(slice.ports, null);

  const del = await c.app.http.delete(`${NS}/services/web`);
  assert.equal(del.status, 200);
  await c.settle();
  assert.equal((await c.app.http.get(`${NS}/endpoints/web`)).status, 404);
});

test('Services without a selector keep hand-written Endpoints', async (t) => {
  const c = await manualCluster(t, 1);
  await createService(c, { ports: [{ port: 80 }] }, 'manual');
  const body = { metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80 }] }] };
  const res = await c.app.http.post(`${NS}/endpoints`).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await c.settle();
  const ep = await c.get(`${NS}/endpoints/manual`);
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
  assert.deepEqual(await slicesOf(c, 'manual'), []);
});

/** The `kubernetes` Service's Endpoints and EndpointSlice name the listening API server, as kube-apiserver's endpoint reconciler writes them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServer } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/eventually.js';

type Obj = Record<string, any>;

test('once listening: Endpoints and EndpointSlice `kubernetes` with 127.0.0.1 and the port, named https; restored after a delete', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const port = Number(new URL(server.url).port);
  const get = async (path: string): Promise<Obj> => {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 200, path);
    return (await res.json()) as Obj;
  };
  const ep = await get('/api/v1/namespaces/default/endpoints/kubernetes');
  assert.deepEqual(ep.metadata.labels, { 'endpointslice.kubernetes.io/skip-mirror': 'true' });
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port, protocol: 'TCP' }] }]);
  const slice = await get('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes');
  assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' });
  assert.equal(slice.metadata.ownerReferences, undefined);
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.endpoints, [{ addresses: ['127.0.0.1'], conditions: { ready: true } }]);
  assert.deepEqual(slice.ports, [{ name: 'https', protocol: 'TCP', port }]);

  const del = await fetch(`${server.url}/api/v1/namespaces/default/endpoints/kubernetes`, { method: 'DELETE' });
  assert.equal(del.status, 200);
  await waitFor(async () => assert.deepEqual((await get('/api/v1/namespaces/default/endpoints/kubernetes')).subsets, ep.subsets));
});

test('a client may not write a loopback address into other Endpoints or slices (422)', async (t) => {
  const server = await startServer({ app: { controllers: false } });
  t.after(() => server.stop());
  const post = (path: string, body: Obj) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ep = await post('/api/v1/namespaces/default/endpoints', {
    metadata: { name: 'x' },
    subsets: [{ addresses: [{ ip: '127.0.0.1' }] }],
  });
  assert.equal(ep.status, 422);
  const status = (await ep.json()) as Obj;
  assert.match(
    status.message,
    /subsets\[0\]\.addresses\[0\]\.ip: Invalid value: "127\.0\.0\.1": may not be in the loopback range \(127\.0\.0\.0\/8, ::1\/128\)/,
  );
  const slice = await post('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
    metadata: { name: 'x' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['169.254.1.1'] }, { addresses: ['fe80::1'] }],
  });
  assert.equal(slice.status, 422);
  const sliceStatus = (await slice.json()) as Obj;
  assert.match(sliceStatus.message, /endpoints\[0\]\.addresses\[0\]: Invalid value: "169\.254\.1\.1": may not be in the link-local range/);
  // 1.33 checks the family only of a valid IP address, and words it "an IPv4 address".
  assert.match(sliceStatus.message, /endpoints\[1\]\.addresses\[0\]: Invalid value: "fe80::1": must be an IPv4 address/);
});

test('v1 Endpoints answer with the deprecation warning of Kubernetes 1.33; EndpointSlices do not', async (t) => {
  const server = await startServer({ app: { controllers: false } });
  t.after(() => server.stop());
  const ep = await fetch(`${server.url}/api/v1/namespaces/default/endpoints`);
  assert.equal(ep.status, 200);
  assert.equal(ep.headers.get('warning'), '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"');
  const missing = await fetch(`${server.url}/api/v1/namespaces/default/endpoints/none`);
  assert.equal(missing.status, 404);
  assert.match(missing.headers.get('warning') ?? '', /v1 Endpoints is deprecated/);
  const slices = await fetch(`${server.url}/apis/discovery.k8s.io/v1/endpointslices`);
  assert.equal(slices.status, 200);
  assert.equal(slices.headers.get('warning'), null);
});

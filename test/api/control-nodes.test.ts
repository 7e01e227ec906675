/** POST /kubemock/v1/nodes: node-N names take the Nth pod CIDR while it exists; any other gets the lowest free one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';

test('node names past the pod CIDR range get a free CIDR, not a made-up one; too many names is a 400', async (t) => {
  const app = await buildTestApp(t, { controllers: false });
  await app.http
    .post('/kubemock/v1/nodes')
    .send({ names: ['node-7', 'node-5000000', 'node-99999999999999999999', 'edge'] })
    .expect(201);
  const cidrs = Object.fromEntries(
    ((await app.http.get('/api/v1/nodes').expect(200)).body.items as { metadata: { name: string }; spec: { podCIDR: string } }[]).map(
      (n) => [n.metadata.name, n.spec.podCIDR],
    ),
  );
  assert.deepEqual(cidrs, {
    edge: '10.244.3.0/24',
    'node-5000000': '10.244.1.0/24',
    'node-7': '10.244.7.0/24',
    'node-99999999999999999999': '10.244.2.0/24',
  });
  const many = await app.http
    .post('/kubemock/v1/nodes')
    .send({ names: Array.from({ length: 10_001 }, (_, i) => `n${i}`) })
    .expect(400);
  assert.equal(many.body.message, 'nodes: at most 10000 names at once, got 10001');
});

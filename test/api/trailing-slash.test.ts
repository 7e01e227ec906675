/**
 * Paths with a trailing slash, as kube-apiserver routes them: go-restful trims the slash (so every
 * discovery document and every resource URL answers with and without it) and the aggregator serves
 * `/apis/` and `/apis/{group}/`; the exact-path handlers (/healthz, /livez, /readyz, /openapi/v2)
 * and kube-openapi's `/openapi/v3/<group-version>` lookup do not, and answer 404.
 * Generated clients call the slashed forms: Python's VersionApi().get_code() asks for /version/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

test('every discovery document answers at path/ exactly as at path', async (t) => {
  const { kubemock } = await buildTestApp(t);
  const get = (url: string, accept?: string) =>
    kubemock.fastify.inject({ method: 'GET', url, headers: { host: '127.0.0.1:6443', ...(accept ? { accept } : {}) } });
  const groups = (await get('/apis')).json().groups as { name: string; versions: { groupVersion: string }[] }[];
  assert.ok(groups.length > 0);
  const paths = ['/version', '/api', '/api/v1', '/apis'];
  for (const g of groups) paths.push(`/apis/${g.name}`, ...g.versions.map((v) => `/apis/${v.groupVersion}`));
  for (const path of paths) {
    for (const accept of [undefined, AGGREGATED]) {
      const plain = await get(path, accept);
      const slashed = await get(`${path}/`, accept);
      assert.equal(plain.statusCode, 200, path);
      assert.equal(slashed.statusCode, 200, `${path}/`);
      assert.equal(slashed.headers['content-type'], plain.headers['content-type'], `${path}/`);
      assert.equal(slashed.body, plain.body, `${path}/`);
    }
  }
  assert.equal((await get('/apis/nope.example.com/')).statusCode, 404);
  assert.equal((await get('/apis/apps/v9/')).statusCode, 404);
  assert.equal((await get('/api/v9/')).statusCode, 404);
});

test('resource URLs with a trailing slash are the same resource: list, get, create, subresource', async (t) => {
  const { http } = await buildTestApp(t);
  const namespaces = await http.get('/api/v1/namespaces/').expect(200);
  assert.equal(namespaces.body.kind, 'NamespaceList');
  assert.equal((await http.get('/api/v1/namespaces/default/').expect(200)).body.metadata.name, 'default');
  const created = await http
    .post('/api/v1/namespaces/default/pods/')
    .send({ metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  assert.equal(created.status, 201);
  const list = await http.get('/api/v1/namespaces/default/pods/').expect(200);
  assert.deepEqual(
    list.body.items.map((p: { metadata: { name: string } }) => p.metadata.name),
    ['a'],
  );
  assert.equal((await http.get('/api/v1/namespaces/default/pods/a/').expect(200)).body.kind, 'Pod');
  assert.equal((await http.get('/api/v1/namespaces/default/pods/a/status/').expect(200)).body.metadata.name, 'a');
  assert.equal((await http.get('/apis/apps/v1/namespaces/default/daemonsets/').expect(200)).body.kind, 'DaemonSetList');
  await http.delete('/api/v1/namespaces/default/pods/a/').expect(200);
});

test('health checks and OpenAPI documents are exact paths: with a trailing slash they are 404', async (t) => {
  const { http } = await buildTestApp(t);
  for (const path of [
    '/healthz',
    '/livez',
    '/readyz',
    '/healthz/ping',
    '/openapi/v2',
    '/openapi/v3',
    '/openapi/v3/api/v1',
    '/openapi/v3/apis/apps/v1',
  ]) {
    await http.get(path).expect(200);
    await http.get(`${path}/`).expect(404);
  }
});

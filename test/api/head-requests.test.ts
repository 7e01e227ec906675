/**
 * HEAD on every kind of GET path answers as the GET does, without a body (Go's net/http does the
 * same for kube-apiserver's handlers): same status, Content-Type and Content-Length, and an empty
 * answer (a redirect) says Content-Length 0. src/http/head-routes.ts makes each GET route take HEAD.
 * A resource URL is the exception: kube-apiserver routes only its GET, so HEAD there is a 405.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: number;
  /** Whether the request went over a connection an earlier answer left open. */
  reusedSocket: boolean;
}

function send(port: number, method: string, path: string, headers: Record<string, string> = {}, agent?: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One path of each route group: discovery, health, version, OpenAPI, control API, dashboard, resources; found and not. */
const PATHS = [
  '/api',
  '/api/',
  '/api/v1',
  '/apis',
  '/apis/apps',
  '/apis/apps/v1/',
  '/apis/nope',
  '/version',
  '/healthz',
  '/readyz?verbose',
  '/livez/ping',
  '/livez/nope',
  '/openapi/v2',
  '/openapi/v3',
  '/openapi/v3/api/v1',
  '/openapi/v3/nope',
  '/kubemock/v1',
  '/kubemock/v1/faults',
  '/kubemock/v1/faults/nope',
  '/kubemock/v1/chaos',
  '/kubemock/v1/clock',
  '/kubemock/v1/openapi.json',
  '/kubemock/ui/',
  '/kubemock/ui/nope.js',
  '/nope',
];

test('HEAD answers every GET path with the GET status and headers and no body', async (t) => {
  const kubemock = await buildApp({ db: ':memory:', logLevel: 'silent', controllers: false });
  t.after(() => kubemock.close());
  await kubemock.fastify.listen({ host: '127.0.0.1', port: 0 });
  const { port } = kubemock.fastify.server.address() as AddressInfo;
  for (const path of PATHS) {
    const get = await send(port, 'GET', path);
    const head = await send(port, 'HEAD', path);
    assert.equal(head.status, get.status, path);
    assert.equal(head.bytes, 0, path);
    assert.equal(head.headers['content-type'], get.headers['content-type'], path);
    assert.equal(head.headers['content-length'], get.headers['content-length'], path);
    assert.equal(head.headers['content-length'], String(get.bytes), path);
  }
  // A changing document: HEAD measures the same body a GET gets (the scrape reads counters, not itself).
  const metrics = await send(port, 'HEAD', '/metrics');
  assert.equal(metrics.status, 200);
  assert.equal(metrics.bytes, 0);
  assert.ok(Number(metrics.headers['content-length']) > 1000, String(metrics.headers['content-length']));
  assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
});

test('HEAD of a redirect says Content-Length 0; of a 304, no length', async (t) => {
  const kubemock = await buildApp({ db: ':memory:', logLevel: 'silent', controllers: false });
  t.after(() => kubemock.close());
  await kubemock.fastify.listen({ host: '127.0.0.1', port: 0 });
  const { port } = kubemock.fastify.server.address() as AddressInfo;
  for (const path of ['/kubemock/ui', '/openapi/v3/api/v1?hash=stale']) {
    const head = await send(port, 'HEAD', path);
    assert.equal(head.status, 301, path);
    assert.equal(head.headers['content-length'], '0', path);
    assert.ok(head.headers.location, path);
  }
  const etag = (await send(port, 'GET', '/openapi/v2')).headers.etag!;
  const notModified = await send(port, 'HEAD', '/openapi/v2', { 'if-none-match': etag });
  assert.equal(notModified.status, 304);
  assert.equal(notModified.headers.etag, etag);
  assert.equal(notModified.headers['content-length'], undefined);
});

/** Upstream's router answer to a method a resource path has no route for (apierrors.NewGenericServerResponse). */
const METHOD_NOT_ALLOWED_BODY = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'the server does not allow this method on the requested resource',
  reason: 'MethodNotAllowed',
  details: {},
  code: 405,
});

test('HEAD on a resource URL (watch, list, object) is a 405 head without a body, and the connection stays usable', async (t) => {
  const kubemock = await buildApp({ db: ':memory:', logLevel: 'silent', controllers: false });
  t.after(() => kubemock.close());
  await kubemock.fastify.listen({ host: '127.0.0.1', port: 0 });
  const { port } = kubemock.fastify.server.address() as AddressInfo;
  // One connection for every request: an answer that left bytes behind or held the connection would break the next.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  const paths = [
    '/api/v1/nodes?watch=1',
    '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0',
    '/apis/apps/v1/daemonsets?watch=1',
    '/api/v1/watch/namespaces',
    '/api/v1/nodes',
    '/apis/apps/v1/daemonsets',
    '/api/v1/namespaces/default',
    '/api/v1/namespaces/nope',
  ];
  for (const [i, path] of paths.entries()) {
    const head = await send(port, 'HEAD', path, {}, agent);
    assert.equal(head.status, 405, path);
    assert.equal(head.bytes, 0, path);
    assert.match(String(head.headers['content-type']), /^application\/json/, path);
    assert.equal(head.headers['content-length'], String(Buffer.byteLength(METHOD_NOT_ALLOWED_BODY)), path);
    assert.equal(head.headers['transfer-encoding'], undefined, path);
    assert.notEqual(head.headers.connection, 'close', path);
    if (i > 0) assert.ok(head.reusedSocket, `${path}: the connection of the answer before was not reused`);
    // The same connection still serves a GET, in full.
    const get = await send(port, 'GET', '/api/v1/namespaces/default', {}, agent);
    assert.equal(get.status, 200, path);
    assert.ok(get.reusedSocket, path);
    assert.equal(String(get.bytes), get.headers['content-length'], path);
  }
  // A path upstream has no route for stays the GET's 404.
  for (const path of ['/api/v1/nopes', '/api/v1/nopes?watch=1']) {
    const get = await send(port, 'GET', path, {}, agent);
    const head = await send(port, 'HEAD', path, {}, agent);
    assert.equal(get.status, 404, path);
    assert.equal(head.status, 404, path);
    assert.equal(head.bytes, 0, path);
    assert.equal(head.headers['content-length'], String(get.bytes), path);
  }
});

test('POST to a GET-only path stays 404, as before HEAD shared its route', async (t) => {
  const kubemock = await buildApp({ db: ':memory:', logLevel: 'silent', controllers: false });
  t.after(() => kubemock.close());
  await kubemock.fastify.listen({ host: '127.0.0.1', port: 0 });
  const { port } = kubemock.fastify.server.address() as AddressInfo;
  for (const path of ['/version', '/healthz', '/openapi/v2', '/kubemock/v1/clock']) {
    const answer = await send(port, 'POST', path);
    assert.equal(answer.status, 404, path);
  }
});

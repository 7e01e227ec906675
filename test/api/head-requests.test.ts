/**
 * HEAD on every kind of GET path answers as the GET does, without a body (Go's net/http does the
 * same for kube-apiserver's handlers): same status, Content-Type and Content-Length, and an empty
 * answer (a redirect) says Content-Length 0. src/http/head-routes.ts makes each GET route take HEAD.
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
}

function send(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
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
  '/api/v1/namespaces/default',
  '/api/v1/namespaces/nope',
  '/apis/apps/v1/daemonsets',
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

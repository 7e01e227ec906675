/**
 * What Node's HTTP parser rejects before Fastify (headers too large, a malformed request) and a body
 * over the limit: Kubernetes Status answers with `Connection: close`, read by the client before the
 * connection closes. Raw sockets on loopback, as these requests cannot be made by an HTTP client.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { buildTestApp } from '../helpers/build-app.js';
import { listening } from '../helpers/watch-client.js';
import { MAX_REQUEST_BODY_BYTES } from '../../src/apimachinery/status.js';

interface RawResponse {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
}

function parse(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  assert.ok(end > 0, `a whole response head, got ${JSON.stringify(raw.slice(0, 200))}`);
  const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { statusLine, headers, body: raw.slice(end + 4) };
}

/**
 * Sends `request` as a client that writes everything before it reads anything (as many synchronous
 * clients do), then reads until the server closes the connection.
 */
async function sendThenRead(port: number, request: (string | Buffer)[]): Promise<RawResponse> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  socket.pause();
  let sendError: unknown;
  await new Promise<void>((resolve) => {
    socket.once('error', (err) => ((sendError = err), resolve()));
    for (const part of request.slice(0, -1)) socket.write(part);
    socket.write(request.at(-1)!, () => resolve());
  });
  let raw = '';
  socket.on('data', (d: Buffer) => (raw += d.toString('utf8')));
  socket.on('error', () => {});
  socket.resume();
  await new Promise((r) => socket.once('close', r));
  assert.ok(raw, `a response before the connection closed (sending: ${String(sendError)})`);
  return parse(raw);
}

function assertClosingStatus(res: RawResponse, code: number, reason: string | undefined, message: RegExp) {
  assert.match(res.statusLine, new RegExp(`^HTTP/1\\.1 ${code} `));
  assert.equal(res.headers.connection, 'close');
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  const status = JSON.parse(res.body) as Record<string, unknown>;
  assert.equal(status.kind, 'Status');
  assert.equal(status.apiVersion, 'v1');
  assert.equal(status.status, 'Failure');
  assert.equal(status.code, code);
  assert.equal(status.reason, reason);
  assert.match(String(status.message), message);
}

test("headers over 1 MiB (kube-apiserver's MaxHeaderBytes): 431 as a Status, with Connection: close", async (t) => {
  const { kubemock, http } = await buildTestApp(t);
  const port = await listening(kubemock);
  const res = await sendThenRead(port, [`GET /api/v1/pods HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(1100 * 1024)}\r\n\r\n`]);
  assertClosingStatus(res, 431, undefined, /^Request Header Fields Too Large$/);
  await http.get('/api/v1/namespaces').expect(200);
  // Below it (Node's own default is 16 KiB) a long selector is read: 2,500 values are some 20 KB of URL.
  const values = Array.from({ length: 2500 }, (_, i) => `v${i}`).join(',');
  const list = await http.get('/api/v1/namespaces').query({ labelSelector: `app in (${values})` });
  assert.equal(list.status, 200, JSON.stringify(list.body).slice(0, 200));
});

test('a malformed request: 400 BadRequest as a Status, with Connection: close', async (t) => {
  const { kubemock, http } = await buildTestApp(t);
  const port = await listening(kubemock);
  for (const request of [
    'GET /api/v1/pods HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n',
    'GET /api/v1/pods HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
    'BREW /api/v1/pods HTTP/1.1\r\nHost: x\r\n\r\n',
  ]) {
    const res = await sendThenRead(port, [request]);
    assertClosingStatus(res, 400, 'BadRequest', /^malformed HTTP request: /);
  }
  await http.get('/api/v1/namespaces').expect(200);
});

test('a body over the limit: the 413 Status reaches a client that sends the whole body before reading', async (t) => {
  const { kubemock } = await buildTestApp(t);
  const port = await listening(kubemock);
  const size = MAX_REQUEST_BODY_BYTES + 1024 * 1024;
  const head = `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`;
  // Announced too large (answered at once), and sent chunked (found too large while reading).
  const chunked = `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const chunks: Buffer[] = [];
  for (let sent = 0; sent < size; sent += chunk.length)
    chunks.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  chunks.push(Buffer.from('0\r\n\r\n'));
  for (const request of [
    [head, Buffer.alloc(size, 'a')],
    [chunked, ...chunks],
  ]) {
    const res = await sendThenRead(port, request);
    assertClosingStatus(res, 413, 'RequestEntityTooLarge', /^Request entity too large: limit is 3145728$/);
  }
});

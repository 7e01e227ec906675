import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';
import { listening, openWatch } from '../helpers/watch-client.js';
import net, { type AddressInfo, type Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { startKubemock } from '../../src/index.js';
import { credentialsOf, httpsRequest } from '../helpers/https-client.js';

const PODS = '/api/v1/namespaces/default/pods';
const pod = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

test('a watch is chunked NDJSON with application/json, and resourceVersion 0 starts with ADDED for every match', async (t) => {
  const { kubemock, http } = await buildTestApp(t);
  await http.post(PODS).send(pod('a'));
  await http.post(PODS).send(pod('b'));
  const w = await openWatch(kubemock, `${PODS}?watch=1&resourceVersion=0`);
  t.after(() => w.close());
  assert.equal(w.status, 200);
  assert.equal(w.headers['content-type'], 'application/json');
  assert.equal(w.headers['transfer-encoding'], 'chunked');
  const initial = await w.waitFor(2);
  assert.deepEqual(
    initial.map((e) => [e.type, e.object.metadata.name]),
    [
      ['ADDED', 'a'],
      ['ADDED', 'b'],
    ],
  );
  await http.post(PODS).send(pod('c'));
  assert.deepEqual((await w.waitFor(3))[2].object.metadata.name, 'c');
});

test('list at r, writes, watch from r: exactly the writes, in order, then live events, with no gap', async (t) => {
  const { kubemock, http } = await buildTestApp(t);
  const r = (await http.get(PODS)).body.metadata.resourceVersion;
  await http.post(PODS).send(pod('one'));
  await http
    .patch(`${PODS}/one`)
    .set('content-type', 'application/merge-patch+json')
    .send({ metadata: { labels: { x: 'y' } } });
  await http.post(PODS).send(pod('two'));
  await http.delete(`${PODS}/one`);
  const w = await openWatch(kubemock, `${PODS}?watch=true&resourceVersion=${r}`);
  t.after(() => w.close());
  await http.post(PODS).send(pod('three'));
  const events = await w.waitFor(5);
  assert.deepEqual(
    events.map((e) => [e.type, e.object.metadata.name]),
    [
      ['ADDED', 'one'],
      ['MODIFIED', 'one'],
      ['ADDED', 'two'],
      ['DELETED', 'one'],
      ['ADDED', 'three'],
    ],
  );
  const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
  assert.deepEqual(
    rvs,
    [...rvs].sort((a, b) => a - b),
  );
  assert.equal(new Set(rvs).size, rvs.length);
});

test('selectors: an object that stops matching arrives as DELETED, one that starts matching as ADDED', async (t) => {
  const { kubemock, http } = await buildTestApp(t);
  await http.post(PODS).send(pod('p', { tier: 'front' }));
  const r = (await http.get(PODS)).body.metadata.resourceVersion;
  const w = await openWatch(kubemock, `${PODS}?watch=true&resourceVersion=${r}&labelSelector=tier%3Dfront`);
  t.after(() => w.close());
  const relabel = (tier: string) =>
    http
      .patch(`${PODS}/p`)
      .set('content-type', 'application/merge-patch+json')
      .send({ metadata: { labels: { tier } } });
  await relabel('back');
  await relabel('front');
  await http.post(PODS).send(pod('other', { tier: 'back' }));
  await http
    .patch(`${PODS}/p`)
    .set('content-type', 'application/merge-patch+json')
    .send({ metadata: { annotations: { a: 'b' } } });
  const events = await w.waitFor(3);
  assert.deepEqual(
    events.map((e) => e.type),
    ['DELETED', 'ADDED', 'MODIFIED'],
  );
  assert.equal(events[0].object.metadata.labels.tier, 'front', 'DELETED carries the last matching state');
  assert.ok(Number(events[0].object.metadata.resourceVersion) > Number(r), 'with the revision of the change');
  const byField = await openWatch(kubemock, `${PODS}?watch=true&fieldSelector=metadata.name%3Dother`);
  t.after(() => byField.close());
  assert.deepEqual(
    (await byField.waitFor(1)).map((e) => e.object.metadata.name),
    ['other'],
  );
});

test('a resourceVersion older than the retained window gets one ERROR event with 410 Expired, then the stream ends', async (t) => {
  const { kubemock, http } = await buildTestApp(t, { retainedEvents: 5 });
  for (let i = 0; i < 120; i++) await http.post(PODS).send(pod(`p${i}`));
  const w = await openWatch(kubemock, `${PODS}?watch=true&resourceVersion=2`);
  const [event] = await w.waitFor(1);
  await w.ended;
  assert.equal(event.type, 'ERROR');
  assert.equal(event.object.kind, 'Status');
  assert.equal(event.object.code, 410);
  assert.equal(event.object.reason, 'Expired');
  assert.match(event.object.message, /^too old resource version: 2 \(\d+\)$/);
  assert.equal(w.events.length, 1);
});

test('allowWatchBookmarks sends BOOKMARK events carrying only the current resourceVersion', async (t) => {
  const { kubemock, http } = await buildTestApp(t, { watch: { bookmarkIntervalMs: 50 } });
  const w = await openWatch(kubemock, `${PODS}?watch=true&allowWatchBookmarks=true&resourceVersion=0`);
  t.after(() => w.close());
  const [bookmark] = await w.waitFor(1);
  assert.equal(bookmark.type, 'BOOKMARK');
  assert.deepEqual(Object.keys(bookmark.object).sort(), ['apiVersion', 'kind', 'metadata']);
  assert.equal(bookmark.object.kind, 'Pod');
  const current = (await http.get(PODS)).body.metadata.resourceVersion;
  assert.equal(bookmark.object.metadata.resourceVersion, current);
});

test('sendInitialEvents: initial ADDED events, then a BOOKMARK marked initial-events-end', async (t) => {
  const { kubemock, http } = await buildTestApp(t);
  await http.post(PODS).send(pod('a'));
  const w = await openWatch(
    kubemock,
    `${PODS}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
  );
  t.after(() => w.close());
  const events = await w.waitFor(2);
  assert.deepEqual(
    events.map((e) => e.type),
    ['ADDED', 'BOOKMARK'],
  );
  assert.deepEqual(events[1].object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
  const bad = await http.get(PODS).query({ watch: 'true', sendInitialEvents: 'true' });
  assert.equal(bad.status, 422);
});

test('timeoutSeconds ends the stream cleanly; server shutdown ends every watch', async (t) => {
  const { kubemock } = await buildTestApp(t);
  const w = await openWatch(kubemock, `${PODS}?watch=true&timeoutSeconds=1`);
  const started = Date.now();
  await w.ended;
  assert.ok(Date.now() - started < 3000);
  const open = await openWatch(kubemock, `${PODS}?watch=true`);
  await kubemock.close();
  await open.ended;
});

test('timeoutSeconds as the apiserver reads it: 0 is the default, a negative one has run out, a non-integer is a 400', async (t) => {
  const { kubemock, http } = await buildTestApp(t);
  const expired = await openWatch(kubemock, `${PODS}?watch=true&timeoutSeconds=-1`);
  await expired.ended;
  const zero = await openWatch(kubemock, `${PODS}?watch=true&timeoutSeconds=0`);
  t.after(() => zero.close());
  const stillOpen = await Promise.race([zero.ended.then(() => false), new Promise((r) => setTimeout(() => r(true), 300))]);
  assert.equal(stillOpen, true, 'timeoutSeconds=0 is not an immediate end');
  const bad = await http.get(PODS).query({ watch: 'true', timeoutSeconds: 'soon' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.message, 'strconv.ParseInt: parsing "soon": invalid syntax');
});

test('a watcher that stops reading is closed from a small buffer while another watcher gets every event', async (t) => {
  const { kubemock } = await buildTestApp(t);
  const { registry } = kubemock;
  const pods = registry.store('pods');
  const baseline = registry.hub.listenerCount('pods');
  const healthy = await openWatch(kubemock, `${PODS}?watch=true`);
  t.after(() => healthy.close());
  // Every socket the server accepts, to see how much the stuck watcher's connection holds.
  const serverSockets: Socket[] = [];
  kubemock.fastify.server.on('connection', (s: Socket) => serverSockets.push(s));
  const port = (kubemock.fastify.server.address() as AddressInfo).port;
  const stuck = net.connect(port, '127.0.0.1');
  t.after(() => stuck.destroy());
  await new Promise((r) => stuck.once('connect', r));
  stuck.write(`GET ${PODS}?watch=true HTTP/1.1\r\nHost: x\r\n\r\n`);
  stuck.pause(); // never reads: its kernel buffers fill, then the server's
  while (registry.hub.listenerCount('pods') < baseline + 2) await new Promise((r) => setImmediate(r));

  const blob = 'x'.repeat(200 * 1024);
  let written = 0;
  let mostHeld = 0;
  while (registry.hub.listenerCount('pods') === baseline + 2) {
    assert.ok(written < 200, 'the stuck watcher is closed before 40 MB of events');
    pods.create({ ...pod(`big-${written}`), metadata: { name: `big-${written}`, namespace: 'default', annotations: { blob } } });
    written++;
    await healthy.waitFor(written, 10_000);
    for (const s of serverSockets) mostHeld = Math.max(mostHeld, s.writableLength);
  }
  // What waits for the stuck client stays small: a socket's high-water mark and about one event, never its backlog.
  assert.ok(mostHeld < 1024 * 1024, `the stuck connection held ${mostHeld} unsent bytes`);
  assert.equal(registry.hub.listenerCount('pods'), baseline + 1, 'only the stuck watcher is gone');

  // The other watcher goes on: it has every event and gets the next.
  pods.create({ ...pod('after'), metadata: { name: 'after', namespace: 'default' } });
  const events = await healthy.waitFor(written + 1);
  assert.deepEqual(
    events.map((e) => e.object.metadata.name),
    [...Array.from({ length: written }, (_, i) => `big-${i}`), 'after'],
  );
  // Once it reads again, the stuck client finds its stream cut short, without the later events.
  let received = '';
  stuck.on('data', (d: Buffer) => (received += d.toString('latin1')));
  stuck.resume();
  await new Promise((r) => stuck.once('close', r));
  const frames = received.split('{"type":"ADDED"').length - 1;
  assert.ok(frames < written, `the stuck client got ${frames} of ${written} events`);
  assert.ok(!received.includes('"name":"after"'));
});

test('watch events are well-formed HTTP/1.1 chunks, and the kept-alive connection serves the next request after the watch ends', async (t) => {
  const { kubemock, http } = await buildTestApp(t);
  const port = await listening(kubemock);
  const socket = net.connect(port, '127.0.0.1');
  t.after(() => socket.destroy());
  await new Promise((r) => socket.once('connect', r));
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(done(), `not seen in time; received so far: ${received.slice(0, 500)}`);
  };
  socket.write(`GET ${PODS}?watch=true&timeoutSeconds=1 HTTP/1.1\r\nHost: x\r\n\r\n`);
  await until(() => received.includes('\r\n\r\n'));
  await http.post(PODS).send(pod('one'));
  await http.post(PODS).send(pod('two'));
  // The stream ends after its timeout with the last chunk.
  await until(() => received.includes('\r\n0\r\n\r\n'));
  const [head, body] = [received.slice(0, received.indexOf('\r\n\r\n')), received.slice(received.indexOf('\r\n\r\n') + 4)];
  assert.match(head, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(head, /\r\ntransfer-encoding: chunked/i);
  // Decode the chunks strictly: size line, exactly that many bytes, CRLF; then the zero chunk.
  const lines: string[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.slice(at, eol), 16);
    assert.ok(Number.isInteger(size) && /^[0-9a-f]+$/.test(body.slice(at, eol)), `a chunk size line at ${at}`);
    if (size === 0) {
      assert.equal(body.slice(eol), '\r\n\r\n');
      break;
    }
    const data = Buffer.from(body, 'latin1').subarray(eol + 2, eol + 2 + size);
    assert.equal(body.slice(eol + 2 + size, eol + 4 + size), '\r\n');
    lines.push(...data.toString('utf8').split('\n').filter(Boolean));
    at = eol + 4 + size;
  }
  assert.deepEqual(
    lines
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } })
      .map((e) => [e.type, e.object.metadata.name]),
    [
      ['ADDED', 'one'],
      ['ADDED', 'two'],
    ],
  );
  // The same connection answers the next request.
  received = '';
  socket.write(`GET ${PODS}/one HTTP/1.1\r\nHost: x\r\n\r\n`);
  await until(() => /\r\n\r\n.*"name":"one"/s.test(received));
  assert.match(received, /^HTTP\/1\.1 200 OK\r\n/);
});

test('a watch over HTTPS gets its events as chunks written to the TLS connection', async (t) => {
  const server = await startKubemock({ tls: true, nodes: 0, controllers: false });
  t.after(() => server.stop());
  const admin = credentialsOf(server.kubeconfig).credentials;
  const names: string[] = [];
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = httpsGet(
      `${server.url}${PODS}?watch=true&timeoutSeconds=5`,
      { ca: admin.ca, cert: admin.cert, key: admin.key, agent: false },
      resolve,
    );
    req.on('error', reject);
  });
  t.after(() => res.destroy());
  assert.equal(res.statusCode, 200);
  let pending = '';
  res.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      names.push((JSON.parse(pending.slice(0, nl)) as { object: { metadata: { name: string } } }).object.metadata.name);
      pending = pending.slice(nl + 1);
    }
  });
  for (const name of ['tls-a', 'tls-b']) {
    const created = await httpsRequest(`${server.url}${PODS}`, admin, 'POST', pod(name));
    assert.equal(created.status, 201, created.body);
  }
  for (let i = 0; i < 500 && names.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(names, ['tls-a', 'tls-b']);
});

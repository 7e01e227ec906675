/**
 * Malformed requests a fuzzer found answered with an unhandled 500 (issue 16): each is a 400
 * Status as kube-apiserver gives it, and nothing is written.
 * - protobuf times outside the years 1 to 9999;
 * - JSON nested deeper than Go's decoder reads (10,000 levels), on every JSON path;
 * - YAML aliases goyaml refuses (before the anchor, inside their own anchor, alias bombs) and
 *   YAML nested deeper than the parser follows;
 * - list-valued query parameters (dryRun) read with every value on subresources too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { listening } from '../helpers/watch-client.js';

const NS = '/api/v1/namespaces/default';
const CONFIGMAPS = `${NS}/configmaps`;
const PODS = `${NS}/pods`;
type Obj = Record<string, any>;

function assertStatus(res: { status: number; body: Obj }, code: number, message: string | RegExp): void {
  assert.equal(res.status, code, JSON.stringify(res.body).slice(0, 300));
  assert.equal(res.body.kind, 'Status');
  assert.equal(res.body.code, code);
  if (typeof message === 'string') assert.equal(res.body.message, message);
  else assert.match(res.body.message, message);
}

async function names(app: TestApp, url: string): Promise<string[]> {
  const res = await app.http.get(url).expect(200);
  return res.body.items.map((o: Obj) => o.metadata.name).sort();
}

// A minimal protobuf writer.
function varint(n: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}
const pbInt = (field: number, n: number | bigint) => Buffer.concat([varint(field << 3), varint(n)]);
const pbBytes = (field: number, ...parts: (Buffer | string)[]) => {
  const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
  return Buffer.concat([varint((field << 3) | 2), varint(body.length), body]);
};
/** An events.k8s.io/v1 Event named `name` whose eventTime (a MicroTime) is `seconds` after the epoch. */
const protobufEvent = (name: string, seconds: bigint) =>
  Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    pbBytes(1, pbBytes(1, 'events.k8s.io/v1'), pbBytes(2, 'Event')),
    pbBytes(
      2,
      pbBytes(1, pbBytes(1, name)),
      pbBytes(2, pbInt(1, seconds)),
      pbBytes(4, 'example.com/c'),
      pbBytes(5, 'c-1'),
      pbBytes(6, 'Sync'),
      pbBytes(7, 'Synced'),
      pbBytes(11, 'Normal'),
    ),
  ]);

test('a protobuf time past the year 9999 is a 400, not "Invalid time value"', async (t) => {
  const app = await buildTestApp(t);
  const events = '/apis/events.k8s.io/v1/namespaces/default/events';
  const res = await app.http
    .post(events)
    .set('Content-Type', 'application/vnd.kubernetes.protobuf')
    .send(protobufEvent('far', 1152921504606846976n));
  assertStatus(
    res,
    400,
    'error decoding protobuf request body: events.k8s.io/v1/Event: timestamp (seconds:1152921504606846976) after 9999-12-31',
  );
  const before = await app.http
    .post(events)
    .set('Content-Type', 'application/vnd.kubernetes.protobuf')
    .send(protobufEvent('early', -62135596801n));
  assertStatus(before, 400, /timestamp \(seconds:-62135596801\) before 0001-01-01$/);
  // The last second of 9999 is still a time.
  const last = await app.http
    .post(events)
    .set('Content-Type', 'application/vnd.kubernetes.protobuf')
    .send(protobufEvent('last', 253402300799n));
  assert.equal(last.status, 201, JSON.stringify(last.body));
  assert.equal(last.body.eventTime, '9999-12-31T23:59:59.000000Z');
  assert.deepEqual(await names(app, events), ['last']);
});

const nested = (open: string, close: string, depth: number, inner = '') => open.repeat(depth) + inner + close.repeat(depth);

test('JSON nested deeper than 10,000 levels is Go\'s "exceeded max depth" on every JSON path', async (t) => {
  const app = await buildTestApp(t);
  await app.http
    .post(CONFIGMAPS)
    .send({ metadata: { name: 'cm' }, data: { a: 'b' } })
    .expect(201);
  const rv = (await app.http.get(`${CONFIGMAPS}/cm`).expect(200)).body.metadata.resourceVersion;
  // {"data": [[[…]]]}: 10,001 levels in all.
  const deep = `{"metadata":{"name":"deep"},"data":${nested('[', ']', 10000)}}`;
  const created = await app.http.post(CONFIGMAPS).set('Content-Type', 'application/json').send(deep);
  assertStatus(
    created,
    400,
    `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character '[' exceeded max depth ({"metadata":{"name":"deep"},"d ...)`,
  );
  const put = await app.http.put(`${CONFIGMAPS}/cm`).set('Content-Type', 'application/json').send(deep.replace('"deep"', '"cm"'));
  assertStatus(put, 400, /json parse error: invalid character '\[' exceeded max depth/);
  const labels = `{"metadata":{"labels":${nested('{"a":', '}', 9999, '1')}}}`;
  assertStatus(
    await app.http
      .patch(`${CONFIGMAPS}/cm`)
      .set('Content-Type', 'application/merge-patch+json')
      .query({ fieldValidation: 'Strict' })
      .send(labels),
    400,
    `error decoding patch: invalid character '{' exceeded max depth`,
  );
  assertStatus(
    await app.http.patch(`${CONFIGMAPS}/cm`).set('Content-Type', 'application/strategic-merge-patch+json').send(labels),
    400,
    `invalid character '{' exceeded max depth`,
  );
  const ops = `[{"op":"add","path":"/metadata/annotations","value":${nested('[', ']', 9999)}}]`;
  assertStatus(
    await app.http
      .patch(`${CONFIGMAPS}/cm`)
      .set('Content-Type', 'application/json-patch+json')
      .query({ fieldValidation: 'Strict' })
      .send(ops),
    400,
    `error decoding patch: invalid character '[' exceeded max depth`,
  );
  assertStatus(
    await app.http
      .delete(`${CONFIGMAPS}/cm`)
      .set('Content-Type', 'application/json')
      .send(`{"preconditions":${nested('[', ']', 10000)}}`),
    400,
    /invalid character '\[' exceeded max depth$/,
  );
  assertStatus(
    await app.http
      .post('/kubemock/v1/clock/advance')
      .set('Content-Type', 'application/json')
      .send(`{"ms":${nested('[', ']', 10000)}}`),
    400,
    /.+/,
  );
  // Nothing was written.
  assert.equal((await app.http.get(`${CONFIGMAPS}/cm`).expect(200)).body.metadata.resourceVersion, rv);
  assert.deepEqual(await names(app, CONFIGMAPS), ['cm']);
});

test('JSON exactly 10,000 levels deep is read: the answer is about the value, not the syntax', async (t) => {
  const app = await buildTestApp(t);
  const res = await app.http
    .post(CONFIGMAPS)
    .set('Content-Type', 'application/json')
    .send(`{"metadata":{"name":"deep"},"data":${nested('[', ']', 9999)}}`);
  assertStatus(res, 400, /cannot unmarshal array into Go struct field ConfigMap.data of type map\[string\]string/);
});

test('a patch nested thousands of levels deep is a 400 and changes nothing, never a stack overflow', async (t) => {
  const app = await buildTestApp(t);
  await app.http
    .post(CONFIGMAPS)
    .send({ metadata: { name: 'cm' } })
    .expect(201);
  const rv = (await app.http.get(`${CONFIGMAPS}/cm`).expect(200)).body.metadata.resourceVersion;
  for (const type of ['application/merge-patch+json', 'application/strategic-merge-patch+json']) {
    const res = await app.http
      .patch(`${CONFIGMAPS}/cm`)
      .set('Content-Type', type)
      .send(`{"metadata":{"annotations":${nested('{"a":', '}', 9000, '1')}}}`);
    assert.ok(res.status >= 400 && res.status < 500, `${type}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    assert.equal(res.body.kind, 'Status');
  }
  assert.equal((await app.http.get(`${CONFIGMAPS}/cm`).expect(200)).body.metadata.resourceVersion, rv);
});

/** Nine anchors, each a list of nine aliases of the one before: 9^9 strings once expanded. */
function aliasBomb(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 9; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n');
}

test('YAML aliases goyaml refuses are 400s with its words; nothing is created', async (t) => {
  const app = await buildTestApp(t);
  const post = (text: string) => app.http.post(CONFIGMAPS).set('Content-Type', 'application/yaml').send(text);
  // As transformDecodeError words it: the kind, the decoder's error, the body's first 30 bytes in hex.
  const self = 'metadata: &m\n  name: self\n  labels: *m\n';
  assertStatus(
    await post(self),
    400,
    `the object provided is unrecognized (must be of type ConfigMap): error converting YAML to JSON: yaml: anchor 'm' value contains itself (${Buffer.from(self).subarray(0, 30).toString('hex')} ...)`,
  );
  assertStatus(
    await post('metadata:\n  name: *n\n  labels: &n {a: b}\n'),
    400,
    /: error converting YAML to JSON: yaml: unknown anchor 'n' referenced \([0-9a-f]+ \.\.\.\)$/,
  );
  assertStatus(
    await post(`${aliasBomb()}\nmetadata: {name: bomb}\n`),
    400,
    /: error converting YAML to JSON: yaml: document contains excessive aliasing \(/,
  );
  // Aliases that expand within goyaml's ratio are read.
  const fine = await post('metadata: {name: fine, labels: &l {app: web}}\ndata: {a: x}\nbinaryData: {}\nimmutable: false\n');
  assert.equal(fine.status, 201, JSON.stringify(fine.body));
  const shared = await post('metadata:\n  name: shared\n  labels: &l {app: web}\n  annotations: *l\n');
  assert.equal(shared.status, 201, JSON.stringify(shared.body));
  assert.deepEqual(shared.body.metadata.annotations, { app: 'web' });
  assert.deepEqual(await names(app, CONFIGMAPS), ['fine', 'shared']);
});

test('the same YAML in a server-side apply patch is a 400 as upstream words it', async (t) => {
  const app = await buildTestApp(t);
  const apply = (text: string) =>
    app.http.patch(`${CONFIGMAPS}/cm`).query({ fieldManager: 'test' }).set('Content-Type', 'application/apply-patch+yaml').send(text);
  const head = 'apiVersion: v1\nkind: ConfigMap\n';
  assertStatus(
    await apply(`${head}metadata: &m\n  name: cm\n  labels: *m\n`),
    400,
    "error decoding YAML: error converting YAML to JSON: yaml: anchor 'm' value contains itself",
  );
  assertStatus(
    await apply(`${head}metadata:\n  name: *n\n  x: &n cm\n`),
    400,
    "error decoding YAML: error converting YAML to JSON: yaml: unknown anchor 'n' referenced",
  );
  assertStatus(
    await apply(`${head}${aliasBomb()}\nmetadata: {name: cm}\n`),
    400,
    'error decoding YAML: error converting YAML to JSON: yaml: document contains excessive aliasing',
  );
  assertStatus(
    await apply(`${head}metadata: {name: cm}\ndata: ${nested('[', ']', 20000)}\n`),
    400,
    /^error decoding YAML: error converting YAML to JSON: yaml: line 4: exceeded max depth of \d+$/,
  );
  assert.deepEqual(await names(app, CONFIGMAPS), []);
});

test('YAML nested 20,000 levels deep, in flow or block style, is a 400 "exceeded max depth"', async (t) => {
  const app = await buildTestApp(t);
  const post = (text: string) => app.http.post(CONFIGMAPS).set('Content-Type', 'application/yaml').send(text);
  assertStatus(
    await post(`metadata: {name: flow}\ndata: ${nested('[', ']', 20000)}\n`),
    400,
    /^the object provided is unrecognized \(must be of type ConfigMap\): error converting YAML to JSON: yaml: line 2: exceeded max depth of \d+ \(/,
  );
  assertStatus(await post(`metadata: {name: maps}\ndata: ${nested('{a: ', '}', 20000, '1')}\n`), 400, /exceeded max depth/);
  let block = 'metadata: {name: block}\ndata:\n';
  for (let i = 1; i <= 2000; i++) block += `${' '.repeat(i)}k${i}:\n`;
  assertStatus(await post(block), 400, /: error converting YAML to JSON: yaml: line \d+: exceeded max depth of \d+ \(/);
  assertStatus(await post(`metadata: {name: seqs}\ndata: ${'- '.repeat(20000)}x\n`), 400, /exceeded max depth/);
  assert.deepEqual(await names(app, CONFIGMAPS), []);
});

test('dryRun is a list on subresources too: every value is checked', async (t) => {
  const app = await buildTestApp(t);
  await app.http
    .post(`${NS}/serviceaccounts`)
    .send({ metadata: { name: 'sa' } })
    .expect(201);
  const token = await app.http.post(`${NS}/serviceaccounts/sa/token?dryRun=All&dryRun=Bogus`).send({ spec: {} });
  assertStatus(token, 422, /dryRun: Unsupported value/);
  await app.http
    .post(PODS)
    .send({ metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } })
    .expect(201);
  const eviction = await app.http
    .post(`${PODS}/web/eviction?dryRun=All&dryRun=Bogus`)
    .send({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web' } });
  assertStatus(eviction, 422, /dryRun: Unsupported value/);
  assert.deepEqual(await names(app, PODS), ['web']);
});

test('a URL with a broken escape is a 400 Status, one whose escapes are no UTF-8 a 400 or 404 Status', async (t) => {
  const app = await buildTestApp(t);
  assertStatus(await app.http.get(`${NS}/configmaps/a%E0%A4%A`), 400, 'invalid URL escape "%A"');
  assertStatus(await app.http.get(`${NS}/configmaps/100%`), 400, 'invalid URL escape "%"');
  // Go would read %FF as a byte (and answer 404); the router here cannot route it.
  assertStatus(await app.http.get(`${NS}/configmaps/%FF`), 400, /is not a valid url component/);
  assertStatus(await app.http.get('/nothing/%FF'), 400, /is not a valid url component/);
  // The router's other error stays its own code, as a Status.
  assertStatus(await app.http.post(`/kubemock/v1/snapshots/${'x'.repeat(300)}/restore`), 414, /is exceeding the max param length$/);
  // The router reads the path to a `#`; the request's facts (journal, faults) read all of it.
  const port = await listening(app.kubemock);
  const fragment = await new Promise<{ status: number; body: Obj }>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/nothing/#/%FF' }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Obj }));
      })
      .on('error', reject);
  });
  assertStatus(fragment, 404, 'the server could not find the requested resource');
});

test('a CustomResourceDefinition without a spec is invalid (422), not a 500', async (t) => {
  const app = await buildTestApp(t);
  const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  for (const body of ['{"metadata":{"name":"widgets.example.com"}}', '{"metadata":{"name":"widgets.example.com"},"spec":null}']) {
    const res = await app.http.post(CRDS).set('Content-Type', 'application/json').send(body);
    assertStatus(
      res,
      422,
      /^CustomResourceDefinition.apiextensions.k8s.io "widgets.example.com" is invalid: \[.*spec.group: Required value/,
    );
  }
  const yaml = await app.http.post(CRDS).set('Content-Type', 'application/yaml').send('metadata: {name: widgets.example.com}\n');
  assertStatus(yaml, 422, /spec.versions: /);
  assert.deepEqual(await names(app, CRDS), []);
});

/** Fault injection through /kubemock/v1/faults: each rule fires exactly as configured, then stops. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';

const PODS = '/api/v1/namespaces/default/pods';
const FAULTS = '/kubemock/v1/faults';
const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

async function addFault(app: TestApp, rule: Record<string, unknown>): Promise<{ id: string }> {
  const res = await app.http.post(FAULTS).send(rule).expect(201);
  return res.body;
}

async function codes(n: number, send: () => PromiseLike<{ status: number }>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send()).status);
  return out;
}

describe('fault rules', () => {
  it('answer 409 Conflict on updates exactly count times, then are spent and gone', async (t) => {
    const app = await buildTestApp(t);
    const created = (await app.http.post(PODS).send(pod('a')).expect(201)).body;
    const rule = await addFault(app, { verb: 'update', resource: 'pods', name: 'a', status: 409, count: 2 });
    const first = await app.http.put(`${PODS}/a`).send(created);
    assert.equal(first.status, 409);
    assert.deepEqual(
      { kind: first.body.kind, reason: first.body.reason, code: first.body.code },
      { kind: 'Status', reason: 'Conflict', code: 409 },
    );
    assert.match(first.body.message, /^Operation cannot be fulfilled on pods "a": the object has been modified/);
    assert.equal((await app.http.put(`${PODS}/a`).send(created)).status, 409);
    assert.equal((await app.http.get(`${FAULTS}/${rule.id}`)).status, 404);
    assert.equal((await app.http.put(`${PODS}/a`).send(created)).status, 200);
    assert.deepEqual((await app.http.get(FAULTS)).body.items, []);
    // Reads and other names were never affected.
    assert.equal((await app.http.get(`${PODS}/a`)).status, 200);
  });

  it('answer 429 with Retry-After, 500, 503 and 410 as Kubernetes Status objects', async (t) => {
    const app = await buildTestApp(t);
    await addFault(app, { verb: 'list', resource: 'pods', status: 429, retryAfterSeconds: 3, count: 1 });
    const tooMany = await app.http.get(PODS).expect(429);
    assert.equal(tooMany.headers['retry-after'], '3');
    assert.equal(tooMany.body.reason, 'TooManyRequests');
    assert.equal(tooMany.body.details.retryAfterSeconds, 3);

    await addFault(app, { verb: 'create', status: 500, count: 1 });
    const internal = await app.http.post(PODS).send(pod('x')).expect(500);
    assert.equal(internal.body.reason, 'InternalError');
    assert.equal(internal.body.message, 'Internal error occurred: injected fault');

    await addFault(app, { resource: 'pods', status: 503, retryAfterSeconds: 1, count: 1 });
    const unavailable = await app.http.get(`${PODS}/x`).expect(503);
    assert.equal(unavailable.body.reason, 'ServiceUnavailable');
    assert.equal(unavailable.headers['retry-after'], '1');

    await addFault(app, { verb: 'list', status: 410, count: 1 });
    const expired = await app.http.get(`${PODS}?limit=1&continue=abc`).expect(410);
    assert.equal(expired.body.reason, 'Expired');
    // Everything spent: the same requests now succeed.
    await app.http.get(PODS).expect(200);
    await app.http.post(PODS).send(pod('y')).expect(201);
  });

  it('answer a watch with 410 as an ERROR event in a 200 stream, as kube-apiserver does', async (t) => {
    const app = await buildTestApp(t);
    await addFault(app, { verb: 'watch', resource: 'pods', status: 410, count: 1 });
    const w = await openWatch(app.kubemock, `${PODS}?watch=1&resourceVersion=1`);
    t.after(() => w.close());
    assert.equal(w.status, 200);
    const [event] = await w.waitFor(1);
    assert.equal(event.type, 'ERROR');
    assert.equal(event.object.code, 410);
    assert.equal(event.object.reason, 'Expired');
    await w.ended;
  });

  it('match by namespace, name, user agent and field manager only', async (t) => {
    const app = await buildTestApp(t);
    await app.http
      .post('/api/v1/namespaces')
      .send({ metadata: { name: 'other' } })
      .expect(201);
    await addFault(app, { verb: 'create', namespace: 'other', userAgent: 'my-operator', status: 409 });
    await addFault(app, { verb: 'patch', fieldManager: 'bad-manager', status: 500 });
    await app.http.post(PODS).set('user-agent', 'my-operator/1.0').send(pod('p1')).expect(201);
    await app.http.post('/api/v1/namespaces/other/pods').set('user-agent', 'kubectl/v1.30').send(pod('p2')).expect(201);
    await app.http.post('/api/v1/namespaces/other/pods').set('user-agent', 'my-operator/1.0').send(pod('p3')).expect(409);
    const patch = { metadata: { labels: { a: 'b' } } };
    const merge = 'application/merge-patch+json';
    await app.http.patch(`${PODS}/p1?fieldManager=good`).set('content-type', merge).send(patch).expect(200);
    await app.http.patch(`${PODS}/p1?fieldManager=bad-manager`).set('content-type', merge).send(patch).expect(500);
    // Without ?fieldManager=, a write's manager is its user agent up to the first "/".
    await app.http.patch(`${PODS}/p1`).set('user-agent', 'bad-manager/0.1').set('content-type', merge).send(patch).expect(500);
    const rules = (await app.http.get(FAULTS)).body.items as { fired: number }[];
    assert.deepEqual(
      rules.map((r) => r.fired),
      [1, 2],
    );
  });

  it('fire with a seeded probability: reproducible, and each firing counted', async (t) => {
    const app = await buildTestApp(t);
    const run = async () => {
      const rule = await addFault(app, { verb: 'get', resource: 'namespaces', status: 500, probability: 0.3, seed: 42 });
      const seen = await codes(100, () => app.http.get('/api/v1/namespaces/default'));
      const fired = (await app.http.get(`${FAULTS}/${rule.id}`)).body.fired as number;
      await app.http.delete(`${FAULTS}/${rule.id}`).expect(200);
      return { seen, fired };
    };
    const a = await run();
    const b = await run();
    assert.deepEqual(a.seen, b.seen);
    assert.equal(a.seen.filter((c) => c === 500).length, a.fired);
    assert.ok(a.fired > 10 && a.fired < 50, `fired ${a.fired} times of 100 at p=0.3`);
  });

  it('add latency to matching requests only, count times', async (t) => {
    const app = await buildTestApp(t);
    const rule = await addFault(app, { verb: 'get', resource: 'namespaces', latencyMs: 150, count: 1 });
    // Which requests the rule slowed is told by its count, not by how fast the others were (a busy
    // machine may take 150 ms for any request); a slowed one takes at least the latency.
    const fired = async () => (await app.http.get(`${FAULTS}/${rule.id}`).expect(200)).body.fired as number;
    const time = async (path: string) => {
      const started = performance.now();
      await app.http.get(path).expect(200);
      return performance.now() - started;
    };
    await time('/api/v1/namespaces');
    assert.equal(await fired(), 0, 'a list is not slowed');
    assert.ok((await time('/api/v1/namespaces/default')) >= 145, 'the get is slowed');
    await app.http.get(`${FAULTS}/${rule.id}`).expect(404); // spent after one: removed
  });

  it('cut watch streams: those open when the rule is added, and new ones after afterMs', async (t) => {
    const app = await buildTestApp(t);
    const open = await openWatch(app.kubemock, `${PODS}?watch=1`);
    const other = await openWatch(app.kubemock, '/api/v1/namespaces?watch=1');
    t.after(() => (open.close(), other.close()));
    await addFault(app, { action: 'cut-watch', resource: 'pods', count: 2, afterMs: 50 });
    await open.ended;
    const started = Date.now();
    const next = await openWatch(app.kubemock, `${PODS}?watch=1`);
    await next.ended;
    assert.ok(Date.now() - started >= 45, 'the new watch ran for afterMs first');
    // Spent: a third watch stays open, and the namespaces watch was never touched.
    const third = await openWatch(app.kubemock, `${PODS}?watch=1`);
    t.after(() => third.close());
    await app.http.post(PODS).send(pod('seen')).expect(201);
    assert.equal((await third.waitFor(1))[0].object.metadata.name, 'seen');
    assert.equal(app.kubemock.fastify.server.listening, true);
    await app.http
      .post('/api/v1/namespaces')
      .send({ metadata: { name: 'ns2' } })
      .expect(201);
    assert.equal((await other.waitFor(5)).at(-1)!.object.metadata.name, 'ns2');
  });

  it('are listed, removed one by one or all at once, and refused when malformed', async (t) => {
    const app = await buildTestApp(t);
    const a = await addFault(app, { verb: 'delete', status: 403 });
    await addFault(app, { verb: 'get', status: 404 });
    assert.equal((await app.http.get(FAULTS)).body.items.length, 2);
    await app.http.delete(`${FAULTS}/${a.id}`).expect(200);
    await app.http.delete(`${FAULTS}/${a.id}`).expect(404);
    assert.deepEqual((await app.http.delete(FAULTS).expect(200)).body, { removed: 1 });
    const bad = await app.http.post(FAULTS).send({ verb: 'get', status: 418 }).expect(400);
    assert.equal(bad.body.kind, 'Status');
    await app.http.post(FAULTS).send({ verb: 'get' }).expect(400);
    await app.http.post(FAULTS).send({ status: 500, colour: 'red' }).expect(400);
    await app.http.post(FAULTS).send('not json').set('content-type', 'application/json').expect(400);
  });

  it('never touch the control API itself or non-resource paths', async (t) => {
    const app = await buildTestApp(t);
    await addFault(app, { status: 500 });
    await app.http.get(FAULTS).expect(200);
    await app.http.get('/version').expect(200);
    await app.http.get('/api').expect(200);
    await app.http.get(PODS).expect(500);
  });
});

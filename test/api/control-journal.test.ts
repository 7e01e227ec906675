/** The request journal at /kubemock/v1/journal: a known sequence of requests, counted exactly. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';
import { waitFor } from '../helpers/eventually.js';

const PODS = '/api/v1/namespaces/default/pods';
const JOURNAL = '/kubemock/v1/journal';
const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});
const MERGE = 'application/merge-patch+json';

describe('request journal', () => {
  it('records a known sequence exactly: verb, resource, names, code, user agent, field manager, resourceVersion', async (t) => {
    const app = await buildTestApp(t);
    const ua = 'journal-test/1.0';
    const created = await app.http.post(PODS).set('user-agent', ua).send(pod('a')).expect(201);
    const got = await app.http.get(`${PODS}/a`).set('user-agent', ua).expect(200);
    const listed = await app.http.get(PODS).set('user-agent', ua).expect(200);
    const patched = await app.http
      .patch(`${PODS}/a?fieldManager=tester`)
      .set('user-agent', ua)
      .set('content-type', MERGE)
      .send({ metadata: { labels: { x: 'y' } } })
      .expect(200);
    await app.http.delete(`${PODS}/a`).set('user-agent', ua).expect(200);
    await app.http.get(`${PODS}/a`).set('user-agent', ua).expect(404);
    await app.http.get('/api/v1/namespaces').set('user-agent', 'someone-else').expect(200);

    const body = (await app.http.get(`${JOURNAL}?userAgent=journal-test`).expect(200)).body;
    const rows = body.items.map((e: Record<string, unknown>) => [
      e.method,
      e.verb,
      e.resource,
      e.namespace,
      e.name ?? null,
      e.code,
      e.fieldManager ?? null,
      e.resourceVersion ?? null,
    ]);
    assert.deepEqual(rows, [
      ['POST', 'create', 'pods', 'default', null, 201, 'journal-test', created.body.metadata.resourceVersion],
      ['GET', 'get', 'pods', 'default', 'a', 200, null, got.body.metadata.resourceVersion],
      ['GET', 'list', 'pods', 'default', null, 200, null, listed.body.metadata.resourceVersion],
      ['PATCH', 'patch', 'pods', 'default', 'a', 200, 'tester', patched.body.metadata.resourceVersion],
      ['DELETE', 'delete', 'pods', 'default', 'a', 200, null, await lastRv(app)],
      ['GET', 'get', 'pods', 'default', 'a', 404, null, null],
    ]);
    assert.equal(body.count, 6);
    assert.ok(body.items.every((e: { userAgent: string; durationMs: number }) => e.userAgent === ua && e.durationMs >= 0));
    const writes = (await app.http.get(`${JOURNAL}?verb=create,update,patch,delete,deletecollection`).expect(200)).body;
    assert.equal(writes.count, 3);
    assert.equal((await app.http.get(`${JOURNAL}?resource=namespaces`)).body.count, 1);
    assert.equal((await app.http.get(`${JOURNAL}?code=404`)).body.count, 1);
  });

  it('filters with since, clears without reusing seq numbers, and never records itself', async (t) => {
    const app = await buildTestApp(t);
    await app.http.get('/api/v1/namespaces').expect(200);
    const mark = (await app.http.get(JOURNAL)).body.latestSeq as number;
    await app.http.get('/api/v1/namespaces/default').expect(200);
    const after = (await app.http.get(`${JOURNAL}?since=${mark}`)).body;
    assert.deepEqual(
      after.items.map((e: { path: string }) => e.path),
      ['/api/v1/namespaces/default'],
    );
    assert.deepEqual((await app.http.delete(JOURNAL).expect(200)).body, { removed: 2, latestSeq: 2 });
    assert.equal((await app.http.get(JOURNAL)).body.count, 0);
    await app.http.get('/api/v1/nodes').expect(200);
    assert.deepEqual(
      (await app.http.get(JOURNAL)).body.items.map((e: { seq: number }) => e.seq),
      [3],
    );
    await app.http.get(`${JOURNAL}?since=x`).expect(400);
  });

  it('is a bounded ring buffer', async (t) => {
    const app = await buildTestApp(t, { journalSize: 5 });
    for (let i = 0; i < 8; i++) await app.http.get(`/api/v1/namespaces/default?i=${i}`).expect(200);
    const body = (await app.http.get(JOURNAL)).body;
    assert.deepEqual(
      body.items.map((e: { query: string }) => e.query),
      ['i=3', 'i=4', 'i=5', 'i=6', 'i=7'],
    );
    assert.equal(body.dropped, 3);
    assert.equal(body.latestSeq, 8);
  });

  it('records a watch when its stream starts, and the faults that fired', async (t) => {
    const app = await buildTestApp(t);
    const rv = (await app.http.get(PODS)).body.metadata.resourceVersion;
    const w = await openWatch(app.kubemock, `${PODS}?watch=true&resourceVersion=${rv}`);
    t.after(() => w.close());
    const watches = await waitFor(async () => {
      const items = (await app.http.get(`${JOURNAL}?verb=watch`)).body.items;
      assert.equal(items.length, 1);
      return items;
    });
    assert.equal(watches[0].code, 200);
    assert.equal(watches[0].resourceVersion, rv);
    const fault = (await app.http.post('/kubemock/v1/faults').send({ verb: 'get', resource: 'pods', status: 503, count: 1 }).expect(201))
      .body;
    await app.http.get(`${PODS}/nope`).expect(503);
    const failed = (await app.http.get(`${JOURNAL}?code=503`)).body.items;
    assert.deepEqual(
      failed.map((e: { faults: string[] }) => e.faults),
      [[fault.id]],
    );
  });

  it('counts only client requests: the controllers write through the registry, not HTTP', async (t) => {
    const app = await buildTestApp(t, { controllers: true });
    await app.kubemock.ensureNodes(1);
    await app.http.post(PODS).send(pod('w')).expect(201);
    await waitFor(async () => assert.equal((await app.http.get(`${PODS}/w`)).body.status.phase, 'Running'));
    const writes = (await app.http.get(`${JOURNAL}?verb=create,update,patch,delete`)).body;
    assert.equal(writes.count, 1);
  });
});

async function lastRv(app: Awaited<ReturnType<typeof buildTestApp>>): Promise<string> {
  return String(app.kubemock.registry.storage.currentRevision());
}

/**
 * DeleteOptions as kube-apiserver's DELETE handler reads them: from the body when the request has
 * one, else from the query (never a mix), and 202 Accepted for a client that asked for cascading
 * with orphanDependents=false and got back an object that is not deleted yet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

const held = (name: string) => ({ metadata: { name, finalizers: ['example.com/hold'] }, data: { a: 'b' } });

test("a DELETE with a body takes its options from the body only: the query's dryRun is not read", async (t) => {
  const app = await buildTestApp(t);
  await app.http.post(CONFIGMAPS).send(held('dry')).expect(201);
  await app.http.post(CONFIGMAPS).send(held('real')).expect(201);

  const dry = await app.http.delete(`${CONFIGMAPS}/dry?dryRun=All`).expect(200);
  assert.ok(dry.body.metadata.deletionTimestamp, 'the dry run answers what a delete would do');
  const still = await app.http.get(`${CONFIGMAPS}/dry`).expect(200);
  assert.equal(still.body.metadata.deletionTimestamp, undefined, 'without a body the query dryRun holds: nothing changed');

  await app.http
    .delete(`${CONFIGMAPS}/real?dryRun=All`)
    .set('content-type', 'application/json')
    .send({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' })
    .expect(200);
  const marked = await app.http.get(`${CONFIGMAPS}/real`).expect(200);
  assert.ok(marked.body.metadata.deletionTimestamp, 'the body has no dryRun, so the delete happened');
});

test('orphanDependents=false on an object that stays (a finalizer holds it) answers 202; otherwise 200', async (t) => {
  const app = await buildTestApp(t);
  await app.http.post(CONFIGMAPS).send(held('cascade')).expect(201);
  await app.http.post(CONFIGMAPS).send(held('background')).expect(201);
  await app.http
    .post(CONFIGMAPS)
    .send({ metadata: { name: 'free' } })
    .expect(201);

  const accepted = await app.http
    .delete(`${CONFIGMAPS}/cascade`)
    .set('content-type', 'application/json')
    .send({ kind: 'DeleteOptions', apiVersion: 'v1', orphanDependents: false })
    .expect(202);
  assert.equal(accepted.body.metadata.name, 'cascade');
  assert.ok(accepted.body.metadata.deletionTimestamp);

  await app.http.delete(`${CONFIGMAPS}/background?propagationPolicy=Background`).expect(200);
  const gone = await app.http.delete(`${CONFIGMAPS}/free?orphanDependents=false`).expect(200);
  assert.equal(gone.body.kind, 'Status', 'deleted at once: 200 and a Status, whatever orphanDependents says');
  await app.http.get(`${CONFIGMAPS}/free`).expect(404);
});

test("a query's gracePeriodSeconds is read with strconv.ParseInt: anything but a decimal int64 is a 400 and deletes nothing", async (t) => {
  const app = await buildTestApp(t);
  await app.http
    .post(CONFIGMAPS)
    .send({ metadata: { name: 'kept' } })
    .expect(201);
  for (const raw of ['0x10', '1e2', '', ' 5']) {
    const res = await app.http.delete(`${CONFIGMAPS}/kept?gracePeriodSeconds=${encodeURIComponent(raw)}`);
    assert.equal(res.status, 400, raw);
    assert.equal(res.body.message, `strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  }
  await app.http.get(`${CONFIGMAPS}/kept`).expect(200);
  await app.http.delete(`${CONFIGMAPS}/kept?gracePeriodSeconds=0`).expect(200);
});

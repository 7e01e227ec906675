/** PUT and PATCH of namespaces/status: the phase must agree with metadata.deletionTimestamp (ValidateNamespaceStatusUpdate). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const MERGE = 'application/merge-patch+json';

async function createNamespace(app: TestApp, name: string) {
  const res = await app.http.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/** A namespace kept as Terminating by its `kubernetes` finalizer (no namespace controller runs). */
async function terminatingNamespace(app: TestApp, name: string) {
  await createNamespace(app, name);
  const res = await app.http.delete(`/api/v1/namespaces/${name}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.ok(res.body.metadata.deletionTimestamp);
  return res.body;
}

function assertInvalidPhase(res: { status: number; body: any }, name: string, phase: string, message: string) {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.kind, 'Status');
  assert.equal(res.body.reason, 'Invalid');
  assert.equal(res.body.message, `Namespace "${name}" is invalid: status.Phase: Invalid value: "${phase}": ${message}`);
  assert.deepEqual(res.body.details, {
    name,
    kind: 'Namespace',
    causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "${phase}": ${message}`, field: 'status.Phase' }],
  });
}

const ONLY_ACTIVE = "may only be 'Active' if `deletionTimestamp` is empty";
const ONLY_TERMINATING = "may only be 'Terminating' if `deletionTimestamp` is not empty";

test('PUT namespaces/status: Terminating without a deletionTimestamp is a 422 and changes nothing', async (t) => {
  const app = await buildTestApp(t);
  const ns = await createNamespace(app, 'live');
  const res = await app.http.put('/api/v1/namespaces/live/status').send({ ...ns, status: { phase: 'Terminating' } });
  assertInvalidPhase(res, 'live', 'Terminating', ONLY_ACTIVE);
  const after = await app.http.get('/api/v1/namespaces/live');
  assert.equal(after.body.status.phase, 'Active');
  assert.equal(after.body.metadata.resourceVersion, ns.metadata.resourceVersion);
});

test('PATCH namespaces/status: Terminating without a deletionTimestamp is a 422', async (t) => {
  const app = await buildTestApp(t);
  await createNamespace(app, 'live');
  const res = await app.http
    .patch('/api/v1/namespaces/live/status')
    .set('Content-Type', MERGE)
    .send({ status: { phase: 'Terminating' } });
  assertInvalidPhase(res, 'live', 'Terminating', ONLY_ACTIVE);
});

test('namespaces/status: an unknown phase is refused too, and an Active one is accepted', async (t) => {
  const app = await buildTestApp(t);
  const ns = await createNamespace(app, 'live');
  const bogus = await app.http
    .patch('/api/v1/namespaces/live/status')
    .set('Content-Type', MERGE)
    .send({ status: { phase: 'Bogus' } });
  assertInvalidPhase(bogus, 'live', 'Bogus', ONLY_ACTIVE);
  const active = await app.http
    .put('/api/v1/namespaces/live/status')
    .send({ ...ns, status: { phase: 'Active', conditions: [{ type: 'Example', status: 'True' }] } });
  assert.equal(active.status, 200, JSON.stringify(active.body));
  assert.equal(active.body.status.phase, 'Active');
  // NamespaceCondition.lastTransitionTime is a value-typed metav1.Time: Go writes it unset as null.
  assert.deepEqual(active.body.status.conditions, [{ type: 'Example', status: 'True', lastTransitionTime: null }]);
});

test('namespaces/status: a body without a phase is defaulted to Active', async (t) => {
  const app = await buildTestApp(t);
  const ns = await createNamespace(app, 'live');
  const res = await app.http.put('/api/v1/namespaces/live/status').send({ ...ns, status: {} });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.status.phase, 'Active');
  assert.equal(res.body.metadata.resourceVersion, ns.metadata.resourceVersion, 'nothing changed, nothing written');
});

test('namespaces/status with a deletionTimestamp: Terminating is accepted, Active is a 422', async (t) => {
  const app = await buildTestApp(t);
  const ns = await terminatingNamespace(app, 'going');
  const conditions = [
    { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
  ];
  const ok = await app.http.put('/api/v1/namespaces/going/status').send({ ...ns, status: { phase: 'Terminating', conditions } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.status.phase, 'Terminating');
  assert.deepEqual(
    ok.body.status.conditions,
    conditions.map((c) => ({ type: c.type, status: c.status, lastTransitionTime: null, reason: c.reason, message: c.message })),
  );

  const put = await app.http.put('/api/v1/namespaces/going/status').send({ ...ok.body, status: { phase: 'Active' } });
  assertInvalidPhase(put, 'going', 'Active', ONLY_TERMINATING);
  const patch = await app.http
    .patch('/api/v1/namespaces/going/status')
    .set('Content-Type', MERGE)
    .send({ status: { phase: 'Active' } });
  assertInvalidPhase(patch, 'going', 'Active', ONLY_TERMINATING);
  const after = await app.http.get('/api/v1/namespaces/going');
  assert.equal(after.body.status.phase, 'Terminating');
  assert.equal(after.body.metadata.resourceVersion, ok.body.metadata.resourceVersion);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { buildTestApp } from '../helpers/build-app.js';

const PODS = '/api/v1/namespaces/default/pods';

const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

const eviction = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name, namespace: 'default', creationTimestamp: null },
  deleteOptions: {},
  ...extra,
});

async function withPod(t: Parameters<typeof buildTestApp>[0], spec: Record<string, unknown> = {}) {
  // A manual clock: graceful termination never completes during the test.
  const app = await buildTestApp(t, { controllers: true, clock: new ManualClock() });
  await app.kubemock.ensureNodes(1);
  const res = await app.http.post(PODS).send(pod('web', spec));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return app;
}

/** A node selector nothing matches: the scheduler leaves the pod unbound. */
const UNSCHEDULABLE = { nodeSelector: { 'example.com/none': 'none' } };

test('evicting a pod answers 201 with a Success Status and deletes it', async (t) => {
  const app = await withPod(t, UNSCHEDULABLE);
  const res = await app.http.post(`${PODS}/web/eviction`).send(eviction('web'));
  assert.equal(res.status, 201);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  assert.equal((await app.http.get(`${PODS}/web`)).status, 404, 'an unbound pod goes at once');
});

test('a bound pod is marked DisruptionTarget and terminates with its grace period', async (t) => {
  // Bound to a node without a kubelet: nothing stops the pod, it stays terminating.
  const app = await withPod(t, { nodeName: 'node-without-kubelet', terminationGracePeriodSeconds: 45 });
  assert.equal((await app.http.post(`${PODS}/web/eviction`).send(eviction('web'))).status, 201);
  const evicted = (await app.http.get(`${PODS}/web`)).body;
  assert.ok(evicted.metadata.deletionTimestamp);
  assert.equal(evicted.metadata.deletionGracePeriodSeconds, 45);
  const condition = evicted.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget');
  assert.deepEqual(
    { status: condition.status, reason: condition.reason, message: condition.message, lastProbeTime: condition.lastProbeTime },
    { status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastProbeTime: null },
  );
  assert.ok(condition.lastTransitionTime);
  assert.equal((await app.http.post(`${PODS}/web/eviction`).send(eviction('web'))).status, 201, 'evicting again is fine');
});

test('the delete options of the Eviction apply (grace 0 removes a bound pod at once); policy/v1beta1 is accepted', async (t) => {
  const app = await withPod(t, { nodeName: 'node-1' });
  const res = await app.http
    .post(`${PODS}/web/eviction`)
    .send(eviction('web', { apiVersion: 'policy/v1beta1', deleteOptions: { gracePeriodSeconds: 0 } }));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal((await app.http.get(`${PODS}/web`)).status, 404);
});

test('dry run changes nothing', async (t) => {
  const app = await withPod(t, { nodeName: 'node-1' });
  const before = (await app.http.get(`${PODS}/web`)).body;
  assert.equal((await app.http.post(`${PODS}/web/eviction?dryRun=All`).send(eviction('web'))).status, 201);
  assert.equal((await app.http.post(`${PODS}/web/eviction`).send(eviction('web', { deleteOptions: { dryRun: ['All'] } }))).status, 201);
  const after = (await app.http.get(`${PODS}/web`)).body;
  assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
});

test('errors: missing pod 404, name or namespace mismatch 400, bad kind 400, bad options 422, wrong uid 409, GET 405', async (t) => {
  const app = await withPod(t);
  const missing = await app.http.post(`${PODS}/nope/eviction`).send(eviction('nope'));
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'pods "nope" not found');

  const name = await app.http.post(`${PODS}/web/eviction`).send(eviction('other'));
  assert.equal(name.status, 400);
  assert.equal(name.body.message, 'name in URL does not match name in Eviction object');

  const ns = await app.http.post(`${PODS}/web/eviction`).send({ ...eviction('web'), metadata: { name: 'web', namespace: 'kube-system' } });
  assert.equal(ns.status, 400);
  assert.equal(ns.body.message, 'the namespace of the provided object does not match the namespace sent on the request');

  assert.equal((await app.http.post(`${PODS}/web/eviction`).send(eviction('web', { kind: 'Pod' }))).status, 400);

  const policy = await app.http.post(`${PODS}/web/eviction`).send(eviction('web', { deleteOptions: { propagationPolicy: 'Bogus' } }));
  assert.equal(policy.status, 422);
  assert.equal(policy.body.details.kind, 'DeleteOptions');

  const uid = await app.http.post(`${PODS}/web/eviction`).send(eviction('web', { deleteOptions: { preconditions: { uid: 'not-it' } } }));
  assert.equal(uid.status, 409);
  assert.equal(uid.body.reason, 'Conflict');

  assert.equal((await app.http.get(`${PODS}/web/eviction`)).status, 405);
  assert.equal((await app.http.get(`${PODS}/web`)).status, 200, 'the pod survived every failed attempt');
});

test('an eviction with an unsupported dryRun value is 422 and evicts nothing', async (t) => {
  const { http } = await buildTestApp(t);
  await http
    .post('/api/v1/namespaces/default/pods')
    .send({ metadata: { name: 'keep' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  const res = await http
    .post('/api/v1/namespaces/default/pods/keep/eviction')
    .query({ dryRun: 'Bogus' })
    .send({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'keep', namespace: 'default' } });
  assert.equal(res.status, 422);
  assert.match(res.body.message, /dryRun: Unsupported value/);
  assert.equal((await http.get('/api/v1/namespaces/default/pods/keep')).status, 200);
});

/** Finalizer names: the built-in kinds want a standard name or a domain-qualified one; Leases and custom resources do not. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const CMS = '/api/v1/namespaces/default/configmaps';
const cm = (name: string, finalizers: string[]) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, finalizers } });

describe('finalizer names', () => {
  it('a built-in kind refuses an unqualified name that is not a standard one, at its index', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(CMS).send(cm('f', ['example.com/keep', 'bogus']));
    assert.equal(res.status, 422);
    assert.equal(
      res.body.message,
      'ConfigMap "f" is invalid: metadata.finalizers[1]: Invalid value: "bogus": name is neither a standard finalizer name nor is it fully qualified',
    );
    assert.equal((await app.http.get(`${CMS}/f`)).status, 404);
    const ok = await app.http.post(CMS).send(cm('f', ['example.com/keep', 'kubernetes', 'orphan']));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const update = await app.http.put(`${CMS}/f`).send({ ...ok.body, metadata: { ...ok.body.metadata, finalizers: ['mine'] } });
    assert.equal(update.status, 422);
    assert.equal(update.body.details.causes[0].field, 'metadata.finalizers[0]');
  });

  it('a Lease keeps the generic rule: any qualified name', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http
      .post('/apis/coordination.k8s.io/v1/namespaces/default/leases')
      .send({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', finalizers: ['bogus'] } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });

  it("a Namespace's spec.finalizers follow the same rule, reported unindexed", async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http
      .post('/api/v1/namespaces')
      .send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' }, spec: { finalizers: ['bogus'] } });
    assert.equal(res.status, 422);
    assert.equal(
      res.body.message,
      'Namespace "n" is invalid: spec.finalizers: Invalid value: "bogus": name is neither a standard finalizer name nor is it fully qualified',
    );
    const kept = await app.http
      .post('/api/v1/namespaces')
      .send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'm' }, spec: { finalizers: ['example.com/cleanup'] } });
    assert.equal(kept.status, 201);
    assert.deepEqual(kept.body.spec.finalizers, ['example.com/cleanup', 'kubernetes'], 'kept, and the kubernetes one added');
  });
});

/** A create that carries a resourceVersion, as kube-apiserver's etcd3 storage answers it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const CMS = '/api/v1/namespaces/default/configmaps';
const cm = (name: string, resourceVersion: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, resourceVersion },
  data: { a: 'b' },
});

describe('POST with metadata.resourceVersion', () => {
  it('a numeric version is refused by the storage: a 500 with no reason, nothing created', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(CMS).send(cm('exported', '12345'));
    assert.equal(res.status, 500);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'resourceVersion should not be set on objects to be created',
      code: 500,
    });
    assert.equal((await app.http.get(`${CMS}/exported`)).status, 404);
  });

  it('validation comes first; a dry run, "0" and an unparsable version are not refused', async (t) => {
    const app = await buildTestApp(t);
    assert.equal((await app.http.post(CMS).send(cm('Bad_Name', '7'))).status, 422);
    const dry = await app.http.post(`${CMS}?dryRun=All`).send(cm('dry', '7'));
    assert.equal(dry.status, 201);
    for (const [name, rv] of [
      ['zero', '0'],
      ['word', 'abc'],
    ]) {
      const res = await app.http.post(CMS).send(cm(name, rv));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.notEqual(res.body.metadata.resourceVersion, rv);
    }
  });
});

/**
 * core/v1 ConfigMap over HTTP, as kube-apiserver serves it: CRUD in Go's field order, upstream's
 * key, duplicate and size validation (ValidateConfigMap), frozen data once `immutable` is true
 * (ValidateConfigMapUpdate), and the NAME DATA AGE table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { manualCluster } from '../helpers/manual-cluster.js';
import { storageVersionHash } from '../../src/http/discovery/documents.js';

const CMS = '/api/v1/namespaces/default/configmaps';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

function configMap(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...fields };
}

describe('configmaps', () => {
  it('are served in core/v1 as configmaps, short name cm, every verb', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.get('/api/v1').expect(200);
    const cm = (res.body.resources as { name: string }[]).find((r) => r.name === 'configmaps');
    assert.deepEqual(cm, {
      name: 'configmaps',
      singularName: 'configmap',
      namespaced: true,
      kind: 'ConfigMap',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['cm'],
      storageVersionHash: storageVersionHash('', 'v1', 'ConfigMap'),
    });
    assert.ok(!(res.body.resources as { name: string }[]).some((r) => r.name === 'configmaps/status'), 'no status subresource');
  });

  it('create, get, list, update, patch and delete; fields come back in Go order (immutable, data, binaryData)', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http.post(CMS).send({
      binaryData: { bin: Buffer.from([0, 1, 2]).toString('base64') },
      data: { b: '2', a: '1' },
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'app' },
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(Object.keys(created.body), ['kind', 'apiVersion', 'metadata', 'data', 'binaryData']);
    assert.deepEqual(created.body.data, { a: '1', b: '2' });
    assert.equal(created.body.binaryData.bin, 'AAEC');
    assert.equal(created.body.metadata.generation, undefined, 'a ConfigMap has no generation');

    const got = await http.get(`${CMS}/app`).expect(200);
    assert.equal(got.text, created.text);
    const list = await http.get(CMS).expect(200);
    assert.equal(list.body.kind, 'ConfigMapList');
    assert.deepEqual(
      list.body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
      ['app'],
    );

    const updated = await http
      .put(`${CMS}/app`)
      .send({ ...got.body, immutable: false, data: { a: 'one' } })
      .expect(200);
    assert.deepEqual(Object.keys(updated.body), ['kind', 'apiVersion', 'metadata', 'immutable', 'data', 'binaryData']);
    assert.deepEqual(updated.body.data, { a: 'one' });
    const patched = await http
      .patch(`${CMS}/app`)
      .set('content-type', 'application/merge-patch+json')
      .send({ data: { c: '3' } })
      .expect(200);
    assert.deepEqual(patched.body.data, { a: 'one', c: '3' });

    const deleted = await http.delete(`${CMS}/app`).expect(200);
    assert.equal(deleted.body.kind, 'Status', 'DELETE answers a Status, as for every kind without graceful deletion');
    await http.get(`${CMS}/app`).expect(404);
  });

  it('refuses bad keys with upstream IsConfigMapKey messages, naming each key', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(CMS).send(configMap('bad', { data: { 'a b': 'x', '..': 'y', '..hidden': 'z' }, binaryData: { '.': '' } }));
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.reason, 'Invalid');
    const regex =
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    assert.deepEqual(res.body.details.causes, [
      { reason: 'FieldValueInvalid', message: `Invalid value: "..": must not be '..'`, field: 'data[..]' },
      { reason: 'FieldValueInvalid', message: `Invalid value: "..hidden": must not start with '..'`, field: 'data[..hidden]' },
      { reason: 'FieldValueInvalid', message: `Invalid value: "a b": ${regex}`, field: 'data[a b]' },
      { reason: 'FieldValueInvalid', message: `Invalid value: ".": must not be '.'`, field: 'binaryData[.]' },
    ]);
    const long = await http.post(CMS).send(configMap('long', { data: { ['k'.repeat(254)]: 'v' } }));
    assert.equal(long.status, 422);
    assert.match(long.body.message, /data\[k+\]: Invalid value: "k+": must be no more than 253 characters$/);
    await http
      .post(CMS)
      .send(configMap('fine', { data: { ['k'.repeat(253)]: 'v', 'A_b-c.d': '' } }))
      .expect(201);
  });

  it('refuses a key in both data and binaryData', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(CMS).send(configMap('dup', { data: { same: 'text' }, binaryData: { same: 'AA==' } }));
    assert.equal(res.status, 422);
    assert.equal(res.body.message, 'ConfigMap "dup" is invalid: data[same]: Invalid value: "same": duplicate of key present in binaryData');
  });

  it('refuses more than 1 MiB of values in all, data and decoded binaryData together', async (t) => {
    const { http } = await buildTestApp(t);
    const half = 512 * 1024;
    const exactly = { data: { a: 'x'.repeat(half) }, binaryData: { b: Buffer.alloc(half).toString('base64') } };
    await http.post(CMS).send(configMap('exactly', exactly)).expect(201);
    const over = { data: { a: 'x'.repeat(half + 1) }, binaryData: { b: Buffer.alloc(half).toString('base64') } };
    const res = await http.post(CMS).send(configMap('over', over));
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.message, 'ConfigMap "over" is invalid: []: Too long: may not be more than 1048576 bytes');
    assert.deepEqual(res.body.details.causes, [
      { reason: 'FieldValueTooLong', message: 'Too long: may not be more than 1048576 bytes', field: '[]' },
    ]);
    await http.get(`${CMS}/over`).expect(404);
    // An update that grows it past the limit is refused the same way, and changes nothing.
    const before = await http.get(`${CMS}/exactly`).expect(200);
    const grown = await http
      .patch(`${CMS}/exactly`)
      .set('content-type', 'application/merge-patch+json')
      .send({ data: { c: 'y' } });
    assert.equal(grown.status, 422);
    assert.equal((await http.get(`${CMS}/exactly`)).body.metadata.resourceVersion, before.body.metadata.resourceVersion);
  });

  it('an empty data map or label map is not written (omitempty), and a PUT sending one changes nothing', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http
      .post(CMS)
      .send(configMap('empty', { metadata: { name: 'empty', labels: {}, finalizers: [] }, data: {}, binaryData: {} }))
      .expect(201);
    assert.deepEqual(Object.keys(created.body), ['kind', 'apiVersion', 'metadata']);
    assert.deepEqual(Object.keys(created.body.metadata), ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']);
    // No field set: no managedFields entry (runtime.DefaultUnstructuredConverter leaves empty omitempty fields out).
    const same = await http
      .put(`${CMS}/empty`)
      .send(configMap('empty', { metadata: { name: 'empty', resourceVersion: created.body.metadata.resourceVersion }, data: {} }))
      .expect(200);
    assert.equal(same.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
    const filled = await http
      .put(`${CMS}/empty`)
      .send(configMap('empty', { data: { a: '1' } }))
      .expect(200);
    assert.deepEqual(filled.body.data, { a: '1' });
    assert.deepEqual(filled.body.metadata.managedFields[0].fieldsV1, { 'f:data': { '.': {}, 'f:a': {} } });
  });

  it('once immutable, data, binaryData and immutable itself cannot change; metadata can', async (t) => {
    const { http } = await buildTestApp(t);
    await http
      .post(CMS)
      .send(configMap('frozen', { immutable: true, data: { a: '1' }, binaryData: { b: 'AA==' } }))
      .expect(201);
    const data = await http
      .patch(`${CMS}/frozen`)
      .set('content-type', 'application/merge-patch+json')
      .send({ data: { a: '2' } });
    assert.equal(data.status, 422, data.text);
    assert.equal(data.body.message, 'ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    const all = await http
      .patch(`${CMS}/frozen`)
      .set('content-type', 'application/merge-patch+json')
      .send({ immutable: false, data: null, binaryData: { b: 'AQ==' } });
    assert.equal(all.status, 422);
    assert.deepEqual(
      all.body.details.causes.map((c: { field: string }) => c.field),
      ['immutable', 'data', 'binaryData'],
    );
    assert.equal(all.body.details.causes[0].message, 'Forbidden: field is immutable when `immutable` is set');
    const labelled = await http
      .patch(`${CMS}/frozen`)
      .set('content-type', 'application/merge-patch+json')
      .send({ metadata: { labels: { tier: 'web' } } });
    assert.equal(labelled.status, 200, labelled.text);
    assert.deepEqual(labelled.body.data, { a: '1' });
    // A mutable one may become immutable, and change its data in the same write.
    await http
      .post(CMS)
      .send(configMap('thawed', { data: { a: '1' } }))
      .expect(201);
    const frozenNow = await http
      .patch(`${CMS}/thawed`)
      .set('content-type', 'application/merge-patch+json')
      .send({ immutable: true, data: { a: '2' } })
      .expect(200);
    assert.deepEqual([frozenNow.body.immutable, frozenNow.body.data], [true, { a: '2' }]);
  });

  it('kubectl get cm: a NAME DATA AGE table counting data and binaryData keys', async (t) => {
    const { http } = await buildTestApp(t);
    await http
      .post(CMS)
      .send(configMap('two', { data: { a: '1' }, binaryData: { b: 'AA==' } }))
      .expect(201);
    await http.post(CMS).send(configMap('none')).expect(201);
    const res = await http.get(CMS).set('Accept', TABLE).expect(200);
    assert.equal(res.body.kind, 'Table');
    assert.deepEqual(
      res.body.columnDefinitions.map((c: { name: string; type: string }) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Data', 'string'],
        ['Age', 'string'],
      ],
    );
    assert.deepEqual(
      res.body.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 2)),
      [
        ['none', 0],
        ['two', 2],
      ],
    );
  });

  it('are deleted with their namespace', async (t) => {
    const cluster = await manualCluster(t, 0);
    const { http } = cluster.app;
    await http
      .post('/api/v1/namespaces')
      .send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } })
      .expect(201);
    await http
      .post('/api/v1/namespaces/gone/configmaps')
      .send(configMap('cfg', { data: { a: '1' } }))
      .expect(201);
    await http.delete('/api/v1/namespaces/gone').expect(200);
    await cluster.settle();
    await http.get('/api/v1/namespaces/gone/configmaps/cfg').expect(404);
    await http.get('/api/v1/namespaces/gone').expect(404);
  });
});

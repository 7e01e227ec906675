/**
 * Custom objects beyond CRUD (the CRD suite, with crds.test.ts): server-side apply merging
 * by the schema's list types (map by key, set) with conflicts between managers, finalizers holding
 * a deletion, and faults, the journal and snapshots applying to custom resources as to built-in ones.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startKubemock, type KubemockServer } from '../../src/index.js';
import { widgetCrd } from '../helpers/widget-crd.js';

const CRD = widgetCrd({
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } },
          },
          tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        },
      },
    },
  },
});
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';

async function call(cluster: KubemockServer, method: string, path: string, body?: unknown, contentType = 'application/json') {
  const res = await fetch(cluster.url + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': contentType },
  });
  return { code: res.status, body: (await res.json()) as Record<string, any> };
}

const apply = (cluster: KubemockServer, manager: string, spec: unknown) =>
  call(
    cluster,
    'PATCH',
    `${WIDGETS}/w?fieldManager=${manager}`,
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec },
    'application/apply-patch+yaml',
  );

describe('custom objects', () => {
  it('server-side apply merges list-type map items by key and set items by value; a shared field conflicts', async (t) => {
    const cluster = await startKubemock({ crds: [CRD], nodes: 0, kubeconfig: false, controllers: false });
    t.after(() => cluster.stop());
    assert.equal((await apply(cluster, 'a', { ports: [{ name: 'http', port: 80 }], tags: ['x'] })).code, 201);
    const both = await apply(cluster, 'b', { ports: [{ name: 'https', port: 443 }], tags: ['y'] });
    assert.deepEqual(both.body.spec, {
      ports: [
        { name: 'http', port: 80 },
        { name: 'https', port: 443 },
      ],
      tags: ['x', 'y'],
    });
    assert.deepEqual(both.body.metadata.managedFields[1].fieldsV1, {
      'f:spec': { 'f:ports': { 'k:{"name":"https"}': { '.': {}, 'f:name': {}, 'f:port': {} } }, 'f:tags': { 'v:"y"': {} } },
    });
    const conflict = await apply(cluster, 'b', { ports: [{ name: 'http', port: 81 }] });
    assert.equal(conflict.code, 409);
    assert.equal(conflict.body.message, 'Apply failed with 1 conflict: conflict with "a": .spec.ports[name="http"].port');
    // a drops its port: only a's item goes, b's stays.
    const dropped = await apply(cluster, 'a', { tags: ['x'] });
    assert.deepEqual(dropped.body.spec, { ports: [{ name: 'https', port: 443 }], tags: ['x', 'y'] });
  });

  it('a finalizer holds a deletion until it is removed', async (t) => {
    const cluster = await startKubemock({ crds: [CRD], nodes: 0, kubeconfig: false });
    t.after(() => cluster.stop());
    const body = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', finalizers: ['example.com/cleanup'] } };
    assert.equal((await call(cluster, 'POST', WIDGETS, body)).code, 201);
    const deleted = await call(cluster, 'DELETE', `${WIDGETS}/w`);
    assert.equal(deleted.code, 200);
    assert.ok(deleted.body.metadata.deletionTimestamp);
    await cluster.settle();
    assert.equal((await call(cluster, 'GET', `${WIDGETS}/w`)).code, 200, 'still there while the finalizer is');
    const released = await call(cluster, 'PATCH', `${WIDGETS}/w`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    assert.equal(released.code, 200);
    assert.equal((await call(cluster, 'GET', `${WIDGETS}/w`)).code, 404);
  });

  it('faults, the journal and snapshots apply to custom resources', async (t) => {
    const cluster = await startKubemock({ crds: [CRD], nodes: 0, kubeconfig: false, controllers: false });
    t.after(() => cluster.stop());
    cluster.addFault({ action: 'error', verb: ['create'], resource: 'widgets', group: 'example.com', status: 409, count: 1 });
    const body = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    assert.equal((await call(cluster, 'POST', WIDGETS, body)).code, 409);
    assert.equal((await call(cluster, 'POST', WIDGETS, body)).code, 201, 'the rule was spent');
    assert.deepEqual(
      cluster.journal({ resource: 'widgets', group: 'example.com', verb: ['create'] }).map((e) => e.code),
      [409, 201],
    );
    const id = cluster.snapshot();
    assert.equal((await call(cluster, 'DELETE', `${WIDGETS}/w`)).code, 200);
    cluster.restore(id);
    assert.equal((await call(cluster, 'GET', `${WIDGETS}/w`)).code, 200);
  });
});

/**
 * What a /status write may change in metadata, kind by kind, as each upstream status strategy's
 * PrepareForUpdate decides: pods take the writer's labels, annotations and finalizers but keep
 * their ownerReferences; nodes, DaemonSets, services, namespaces, PodDisruptionBudgets and CRDs
 * take the writer's metadata; a custom resource keeps all of its stored metadata. The generic
 * update rules (uid, name, creationTimestamp, deletion fields) hold for every one. managedFields
 * record the write as upstream's field manager sees it, before the strategy runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';
import { widgetCrd } from '../helpers/widget-crd.js';

const MERGE = 'application/merge-patch+json';
const PODS = '/api/v1/namespaces/default/pods';
const OWNER = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: '6f7c1b0e-0000-4000-8000-000000000001' };

interface Entry {
  manager: string;
  operation: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

const entryOf = (obj: { metadata: { managedFields?: Entry[] } }, manager: string) =>
  obj.metadata.managedFields?.find((e) => e.manager === manager);

async function createPod(app: TestApp, name: string) {
  const res = await app.http.post(PODS).send({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'a' }, annotations: { note: 'x' }, ownerReferences: [OWNER] },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

test('PUT pods/status: labels, annotations and finalizers are the writer’s, ownerReferences stay', async (t) => {
  const app = await buildTestApp(t);
  const pod = await createPod(app, 'p');
  const res = await app.http.put(`${PODS}/p/status?fieldManager=status-writer`).send({
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: { app: 'b', added: 'yes' },
      annotations: undefined,
      finalizers: ['example.com/hold'],
      ownerReferences: undefined,
    },
    status: { ...pod.status, message: 'written' },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.metadata.labels, { app: 'b', added: 'yes' });
  assert.equal(res.body.metadata.annotations, undefined);
  assert.deepEqual(res.body.metadata.finalizers, ['example.com/hold']);
  assert.deepEqual(res.body.metadata.ownerReferences, [OWNER]);
  assert.equal(res.body.status.message, 'written');
  const got = await app.http.get(`${PODS}/p`);
  assert.deepEqual(got.body.metadata.labels, { app: 'b', added: 'yes' });
  assert.deepEqual(got.body.metadata.ownerReferences, [OWNER]);

  // The status writer owns the labels it changed and the status, not the ownerReferences (reset fields).
  const entry = entryOf(got.body, 'status-writer');
  assert.ok(entry, JSON.stringify(got.body.metadata.managedFields));
  assert.equal(entry.operation, 'Update');
  assert.equal(entry.subresource, 'status');
  const meta = entry.fieldsV1!['f:metadata'] as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(meta['f:labels']).sort(), ['f:added', 'f:app']);
  assert.ok(meta['f:finalizers']);
  assert.equal(meta['f:ownerReferences'], undefined);
  assert.ok((entry.fieldsV1!['f:status'] as Record<string, unknown>)['f:message']);
  // The creator no longer owns the label the status writer took.
  const creator = got.body.metadata.managedFields.find((e: Entry) => e.operation === 'Update' && !e.subresource);
  const creatorLabels = ((creator.fieldsV1['f:metadata'] as Record<string, Record<string, unknown>>)['f:labels'] ?? {}) as object;
  assert.equal('f:app' in creatorLabels, false);
});

test('PATCH pods/status: a label patched through /status changes, the generic rules still hold', async (t) => {
  const app = await buildTestApp(t);
  const pod = await createPod(app, 'p');
  const res = await app.http
    .patch(`${PODS}/p/status`)
    .set('Content-Type', MERGE)
    .send({
      metadata: { labels: { extra: 'z' }, ownerReferences: null, deletionTimestamp: '2030-01-01T00:00:00Z' },
      status: { message: 'm' },
    });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.metadata.labels, { app: 'a', extra: 'z' });
  assert.deepEqual(res.body.metadata.ownerReferences, [OWNER]);
  assert.equal(res.body.metadata.deletionTimestamp, undefined);
  assert.equal(res.body.metadata.uid, pod.metadata.uid);
  assert.equal(res.body.metadata.creationTimestamp, pod.metadata.creationTimestamp);

  const renamed = await app.http
    .put(`${PODS}/p/status`)
    .send({ ...res.body, metadata: { ...res.body.metadata, uid: '6f7c1b0e-0000-4000-8000-0000000000ff' } });
  // A PUT's uid is a precondition on the stored object's (etcd3's storage error, before any update rule).
  assert.equal(renamed.status, 409, JSON.stringify(renamed.body));
  assert.match(
    renamed.body.message,
    /StorageError: invalid object, Code: 4, Key: \/registry\/pods\/default\/p, .*UID in precondition: 6f7c1b0e-0000-4000-8000-0000000000ff, UID in object meta: /,
  );

  const badLabel = await app.http
    .patch(`${PODS}/p/status`)
    .set('Content-Type', MERGE)
    .send({ metadata: { labels: { 'bad key!': 'v' } } });
  assert.equal(badLabel.status, 422, JSON.stringify(badLabel.body));
});

test('a status write that brings the stored metadata changes none of it', async (t) => {
  const app = await buildTestApp(t);
  const pod = await createPod(app, 'p');
  const res = await app.http.put(`${PODS}/p/status`).send({ ...pod, status: { ...pod.status, message: 'same meta' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const { managedFields: _a, resourceVersion: _b, ...after } = res.body.metadata;
  const { managedFields: _c, resourceVersion: _d, ...before } = pod.metadata;
  assert.deepEqual(after, before);
});

test('nodes/status: labels and annotations change, the spec does not', async (t) => {
  const app = await buildTestApp(t);
  const created = await app.http
    .post('/api/v1/nodes')
    .send({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { zone: 'a' } }, spec: { unschedulable: false } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const res = await app.http
    .patch('/api/v1/nodes/n1/status?fieldManager=node-writer')
    .set('Content-Type', MERGE)
    .send({ metadata: { labels: { zone: 'b' }, annotations: { seen: 'yes' } }, spec: { unschedulable: true } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.metadata.labels, { zone: 'b' });
  assert.deepEqual(res.body.metadata.annotations, { seen: 'yes' });
  assert.equal(res.body.spec.unschedulable, created.body.spec.unschedulable);
  const entry = entryOf(res.body, 'node-writer');
  assert.equal(entry?.subresource, 'status');
  assert.ok((entry?.fieldsV1?.['f:metadata'] as Record<string, unknown>)['f:labels']);
  assert.equal(entry?.fieldsV1?.['f:spec'], undefined);
});

test('daemonsets/status: the writer’s labels are stored (the status strategy copies the spec only)', async (t) => {
  const app = await buildTestApp(t);
  const DS = '/apis/apps/v1/namespaces/default/daemonsets';
  const created = await app.http.post(DS).send({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ds', labels: { app: 'd' } },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const res = await app.http
    .patch(`${DS}/ds/status`)
    .set('Content-Type', MERGE)
    .send({ metadata: { labels: { app: 'd', tier: 'x' } }, status: { numberReady: 0 } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.metadata.labels, { app: 'd', tier: 'x' });
  assert.equal(res.body.metadata.generation, created.body.metadata.generation);
});

test('services/status and namespaces/status: the writer’s labels are stored', async (t) => {
  const app = await buildTestApp(t);
  const svc = await app.http.post('/api/v1/namespaces/default/services').send({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: { ports: [{ port: 80 }] },
  });
  assert.equal(svc.status, 201, JSON.stringify(svc.body));
  const s = await app.http
    .patch('/api/v1/namespaces/default/services/s/status')
    .set('Content-Type', MERGE)
    .send({ metadata: { labels: { lb: 'yes' } } });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.deepEqual(s.body.metadata.labels, { lb: 'yes' });

  const ns = await app.http.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
  assert.equal(ns.status, 201, JSON.stringify(ns.body));
  const n = await app.http
    .patch('/api/v1/namespaces/n/status')
    .set('Content-Type', MERGE)
    .send({ metadata: { annotations: { a: 'b' } } });
  assert.equal(n.status, 200, JSON.stringify(n.body));
  assert.deepEqual(n.body.metadata.annotations, { a: 'b' });
});

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';
const WIDGET_CRD = widgetCrd({ subresources: { status: {} } });

async function widgets(app: TestApp): Promise<void> {
  const res = await app.http.post(CRDS).send(WIDGET_CRD);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await waitFor(async () => (await app.http.get(WIDGETS)).status === 200);
}

test('custom resource /status: the stored metadata stays, only the status is taken', async (t) => {
  const app = await buildTestApp(t);
  await widgets(app);
  const created = await app.http.post(WIDGETS).send({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', labels: { app: 'w' }, annotations: { keep: 'me' } },
    spec: { size: 1 },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const res = await app.http
    .patch(`${WIDGETS}/w/status?fieldManager=cr-status`)
    .set('Content-Type', MERGE)
    .send({
      metadata: { labels: { app: 'changed' }, annotations: null, finalizers: ['example.com/f'] },
      spec: { size: 2 },
      status: { ok: true },
    });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.metadata.labels, { app: 'w' });
  assert.deepEqual(res.body.metadata.annotations, { keep: 'me' });
  assert.equal(res.body.metadata.finalizers, undefined);
  assert.deepEqual(res.body.spec, { size: 1 });
  assert.deepEqual(res.body.status, { ok: true });
  // managedFields are the field manager's, taken before the strategy: the status writer's entry
  // holds the status (and, as upstream, what it sent of metadata, which was not stored).
  const entry = entryOf(res.body, 'cr-status');
  assert.equal(entry?.subresource, 'status');
  assert.deepEqual(entry?.fieldsV1?.['f:status'], { '.': {}, 'f:ok': {} });
  assert.equal(entry?.fieldsV1?.['f:spec'], undefined);
  // Only spec is a reset field of the custom resource status strategy: the changed label is
  // claimed though the strategy then drops it (kubernetes/kubernetes#120476 shows the same).
  const meta = entry?.fieldsV1?.['f:metadata'] as Record<string, Record<string, unknown>> | undefined;
  assert.ok(meta?.['f:labels']?.['f:app'], JSON.stringify(entry));
  assert.ok(meta?.['f:finalizers'], JSON.stringify(entry));
});

test('customresourcedefinitions/status: the writer’s metadata is stored, none of it is owned', async (t) => {
  const app = await buildTestApp(t);
  await widgets(app);
  const res = await app.http
    .patch(`${CRDS}/widgets.example.com/status?fieldManager=crd-status`)
    .set('Content-Type', MERGE)
    .send({ metadata: { labels: { tagged: 'yes' } } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.metadata.labels, { tagged: 'yes' });
  // The status strategy resets all metadata for field ownership (GetResetFields): nothing changed it owns.
  assert.equal(entryOf(res.body, 'crd-status'), undefined);
});

test('nodes: the alpha taints annotation is validated on create, on update and through nodes/status', async (t) => {
  const app = await buildTestApp(t);
  const KEY = 'scheduler.alpha.kubernetes.io/taints';
  const message = (name: string) =>
    `Node "${name}" is invalid: metadata.annotations: Invalid value: "${KEY}": json: cannot unmarshal object into Go value of type []core.Taint`;
  const bad = await app.http
    .post('/api/v1/nodes')
    .send({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n0', annotations: { [KEY]: '{}' } } });
  assert.equal(bad.status, 422, JSON.stringify(bad.body));
  assert.equal(bad.body.message, message('n0'));

  const created = await app.http.post('/api/v1/nodes').send({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const status = await app.http
    .patch('/api/v1/nodes/n1/status')
    .set('Content-Type', MERGE)
    .send({ metadata: { annotations: { [KEY]: '{}' } } });
  assert.equal(status.status, 422, JSON.stringify(status.body));
  assert.equal(status.body.message, message('n1'));
  const good = await app.http
    .patch('/api/v1/nodes/n1/status')
    .set('Content-Type', MERGE)
    .send({ metadata: { annotations: { [KEY]: '[{"key":"k","effect":"NoSchedule"}]' } } });
  assert.equal(good.status, 200, JSON.stringify(good.body));
  // The main resource runs ValidateNode and ValidateNodeUpdate, both with the annotation check:
  // the message names the error once, the causes list it twice, as upstream's Invalid error does.
  const main = await app.http
    .patch('/api/v1/nodes/n1')
    .set('Content-Type', MERGE)
    .send({ metadata: { annotations: { [KEY]: '{}' } } });
  assert.equal(main.status, 422, JSON.stringify(main.body));
  assert.equal(main.body.message, message('n1'));
  assert.equal(main.body.details.causes.length, 2);
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const CM = '/api/v1/namespaces/default/configmaps';
const APPLY = 'application/apply-patch+yaml';
const MERGE = 'application/merge-patch+json';
const KUBECTL_UA = 'kubectl/v1.33.0 (linux/amd64) kubernetes/abcdef0';

type Obj = Record<string, any>;

const daemonSet = (image = 'nginx:1', labels: Record<string, string> = { app: 'web' }): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'web', labels },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
  },
});

const apply = (app: TestApp, path: string, body: Obj, query: string) =>
  app.http.patch(`${path}?${query}`).set('content-type', APPLY).send(JSON.stringify(body));

const entries = (obj: Obj) =>
  (obj.metadata.managedFields as Obj[]).map((e) => `${e.manager} ${e.operation}${e.subresource ? ` ${e.subresource}` : ''}`);
const entryOf = (obj: Obj, manager: string) => (obj.metadata.managedFields as Obj[]).find((e) => e.manager === manager)!;

const DS_APPLIED_FIELDS = {
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': {
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    },
  },
};

describe('server-side apply', () => {
  it('creates the object with one Apply entry holding the applied fields', async (t) => {
    const app = await buildTestApp(t);
    const res = await apply(app, `${DS}/web`, daemonSet(), 'fieldManager=alice');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const [entry, ...rest] = res.body.metadata.managedFields as Obj[];
    assert.equal(rest.length, 0);
    assert.deepEqual(Object.keys(entry), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
    assert.equal(entry.manager, 'alice');
    assert.equal(entry.operation, 'Apply');
    assert.equal(entry.apiVersion, 'apps/v1');
    assert.match(entry.time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(entry.fieldsType, 'FieldsV1');
    assert.deepEqual(entry.fieldsV1, DS_APPLIED_FIELDS);
    // Defaults the server filled in are nobody's.
    assert.equal(res.body.spec.revisionHistoryLimit, 10);
  });

  it("answers 409 with upstream's message and a cause per field when another manager's field would change; force takes it", async (t) => {
    const app = await buildTestApp(t);
    await apply(app, `${DS}/web`, daemonSet(), 'fieldManager=alice');
    const res = await apply(app, `${DS}/web`, daemonSet('nginx:2'), 'fieldManager=bob');
    assert.equal(res.status, 409);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "alice": .spec.template.spec.containers[name="c"].image',
      reason: 'Conflict',
      details: {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.template.spec.containers[name="c"].image' },
        ],
      },
      code: 409,
    });
    assert.equal((await app.http.get(`${DS}/web`)).body.spec.template.spec.containers[0].image, 'nginx:1');

    const forced = await apply(app, `${DS}/web`, daemonSet('nginx:2'), 'fieldManager=bob&force=true');
    assert.equal(forced.status, 200, JSON.stringify(forced.body));
    assert.equal(forced.body.spec.template.spec.containers[0].image, 'nginx:2');
    const container = (o: Obj, m: string) => entryOf(o, m).fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"c"}'];
    assert.deepEqual(container(forced.body, 'alice'), { '.': {}, 'f:name': {} });
    assert.deepEqual(container(forced.body, 'bob'), { '.': {}, 'f:image': {}, 'f:name': {} });
  });

  it('an Update takes ownership of what it changes, and a later apply of the old value conflicts with it', async (t) => {
    const app = await buildTestApp(t);
    await apply(app, `${DS}/web`, daemonSet(), 'fieldManager=alice');
    const patch = { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:3' }] } } } };
    const edited = await app.http
      .patch(`${DS}/web`)
      .set('content-type', 'application/strategic-merge-patch+json')
      .set('user-agent', KUBECTL_UA)
      .send(JSON.stringify(patch));
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual(entries(edited.body), ['alice Apply', 'kubectl Update']);
    assert.deepEqual(entryOf(edited.body, 'kubectl').fieldsV1, {
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { 'f:image': {} } } } } },
    });
    const again = await apply(app, `${DS}/web`, daemonSet('nginx:1'), 'fieldManager=alice');
    assert.equal(again.status, 409);
    assert.equal(
      again.body.message,
      'Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.template.spec.containers[name="c"].image',
    );
  });

  it('removes a field its manager no longer applies, but keeps one another manager owns too', async (t) => {
    const app = await buildTestApp(t);
    await apply(app, `${DS}/web`, daemonSet('nginx:1', { app: 'web', tier: 'front', team: 'a' }), 'fieldManager=alice');
    await apply(app, `${DS}/web`, { ...daemonSet(), metadata: { name: 'web', labels: { team: 'a' } } }, 'fieldManager=bob');
    const res = await apply(app, `${DS}/web`, daemonSet('nginx:1', { app: 'web' }), 'fieldManager=alice');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.metadata.labels, { app: 'web', team: 'a' });
  });

  it('re-applying the same configuration writes nothing', async (t) => {
    const app = await buildTestApp(t);
    const first = await apply(app, `${DS}/web`, daemonSet(), 'fieldManager=alice');
    const again = await apply(app, `${DS}/web`, daemonSet(), 'fieldManager=alice');
    assert.equal(again.status, 200);
    assert.equal(again.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
    assert.deepEqual(again.body.metadata.managedFields, first.body.metadata.managedFields);
  });

  it('applies to /status with an entry for the status subresource, leaving the spec alone', async (t) => {
    const app = await buildTestApp(t);
    await apply(app, `${DS}/web`, daemonSet(), 'fieldManager=alice');
    const status = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'web' },
      status: { desiredNumberScheduled: 3, numberReady: 2 },
    };
    const res = await apply(app, `${DS}/web/status`, status, 'fieldManager=counter');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status.numberReady, 2);
    const entry = entryOf(res.body, 'counter');
    assert.equal(entry.subresource, 'status');
    assert.deepEqual(entry.fieldsV1, { 'f:status': { 'f:desiredNumberScheduled': {}, 'f:numberReady': {} } });
    assert.deepEqual(entries(res.body), ['alice Apply', 'counter Apply status']);
  });

  it('dryRun answers as the apply would and stores nothing', async (t) => {
    const app = await buildTestApp(t);
    const created = await apply(app, `${DS}/web`, daemonSet(), 'fieldManager=alice&dryRun=All');
    assert.equal(created.status, 201);
    assert.equal(created.body.metadata.managedFields[0].manager, 'alice');
    assert.equal((await app.http.get(`${DS}/web`)).status, 404);
    await apply(app, `${DS}/web`, daemonSet(), 'fieldManager=alice');
    const changed = await apply(app, `${DS}/web`, daemonSet('nginx:9'), 'fieldManager=alice&dryRun=All');
    assert.equal(changed.body.spec.template.spec.containers[0].image, 'nginx:9');
    assert.equal((await app.http.get(`${DS}/web`)).body.spec.template.spec.containers[0].image, 'nginx:1');
  });

  it('takes a resourceVersion in the applied object as a precondition', async (t) => {
    const app = await buildTestApp(t);
    const first = await apply(app, `${DS}/web`, daemonSet(), 'fieldManager=alice');
    const stale = daemonSet('nginx:2');
    stale.metadata.resourceVersion = String(Number(first.body.metadata.resourceVersion) - 1);
    const res = await apply(app, `${DS}/web`, stale, 'fieldManager=alice');
    assert.equal(res.status, 409);
    assert.match(res.body.message, /the object has been modified; please apply your changes to the latest version and try again/);
  });

  it('refuses managedFields in an applied object (400) and a missing fieldManager (422)', async (t) => {
    const app = await buildTestApp(t);
    const body = daemonSet();
    body.metadata.managedFields = [{ manager: 'x', operation: 'Apply' }];
    const res = await apply(app, `${DS}/web`, body, 'fieldManager=alice');
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'metadata.managedFields must be nil');
    const missing = await apply(app, `${DS}/web`, daemonSet(), '');
    assert.equal(missing.status, 422);
  });
});

describe('kubectl moving from client-side apply', () => {
  const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

  it('forgives conflicts with fields of the last-applied annotation that still hold, for the manager kubectl only, and rewrites the annotation', async (t) => {
    const app = await buildTestApp(t);
    const original = daemonSet('nginx:1');
    const created = { ...original, metadata: { ...original.metadata, annotations: { [LAST_APPLIED]: `${JSON.stringify(original)}\n` } } };
    await app.http.post(`${DS}?fieldManager=kubectl-client-side-apply`).send(created).expect(201);

    const other = await apply(app, `${DS}/web`, daemonSet('nginx:2'), 'fieldManager=someone');
    assert.equal(other.status, 409);
    const res = await apply(app, `${DS}/web`, daemonSet('nginx:2'), 'fieldManager=kubectl');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.spec.template.spec.containers[0].image, 'nginx:2');
    const annotation = JSON.parse(res.body.metadata.annotations[LAST_APPLIED] as string);
    assert.equal(annotation.spec.template.spec.containers[0].image, 'nginx:2');
    assert.ok((res.body.metadata.annotations[LAST_APPLIED] as string).endsWith('}\n'));
  });
});

describe('managedFields of other writes', () => {
  it('a create records an Update under the user agent program, with "." for maps it added', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http
      .post(CM)
      .set('user-agent', KUBECTL_UA)
      .send({ metadata: { name: 'cm', labels: { a: 'b' } }, data: { k: 'v' } });
    assert.equal(res.status, 201);
    const [entry] = res.body.metadata.managedFields as Obj[];
    assert.equal(entry.manager, 'kubectl');
    assert.equal(entry.operation, 'Update');
    assert.equal(entry.apiVersion, 'v1');
    assert.deepEqual(entry.fieldsV1, { 'f:data': { '.': {}, 'f:k': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } });
  });

  it('?fieldManager= names the manager of an update; an update that changes nothing keeps the entry time', async (t) => {
    const app = await buildTestApp(t);
    const created = await app.http.post(`${CM}?fieldManager=creator`).send({ metadata: { name: 'cm' }, data: { k: 'v' } });
    const same = await app.http.put(`${CM}/cm?fieldManager=other`).send({ metadata: { name: 'cm' }, data: { k: 'v' } });
    assert.equal(same.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
    assert.deepEqual(same.body.metadata.managedFields, created.body.metadata.managedFields);
    const changed = await app.http.put(`${CM}/cm?fieldManager=other`).send({ metadata: { name: 'cm' }, data: { k: 'w' } });
    assert.deepEqual(entries(changed.body), ['creator Update', 'other Update']);
    assert.deepEqual(entryOf(changed.body, 'creator').fieldsV1, { 'f:data': {} });
    assert.deepEqual(entryOf(changed.body, 'other').fieldsV1, { 'f:data': { 'f:k': {} } });
  });

  it('managedFields: [{}] clears them; other managedFields a client sends without valid entries keep the live ones', async (t) => {
    const app = await buildTestApp(t);
    await app.http.post(`${CM}?fieldManager=creator`).send({ metadata: { name: 'cm' }, data: { k: 'v' } });
    const garbage = await app.http
      .patch(`${CM}/cm`)
      .set('content-type', MERGE)
      .send(JSON.stringify({ metadata: { managedFields: [{ manager: 'x', operation: 'Bogus' }] } }));
    assert.deepEqual(entries(garbage.body), ['creator Update']);
    const reset = await app.http
      .patch(`${CM}/cm`)
      .set('content-type', MERGE)
      .send(JSON.stringify({ metadata: { managedFields: [{}] } }));
    assert.equal(reset.status, 200);
    assert.equal(reset.body.metadata.managedFields, undefined);
    assert.equal((await app.http.get(`${CM}/cm`)).body.metadata.managedFields, undefined);
  });
});

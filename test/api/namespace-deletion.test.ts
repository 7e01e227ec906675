import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...extra },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

const event = (ns: string, name: string) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name },
  involvedObject: { kind: 'Pod', namespace: ns, name: 'p', apiVersion: 'v1' },
  reason: 'Started',
  message: 'Started container c',
  type: 'Normal',
  source: { component: 'kubelet' },
  count: 1,
});

const ds = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

async function ok(res: { status: number; body: unknown }, status = 201) {
  assert.equal(res.status, status, JSON.stringify(res.body));
}

/** Drops an object's finalizers (a merge patch), which lets its pending deletion finish. */
async function releaseFinalizers(app: TestApp, path: string) {
  await ok(
    await app.http
      .patch(path)
      .set('content-type', 'application/merge-patch+json')
      .send({ metadata: { finalizers: null } }),
    200,
  );
}

async function namespaceWithContent(app: TestApp, ns: string) {
  await ok(await app.http.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  await ok(await app.http.post(`/api/v1/namespaces/${ns}/pods`).send(pod('a')));
  await ok(await app.http.post(`/api/v1/namespaces/${ns}/pods`).send(pod('b')));
  await ok(await app.http.post(`/api/v1/namespaces/${ns}/events`).send(event(ns, 'e1')));
  await ok(await app.http.post(`/apis/apps/v1/namespaces/${ns}/daemonsets`).send(ds('d')));
}

test('deleting a namespace: Terminating at once, its content removed, then the namespace itself', async (t) => {
  const app = await buildTestApp(t, { controllers: true });
  await namespaceWithContent(app, 'team');
  const res = await app.http.delete('/api/v1/namespaces/team');
  assert.equal(res.status, 200);
  assert.equal(res.body.kind, 'Namespace');
  assert.equal(res.body.status.phase, 'Terminating');
  assert.ok(res.body.metadata.deletionTimestamp);
  assert.deepEqual(res.body.spec.finalizers, ['kubernetes']);

  await app.kubemock.manager!.waitIdle();
  assert.equal((await app.http.get('/api/v1/namespaces/team')).status, 404);
  for (const url of [
    '/api/v1/namespaces/team/pods',
    '/api/v1/namespaces/team/events',
    '/apis/apps/v1/namespaces/team/daemonsets',
    '/apis/apps/v1/namespaces/team/controllerrevisions',
  ]) {
    assert.deepEqual((await app.http.get(url)).body.items, [], url);
  }
});

test('a namespace waits for content that cannot go yet, with conditions saying why; creates are refused', async (t) => {
  const app = await buildTestApp(t, { controllers: true });
  await namespaceWithContent(app, 'slow');
  await ok(await app.http.post('/api/v1/namespaces/slow/pods').send(pod('held', { finalizers: ['example.com/hold'] })));
  await ok(await app.http.delete('/api/v1/namespaces/slow'), 200);
  await app.kubemock.manager!.waitIdle();

  const ns = (await app.http.get('/api/v1/namespaces/slow')).body;
  assert.equal(ns.status.phase, 'Terminating');
  const byType = Object.fromEntries(ns.status.conditions.map((c: { type: string }) => [c.type, c]));
  assert.deepEqual(
    ns.status.conditions.map((c: { type: string }) => c.type),
    [
      'NamespaceDeletionDiscoveryFailure',
      'NamespaceDeletionGroupVersionParsingFailure',
      'NamespaceDeletionContentFailure',
      'NamespaceContentRemaining',
      'NamespaceFinalizersRemaining',
    ],
  );
  assert.equal(byType.NamespaceDeletionContentFailure.status, 'False');
  assert.equal(byType.NamespaceDeletionContentFailure.reason, 'ContentDeleted');
  assert.equal(byType.NamespaceContentRemaining.status, 'True');
  assert.equal(byType.NamespaceContentRemaining.reason, 'SomeResourcesRemain');
  assert.equal(byType.NamespaceContentRemaining.message, 'Some resources are remaining: pods. has 1 resource instances');
  assert.equal(byType.NamespaceFinalizersRemaining.reason, 'SomeFinalizerRemain');
  assert.equal(byType.NamespaceFinalizersRemaining.message, 'Some finalizers are remaining: example.com/hold in 1 resource instances');
  assert.ok(ns.status.conditions.every((c: { lastTransitionTime?: string }) => c.lastTransitionTime));

  const pods = (await app.http.get('/api/v1/namespaces/slow/pods')).body.items;
  assert.deepEqual(
    pods.map((p: { metadata: { name: string } }) => p.metadata.name),
    ['held'],
  );
  assert.ok(pods[0].metadata.deletionTimestamp);

  const refused = await app.http.post('/api/v1/namespaces/slow/pods').send(pod('late'));
  assert.equal(refused.status, 403);
  assert.equal(refused.body.reason, 'Forbidden');
  assert.equal(
    refused.body.message,
    'pods "late" is forbidden: unable to create new content in namespace slow because it is being terminated',
  );

  await releaseFinalizers(app, '/api/v1/namespaces/slow/pods/held');
  await app.kubemock.manager!.waitIdle();
  assert.equal((await app.http.get('/api/v1/namespaces/slow')).status, 404);
});

test('an event held by a finalizer holds its namespace; once it goes, the namespace goes (events are rechecked, not watched)', async (t) => {
  const app = await buildTestApp(t, { controllers: true });
  await ok(await app.http.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'noted' } }));
  const held = { ...event('noted', 'held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } };
  await ok(await app.http.post('/api/v1/namespaces/noted/events').send(held));
  await ok(await app.http.delete('/api/v1/namespaces/noted'), 200);
  await app.kubemock.manager!.waitIdle();
  const ns = (await app.http.get('/api/v1/namespaces/noted')).body;
  const remaining = ns.status.conditions.find((c: { type: string }) => c.type === 'NamespaceContentRemaining');
  assert.equal(remaining.message, 'Some resources are remaining: events. has 1 resource instances');

  await releaseFinalizers(app, '/api/v1/namespaces/noted/events/held');
  const deadline = Date.now() + 15_000;
  while ((await app.http.get('/api/v1/namespaces/noted')).status !== 404) {
    assert.ok(Date.now() < deadline, 'the namespace is removed once its last event is gone');
    await new Promise((r) => setTimeout(r, 50));
  }
});

test('an empty namespace goes at once after the controller finalizes it', async (t) => {
  const app = await buildTestApp(t, { controllers: true });
  await ok(await app.http.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' } }));
  await ok(await app.http.delete('/api/v1/namespaces/empty'), 200);
  await app.kubemock.manager!.waitIdle();
  assert.equal((await app.http.get('/api/v1/namespaces/empty')).status, 404);
  const again = await app.http.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' } });
  assert.equal(again.status, 201, 'the name can be used again');
  assert.equal(again.body.status.phase, 'Active');
});

test('PUT /finalize changes only spec.finalizers; with none left a deleted namespace is removed', async (t) => {
  const app = await buildTestApp(t);
  await ok(await app.http.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fin' } }));
  await ok(await app.http.delete('/api/v1/namespaces/fin'), 200);
  const current = (await app.http.get('/api/v1/namespaces/fin')).body;
  assert.equal(current.status.phase, 'Terminating', 'no controller runs: it stays');

  const bad = await app.http.put('/api/v1/namespaces/fin/finalize').send({ ...current, spec: { finalizers: ['bogus'] } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.details.causes[0].field, 'spec.finalizers[0]');

  const other = await app.http.put('/api/v1/namespaces/other/finalize').send({ ...current, spec: { finalizers: [] } });
  assert.equal(other.status, 400);

  const done = await app.http
    .put('/api/v1/namespaces/fin/finalize')
    .send({ ...current, status: { phase: 'Active' }, spec: { finalizers: [] } });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.status.phase, 'Terminating', 'finalize keeps the status');
  assert.equal((await app.http.get('/api/v1/namespaces/fin')).status, 404);

  const get = await app.http.get('/api/v1/namespaces/default/finalize');
  assert.equal(get.status, 405);
});

test('discovery lists namespaces/finalize and pods/eviction', async (t) => {
  const app = await buildTestApp(t);
  const { resources } = (await app.http.get('/api/v1')).body as {
    resources: { name: string; verbs: string[]; group?: string; version?: string; kind: string }[];
  };
  const finalize = resources.find((r) => r.name === 'namespaces/finalize');
  assert.deepEqual(finalize && { verbs: finalize.verbs, kind: finalize.kind }, { verbs: ['update'], kind: 'Namespace' });
  const eviction = resources.find((r) => r.name === 'pods/eviction');
  assert.deepEqual(eviction && { verbs: eviction.verbs, group: eviction.group, version: eviction.version, kind: eviction.kind }, {
    verbs: ['create'],
    group: 'policy',
    version: 'v1',
    kind: 'Eviction',
  });
});

test('the system namespaces may not be deleted', async (t) => {
  const { http } = await buildTestApp(t);
  for (const name of ['default', 'kube-system', 'kube-public']) {
    const res = await http.delete(`/api/v1/namespaces/${name}`);
    assert.equal(res.status, 403, name);
    assert.equal(res.body.reason, 'Forbidden');
    assert.equal(res.body.message, `namespaces "${name}" is forbidden: this namespace may not be deleted`);
    assert.equal((await http.get(`/api/v1/namespaces/${name}`)).body.status.phase, 'Active');
  }
});

test('a system namespace: the preconditions are checked before the NamespaceLifecycle refusal', async (t) => {
  // pkg/registry/core/namespace/storage/storage.go REST.Delete compares the preconditions' uid and
  // resourceVersion with the stored namespace (a 409 in its own words) before anything else; the
  // delete validation (admission, where NamespaceLifecycle refuses the system namespaces with a 403)
  // runs only after, inside the update that marks the namespace. The DELETE handler
  // (apiserver/pkg/endpoints/handlers/delete.go) calls no admission before REST.Delete.
  const { http } = await buildTestApp(t);
  const stored = (await http.get('/api/v1/namespaces/default')).body;
  const del = (preconditions: Record<string, string>) =>
    http.delete('/api/v1/namespaces/default').send({ apiVersion: 'v1', kind: 'DeleteOptions', preconditions });
  const uid = await del({ uid: 'not-the-uid' });
  assert.equal(uid.status, 409, uid.text);
  assert.equal(
    uid.body.message,
    `Operation cannot be fulfilled on namespaces "default": Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${stored.metadata.uid}`,
  );
  const other = String(Number(stored.metadata.resourceVersion) + 1000);
  const rv = await del({ resourceVersion: other });
  assert.equal(rv.status, 409, rv.text);
  assert.equal(
    rv.body.message,
    `Operation cannot be fulfilled on namespaces "default": Precondition failed: ResourceVersion in precondition: ${other}, ResourceVersion in object meta: ${stored.metadata.resourceVersion}`,
  );
  const matching = await del({ uid: stored.metadata.uid, resourceVersion: stored.metadata.resourceVersion });
  assert.equal(matching.status, 403, matching.text);
  assert.equal(matching.body.message, 'namespaces "default" is forbidden: this namespace may not be deleted');
  assert.equal((await http.get('/api/v1/namespaces/default')).body.metadata.resourceVersion, stored.metadata.resourceVersion);
});

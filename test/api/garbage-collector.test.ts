import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const NS = '/api/v1/namespaces/default';
const APPS = '/apis/apps/v1/namespaces/default';

interface Ref {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

const ds = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

/** An unbound pod: deleted at once, so no kubelet is needed; `hold` keeps it Terminating until removed. */
const pod = (name: string, labels: Record<string, string>, ownerReferences: Ref[], hold = false) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels, ownerReferences, ...(hold ? { finalizers: ['example.com/hold'] } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

/** Labelled like the DaemonSet's pods: a controller releases revisions its selector does not match. */
const revision = (name: string, ownerReferences: Ref[], labels: Record<string, string> = { app: 'x' }) => ({
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  metadata: { name, labels, ownerReferences },
  data: { spec: {} },
  revision: 1,
});

const ownedBy = (kind: string, obj: { metadata: { name: string; uid: string } }, extra: Partial<Ref> = {}): Ref => ({
  apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1',
  kind,
  name: obj.metadata.name,
  uid: obj.metadata.uid,
  controller: true,
  blockOwnerDeletion: true,
  ...extra,
});

async function created(app: TestApp, url: string, body: object) {
  const res = await app.http.post(url).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function exists(app: TestApp, url: string): Promise<boolean> {
  const res = await app.http.get(url);
  if (res.status !== 200 && res.status !== 404) assert.fail(`GET ${url}: ${res.status}`);
  return res.status === 200;
}

async function settle(app: TestApp) {
  await app.kubemock.manager!.waitIdle();
}

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t, { controllers: true });
  const owner = await created(app, `${APPS}/daemonsets`, ds('x'));
  return { app, owner };
}

test('Background: the owner goes at once, then its pods and revisions; a second owner keeps a dependent', async (t) => {
  const { app, owner } = await setup(t);
  const keeper = await created(app, `${APPS}/controllerrevisions`, revision('keeper', [], { other: 'y' }));
  await created(app, `${NS}/pods`, pod('x-a', { app: 'x' }, [ownedBy('DaemonSet', owner)]));
  await created(app, `${APPS}/controllerrevisions`, revision('x-rev', [ownedBy('DaemonSet', owner)]));
  await created(
    app,
    `${NS}/pods`,
    pod('shared', { other: 'y' }, [
      ownedBy('DaemonSet', owner, { controller: false }),
      ownedBy('ControllerRevision', keeper, { controller: false }),
    ]),
  );
  await settle(app);

  const res = await app.http.delete(`${APPS}/daemonsets/x`).send({ propagationPolicy: 'Background' });
  assert.equal(res.status, 200);
  assert.equal(res.body.kind, 'Status');
  assert.equal(res.body.status, 'Success');
  assert.equal(await exists(app, `${APPS}/daemonsets/x`), false, 'the owner is removed at once');
  await settle(app);
  assert.equal(await exists(app, `${NS}/pods/x-a`), false);
  assert.equal(await exists(app, `${APPS}/controllerrevisions/x-rev`), false);
  const shared = (await app.http.get(`${NS}/pods/shared`)).body;
  assert.deepEqual(
    shared.metadata.ownerReferences.map((r: Ref) => r.name),
    ['keeper'],
    'only the dangling reference is dropped',
  );
});

test('a DELETE without options uses Background for apps/v1 DaemonSets', async (t) => {
  const { app, owner } = await setup(t);
  await created(app, `${NS}/pods`, pod('x-a', { app: 'x' }, [ownedBy('DaemonSet', owner)]));
  assert.equal((await app.http.delete(`${APPS}/daemonsets/x`)).status, 200);
  await settle(app);
  assert.equal(await exists(app, `${NS}/pods/x-a`), false);
});

test('Foreground: the owner waits, marked, until no blocking dependent is left in storage', async (t) => {
  const { app, owner } = await setup(t);
  await created(app, `${NS}/pods`, pod('x-held', { app: 'x' }, [ownedBy('DaemonSet', owner)], true));
  await created(app, `${APPS}/controllerrevisions`, revision('x-rev', [ownedBy('DaemonSet', owner)]));
  await settle(app);

  const res = await app.http.delete(`${APPS}/daemonsets/x`).send({ propagationPolicy: 'Foreground' });
  assert.equal(res.status, 200);
  assert.equal(res.body.kind, 'DaemonSet');
  assert.ok(res.body.metadata.deletionTimestamp);
  assert.deepEqual(res.body.metadata.finalizers, ['foregroundDeletion']);
  await settle(app);

  assert.equal(await exists(app, `${APPS}/controllerrevisions/x-rev`), false, 'dependents are deleted');
  const held = (await app.http.get(`${NS}/pods/x-held`)).body;
  assert.ok(held.metadata.deletionTimestamp, 'the pod is Terminating');
  const waiting = await app.http.get(`${APPS}/daemonsets/x`);
  assert.equal(waiting.status, 200, 'a Terminating blocking dependent keeps the owner');
  assert.deepEqual(waiting.body.metadata.finalizers, ['foregroundDeletion']);

  const release = await app.http
    .patch(`${NS}/pods/x-held`)
    .set('content-type', 'application/merge-patch+json')
    .send({ metadata: { finalizers: null } });
  assert.equal(release.status, 200, JSON.stringify(release.body));
  await settle(app);
  assert.equal(await exists(app, `${NS}/pods/x-held`), false);
  assert.equal(await exists(app, `${APPS}/daemonsets/x`), false, 'then the finalizer goes and with it the owner');
});

test('Foreground propagates: a dependent with dependents of its own is deleted in the foreground too', async (t) => {
  const { app, owner } = await setup(t);
  const middle = await created(app, `${APPS}/controllerrevisions`, revision('middle', [ownedBy('DaemonSet', owner)]));
  await created(app, `${NS}/pods`, pod('leaf', { other: 'y' }, [ownedBy('ControllerRevision', middle)], true));
  await settle(app);

  await app.http.delete(`${APPS}/daemonsets/x`).send({ propagationPolicy: 'Foreground' });
  await settle(app);
  const mid = (await app.http.get(`${APPS}/controllerrevisions/middle`)).body;
  assert.deepEqual(mid.metadata.finalizers, ['foregroundDeletion']);
  assert.ok((await app.http.get(`${NS}/pods/leaf`)).body.metadata.deletionTimestamp);
  assert.equal(await exists(app, `${APPS}/daemonsets/x`), true);

  await app.http
    .patch(`${NS}/pods/leaf`)
    .set('content-type', 'application/merge-patch+json')
    .send({ metadata: { finalizers: null } });
  await settle(app);
  assert.equal(await exists(app, `${APPS}/controllerrevisions/middle`), false);
  assert.equal(await exists(app, `${APPS}/daemonsets/x`), false);
});

test('Foreground: a non-blocking dependent does not hold the owner', async (t) => {
  const { app, owner } = await setup(t);
  await created(
    app,
    `${NS}/pods`,
    pod('loose', { other: 'y' }, [ownedBy('DaemonSet', owner, { controller: false, blockOwnerDeletion: false })], true),
  );
  await app.http.delete(`${APPS}/daemonsets/x`).send({ propagationPolicy: 'Foreground' });
  await settle(app);
  assert.equal(await exists(app, `${APPS}/daemonsets/x`), false);
  assert.ok((await app.http.get(`${NS}/pods/loose`)).body.metadata.deletionTimestamp, 'it was deleted all the same');
});

test('Orphan: dependents lose the reference and stay; the owner goes', async (t) => {
  const { app, owner } = await setup(t);
  const keeper = await created(app, `${APPS}/controllerrevisions`, revision('keeper', [], { other: 'y' }));
  await created(app, `${NS}/pods`, pod('x-a', { app: 'x', 'controller-revision-hash': 'abc' }, [ownedBy('DaemonSet', owner)]));
  await created(app, `${APPS}/controllerrevisions`, revision('x-rev', [ownedBy('DaemonSet', owner)]));
  await created(
    app,
    `${NS}/pods`,
    pod('shared', { other: 'y' }, [
      ownedBy('ControllerRevision', keeper, { controller: false }),
      ownedBy('DaemonSet', owner, { controller: false }),
    ]),
  );
  await settle(app);

  const res = await app.http.delete(`${APPS}/daemonsets/x`).send({ propagationPolicy: 'Orphan' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.metadata.finalizers, ['orphan']);
  await settle(app);
  assert.equal(await exists(app, `${APPS}/daemonsets/x`), false);
  const a = (await app.http.get(`${NS}/pods/x-a`)).body;
  assert.equal(a.metadata.ownerReferences, undefined, 'the field disappears when empty');
  assert.equal(a.metadata.deletionTimestamp, undefined);
  assert.deepEqual(a.metadata.labels, { app: 'x', 'controller-revision-hash': 'abc' });
  const rev = (await app.http.get(`${APPS}/controllerrevisions/x-rev`)).body;
  assert.equal(rev.metadata.ownerReferences, undefined);
  const shared = (await app.http.get(`${NS}/pods/shared`)).body;
  assert.deepEqual(
    shared.metadata.ownerReferences.map((r: Ref) => r.name),
    ['keeper'],
  );
});

test('a dependent whose owner uid matches nothing is collected; a namesake owner does not save it', async (t) => {
  const { app, owner } = await setup(t);
  const stale = { ...ownedBy('DaemonSet', owner), uid: '00000000-0000-0000-0000-000000000000' };
  await created(app, `${NS}/pods`, pod('stale', { other: 'y' }, [stale]));
  await created(app, `${NS}/pods`, pod('ghost', { other: 'y' }, [{ ...stale, name: 'gone' }]));
  await created(app, `${NS}/pods`, pod('alive', { other: 'y' }, [ownedBy('DaemonSet', owner, { controller: false })]));
  await settle(app);
  assert.equal(await exists(app, `${NS}/pods/stale`), false);
  assert.equal(await exists(app, `${NS}/pods/ghost`), false);
  assert.equal(await exists(app, `${NS}/pods/alive`), true);
});

test('an owner of a kind the server does not serve never gets its dependents collected', async (t) => {
  const { app } = await setup(t);
  const ref = { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: '11111111-1111-1111-1111-111111111111' };
  await created(app, `${NS}/pods`, pod('widgeted', { other: 'y' }, [ref]));
  await settle(app);
  assert.equal(await exists(app, `${NS}/pods/widgeted`), true);
});

test('deleting a dependent never touches its owner', async (t) => {
  const { app, owner } = await setup(t);
  await created(app, `${NS}/pods`, pod('x-a', { app: 'x' }, [ownedBy('DaemonSet', owner)]));
  assert.equal((await app.http.delete(`${NS}/pods/x-a`)).status, 200);
  await settle(app);
  const ds = await app.http.get(`${APPS}/daemonsets/x`);
  assert.equal(ds.status, 200);
  assert.equal(ds.body.metadata.deletionTimestamp, undefined);
});

test('the controllers cache a kind only the collector and the namespace controller read as metadata, the kinds others read whole, and no events', async (t) => {
  const { kubemock } = await buildTestApp(t, { controllers: true });
  const cache = kubemock.manager!.cache;
  assert.equal(cache.viewOf('rolebindings.rbac.authorization.k8s.io'), 'metadata');
  assert.equal(cache.viewOf('pods'), 'full', 'the scheduler and the kubelets read pods whole');
  assert.equal(cache.viewOf('daemonsets.apps'), 'full');
  assert.equal(cache.viewOf('events'), undefined, 'events are neither cached nor watched (upstream ignores them)');
  kubemock.registry.store('rolebindings', 'rbac.authorization.k8s.io').create(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' }],
    },
    { fieldManager: 'test' },
  );
  const cached = cache.get('rolebindings.rbac.authorization.k8s.io', 'default', 'rb');
  assert.equal(cached?.metadata.name, 'rb');
  assert.equal(cached.metadata.managedFields, undefined);
  assert.equal(cached.roleRef, undefined);
});

test('an event owned by a deleted object stays, as upstream (the collector ignores events)', async (t) => {
  const { app, owner } = await setup(t);
  await created(app, `${NS}/events`, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'owned', ownerReferences: [ownedBy('DaemonSet', owner)] },
    involvedObject: { kind: 'DaemonSet', namespace: 'default', name: 'x', uid: owner.metadata.uid },
    reason: 'R',
    message: 'm',
  });
  await created(app, `${NS}/pods`, pod('x-a', { app: 'x' }, [ownedBy('DaemonSet', owner)]));
  assert.equal((await app.http.delete(`${APPS}/daemonsets/x`)).status, 200);
  await settle(app);
  assert.equal(await exists(app, `${NS}/pods/x-a`), false, 'the owned pod is collected');
  assert.equal(await exists(app, `${NS}/events/owned`), true, 'the owned event is not');
});

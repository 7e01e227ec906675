/**
 * The registry's behaviour on both stores, SQLite (the default) and etcd v3 (--etcd-servers):
 * CRUD, conflicts, watch from a revision, paged lists at one revision, 410 after compaction,
 * garbage collection of dependents and namespace deletion, all through the HTTP API. The etcd
 * runs start a real etcd (test/helpers/etcd.ts) and skip without one unless ETCD_REQUIRED=1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { waitFor } from '../helpers/eventually.js';
import { openWatch } from '../helpers/watch-client.js';
import type { AppOptions } from '../../src/app.js';
import { ObjectStore } from '../../src/storage/object-store.js';
import { EtcdStore } from '../../src/storage/etcd/etcd-store.js';

const missing = etcdMissing();
const CONFLICT = 'the object has been modified; please apply your changes to the latest version and try again';

interface Backend {
  name: 'sqlite' | 'etcd';
  skip: string | undefined;
  /** Options of a fresh, empty store (etcd: its own key prefix). */
  options(): Partial<AppOptions>;
}

let cluster: EtcdCluster | undefined;
let prefixes = 0;

const backends: Backend[] = [
  { name: 'sqlite', skip: undefined, options: () => ({}) },
  {
    name: 'etcd',
    skip: missing,
    options: () => ({ etcd: { servers: cluster!.endpoints, prefix: `/kubemock-test-${++prefixes}`, compactionIntervalMs: 0 } }),
  },
];

function configMap(name: string, data: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data };
}

/** Compacts the store's history up to its current revision, as the periodic compaction would. */
function compactAll(app: TestApp): number {
  const storage = app.kubemock.registry.storage;
  if (storage instanceof EtcdStore) return storage.compact();
  if (storage instanceof ObjectStore) return storage.compact(0);
  throw new Error('unknown store');
}

before(async () => {
  if (!missing) cluster = await startEtcd();
});
after(async () => {
  await cluster?.stop();
});

for (const backend of backends) {
  describe(`the registry on ${backend.name}`, { skip: backend.skip }, () => {
    const app = (t: Parameters<typeof buildTestApp>[0], opts: Partial<AppOptions> = {}) =>
      buildTestApp(t, { ...backend.options(), ...opts });
    const cms = '/api/v1/namespaces/default/configmaps';

    it('creates, reads, lists, updates and deletes, each write a new revision', async (t) => {
      const { http } = await app(t);
      const created = await http.post(cms).send(configMap('a', { k: '1' }));
      assert.equal(created.status, 201);
      const rv1 = Number(created.body.metadata.resourceVersion);
      assert.ok(rv1 > 0);
      const got = await http.get(`${cms}/a`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body.data, { k: '1' });
      assert.equal(got.body.metadata.resourceVersion, String(rv1));
      const updated = await http.put(`${cms}/a`).send({ ...got.body, data: { k: '2' } });
      assert.equal(updated.status, 200);
      const rv2 = Number(updated.body.metadata.resourceVersion);
      assert.ok(rv2 > rv1);
      // An update that changes nothing writes nothing.
      const same = await http.put(`${cms}/a`).send(updated.body);
      assert.equal(same.body.metadata.resourceVersion, String(rv2));
      const list = await http.get(cms);
      assert.deepEqual(
        list.body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
        ['a'],
      );
      assert.ok(Number(list.body.metadata.resourceVersion) >= rv2);
      assert.equal((await http.delete(`${cms}/a`)).status, 200);
      const gone = await http.get(`${cms}/a`);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.reason, 'NotFound');
    });

    it('answers 409 on a stale resourceVersion and on a name taken, writing nothing', async (t) => {
      const { http } = await app(t);
      const created = await http.post(cms).send(configMap('c', { k: '1' }));
      const stale = created.body.metadata.resourceVersion as string;
      await http.put(`${cms}/c`).send({ ...created.body, data: { k: '2' } });
      const conflict = await http.put(`${cms}/c`).send({ ...created.body, data: { k: '3' } });
      assert.equal(conflict.status, 409);
      assert.equal(conflict.body.reason, 'Conflict');
      assert.equal(conflict.body.message, `Operation cannot be fulfilled on configmaps "c": ${CONFLICT}`);
      assert.deepEqual(conflict.body.details, { name: 'c', kind: 'configmaps' });
      const precondition = await http.delete(`${cms}/c`).send({ preconditions: { resourceVersion: stale } });
      assert.equal(precondition.status, 409);
      const taken = await http.post(cms).send(configMap('c'));
      assert.equal(taken.status, 409);
      assert.equal(taken.body.reason, 'AlreadyExists');
      assert.equal(taken.body.message, 'configmaps "c" already exists');
      assert.deepEqual((await http.get(`${cms}/c`)).body.data, { k: '2' });
    });

    it('replays a watch from a revision: every change after it, in order, then live ones', async (t) => {
      const test = await app(t);
      const { http } = test;
      const a = await http.post(cms).send(configMap('w-a', { v: '1' }));
      const from = a.body.metadata.resourceVersion as string;
      const modified = await http.put(`${cms}/w-a`).send({ ...a.body, data: { v: '2' } });
      const b = await http.post(cms).send(configMap('w-b'));
      const deleted = await http.delete(`${cms}/w-a`);
      assert.equal(deleted.status, 200);
      const watch = await openWatch(test.kubemock, `${cms}?watch=1&resourceVersion=${from}`);
      t.after(() => watch.close());
      const replayed = await watch.waitFor(3, 20_000);
      assert.deepEqual(
        replayed.map((e) => [e.type, e.object.metadata.name]),
        [
          ['MODIFIED', 'w-a'],
          ['ADDED', 'w-b'],
          ['DELETED', 'w-a'],
        ],
      );
      assert.equal(replayed[0].object.metadata.resourceVersion, modified.body.metadata.resourceVersion);
      assert.deepEqual(replayed[0].object.data, { v: '2' });
      assert.equal(replayed[1].object.metadata.resourceVersion, b.body.metadata.resourceVersion);
      // A deletion is at its own revision, later than the object's last write.
      assert.ok(Number(replayed[2].object.metadata.resourceVersion) > Number(b.body.metadata.resourceVersion));
      const c = await http.post(cms).send(configMap('w-c'));
      const live = await watch.waitFor(4, 20_000);
      assert.deepEqual([live[3].type, live[3].object.metadata.resourceVersion], ['ADDED', c.body.metadata.resourceVersion]);
    });

    it('pages a list at one revision: later writes do not show in its pages', async (t) => {
      const { http } = await app(t);
      for (const n of ['p-1', 'p-2', 'p-3', 'p-4', 'p-5']) await http.post(cms).send(configMap(n, { v: 'old' }));
      const first = await http.get(`${cms}?limit=2`);
      assert.equal(first.status, 200);
      assert.deepEqual(
        first.body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
        ['p-1', 'p-2'],
      );
      assert.equal(first.body.metadata.remainingItemCount, 3);
      const token = first.body.metadata.continue as string;
      const listRv = first.body.metadata.resourceVersion as string;
      // Written after the first page: a changed, a deleted and a new object.
      const p3 = (await http.get(`${cms}/p-3`)).body;
      await http.put(`${cms}/p-3`).send({ ...p3, data: { v: 'new' } });
      await http.delete(`${cms}/p-4`);
      await http.post(cms).send(configMap('p-6'));
      const second = await http.get(`${cms}?limit=2&continue=${encodeURIComponent(token)}`);
      assert.equal(second.status, 200);
      assert.equal(second.body.metadata.resourceVersion, listRv);
      assert.deepEqual(
        second.body.items.map((i: { metadata: { name: string }; data: { v: string } }) => [i.metadata.name, i.data.v]),
        [
          ['p-3', 'old'],
          ['p-4', 'old'],
        ],
      );
      const third = await http.get(`${cms}?limit=2&continue=${encodeURIComponent(second.body.metadata.continue as string)}`);
      assert.deepEqual(
        third.body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
        ['p-5'],
      );
      assert.equal(third.body.metadata.continue, undefined);
      // A list at an exact older revision reads that state too.
      const exact = await http.get(`${cms}?resourceVersion=${listRv}&resourceVersionMatch=Exact`);
      assert.deepEqual(
        exact.body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
        ['p-1', 'p-2', 'p-3', 'p-4', 'p-5'],
      );
    });

    it('answers 410 Expired for a continue token or a watch from before a compaction', async (t) => {
      const test = await app(t);
      const { http } = test;
      for (const n of ['x-1', 'x-2', 'x-3']) await http.post(cms).send(configMap(n));
      const first = await http.get(`${cms}?limit=1`);
      const oldRv = first.body.metadata.resourceVersion as string;
      await http.post(cms).send(configMap('x-4'));
      await http.post(cms).send(configMap('x-5'));
      const compacted = compactAll(test);
      assert.ok(compacted > Number(oldRv));
      const page = await http.get(`${cms}?limit=1&continue=${encodeURIComponent(first.body.metadata.continue as string)}`);
      assert.equal(page.status, 410);
      assert.equal(page.body.reason, 'Expired');
      const exact = await http.get(`${cms}?resourceVersion=${oldRv}&resourceVersionMatch=Exact`);
      assert.equal(exact.status, 410);
      assert.equal(exact.body.reason, 'Expired');
      const watch = await openWatch(test.kubemock, `${cms}?watch=1&resourceVersion=${oldRv}`);
      t.after(() => watch.close());
      const [error] = await watch.waitFor(1, 20_000);
      assert.equal(error.type, 'ERROR');
      assert.equal(error.object.code, 410);
      assert.equal(error.object.reason, 'Expired');
      // The current state is all there.
      assert.equal((await http.get(cms)).body.items.length, 5);
    });

    it('deletes the dependents of a deleted owner (garbage collector)', async (t) => {
      const { http } = await app(t, { controllers: true });
      const owner = await http.post(cms).send(configMap('owner'));
      const ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.body.metadata.uid as string }];
      await http.post(cms).send(configMap('dependent', {}, { ownerReferences }));
      assert.equal((await http.delete(`${cms}/owner`)).status, 200);
      await waitFor(async () => (await http.get(`${cms}/dependent`)).status === 404, { timeoutMs: 30_000 });
    });

    it("creates a DaemonSet's pods in slow-start batches, on etcd one transaction per batch", async (t) => {
      const { http, kubemock } = await app(t, { controllers: true });
      const names = Array.from({ length: 8 }, (_, i) => `batch-node-${i}`);
      await http.post('/kubemock/v1/nodes').send({ names }).expect(201);
      const ready = (n: { status?: { conditions?: { type: string; status: string }[] } }) =>
        n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      await waitFor(async () => (await http.get('/api/v1/nodes')).body.items.filter(ready).length === names.length, { timeoutMs: 30_000 });
      // Each storage commit, by how many pods it creates.
      const storage = kubemock.registry.storage;
      const commit = storage.commit.bind(storage);
      const podsPerCommit: number[] = [];
      storage.commit = (changes) => {
        const pods = changes.filter((c) => c.change.resource === 'pods' && c.change.type === 'ADDED').length;
        if (pods) podsPerCommit.push(pods);
        return commit(changes);
      };
      const labels = { app: 'batched' };
      const ds = {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'batched' },
        spec: {
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
        },
      };
      await http.post('/apis/apps/v1/namespaces/default/daemonsets').send(ds).expect(201);
      await waitFor(async () => (await http.get('/api/v1/namespaces/default/pods')).body.items.length === names.length, {
        timeoutMs: 30_000,
      });
      // controller.slowStartBatch: 1, 2, 4, then the one left; upstream makes a batch's creates at once.
      assert.deepEqual(podsPerCommit, backend.name === 'etcd' ? [1, 2, 4, 1] : [1, 1, 1, 1, 1, 1, 1, 1]);
    });

    it("schedules pods waiting together within a node's room: bindings on their way count (assumed pods)", async (t) => {
      const { http } = await app(t, { controllers: true });
      const merge = 'application/merge-patch+json';
      const node = '/api/v1/nodes/room-node';
      await http
        .post('/kubemock/v1/nodes')
        .send({ names: ['room-node'] })
        .expect(201);
      await http
        .patch(`${node}/status`)
        .set('content-type', merge)
        .send({ status: { allocatable: { pods: '2' } } })
        .expect(200);
      await http
        .patch(node)
        .set('content-type', merge)
        .send({ spec: { unschedulable: true } })
        .expect(200);
      const names = ['a', 'b', 'c', 'd', 'e'].map((n) => `room-${n}`);
      for (const name of names) {
        const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
        await http.post('/api/v1/namespaces/default/pods').send(pod).expect(201);
      }
      type Pod = { spec: { nodeName?: string }; status?: { conditions?: { type: string; status: string; message?: string }[] } };
      const pods = async () => (await http.get('/api/v1/namespaces/default/pods')).body.items as Pod[];
      const unschedulable = (p: Pod, why: string) =>
        p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.message?.includes(why));
      await waitFor(async () => (await pods()).filter((p) => unschedulable(p, 'unschedulable')).length === names.length, {
        timeoutMs: 30_000,
      });
      // Uncordoned: all five are looked at in one go; the node has room for two.
      await http
        .patch(node)
        .set('content-type', merge)
        .send({ spec: { unschedulable: false } })
        .expect(200);
      await waitFor(async () => (await pods()).every((p) => p.spec.nodeName || unschedulable(p, 'Too many pods')), { timeoutMs: 30_000 });
      assert.equal((await pods()).filter((p) => p.spec.nodeName === 'room-node').length, 2);
    });

    it('deletes a namespace with its content', async (t) => {
      const { http } = await app(t, { controllers: true });
      assert.equal(
        (await http.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } })).status,
        201,
      );
      assert.equal((await http.post('/api/v1/namespaces/doomed/configmaps').send(configMap('inside'))).status, 201);
      const deleting = await http.delete('/api/v1/namespaces/doomed');
      assert.equal(deleting.status, 200);
      // Terminating (403), or already gone (404): no new content either way.
      const refused = await http.post('/api/v1/namespaces/doomed/configmaps').send(configMap('late'));
      assert.ok([403, 404].includes(refused.status), `a create in a deleted namespace answered ${refused.status}`);
      await waitFor(async () => (await http.get('/api/v1/namespaces/doomed')).status === 404, { timeoutMs: 30_000 });
      assert.equal((await http.get('/api/v1/namespaces/doomed/configmaps/inside')).status, 404);
    });
  });
}

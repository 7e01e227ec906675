/**
 * What is particular to etcd as the store: keys and values as kube-apiserver lays them out,
 * resourceVersion as etcd's revision (also when another writer moved it on), a restart on the same
 * etcd, three members, snapshots refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { EtcdStore } from '../../src/storage/etcd/etcd-store.js';
import { StatusError } from '../../src/apimachinery/status.js';
import { startKubemock } from '../../src/index.js';
import { waitFor } from '../helpers/eventually.js';

const missing = etcdMissing();

const daemonSet = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
  },
});

interface Revisions {
  kvs?: { key: string; mod_revision: number; value: string }[];
}

describe('etcd as the store', { skip: missing }, () => {
  let cluster: EtcdCluster;
  before(async () => {
    cluster = await startEtcd();
  });
  after(async () => {
    await cluster?.stop();
  });

  it('keys objects as kube-apiserver does, with the JSON object as the value and its mod revision as resourceVersion', async (t) => {
    const { http } = await buildTestApp(t, { etcd: { servers: cluster.endpoints, compactionIntervalMs: 0 } });
    const ds = await http.post('/apis/apps/v1/namespaces/default/daemonsets').send(daemonSet('agent'));
    assert.equal(ds.status, 201);
    assert.equal((await http.post('/api/v1/nodes').send({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } })).status, 201);
    const keys = await cluster.etcdctl('get', '--prefix', '/registry/daemonsets', '--keys-only');
    assert.deepEqual(keys.split('\n').filter(Boolean), ['/registry/daemonsets/default/agent']);
    const nodes = await cluster.etcdctl('get', '--prefix', '/registry/minions', '--keys-only');
    assert.deepEqual(nodes.split('\n').filter(Boolean), ['/registry/minions/n1']);
    // The kubernetes Service and its Endpoints, where kube-apiserver keeps them.
    const services = await cluster.etcdctl('get', '--prefix', '/registry/services/', '--keys-only');
    assert.ok(services.includes('/registry/services/specs/default/kubernetes'), services);
    const json = JSON.parse(await cluster.etcdctl('get', '/registry/daemonsets/default/agent', '-w', 'json')) as Revisions;
    const kv = json.kvs![0];
    assert.equal(String(kv.mod_revision), ds.body.metadata.resourceVersion);
    const stored = JSON.parse(Buffer.from(kv.value, 'base64').toString('utf8')) as { kind: string; metadata: { uid: string } };
    assert.equal(stored.kind, 'DaemonSet');
    assert.equal(stored.metadata.uid, ds.body.metadata.uid);
  });

  it('keeps objects and revisions across a restart on the same etcd', async (t) => {
    const etcd = { servers: cluster.endpoints, prefix: '/restart', compactionIntervalMs: 0 };
    const first = await buildTestApp(undefined, { etcd });
    const created = await first.http
      .post('/api/v1/namespaces/default/configmaps')
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' } });
    await first.kubemock.close();
    const second = await buildTestApp(t, { etcd });
    const got = await second.http.get('/api/v1/namespaces/default/configmaps/kept');
    assert.equal(got.status, 200);
    assert.equal(got.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
    const next = await second.http
      .post('/api/v1/namespaces/default/configmaps')
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' } });
    assert.ok(Number(next.body.metadata.resourceVersion) > Number(created.body.metadata.resourceVersion));
  });

  it('answers with the revision etcd gave a write when another writer moved the revision on', (t) => {
    const a = new EtcdStore({ servers: cluster.endpoints, prefix: '/two-writers', compactionIntervalMs: 0 });
    const b = new EtcdStore({ servers: cluster.endpoints, prefix: '/two-writers', compactionIntervalMs: 0 });
    t.after(() => {
      a.close();
      b.close();
    });
    const body = (name: string, rv: number) => JSON.stringify({ metadata: { name, resourceVersion: String(rv) } });
    const change = (name: string, rv: number) => ({
      type: 'ADDED' as const,
      resource: 'configmaps',
      namespace: 'default',
      name,
      uid: name,
      body: body(name, rv),
    });
    const rvA = a.nextRevision();
    assert.deepEqual(a.commit([{ change: change('from-a', rvA), rv: rvA, expectRv: 0 }]), [rvA]);
    // b has not seen a's write: it expects the revision a got.
    const expected = b.nextRevision();
    assert.equal(expected, rvA);
    const [got] = b.commit([{ change: change('from-b', expected), rv: expected, expectRv: 0 }])!;
    assert.ok(got > expected);
    const rvOf = (row: { body: string }) => (JSON.parse(row.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const row = b.get('configmaps', 'default', 'from-b')!;
    assert.equal(row.rv, got);
    assert.equal(rvOf(row), String(got));
    // a has not followed b's writes: its copy lacks b's object until it reads the history up to now.
    assert.equal(a.get('configmaps', 'default', 'from-b'), undefined);
    a.eventsAfter(rvA, a.latestRevision());
    assert.equal(rvOf(a.get('configmaps', 'default', 'from-b')!), String(got));
    // A create of a taken name and an update at a stale revision fail, writing nothing; the failed
    // compare reads the key back, so b's copy now has a's object.
    assert.equal(b.get('configmaps', 'default', 'from-a'), undefined);
    assert.equal(b.commit([{ change: change('from-a', got + 1), rv: got + 1, expectRv: 0 }]), undefined);
    assert.equal(b.commit([{ change: { ...change('from-a', got + 1), type: 'MODIFIED' }, rv: got + 1, expectRv: rvA - 1 }]), undefined);
    assert.equal(b.get('configmaps', 'default', 'from-a')!.rv, rvA);
    assert.equal(a.count('configmaps'), 2);
    assert.equal(b.count('configmaps'), 2);
  });

  it('compacts every interval to the revision of the interval before, recording it in compact_rev_key as kube-apiserver does', async (t) => {
    const store = new EtcdStore({ servers: cluster.endpoints, prefix: '/compaction', compactionIntervalMs: 100 });
    t.after(() => store.close());
    const rv = store.nextRevision();
    const body = JSON.stringify({ metadata: { name: 'c', resourceVersion: String(rv) } });
    store.commit([{ change: { type: 'ADDED', resource: 'configmaps', namespace: 'default', name: 'c', uid: 'c', body }, rv, expectRv: 0 }]);
    const written = store.currentRevision();
    await waitFor(() => store.compactedRevision() >= written, { timeoutMs: 20_000 });
    const recorded = (await cluster.etcdctl('get', 'compact_rev_key', '--print-value-only')).trim();
    assert.ok(Number(recorded) >= written, `compact_rev_key ${recorded}`);
    assert.throws(
      () => store.listAt('configmaps', 'default', written - 1),
      (err: unknown) => err instanceof StatusError && err.code === 410 && err.status.reason === 'Expired',
    );
    // The current state stays.
    assert.equal(store.list('configmaps', 'default').length, 1);
    // Another store's compaction to an older revision moves nothing back.
    const other = new EtcdStore({ servers: cluster.endpoints, prefix: '/compaction', compactionIntervalMs: 0 });
    t.after(() => other.close());
    assert.ok(other.compact(1) >= written);
    assert.ok(Number((await cluster.etcdctl('get', 'compact_rev_key', '--print-value-only')).trim()) >= written);
  });

  it("is the library's store with etcdServers: nodes and a DaemonSet's pods under /registry", async (t) => {
    const server = await startKubemock({ etcdServers: cluster.endpoints, etcdPrefix: '/library', etcdCompactionIntervalMs: 0, nodes: 2 });
    t.after(() => server.stop());
    const res = await fetch(`${server.url}/apis/apps/v1/namespaces/default/daemonsets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(daemonSet('lib')),
    });
    assert.equal(res.status, 201);
    const pods = await server.waitForPods({ namespace: 'default', labelSelector: 'app=lib', count: 2, timeoutMs: 30_000 });
    assert.equal(pods.length, 2);
    const nodes = await cluster.etcdctl('get', '--prefix', '/library/minions', '--keys-only');
    assert.deepEqual(nodes.split('\n').filter(Boolean), ['/library/minions/node-1', '/library/minions/node-2']);
    const podKeys = await cluster.etcdctl('get', '--prefix', '/library/pods/default/lib-', '--keys-only');
    assert.equal(podKeys.split('\n').filter(Boolean).length, 2);
  });

  it('refuses snapshots with a Kubernetes error naming etcd', async (t) => {
    const { http } = await buildTestApp(t, { etcd: { servers: cluster.endpoints, prefix: '/snapshots', compactionIntervalMs: 0 } });
    const res = await http.post('/kubemock/v1/snapshots');
    assert.equal(res.status, 405);
    assert.equal(res.body.kind, 'Status');
    assert.equal(res.body.reason, 'MethodNotAllowed');
    assert.match(res.body.message as string, /etcd/);
  });
});

describe('etcd with three members', { skip: missing }, () => {
  it('serves the registry from a three-member cluster', async (t) => {
    const cluster = await startEtcd({ members: 3 });
    t.after(() => cluster.stop());
    assert.equal(cluster.endpoints.length, 3);
    const { http } = await buildTestApp(t, { etcd: { servers: cluster.endpoints, compactionIntervalMs: 0 } });
    const ds = await http.post('/apis/apps/v1/namespaces/default/daemonsets').send(daemonSet('spread'));
    assert.equal(ds.status, 201);
    const members = (await cluster.etcdctl('member', 'list')).split('\n').filter(Boolean);
    assert.equal(members.length, 3);
    const keys = await cluster.etcdctl('get', '--prefix', '/registry/daemonsets', '--keys-only', '--consistency=l');
    assert.deepEqual(keys.split('\n').filter(Boolean), ['/registry/daemonsets/default/spread']);
  });
});

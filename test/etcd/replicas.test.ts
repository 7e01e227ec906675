/**
 * Several kubemock replicas serving one cluster from one three-member etcd: each replica is a
 * separate process of the CLI on its own port, the etcd members are real etcd processes on
 * loopback ports. A write on one replica reaches watches on the other; kubectl against either sees
 * the same objects; kill -9 of an etcd member loses nothing acknowledged.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { waitFor } from '../helpers/eventually.js';
import { findKubectl, kubectlOk } from '../helpers/kubectl.js';
import { collectWatch, request, startReplica, type Replica } from '../helpers/replicas.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../helpers/etcd.js';

const NS = '/api/v1/namespaces/default';
const DEADLINE = { timeoutMs: 30_000, intervalMs: 50 };

const configMap = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

const names = (list: { items: { metadata: { name: string } }[] }) => list.items.map((i) => i.metadata.name).sort();

describe('two kubemock replicas on a three-member etcd', { skip: etcdMissing() }, () => {
  let etcd: EtcdCluster;
  let a: Replica;
  let b: Replica;

  before(async () => {
    etcd = await startEtcd({ members: 3 });
    const prefix = `/kubemock-test-${randomUUID()}`;
    // Started together: both race to create the cluster's first objects.
    [a, b] = await Promise.all([
      startReplica('a', { endpoints: etcd.endpoints, prefix }),
      startReplica('b', { endpoints: etcd.endpoints, prefix }),
    ]);
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await etcd?.stop();
  });

  it('a create on one replica is seen by a watch on the other, with the same resourceVersion', async () => {
    const list = await request(b, 'GET', `${NS}/configmaps`);
    assert.equal(list.status, 200);
    const watch = await collectWatch(b, `${NS}/configmaps?watch=1&resourceVersion=${list.body.metadata.resourceVersion}`);
    try {
      const created = await request(a, 'POST', `${NS}/configmaps`, configMap('seen-by-b', { from: 'a' }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const ev = await waitFor(() => watch.events.find((e) => e.object.metadata?.name === 'seen-by-b') ?? false, DEADLINE);
      assert.equal(ev.type, 'ADDED');
      assert.equal(ev.object.metadata.resourceVersion, created.body.metadata.resourceVersion);
      assert.equal(ev.object.metadata.uid, created.body.metadata.uid);
      assert.deepEqual(ev.object.data, { from: 'a' });
      // An update and a delete through the other replica come back to this watch in order.
      const updated = await request(b, 'PUT', `${NS}/configmaps/seen-by-b`, { ...created.body, data: { from: 'b' } });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal((await request(a, 'DELETE', `${NS}/configmaps/seen-by-b`)).status, 200);
      await waitFor(() => watch.events.some((e) => e.type === 'DELETED' && e.object.metadata?.name === 'seen-by-b'), DEADLINE);
      const mine = watch.events.filter((e) => e.object.metadata?.name === 'seen-by-b');
      assert.deepEqual(
        mine.map((e) => e.type),
        ['ADDED', 'MODIFIED', 'DELETED'],
      );
      const rvs = mine.map((e) => Number(e.object.metadata.resourceVersion));
      assert.deepEqual(
        rvs,
        [...rvs].sort((x, y) => x - y),
        'in resourceVersion order',
      );
    } finally {
      watch.close();
    }
  });

  it('a watch on each replica sees the writes of both, each once, in resourceVersion order', async () => {
    const start = (await request(a, 'GET', `${NS}/configmaps`)).body.metadata.resourceVersion as string;
    const watches = await Promise.all([a, b].map((r) => collectWatch(r, `${NS}/configmaps?watch=1&resourceVersion=${start}`)));
    try {
      const written: string[] = [];
      await Promise.all(
        [a, b].map(async (r) => {
          for (let i = 0; i < 20; i++) {
            const name = `burst-${r.name}-${i}`;
            const res = await request(r, 'POST', `${NS}/configmaps`, configMap(name));
            assert.equal(res.status, 201, JSON.stringify(res.body));
            written.push(name);
          }
        }),
      );
      for (const w of watches) {
        await waitFor(() => w.events.filter((e) => e.object.metadata?.name?.startsWith('burst-')).length >= written.length, DEADLINE);
        const seen = w.events.filter((e) => e.object.metadata?.name?.startsWith('burst-'));
        assert.deepEqual(seen.map((e) => e.object.metadata.name).sort(), [...written].sort(), 'each write once');
        const rvs = seen.map((e) => Number(e.object.metadata.resourceVersion));
        assert.deepEqual(
          rvs,
          [...rvs].sort((x, y) => x - y),
          'in resourceVersion order',
        );
      }
    } finally {
      for (const w of watches) w.close();
    }
  });

  it('kubectl against either replica sees the same objects', async (t) => {
    const kubectl = findKubectl();
    if (!kubectl) {
      if (process.env.KUBECTL_REQUIRED === '1') assert.fail('kubectl not found on PATH and KUBECTL_REQUIRED=1');
      t.skip('kubectl not found: no executable "kubectl" on PATH');
      return;
    }
    await kubectlOk(a, ['create', 'configmap', 'from-kubectl', '--from-literal=via=a']);
    await kubectlOk(b, ['label', 'configmap', 'from-kubectl', 'seen=by-b']);
    const viaA = JSON.parse((await kubectlOk(a, ['get', 'configmap', 'from-kubectl', '-o', 'json'])).stdout);
    const viaB = JSON.parse((await kubectlOk(b, ['get', 'configmap', 'from-kubectl', '-o', 'json'])).stdout);
    assert.deepEqual(viaA, viaB);
    assert.equal(viaA.metadata.labels.seen, 'by-b');
    assert.equal(viaA.data.via, 'a');
    const listA = (await kubectlOk(a, ['get', 'configmaps,namespaces,clusterroles', '-A', '-o', 'name'])).stdout;
    const listB = (await kubectlOk(b, ['get', 'configmaps,namespaces,clusterroles', '-A', '-o', 'name'])).stdout;
    assert.equal(listA, listB);
    assert.match(listA, /configmap\/from-kubectl/);
  });

  it('kill -9 of one etcd member: writes go on through both replicas and nothing acknowledged is lost', async () => {
    const acknowledged: string[] = [];
    const write = async (r: Replica, name: string) => {
      // A write cut short by the member's death may fail; one answered 201 must never be lost.
      const res = await request(r, 'POST', `${NS}/configmaps`, configMap(name)).catch(() => undefined);
      if (res?.status === 201) acknowledged.push(name);
      return res?.status;
    };
    for (let i = 0; i < 10; i++) await write(i % 2 ? a : b, `before-kill-${i}`);
    await etcd.kill(0);
    // Within the deadline, both replicas write again (their clients move to the surviving members).
    for (const r of [a, b]) {
      let i = 0;
      await waitFor(async () => (await write(r, `after-kill-${r.name}-${i++}`)) === 201, DEADLINE);
    }
    for (let i = 0; i < 10; i++) assert.equal(await write(i % 2 ? a : b, `steady-${i}`), 201);
    for (const r of [a, b]) {
      const list = await request(r, 'GET', `${NS}/configmaps`);
      assert.equal(list.status, 200);
      const stored = new Set(names(list.body));
      const lost = acknowledged.filter((n) => !stored.has(n));
      assert.deepEqual(lost, [], `replica ${r.name} lost acknowledged writes`);
    }
  });
});

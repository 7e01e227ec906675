/**
 * Two kubemock replicas with leader election on a three-member etcd: a DaemonSet created through
 * one converges; kill -9 of the replica leading the controllers lets the other take over, and a
 * node added afterwards gets its pod. Timings are short (a lease of a few seconds) and every wait
 * polls with a generous deadline.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { waitFor } from '../helpers/eventually.js';
import { request, startReplica, type Replica } from '../helpers/replicas.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { nodeManifest } from '../../src/control/bootstrap.js';

const DEADLINE = { timeoutMs: 120_000, intervalMs: 200 };
const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const LEASE = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager';
const TIMING = { leaseDurationMs: 6000, renewDeadlineMs: 4000, retryPeriodMs: 1000 };

describe('two replicas with leader election on a three-member etcd', { skip: etcdMissing() }, () => {
  let etcd: EtcdCluster;
  const replicas: Replica[] = [];

  before(async () => {
    etcd = await startEtcd({ members: 3 });
    const prefix = `/kubemock-test-${randomUUID()}`;
    for (const name of ['a', 'b'])
      replicas.push(
        await startReplica(name, {
          endpoints: etcd.endpoints,
          prefix,
          nodes: 3,
          controllers: true,
          leaderElection: { ...TIMING, identity: name },
        }),
      );
  });

  after(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await etcd?.stop();
  });

  const readyOn = async (r: Replica, want: number) => {
    const ds = await request(r, 'GET', `${DS}/spread`);
    assert.equal(ds.status, 200);
    const s = ds.body.status ?? {};
    assert.deepEqual([s.desiredNumberScheduled, s.numberReady], [want, want], JSON.stringify(s));
    return true;
  };

  it('a DaemonSet created through one replica converges; kill -9 of the leader: the other takes over, a new node gets its pod', async () => {
    const [a, b] = replicas;
    const created = await request(a, 'POST', DS, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'spread', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'spread' } },
        template: { metadata: { labels: { app: 'spread' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await waitFor(() => readyOn(b, 3), DEADLINE);

    const holder = async (r: Replica) => (await request(r, 'GET', LEASE)).body?.spec?.holderIdentity as string | undefined;
    const leaderName = await waitFor(async () => (await holder(b)) ?? false, DEADLINE);
    const leader = replicas.find((r) => r.name === leaderName);
    assert.ok(leader, `the Lease names a replica: ${leaderName}`);
    const survivor = replicas.find((r) => r !== leader)!;
    await leader.kill();
    await waitFor(async () => (await holder(survivor)) === survivor.name, DEADLINE);

    const node = await request(survivor, 'POST', '/api/v1/nodes', nodeManifest('node-4', 4, Date.now()));
    assert.equal(node.status, 201, JSON.stringify(node.body));
    await waitFor(async () => {
      const pods = await request(
        survivor,
        'GET',
        '/api/v1/namespaces/default/pods?labelSelector=app%3Dspread&fieldSelector=spec.nodeName%3Dnode-4',
      );
      assert.equal(pods.body.items.length, 1, 'one pod on the new node');
      const ready = pods.body.items[0].status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
      assert.equal(ready?.status, 'True', 'and it runs');
      return true;
    }, DEADLINE);
    await waitFor(() => readyOn(survivor, 4), DEADLINE);
    const pods = await request(survivor, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dspread');
    const perNode = new Map<string, number>();
    for (const p of pods.body.items as { spec: { nodeName: string } }[])
      perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    assert.deepEqual([...perNode.values()], [1, 1, 1, 1], 'one pod per node, none doubled by the takeover');
  });
});

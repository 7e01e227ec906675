/**
 * A DaemonSet's passes count and plan only the nodes whose pods changed since the last pass
 * (controllers/daemonset/node-tally.ts). After every step of a seeded random walk over what moves
 * a DaemonSet's pods (pods made never-ready, failed, recovered or deleted; nodes added, tainted
 * and untainted; the template changed, rolling), the status the controller wrote must be what
 * counting every node afresh gives, and every eligible node must run its pod.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestApp } from '../helpers/build-app.js';
import { manualCluster } from '../helpers/manual-cluster.js';
import { computeStatus } from '../../src/controllers/daemonset/status.js';
import { nodeShouldRunDaemonPod } from '../../src/controllers/daemonset/eligibility.js';
import { targetNodeName } from '../../src/controllers/daemonset/pod-state.js';
import type { Eligibility } from '../../src/controllers/daemonset/plan.js';
import type { StoredControllerRevision, StoredDaemonSet, StoredNode, StoredPod } from '../../src/resources/stored.js';

const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const MERGE = 'application/merge-patch+json';
const COUNTS = [
  'desiredNumberScheduled',
  'currentNumberScheduled',
  'numberReady',
  'numberAvailable',
  'numberUnavailable',
  'updatedNumberScheduled',
  'numberMisscheduled',
] as const;

/** A small seeded generator (mulberry32): the same walk every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function items<T>(app: TestApp, path: string): Promise<T[]> {
  const res = await app.http.get(path);
  assert.equal(res.status, 200, path);
  return res.body.items as T[];
}

/** The status counts, counted afresh from what the API serves. */
async function recount(app: TestApp, ds: StoredDaemonSet): Promise<Record<string, number>> {
  const nodes = (await items<StoredNode>(app, '/api/v1/nodes')).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const eligibility = new Map<string, Eligibility>(nodes.map((n) => [n.metadata.name!, nodeShouldRunDaemonPod(n, ds)]));
  const owned = (await items<StoredPod>(app, '/api/v1/namespaces/default/pods')).filter((p) =>
    p.metadata.ownerReferences?.some((r) => r.controller && r.uid === ds.metadata.uid),
  );
  const byNode = new Map<string, StoredPod[]>();
  for (const pod of owned) {
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (pod.metadata.deletionTimestamp && terminal) continue;
    const node = targetNodeName(pod);
    if (node) byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  const revisions = (await items<StoredControllerRevision>(app, '/apis/apps/v1/namespaces/default/controllerrevisions')).filter((r) =>
    r.metadata.ownerReferences?.some((o) => o.uid === ds.metadata.uid),
  );
  const latest = revisions.reduce((a, b) => (b.revision > a.revision ? b : a));
  const hash = latest.metadata.labels!['controller-revision-hash'];
  const status = computeStatus(ds, nodes, eligibility, byNode, hash, Date.now());
  return Object.fromEntries(COUNTS.map((k) => [k, status[k] ?? 0]));
}

test('a DaemonSet status counted node by node as pods change equals a count of every node', async (t) => {
  const cluster = await manualCluster(t, 8, { podStartupMs: 0, maxTerminationMs: 0 });
  const { app, settle } = cluster;
  const created = await app.http.post(DS).send({
    metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3 } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
    },
  });
  assert.equal(created.status, 201);
  await settle();
  const next = random(19);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  let nodeCount = 8;
  let image = 27;
  const steps: string[] = [];
  for (let step = 0; step < 40; step++) {
    // A failed pod waits for the controller's back-off before it is replaced, and chaos cannot fail it again (409).
    const pods = (await items<StoredPod>(app, '/api/v1/namespaces/default/pods?labelSelector=app%3Dagent')).filter(
      (p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded',
    );
    const nodes = await items<StoredNode>(app, '/api/v1/nodes');
    const roll = next();
    if (roll < 0.45 && pods.length) {
      const pod = pick(pods).metadata.name!;
      const action = pick(['pod-never-ready', 'pod-never-ready', 'pod-recover', 'pod-fail']);
      steps.push(`${action} ${pod}`);
      const res = await app.http.post('/kubemock/v1/chaos').send({ action, namespace: 'default', pod });
      assert.ok(res.status < 300, `${action}: ${res.status} ${JSON.stringify(res.body)}`);
    } else if (roll < 0.6 && pods.length) {
      const pod = pick(pods).metadata.name!;
      steps.push(`delete ${pod}`);
      await app.http.delete(`/api/v1/namespaces/default/pods/${pod}`);
    } else if (roll < 0.7) {
      nodeCount++;
      steps.push(`add node ${nodeCount}`);
      await app.kubemock.ensureNodes(nodeCount);
    } else if (roll < 0.85) {
      const node = pick(nodes);
      const tainted = Boolean(node.spec?.taints?.some((x) => x.key === 'walk'));
      steps.push(`${tainted ? 'untaint' : 'taint'} ${node.metadata.name}`);
      const taints = tainted ? null : [{ key: 'walk', value: 'x', effect: 'NoSchedule' }];
      const res = await app.http.patch(`/api/v1/nodes/${node.metadata.name}`).set('content-type', MERGE).send({ spec: { taints } });
      assert.equal(res.status, 200);
    } else {
      image++;
      steps.push(`image nginx:1.${image}`);
      const res = await app.http
        .patch(`${DS}/agent`)
        .set('content-type', MERGE)
        .send({ spec: { template: { spec: { containers: [{ name: 'c', image: `nginx:1.${image}` }] } } } });
      assert.equal(res.status, 200);
    }
    await settle();
    const ds = (await app.http.get(`${DS}/agent`)).body as StoredDaemonSet;
    const written = Object.fromEntries(COUNTS.map((k) => [k, ds.status?.[k] ?? 0]));
    assert.deepEqual(written, await recount(app, ds), `after step ${step}: ${steps.join('; ')}`);
  }
  // A pod relabelled out of the selector is released (its controller reference removed) and replaced.
  const [relabelled] = await items<StoredPod>(app, '/api/v1/namespaces/default/pods?labelSelector=app%3Dagent');
  const moved = await app.http
    .patch(`/api/v1/namespaces/default/pods/${relabelled.metadata.name}`)
    .set('content-type', MERGE)
    .send({ metadata: { labels: { app: 'elsewhere' } } });
  assert.equal(moved.status, 200);
  await settle();
  const released = (await app.http.get(`/api/v1/namespaces/default/pods/${relabelled.metadata.name}`)).body as StoredPod;
  assert.equal(released.metadata.ownerReferences, undefined, 'released');
  const ds0 = (await app.http.get(`${DS}/agent`)).body as StoredDaemonSet;
  assert.deepEqual(Object.fromEntries(COUNTS.map((k) => [k, ds0.status?.[k] ?? 0])), await recount(app, ds0), 'after the release');
  await app.http.delete(`/api/v1/namespaces/default/pods/${relabelled.metadata.name}`);
  await settle();

  // A node whose pod fails twice waits out a back-off before its third pod: nothing changes on it
  // meanwhile, so the pass after the wait must come back to it by itself.
  const onNode = async (node: string) =>
    (await items<StoredPod>(app, '/api/v1/namespaces/default/pods?labelSelector=app%3Dagent')).filter(
      (p) => p.spec.nodeName === node && !p.metadata.deletionTimestamp,
    );
  const node = (await items<StoredNode>(app, '/api/v1/nodes')).find((n) => !n.spec?.taints?.length)!.metadata.name!;
  for (let failure = 0; failure < 2; failure++) {
    const [pod] = await onNode(node);
    assert.ok(pod, `a pod on ${node}`);
    await app.http.post('/kubemock/v1/chaos').send({ action: 'pod-fail', namespace: 'default', pod: pod.metadata.name });
    await settle();
  }
  assert.deepEqual(
    (await onNode(node)).map((p) => p.status?.phase),
    ['Failed'],
    'the second failed pod waits for its back-off',
  );
  // Then everything recovers: past the failed pods' back-off (on the manual clock), every node the DaemonSet may run on runs one ready pod of it.
  // Failed pods are left as they are: the controller itself must come back to them once their back-off is over.
  for (const pod of await items<StoredPod>(app, '/api/v1/namespaces/default/pods?labelSelector=app%3Dagent')) {
    if (pod.status?.phase === 'Failed') continue;
    await app.http.post('/kubemock/v1/chaos').send({ action: 'pod-recover', namespace: 'default', pod: pod.metadata.name });
  }
  await cluster.pass(120_000);
  const ds = (await app.http.get(`${DS}/agent`)).body as StoredDaemonSet;
  const untainted = (await items<StoredNode>(app, '/api/v1/nodes')).filter((n) => !n.spec?.taints?.length).length;
  assert.deepEqual(
    [ds.status?.desiredNumberScheduled, ds.status?.numberReady, ds.status?.updatedNumberScheduled, ds.status?.numberMisscheduled],
    [untainted, untainted, untainted, 0],
    steps.join('; '),
  );
  // Every kind of step was taken.
  for (const kind of ['pod-never-ready', 'pod-fail', 'delete', 'add node', 'taint', 'image'])
    assert.ok(
      steps.some((s) => s.startsWith(kind)),
      `${kind} in ${steps.join('; ')}`,
    );
});

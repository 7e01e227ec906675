/**
 * DaemonSet updates end to end through the API (controllers, scheduler and kubelet running):
 * RollingUpdate budgets checked on the pod WATCH stream, OnDelete, ControllerRevision history
 * (pruning, rollback renumbering, change-cause), and a stalled rollout recovered by undo.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/apimachinery/clock.js';
import type { ControllerSettings } from '../../src/controllers/context.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { openWatch, type WatchEvent } from '../helpers/watch-client.js';
import { waitFor } from '../helpers/eventually.js';

type Obj = Record<string, any>;
const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const PODS = '/api/v1/namespaces/default/pods';
const CRS = '/apis/apps/v1/namespaces/default/controllerrevisions';
const FAST: Partial<ControllerSettings> = { podStartupMs: 20, maxTerminationMs: 50 };

function daemonSet(name: string, spec: Obj = {}, image = 'nginx:1.25'): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...spec,
    },
  };
}

interface Cluster extends TestApp {
  get(path: string): Promise<Obj>;
  create(body: Obj, path?: string): Promise<Obj>;
  setImage(name: string, image: string): Promise<Obj>;
  /** Strategic merge patch, as kubectl rollout undo sends the revision's data. */
  smp(path: string, body: unknown): Promise<Obj>;
  podsOf(name: string): Promise<Obj[]>;
  revisionsOf(name: string): Promise<Obj[]>;
  rolledOut(name: string, timeoutMs?: number): Promise<Obj>;
}

async function cluster(
  t: TestContext,
  nodes: number,
  simulation: Partial<ControllerSettings> = FAST,
  clock?: ManualClock,
): Promise<Cluster> {
  const app = await buildTestApp(t, { controllers: true, simulation, ...(clock ? { clock } : {}) });
  await app.kubemock.ensureNodes(nodes);
  const get = async (path: string) => {
    const res = await app.http.get(path);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    return res.body as Obj;
  };
  const smp = async (path: string, body: unknown) => {
    const res = await app.http
      .patch(path)
      .set('Content-Type', 'application/strategic-merge-patch+json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as Obj;
  };
  return {
    ...app,
    get,
    smp,
    async create(body, path = DS) {
      const res = await app.http.post(path).send(body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as Obj;
    },
    setImage: (name, image) => smp(`${DS}/${name}`, { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }),
    async podsOf(name) {
      return ((await get(`${PODS}?labelSelector=app%3D${name}`)).items as Obj[]).filter((p) => !p.metadata.deletionTimestamp);
    },
    async revisionsOf(name) {
      const items = (await get(`${CRS}?labelSelector=app%3D${name}`)).items as Obj[];
      return items.sort((a, b) => a.revision - b.revision);
    },
    /** The check `kubectl rollout status` makes. */
    rolledOut(name, timeoutMs = 10_000) {
      return waitFor(
        async () => {
          const ds = await get(`${DS}/${name}`);
          const s = ds.status ?? {};
          assert.ok(s.observedGeneration >= ds.metadata.generation, 'generation observed');
          assert.equal(s.updatedNumberScheduled ?? 0, s.desiredNumberScheduled, 'all updated');
          assert.equal(s.numberAvailable ?? 0, s.desiredNumberScheduled, 'all available');
          return ds;
        },
        { timeoutMs, intervalMs: 20 },
      );
    },
  };
}

/** Replays a pod watch from a listed state: per event, the live (not terminating) pods by node. */
function replay(initial: Obj[], events: WatchEvent[], each: (live: Obj[]) => void): void {
  const pods = new Map<string, Obj>(initial.map((p) => [p.metadata.uid, p]));
  const live = () => [...pods.values()].filter((p) => !p.metadata.deletionTimestamp);
  each(live());
  for (const ev of events) {
    if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
    if (ev.type === 'DELETED') pods.delete(ev.object.metadata.uid);
    else pods.set(ev.object.metadata.uid, ev.object);
    each(live());
  }
}

const isReady = (p: Obj) => p.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True') ?? false;
const nodeOf = (p: Obj) =>
  p.spec.nodeName ??
  p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
const imageOf = (p: Obj) => p.spec.containers[0].image as string;
const byNode = (pods: Obj[]) => new Map(pods.map((p) => [nodeOf(p), p]));

/** Unavailable nodes (no live Ready pod) among `nodes`, for a set of live pods. */
function unavailableNodes(nodes: string[], live: Obj[]): number {
  const ok = new Set(live.filter(isReady).map(nodeOf));
  return nodes.filter((n) => !ok.has(n)).length;
}

async function watchPods(c: Cluster, name: string) {
  const list = await c.get(`${PODS}?labelSelector=app%3D${name}`);
  const watch = await openWatch(
    c.kubemock,
    `${PODS}?watch=true&labelSelector=app%3D${name}&resourceVersion=${list.metadata.resourceVersion}`,
  );
  return { initial: list.items as Obj[], watch };
}

test('RollingUpdate, 5 nodes, maxUnavailable 2: never more than 2 nodes unavailable on the watch stream', async (t) => {
  const c = await cluster(t, 5);
  await c.create(daemonSet('ru', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } }));
  await c.rolledOut('ru');
  const nodes = (await c.podsOf('ru')).map(nodeOf).sort();
  assert.equal(nodes.length, 5);
  const { initial, watch } = await watchPods(c, 'ru');
  t.after(() => watch.close());
  await c.setImage('ru', 'nginx:1.26');
  const ds = await c.rolledOut('ru');
  await c.kubemock.manager!.waitIdle();
  watch.close();
  let worst = 0;
  let mostLive = 0;
  replay(initial, watch.events, (live) => {
    worst = Math.max(worst, unavailableNodes(nodes, live));
    mostLive = Math.max(mostLive, live.length);
  });
  assert.ok(watch.events.length > 20, `the watch saw the rollout (${watch.events.length} events)`);
  assert.equal(worst, 2, 'at most maxUnavailable (2) nodes without an available pod, and the budget is used');
  assert.ok(mostLive <= 5, 'no surge without maxSurge');
  const pods = await c.podsOf('ru');
  assert.deepEqual(pods.map(imageOf), Array(5).fill('nginx:1.26'));
  const hash = (await c.revisionsOf('ru')).at(-1)!.metadata.labels['controller-revision-hash'];
  assert.ok(
    pods.every((p) => p.metadata.labels['controller-revision-hash'] === hash && p.metadata.labels['pod-template-generation'] === '2'),
  );
  assert.deepEqual(
    {
      desired: ds.status.desiredNumberScheduled,
      updated: ds.status.updatedNumberScheduled,
      available: ds.status.numberAvailable,
      unavailable: ds.status.numberUnavailable,
    },
    { desired: 5, updated: 5, available: 5, unavailable: undefined },
  );
});

test('RollingUpdate with maxSurge 1: at most one extra pod, never a node without an available pod', async (t) => {
  const c = await cluster(t, 5);
  await c.create(daemonSet('surge', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }));
  await c.rolledOut('surge');
  const nodes = (await c.podsOf('surge')).map(nodeOf).sort();
  const { initial, watch } = await watchPods(c, 'surge');
  t.after(() => watch.close());
  await c.setImage('surge', 'nginx:1.26');
  await c.rolledOut('surge');
  await c.kubemock.manager!.waitIdle();
  watch.close();
  let mostLive = 0;
  let mostOnANode = 0;
  let worst = 0;
  replay(initial, watch.events, (live) => {
    mostLive = Math.max(mostLive, live.length);
    const perNode = new Map<string, number>();
    for (const p of live) perNode.set(nodeOf(p), (perNode.get(nodeOf(p)) ?? 0) + 1);
    mostOnANode = Math.max(mostOnANode, ...perNode.values());
    worst = Math.max(worst, unavailableNodes(nodes, live));
  });
  assert.equal(mostLive, 6, 'one surge pod at a time (5 nodes + maxSurge 1)');
  assert.equal(mostOnANode, 2, 'old and new side by side on the surging node');
  assert.equal(worst, 0, 'the old pod goes only once the new one is available');
  assert.deepEqual((await c.podsOf('surge')).map(imageOf), Array(5).fill('nginx:1.26'));
});

test('percentages: maxUnavailable "30%" of 5 nodes allows 2 (1.5 rounded up) at a time', async (t) => {
  const c = await cluster(t, 5);
  await c.create(daemonSet('pct', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '30%' } } }));
  await c.rolledOut('pct');
  const nodes = (await c.podsOf('pct')).map(nodeOf).sort();
  const { initial, watch } = await watchPods(c, 'pct');
  t.after(() => watch.close());
  await c.setImage('pct', 'nginx:1.26');
  await c.rolledOut('pct');
  watch.close();
  let worst = 0;
  replay(initial, watch.events, (live) => (worst = Math.max(worst, unavailableNodes(nodes, live))));
  assert.equal(worst, 2, '30% of 5 = 1.5, rounded up to 2');
});

test('OnDelete: nothing is replaced until a pod is deleted; the replacement uses the new template', async (t) => {
  const c = await cluster(t, 3);
  await c.create(daemonSet('od', { updateStrategy: { type: 'OnDelete' } }));
  await c.rolledOut('od');
  const before = byNode(await c.podsOf('od'));
  await c.setImage('od', 'nginx:1.26');
  await waitFor(async () => (await c.revisionsOf('od')).length === 2);
  await new Promise((r) => setTimeout(r, 200));
  await c.kubemock.manager!.waitIdle();
  const still = await c.podsOf('od');
  assert.deepEqual(still.map((p) => p.metadata.uid).sort(), [...before.values()].map((p) => p.metadata.uid).sort(), 'no pod replaced');
  let ds = await c.get(`${DS}/od`);
  assert.equal(ds.status.observedGeneration, 2);
  assert.equal(ds.status.updatedNumberScheduled, undefined, 'updatedNumberScheduled drops to 0');
  assert.equal(ds.status.numberAvailable, 3);
  const [victimNode, victim] = [...before.entries()][1];
  const del = await c.http.delete(`${PODS}/${victim.metadata.name}`);
  assert.equal(del.status, 200);
  const replacement = await waitFor(async () => {
    const p = byNode(await c.podsOf('od')).get(victimNode);
    // A message of its own: without one, node:assert re-parses the (tsx-compiled) source on every failed attempt.
    assert.ok(p && p.metadata.uid !== victim.metadata.uid && isReady(p), 'a ready replacement on the victim node');
    return p;
  });
  assert.equal(imageOf(replacement), 'nginx:1.26');
  const revs = await c.revisionsOf('od');
  assert.equal(replacement.metadata.labels['controller-revision-hash'], revs[1].metadata.labels['controller-revision-hash']);
  const others = (await c.podsOf('od')).filter((p) => nodeOf(p) !== victimNode);
  assert.deepEqual(others.map(imageOf), ['nginx:1.25', 'nginx:1.25']);
  ds = await waitFor(async () => {
    const d = await c.get(`${DS}/od`);
    assert.equal(d.status.updatedNumberScheduled, 1);
    return d;
  });
  assert.equal(ds.status.numberAvailable, 3);
});

test('history: one revision per template, pruned to revisionHistoryLimit, change-cause copied at snapshot only', async (t) => {
  const c = await cluster(t, 2);
  await c.create(
    daemonSet('h', { revisionHistoryLimit: 2, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } }),
  );
  await c.rolledOut('h');
  for (const v of ['1.26', '1.27', '1.28', '1.29']) {
    await c.setImage('h', `nginx:${v}`);
    await c.rolledOut('h');
  }
  await c.kubemock.manager!.waitIdle();
  let revs = await c.revisionsOf('h');
  assert.deepEqual(
    revs.map((r) => r.revision),
    [3, 4, 5],
    '2 old + the current one',
  );
  assert.deepEqual(
    revs.map((r) => r.data.spec.template.spec.containers[0].image),
    ['nginx:1.27', 'nginx:1.28', 'nginx:1.29'],
  );
  for (const r of revs) {
    assert.equal(r.metadata.name, `h-${r.metadata.labels['controller-revision-hash']}`);
    assert.match(r.metadata.labels['controller-revision-hash'], /^[456789bcdf]{1,10}$/);
    assert.equal(r.data.spec.template.$patch, 'replace');
    assert.deepEqual(
      r.metadata.ownerReferences.map((o: Obj) => [o.kind, o.name, o.controller]),
      [['DaemonSet', 'h', true]],
    );
  }
  // change-cause on an existing current revision is not refreshed (upstream only renumbers it) …
  await c.smp(`${DS}/h`, { metadata: { annotations: { 'kubernetes.io/change-cause': 'late note' } } });
  await c.kubemock.manager!.waitIdle();
  revs = await c.revisionsOf('h');
  assert.equal(revs.at(-1)!.metadata.annotations?.['kubernetes.io/change-cause'], undefined);
  // … but a new revision copies the DaemonSet's annotations at that moment.
  await c.smp(`${DS}/h`, {
    metadata: { annotations: { 'kubernetes.io/change-cause': 'to 1.30' } },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.30' }] } } },
  });
  await c.rolledOut('h');
  revs = await c.revisionsOf('h');
  assert.deepEqual(
    revs.map((r) => r.revision),
    [4, 5, 6],
  );
  assert.equal(revs.at(-1)!.metadata.annotations['kubernetes.io/change-cause'], 'to 1.30');
  assert.equal(revs.at(-1)!.metadata.annotations['deprecated.daemonset.template.generation'], '6');
  // revisionHistoryLimit 0: only the current revision once the rollout completes.
  await c.smp(`${DS}/h`, { spec: { revisionHistoryLimit: 0 } });
  await c.kubemock.manager!.waitIdle();
  await waitFor(async () =>
    assert.deepEqual(
      (await c.revisionsOf('h')).map((r) => r.revision),
      [6],
    ),
  );
});

test('undo to a revision: PATCH with its data reuses the revision with a new number; no restart of matching pods', async (t) => {
  const c = await cluster(t, 3);
  await c.create(daemonSet('u', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3 } } }));
  await c.rolledOut('u');
  await c.setImage('u', 'nginx:1.26');
  await c.rolledOut('u');
  await c.setImage('u', 'nginx:1.27');
  await c.rolledOut('u');
  let revs = await c.revisionsOf('u');
  assert.deepEqual(
    revs.map((r) => r.revision),
    [1, 2, 3],
  );
  const [r1, r2, r3] = revs as [Obj, Obj, Obj];
  // kubectl rollout undo --to-revision=1: the revision's data verbatim as a strategic merge patch.
  const patched = await c.smp(`${DS}/u`, JSON.stringify(r1.data));
  assert.equal(patched.spec.template.spec.containers[0].image, 'nginx:1.25');
  assert.equal(patched.spec.template.$patch, undefined, 'the directive is not stored');
  assert.equal(patched.metadata.generation, 4);
  await c.rolledOut('u');
  revs = await c.revisionsOf('u');
  assert.deepEqual(
    revs.map((r) => [r.metadata.name, r.revision]),
    [
      [r2.metadata.name, 2],
      [r3.metadata.name, 3],
      [r1.metadata.name, 4],
    ],
  );
  const pods = await c.podsOf('u');
  assert.deepEqual(pods.map(imageOf), Array(3).fill('nginx:1.25'));
  assert.ok(pods.every((p) => p.metadata.labels['controller-revision-hash'] === r1.metadata.labels['controller-revision-hash']));
  // Undo to the current template again: nothing changes.
  const uids = pods.map((p) => p.metadata.uid).sort();
  await c.smp(`${DS}/u`, JSON.stringify(r1.data));
  await new Promise((r) => setTimeout(r, 100));
  await c.kubemock.manager!.waitIdle();
  assert.deepEqual((await c.podsOf('u')).map((p) => p.metadata.uid).sort(), uids);
  assert.deepEqual(
    (await c.revisionsOf('u')).map((r) => r.revision),
    [2, 3, 4],
  );
});

test('a bad image stalls the rollout in ImagePullBackOff; undo recovers it without restarting healthy pods', async (t) => {
  const c = await cluster(t, 4);
  await c.create(daemonSet('bad', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }));
  await c.rolledOut('bad');
  const good = await c.podsOf('bad');
  await c.setImage('bad', 'foo:non-existent');
  const stalled = await waitFor(async () => {
    const pods = await c.podsOf('bad');
    const broken = pods.filter((p) => imageOf(p) === 'foo:non-existent');
    assert.equal(broken.length, 1);
    assert.equal(broken[0].status.containerStatuses?.[0]?.state?.waiting?.reason, 'ImagePullBackOff');
    return broken[0];
  });
  await new Promise((r) => setTimeout(r, 300));
  await c.kubemock.manager!.waitIdle();
  const ds = await c.get(`${DS}/bad`);
  assert.deepEqual(
    [ds.status.desiredNumberScheduled, ds.status.updatedNumberScheduled, ds.status.numberAvailable, ds.status.numberUnavailable],
    [4, 1, 3, 1],
    'stalled: one node replaced, its new pod never available, no further progress',
  );
  assert.equal(stalled.status.phase, 'Pending');
  const survivors = (await c.podsOf('bad')).filter((p) => imageOf(p) === 'nginx:1.25');
  assert.equal(survivors.length, 3);
  assert.ok(
    survivors.every((p) => good.some((g) => g.metadata.uid === p.metadata.uid)),
    'the healthy pods were not touched',
  );
  // kubectl rollout undo: the previous revision's data.
  const revs = await c.revisionsOf('bad');
  await c.smp(`${DS}/bad`, JSON.stringify(revs[0].data));
  await c.rolledOut('bad');
  const after = await c.podsOf('bad');
  assert.deepEqual(after.map(imageOf), Array(4).fill('nginx:1.25'));
  for (const p of survivors)
    assert.ok(
      after.some((a) => a.metadata.uid === p.metadata.uid),
      `${p.metadata.name} kept its uid`,
    );
  assert.ok(!after.some((a) => a.metadata.uid === stalled.metadata.uid), 'the broken pod was replaced');
  assert.deepEqual(
    (await c.revisionsOf('bad')).map((r) => [r.data.spec.template.spec.containers[0].image, r.revision]),
    [
      ['foo:non-existent', 2],
      ['nginx:1.25', 3],
    ],
  );
});

test('minReadySeconds: availability waits for it (requeued on the clock), and so does the rollout', async (t) => {
  const clock = new ManualClock();
  const c = await cluster(t, 2, { podStartupMs: 1000, maxTerminationMs: 500 }, clock);
  const settle = () => c.kubemock.manager!.waitIdle();
  const pass = async (ms: number) => {
    for (let left = ms; left > 0; left -= 1000) {
      clock.advance(Math.min(1000, left));
      await settle();
    }
  };
  await c.create(daemonSet('mr', { minReadySeconds: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }));
  await settle();
  await pass(3000);
  let ds = await c.get(`${DS}/mr`);
  assert.equal(ds.status.numberReady, 2);
  assert.equal(ds.status.numberAvailable, undefined, 'ready but not yet available');
  await pass(10_000);
  ds = await c.get(`${DS}/mr`);
  assert.equal(ds.status.numberAvailable, 2, 'available after minReadySeconds, with no other event');
  await c.setImage('mr', 'nginx:1.26');
  await settle();
  await pass(3000);
  const pods = await c.podsOf('mr');
  assert.deepEqual(pods.map(imageOf).sort(), ['nginx:1.25', 'nginx:1.26'], 'first node replaced and ready');
  await pass(5000);
  assert.deepEqual(
    (await c.podsOf('mr')).map(imageOf).sort(),
    ['nginx:1.25', 'nginx:1.26'],
    'the next old pod waits for the new one to be available',
  );
  await pass(10_000);
  assert.deepEqual((await c.podsOf('mr')).map(imageOf).sort(), ['nginx:1.26', 'nginx:1.26']);
  await pass(11_000);
  ds = await c.get(`${DS}/mr`);
  assert.deepEqual([ds.status.updatedNumberScheduled, ds.status.numberAvailable], [2, 2]);
});

/**
 * Leader election and kubelet shards with two replicas in one process over one registry, on a
 * manual clock: the controllers run only in the replica holding the kube-controller-manager
 * Lease, the other takes over once the leader stops renewing, DaemonSet convergence goes on with
 * one pod per node, and the kubelet shards split between the replicas and move to the survivor.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { EventRecorder } from '../../src/controllers/events/recorder.js';
import { DEFAULT_CONTROLLER_SETTINGS } from '../../src/controllers/context.js';
import { KubeletState } from '../../src/kubelet/kubelet-state.js';
import { Replica } from '../../src/replica.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

type Obj = Record<string, any>;

const LEASE = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager';
const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const A = 'host-a_0b9c7c1e-6c4e-4a57-9d0e-a1a1a1a1a1a1';
const B = 'host-b_5f0e3f1d-2b1a-4c3e-8f4d-b2b2b2b2b2b2';
const SIMULATION = { podStartupMs: 0, maxTerminationMs: 0 };
const silent = { error() {}, warn() {}, debug() {}, info() {} };

interface Pair {
  app: TestApp;
  clock: ManualClock;
  a: Replica;
  b: Replica;
  /** Lets both replicas' controllers finish what is due now. */
  settle(): Promise<void>;
  /** Advances the clock a second at a time, settling in between. */
  pass(ms: number): Promise<void>;
  /** Stops a replica: gracefully (its Leases released) or as a killed process (they lapse). */
  halt(replica: Replica, how: 'stop' | 'crash'): Promise<void>;
}

/** Just below 1: the longest retry period the elector's jitter can give. */
const LARGEST_DRAW = 1 - Number.EPSILON;

/** Replica A is the app's own (it starts first, alone, so it leads); B joins over the same registry. */
async function twoReplicas(t: TestContext, nodes: number): Promise<Pair> {
  const clock = new ManualClock();
  // Closed by hand: B stops before the app closes the database.
  const app = await buildTestApp(undefined, { controllers: true, clock, simulation: SIMULATION, leaderElection: { identity: A } });
  await app.kubemock.ensureNodes(nodes);
  const { registry } = app.kubemock;
  const b = new Replica({
    registry,
    clock,
    events: new EventRecorder(registry, clock),
    log: silent,
    settings: { ...DEFAULT_CONTROLLER_SETTINGS, ...SIMULATION },
    kubelets: new KubeletState(),
    // B's retry jitter pinned (its largest draw): the takeover below takes the same time in every run (17–18 s).
    coordination: { identity: B, exclusiveStore: false, random: () => LARGEST_DRAW },
  });
  b.start();
  t.after(async () => {
    await b.stop();
    await app.kubemock.close();
  });
  const a = app.kubemock.replica!;
  const down = new Set<Replica>();
  const live = () => [a, b].filter((r) => !down.has(r));
  const settle = async () => {
    for (let round = 0; round < 3; round++) for (const r of live()) await r.manager.waitIdle();
  };
  const pass = async (ms: number) => {
    for (let left = ms; left > 0; left -= 1000) {
      clock.advance(Math.min(1000, left));
      await settle();
    }
  };
  const halt = async (r: Replica, how: 'stop' | 'crash') => {
    down.add(r);
    await (how === 'stop' ? r.stop() : r.crash());
  };
  await settle();
  return { app, clock, a, b, settle, pass, halt };
}

async function get(app: TestApp, path: string, query: Obj = {}): Promise<Obj> {
  const res = await app.http.get(path).query(query);
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
  return res.body as Obj;
}

/** The DaemonSet's pods by node (every pod, terminating or not). */
async function podsByNode(app: TestApp, ds: string): Promise<Record<string, number>> {
  const pods = await get(app, '/api/v1/namespaces/default/pods', { labelSelector: `app=${ds}` });
  const out: Record<string, number> = {};
  for (const p of pods.items as Obj[]) out[p.spec.nodeName ?? '?'] = (out[p.spec.nodeName ?? '?'] ?? 0) + 1;
  return out;
}

const daemonSet = (name: string) => ({
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
  },
});

const leaderEvents = async (app: TestApp) =>
  ((await get(app, '/api/v1/namespaces/kube-system/events')).items as Obj[])
    .filter((e) => e.reason === 'LeaderElection')
    .map((e) => [e.involvedObject.kind, e.involvedObject.name, e.source.component, e.type, e.message]);

test('a single replica leads at once, holds every kubelet shard and records the LeaderElection Event', async (t) => {
  const clock = new ManualClock();
  const app = await buildTestApp(t, { controllers: true, clock, simulation: SIMULATION, leaderElection: { identity: A } });
  const replica = app.kubemock.replica!;
  assert.equal(replica.isLeader(), true);
  assert.deepEqual(replica.shards!.heldShards(), [0, 1, 2, 3, 4, 5, 6, 7]);
  const lease = await get(app, LEASE);
  assert.equal(lease.spec.holderIdentity, A);
  assert.equal(lease.spec.leaseDurationSeconds, 15);
  assert.equal(lease.spec.leaseTransitions, 0);
  assert.equal(lease.spec.acquireTime, lease.spec.renewTime);
  assert.match(lease.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.deepEqual(
    lease.metadata.managedFields.map((m: Obj) => [m.manager, m.operation]),
    [['kube-controller-manager', 'Update']],
  );
  assert.deepEqual(await leaderEvents(app), [
    ['Lease', 'kube-controller-manager', 'kube-controller-manager', 'Normal', `${A} became leader`],
  ]);
  // The shards are Leases in kube-system beside the controllers' one; kube-node-lease keeps one per node.
  const shards = await get(app, '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases');
  const names = (shards.items as Obj[]).map((l) => l.metadata.name).filter((n: string) => n.startsWith('kubemock-kubelet-shard-'));
  assert.equal(names.length, 8);
  // Its kubelets run every node: the nodes get their Leases and the controllers' pods run.
  await app.kubemock.ensureNodes(3);
  await app.http.post(DS).send(daemonSet('solo'));
  for (let i = 0; i < 3; i++) {
    clock.advance(1000);
    await app.kubemock.manager!.waitIdle();
  }
  assert.deepEqual(await podsByNode(app, 'solo'), { 'node-1': 1, 'node-2': 1, 'node-3': 1 });
  const nodeLeases = await get(app, '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases');
  assert.deepEqual((nodeLeases.items as Obj[]).map((l) => l.metadata.name).sort(), ['node-1', 'node-2', 'node-3']);
});

test('on a store it owns, a replica takes over at once the Lease a dead previous run left', async (t) => {
  const clock = new ManualClock();
  const now = new Date(clock.now()).toISOString().replace('Z', '000Z');
  const left = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'kube-controller-manager', namespace: 'kube-system' },
    spec: { holderIdentity: 'gone_1', leaseDurationSeconds: 15, acquireTime: now, renewTime: now, leaseTransitions: 3 },
  };
  const app = await buildTestApp(t, {
    controllers: true,
    clock,
    fixtures: [{ object: left, source: 'left.yaml#1' }],
    leaderElection: { identity: A },
  });
  assert.equal(app.kubemock.replica!.isLeader(), true);
  const lease = await get(app, LEASE);
  assert.deepEqual([lease.spec.holderIdentity, lease.spec.leaseTransitions], [A, 4]);
});

test('only the leader runs the controllers; when it dies the other takes over and the DaemonSet converges with one pod per node', async (t) => {
  const { app, a, b, settle, pass, halt } = await twoReplicas(t, 4);
  assert.deepEqual([a.isLeader(), b.isLeader()], [true, false]);
  assert.deepEqual([a.manager.runsGroup('kube-controller-manager'), b.manager.runsGroup('kube-controller-manager')], [true, false]);

  // A sees B's host Lease and gives half the shards back; B takes them.
  await pass(6000);
  const [held, joined] = [a.shards!.heldShards(), b.shards!.heldShards()];
  assert.deepEqual([held.length, joined.length], [4, 4], `A ${held.join()}, B ${joined.join()}`);
  assert.deepEqual([...held, ...joined].sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
  const kubeletOf = (node: string) => (a.shards!.runs(node) ? 'A' : b.shards!.runs(node) ? 'B' : '-');
  assert.ok(['node-1', 'node-2', 'node-3', 'node-4'].every((n) => kubeletOf(n) !== '-'));

  await app.http.post(DS).send(daemonSet('ds'));
  await pass(3000);
  assert.deepEqual(await podsByNode(app, 'ds'), { 'node-1': 1, 'node-2': 1, 'node-3': 1, 'node-4': 1 });
  const running = await get(app, '/api/v1/namespaces/default/pods', { labelSelector: 'app=ds' });
  assert.ok(
    (running.items as Obj[]).every((p) => p.status.phase === 'Running'),
    'both replicas run their nodes’ kubelets',
  );

  // The leader dies: nothing more from it; new nodes wait for a leader.
  await halt(a, 'crash');
  await app.kubemock.ensureNodes(6);
  await settle();
  await pass(5000);
  assert.equal(b.isLeader(), false);
  assert.equal((await podsByNode(app, 'ds'))['node-5'], undefined);

  // B counts the lapse from the last renewal it saw, which it may have read up to one jittered retry
  // period (2 s × up to 2.2) after the crash, and tries again up to one more such period after the
  // lease duration (15 s): within 24 s of the crash, whatever the jitter draws (pinned here, so
  // that no run depends on a draw), B leads and holds every shard.
  await pass(19_000);
  assert.equal(b.isLeader(), true);
  assert.equal(b.manager.runsGroup('kube-controller-manager'), true);
  assert.deepEqual(b.shards!.heldShards(), [0, 1, 2, 3, 4, 5, 6, 7]);
  await pass(3000);
  assert.deepEqual(await podsByNode(app, 'ds'), { 'node-1': 1, 'node-2': 1, 'node-3': 1, 'node-4': 1, 'node-5': 1, 'node-6': 1 });
  const ds = await get(app, `${DS}/ds`);
  assert.deepEqual([ds.status.desiredNumberScheduled, ds.status.currentNumberScheduled, ds.status.numberReady], [6, 6, 6]);

  const lease = await get(app, LEASE);
  assert.deepEqual([lease.spec.holderIdentity, lease.spec.leaseTransitions], [B, 1]);
  assert.deepEqual(
    (await leaderEvents(app)).map((e) => e[4]),
    [`${A} became leader`, `${B} became leader`],
  );

  // The kubelets moved before the node lifecycle controller's grace period: every node stayed Ready.
  await pass(45_000);
  const nodes = await get(app, '/api/v1/nodes');
  for (const n of nodes.items as Obj[]) {
    const ready = (n.status.conditions as Obj[]).find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True', `${n.metadata.name}: ${JSON.stringify(ready)}`);
  }
  assert.deepEqual(await podsByNode(app, 'ds'), { 'node-1': 1, 'node-2': 1, 'node-3': 1, 'node-4': 1, 'node-5': 1, 'node-6': 1 });
});

test('a leader whose Lease was taken stops its controllers and says so; a replica that stops hands over at once', async (t) => {
  const { app, a, b, settle, pass, halt } = await twoReplicas(t, 2);
  assert.equal(a.isLeader(), true);
  // Someone else writes the Lease as holder: A's next renewal sees it and stops leading.
  const lease = await get(app, LEASE);
  const res = await app.http.put(LEASE).send({ ...lease, spec: { ...lease.spec, holderIdentity: 'intruder_1' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await pass(3000);
  assert.equal(a.isLeader(), false);
  assert.equal(a.manager.runsGroup('kube-controller-manager'), false);
  assert.ok((await leaderEvents(app)).some((e) => e[4] === `${A} stopped leading`));

  // The intruder never renews; one of the replicas leads after the lease duration.
  await pass(20_000);
  const leader = a.isLeader() ? a : b;
  assert.equal([a, b].filter((r) => r.isLeader()).length, 1);
  assert.equal(leader.manager.runsGroup('kube-controller-manager'), true);

  // A graceful stop releases the Lease: the other leads at its next attempt, long before 15 s.
  const other = leader === a ? b : a;
  await halt(leader, 'stop');
  await settle();
  await pass(5000);
  assert.equal(other.isLeader(), true);
  assert.deepEqual(other.shards!.heldShards(), [0, 1, 2, 3, 4, 5, 6, 7]);
});

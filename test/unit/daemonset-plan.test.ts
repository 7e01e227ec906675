import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planManage, planRollingUpdate, scaledValue, type Eligibility } from '../../src/controllers/daemonset/plan.js';
import { computeStatus, countContext } from '../../src/controllers/daemonset/status.js';
import { NodeTally } from '../../src/controllers/daemonset/node-tally.js';
import { nodeShouldRunDaemonPod } from '../../src/controllers/daemonset/eligibility.js';
import { newDaemonPod, withDaemonTolerations } from '../../src/controllers/daemonset/pod-template.js';
import { computeHash } from '../../src/controllers/daemonset/history-hash.js';
import type { StoredDaemonSet as DaemonSet, StoredNode as Node, StoredPod as Pod } from '../../src/resources/stored.js';

const NOW = Date.parse('2025-01-01T00:10:00Z');

function ds(over: Partial<DaemonSet['spec']> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ds', namespace: 'default', uid: 'ds-uid', generation: 1 },
    spec: {
      selector: { matchLabels: { app: 'x' } },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      ...over,
    },
  };
}

function node(name: string, extra: Partial<Node> = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {}, ...extra };
}

function pod(
  name: string,
  nodeName: string,
  opts: { hash?: string; ready?: boolean; phase?: string; created?: string; deleting?: boolean } = {},
): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      creationTimestamp: opts.created ?? '2025-01-01T00:00:00Z',
      labels: { app: 'x', 'controller-revision-hash': opts.hash ?? 'new' },
    },
    spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }],
    },
  };
  if (opts.deleting) p.metadata.deletionTimestamp = '2025-01-01T00:09:00Z';
  return p;
}

const run: Eligibility = { shouldRun: true, shouldContinueRunning: true };
const stay: Eligibility = { shouldRun: false, shouldContinueRunning: true };
const gone: Eligibility = { shouldRun: false, shouldContinueRunning: false };

function input(d: DaemonSet, nodes: [string, Eligibility, Pod[]][], hash = 'new') {
  return {
    ds: d,
    nodes: nodes.map(([n]) => node(n)),
    eligibility: new Map(nodes.map(([n, e]) => [n, e])),
    podsByNode: new Map(nodes.filter(([, , p]) => p.length).map(([n, , p]) => [n, p])),
    hash,
    now: NOW,
    failedPodBackoff: () => 0,
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata.name).sort();

test('manage: nodes × pods → creates and deletes', () => {
  const cases: { name: string; nodes: [string, Eligibility, Pod[]][]; create: string[]; del: string[] }[] = [
    { name: 'eligible node without a pod gets one', nodes: [['a', run, []]], create: ['a'], del: [] },
    { name: 'eligible node with its pod is left alone', nodes: [['a', run, [pod('p1', 'a')]]], create: [], del: [] },
    {
      name: 'NoSchedule-tainted node keeps its pod, gets none',
      nodes: [
        ['a', stay, [pod('p1', 'a')]],
        ['b', stay, []],
      ],
      create: [],
      del: [],
    },
    {
      name: 'ineligible node loses its pods',
      nodes: [['a', gone, [pod('p1', 'a'), pod('p2', 'a', { deleting: true })]]],
      create: [],
      del: ['p1'],
    },
    {
      name: 'duplicates: the oldest stays',
      nodes: [['a', run, [pod('young', 'a', { created: '2025-01-01T00:05:00Z' }), pod('old', 'a')]]],
      create: [],
      del: ['young'],
    },
    {
      name: 'failed pod is deleted (and replaced next pass)',
      nodes: [['a', run, [pod('f', 'a', { phase: 'Failed' })]]],
      create: [],
      del: ['f'],
    },
    { name: 'succeeded pod is deleted', nodes: [['a', run, [pod('s', 'a', { phase: 'Succeeded' })]]], create: [], del: ['s'] },
    { name: 'a terminating pod is ignored', nodes: [['a', run, [pod('t', 'a', { deleting: true })]]], create: [], del: [] },
  ];
  for (const c of cases) {
    const plan = planManage(input(ds(), c.nodes));
    assert.deepEqual(plan.createOn, c.create, c.name);
    assert.deepEqual(names(plan.deletePods), c.del, c.name);
  }
});

test('manage: a failed pod in back-off is left and the DaemonSet requeued', () => {
  const plan = planManage({ ...input(ds(), [['a', run, [pod('f', 'a', { phase: 'Failed' })]]]), failedPodBackoff: () => 4000 });
  assert.deepEqual(plan.deletePods, []);
  assert.equal(plan.requeueAfterMs, 4000);
});

test('manage with surge: the old pod goes once the new one is available', () => {
  const surge = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
  const both = planManage(
    input(surge, [['a', run, [pod('old', 'a', { hash: 'old' }), pod('new', 'a', { created: '2025-01-01T00:05:00Z' })]]]),
  );
  assert.deepEqual(names(both.deletePods), ['old']);
  const notReady = planManage(
    input(surge, [['a', run, [pod('old', 'a', { hash: 'old' }), pod('new', 'a', { ready: false, created: '2025-01-01T00:05:00Z' })]]]),
  );
  assert.deepEqual(names(notReady.deletePods), []);
});

test('percentages round up for DaemonSets', () => {
  const table: [number | string, number, number][] = [
    ['20%', 5, 1],
    ['25%', 5, 2],
    ['50%', 5, 3],
    ['1%', 5, 1],
    ['0%', 5, 0],
    ['100%', 5, 5],
    [2, 5, 2],
    ['10%', 1000, 100],
    ['50%', 0, 0],
  ];
  for (const [v, total, want] of table) assert.equal(scaledValue(v, total), want, `${v} of ${total}`);
});

test('rolling update without surge replaces at most maxUnavailable available pods', () => {
  const nodes: [string, Eligibility, Pod[]][] = ['a', 'b', 'c', 'd', 'e'].map((n) => [n, run, [pod(`p-${n}`, n, { hash: 'old' })]]);
  const two = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, maxSurge: 0 } } });
  assert.deepEqual(names(planRollingUpdate(input(two, nodes)).deletePods), ['p-a', 'p-b']);
  nodes[0][2] = [];
  assert.deepEqual(names(planRollingUpdate(input(two, nodes)).deletePods), ['p-b'], 'a missing pod counts as unavailable');
  nodes[1][2] = [pod('p-b', 'b', { hash: 'old', ready: false })];
  assert.deepEqual(names(planRollingUpdate(input(two, nodes)).deletePods), ['p-b'], 'unavailable old pods are always replaced');
});

test('rolling update with surge creates new pods within the surge budget', () => {
  const nodes: [string, Eligibility, Pod[]][] = ['a', 'b', 'c'].map((n) => [n, run, [pod(`p-${n}`, n, { hash: 'old' })]]);
  const surge = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
  assert.deepEqual(planRollingUpdate(input(surge, nodes)).createOn, ['a']);
  nodes[0][2].push(pod('new-a', 'a', { ready: false }));
  assert.deepEqual(planRollingUpdate(input(surge, nodes)).createOn, [], 'a surging node uses the budget');
});

test('status counts the oldest pod per node, misscheduled pods, and availability', () => {
  const d = ds({ minReadySeconds: 0 });
  const nodes = [node('a'), node('b'), node('c'), node('d')];
  const elig = new Map<string, Eligibility>([
    ['a', run],
    ['b', run],
    ['c', stay],
    ['d', run],
  ]);
  const byNode = new Map<string, Pod[]>([
    ['a', [pod('pa', 'a')]],
    ['b', [pod('pb', 'b', { ready: false, hash: 'old' })]],
    ['c', [pod('pc', 'c')]],
  ]);
  assert.deepEqual(computeStatus(d, nodes, elig, byNode, 'new', NOW), {
    currentNumberScheduled: 2,
    numberMisscheduled: 1,
    desiredNumberScheduled: 3,
    numberReady: 1,
    observedGeneration: 1,
    updatedNumberScheduled: 1,
    numberAvailable: 1,
    numberUnavailable: 2,
  });
  const slow = ds({ minReadySeconds: 3600 });
  assert.equal(computeStatus(slow, nodes, elig, byNode, 'new', NOW).numberAvailable, undefined, 'minReadySeconds not yet passed');
});

test('status judges a node with several pods by its oldest one, whatever the list order', () => {
  const d = ds();
  const older = pod('older', 'a', { ready: false, hash: 'old', created: '2025-01-01T00:00:00Z' });
  const newer = pod('newer', 'a', { created: '2025-01-01T00:05:00Z' });
  for (const pods of [
    [older, newer],
    [newer, older],
  ]) {
    const order = pods.map((p) => p.metadata.name);
    const status = computeStatus(d, [node('a')], new Map([['a', run]]), new Map([['a', pods]]), 'new', NOW);
    assert.equal(status.numberReady, 0, 'the oldest pod is not ready');
    assert.equal(status.updatedNumberScheduled, undefined, 'the oldest pod is on the old revision');
    assert.deepEqual(
      pods.map((p) => p.metadata.name),
      order,
      'the input is not reordered',
    );
  }
});

test('eligibility: taints, tolerations, nodeSelector and node name', () => {
  const d = ds();
  const tainted = (effect: string, key = 'dedicated') => node('n', { spec: { taints: [{ key, value: 'x', effect }] } });
  assert.deepEqual(nodeShouldRunDaemonPod(node('n'), d), { shouldRun: true, shouldContinueRunning: true });
  assert.deepEqual(nodeShouldRunDaemonPod(tainted('NoSchedule'), d), { shouldRun: false, shouldContinueRunning: true });
  assert.deepEqual(nodeShouldRunDaemonPod(tainted('NoExecute'), d), { shouldRun: false, shouldContinueRunning: false });
  assert.deepEqual(nodeShouldRunDaemonPod(tainted('PreferNoSchedule'), d), { shouldRun: true, shouldContinueRunning: true });
  assert.deepEqual(
    nodeShouldRunDaemonPod(tainted('NoSchedule', 'node.kubernetes.io/unschedulable'), d),
    { shouldRun: true, shouldContinueRunning: true },
    'cordoned nodes still run DaemonSet pods',
  );
  assert.deepEqual(nodeShouldRunDaemonPod(tainted('NoSchedule', 'node.kubernetes.io/not-ready'), d), {
    shouldRun: false,
    shouldContinueRunning: true,
  });
  const selective = ds();
  selective.spec.template.spec.nodeSelector = { disk: 'ssd' };
  assert.equal(nodeShouldRunDaemonPod(node('n'), selective).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node('n', { metadata: { name: 'n', labels: { disk: 'ssd' } } }), selective).shouldRun, true);
  const pinned = ds();
  pinned.spec.template.spec.nodeName = 'other';
  assert.deepEqual(nodeShouldRunDaemonPod(node('n'), pinned), { shouldRun: false, shouldContinueRunning: false });
});

test('the daemon pod: generateName, labels, owner, pinned node, default tolerations', () => {
  const d = ds();
  d.metadata.annotations = { 'deprecated.daemonset.template.generation': '3' };
  d.spec.template.spec.tolerations = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 },
  ];
  const p = newDaemonPod(d, 'node-1', 'abc');
  assert.equal(p.metadata.generateName, 'ds-');
  assert.deepEqual(p.metadata.labels, { app: 'x', 'controller-revision-hash': 'abc', 'pod-template-generation': '3' });
  assert.deepEqual(p.metadata.ownerReferences, [
    { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'ds-uid', controller: true, blockOwnerDeletion: true },
  ]);
  assert.deepEqual(p.spec.affinity, {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }],
      },
    },
  });
  assert.equal(p.spec.nodeName, undefined);
  assert.equal(p.spec.tolerations!.length, 6);
  assert.equal(p.spec.tolerations![0].tolerationSeconds, undefined, 'a matching toleration is replaced by the default');
  assert.equal(withDaemonTolerations([], true).length, 7, 'hostNetwork adds network-unavailable');
});

test('revision hashes are deterministic, differ per template and use the safe digits', () => {
  const a = computeHash({ spec: { containers: [{ image: 'a' }] } });
  assert.equal(a, computeHash({ spec: { containers: [{ image: 'a' }] } }));
  assert.notEqual(a, computeHash({ spec: { containers: [{ image: 'b' }] } }));
  assert.notEqual(a, computeHash({ spec: { containers: [{ image: 'a' }] } }, 1));
  assert.match(a, /^[456789bcdf]{1,10}$/);
});

test('percentages in the plans: maxUnavailable and maxSurge round up against the desired count', () => {
  const five = (): [string, Eligibility, Pod[]][] => ['a', 'b', 'c', 'd', 'e'].map((n) => [n, run, [pod(`p-${n}`, n, { hash: 'old' })]]);
  const unavailable = (v: string) => ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: v, maxSurge: 0 } } });
  assert.equal(planRollingUpdate(input(unavailable('20%'), five())).deletePods.length, 1, '20% of 5 = 1');
  assert.equal(planRollingUpdate(input(unavailable('25%'), five())).deletePods.length, 2, '25% of 5 = 1.25 → 2');
  assert.equal(planRollingUpdate(input(unavailable('50%'), five())).deletePods.length, 3, '50% of 5 = 2.5 → 3');
  assert.equal(planRollingUpdate(input(unavailable('1%'), five())).deletePods.length, 1, '1% of 5 → 1');
  assert.equal(planRollingUpdate(input(unavailable('0%'), five())).deletePods.length, 1, 'both zero: maxUnavailable becomes 1');
  const surge = (v: string) => ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: v } } });
  assert.deepEqual(planRollingUpdate(input(surge('25%'), five())).createOn, ['a', 'b'], '25% of 5 → 2 surge pods');
  assert.deepEqual(planRollingUpdate(input(surge('1%'), five())).createOn, ['a']);
});

test('rolling update: a node with excess pods counts against maxUnavailable', () => {
  const nodes: [string, Eligibility, Pod[]][] = ['a', 'b', 'c'].map((n) => [n, run, [pod(`p-${n}`, n, { hash: 'old' })]]);
  nodes[0][2] = [pod('x1', 'a', { hash: 'old' }), pod('x2', 'a', { hash: 'old', created: '2025-01-01T00:01:00Z' })];
  const two = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, maxSurge: 0 } } });
  assert.deepEqual(names(planRollingUpdate(input(two, nodes)).deletePods), ['p-b']);
});

test('a pod is updated by its hash or, for compatibility, by pod-template-generation', () => {
  const d = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3, maxSurge: 0 } } });
  d.metadata.annotations = { 'deprecated.daemonset.template.generation': '4' };
  const legacy = pod('legacy', 'a', { hash: 'other' });
  legacy.metadata.labels!['pod-template-generation'] = '4';
  const stale = pod('stale', 'b', { hash: 'other' });
  stale.metadata.labels!['pod-template-generation'] = '3';
  assert.deepEqual(
    names(
      planRollingUpdate(
        input(d, [
          ['a', run, [legacy]],
          ['b', run, [stale]],
        ]),
      ).deletePods,
    ),
    ['stale'],
  );
  const status = computeStatus(
    d,
    [node('a'), node('b')],
    new Map([
      ['a', run],
      ['b', run],
    ]),
    new Map([
      ['a', [legacy]],
      ['b', [stale]],
    ]),
    'new',
    NOW,
  );
  assert.equal(status.updatedNumberScheduled, 1);
});

test('planManage names the nodes it was busy with: creates, deletes, events and back-off waits, not settled nodes', () => {
  const plan = planManage({
    ...input(ds(), [
      ['a', run, []],
      ['b', run, [pod('b1', 'b')]],
      ['c', gone, [pod('c1', 'c')]],
      ['d', run, [pod('d1', 'd', { phase: 'Failed' })]],
      ['e', run, [pod('e1', 'e', { phase: 'Failed' })]],
      ['f', run, [pod('f1', 'f', { created: '2025-01-01T00:00:00Z' }), pod('f2', 'f', { created: '2025-01-01T00:01:00Z' })]],
    ]),
    // d waits out a back-off (a shorter one than e's would not hide it), e is replaced now.
    failedPodBackoff: (node: string) => (node === 'd' ? 9000 : 0),
  });
  assert.deepEqual(plan.busyNodes, ['a', 'c', 'd', 'e', 'f']);
  assert.equal(plan.requeueAfterMs, 9000);
});

test('NodeTally: counting the changed nodes again gives what counting every node gives', () => {
  const d = ds();
  const names = ['a', 'b', 'c', 'd', 'e'];
  const nodes = names.map((n) => node(n));
  const eligibility = new Map<string, Eligibility>(names.map((n) => [n, n === 'e' ? stay : run]));
  const byNode = new Map<string, Pod[]>([
    ['a', [pod('a1', 'a')]],
    ['b', [pod('b1', 'b', { ready: false })]],
    ['e', [pod('e1', 'e')]],
  ]);
  const c = countContext(d, 'new', NOW);
  const tally = new NodeTally({ uid: 'ds-uid', generation: 1, hash: 'new', templateGeneration: undefined, nodes, eligibility, index: {} });
  tally.recountAll(byNode, c);
  const full = () => computeStatus(d, nodes, eligibility, byNode, 'new', NOW);
  assert.deepEqual(tally.counts.status(d), full());
  assert.equal(tally.hasStalePods, false);
  // Pods come, change and go on some nodes; only those are counted again.
  byNode.set('c', [pod('c1', 'c', { hash: 'old' })]);
  byNode.set('b', [pod('b1', 'b')]);
  byNode.delete('a');
  byNode.set('gone-node', [pod('g1', 'gone-node', { hash: 'old' })]);
  tally.recount(['a', 'b', 'c', 'gone-node'], byNode, c);
  assert.deepEqual(tally.counts.status(d), full());
  assert.equal(tally.hasStalePods, true);
  byNode.set('c', [pod('c1', 'c')]);
  byNode.delete('gone-node');
  tally.recount(['c', 'gone-node'], byNode, c);
  assert.equal(tally.hasStalePods, false, 'no node runs an older revision any more');
  // Counting every node again starts from nothing: nothing counted twice.
  tally.recountAll(byNode, c);
  assert.deepEqual(tally.counts.status(d), full());
  assert.deepEqual(
    [full().desiredNumberScheduled, full().currentNumberScheduled, full().numberReady, full().numberMisscheduled],
    [4, 2, 2, 1],
  );
});

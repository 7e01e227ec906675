/** The disruption controller's status planner (pkg/controller/disruption), as tables. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DELETION_TIMEOUT_MS, planDisruptionStatus, type ScaleLookup } from '../../src/controllers/disruption/plan.js';
import { rfc3339 } from '../../src/apimachinery/object.js';

type Obj = Record<string, any>;
const NOW = Date.UTC(2025, 0, 1, 0, 10);
const AT = rfc3339(NOW);

const pdb = (spec: Obj, status?: Obj, generation = 1): any => ({
  metadata: { name: 'b', namespace: 'ns', generation },
  spec: { selector: { matchLabels: { app: 'a' } }, ...spec },
  ...(status ? { status } : {}),
});

const pod = (name: string, opts: { ready?: boolean; owner?: string; deleting?: boolean } = {}): any => ({
  metadata: {
    name,
    namespace: 'ns',
    labels: { app: 'a' },
    ...(opts.owner
      ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: opts.owner, uid: opts.owner, controller: true }] }
      : {}),
    ...(opts.deleting ? { deletionTimestamp: AT } : {}),
  },
  spec: { containers: [] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});

const scales: Record<string, number> = { rs1: 4, rs2: 2 };
const lookup: ScaleLookup = (ref) =>
  ref.uid in scales
    ? { uid: ref.uid, scale: scales[ref.uid] }
    : ref.uid === 'ds'
      ? { error: 'daemonsets.apps does not implement the scale subresource' }
      : undefined;

const counts = (s: Obj | undefined) => s && [s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed];

describe('planDisruptionStatus: expected, desired and current healthy pods, disruptions allowed', () => {
  const cases: [string, Obj, any[], number[]][] = [
    ['integer minAvailable counts the selected pods', { minAvailable: 2 }, [pod('p1'), pod('p2'), pod('p3')], [3, 2, 3, 1]],
    [
      'unready and terminating pods are not healthy',
      { minAvailable: 1 },
      [pod('p1'), pod('p2', { ready: false }), pod('p3', { deleting: true })],
      [3, 1, 1, 0],
    ],
    ['no pods: nothing allowed even with minAvailable 0', { minAvailable: 0 }, [], [0, 0, 0, 0]],
    [
      'percentage minAvailable uses the controllers’ scale, rounded up',
      { minAvailable: '50%' },
      [pod('p1', { owner: 'rs1' }), pod('p2', { owner: 'rs2' })],
      [6, 3, 2, 0],
    ],
    [
      'maxUnavailable: desired = expected − max (percentage rounded up)',
      { maxUnavailable: '25%' },
      [pod('p1', { owner: 'rs1' }), pod('p2', { owner: 'rs1' }), pod('p3', { owner: 'rs1' }), pod('p4', { owner: 'rs1' })],
      [4, 3, 4, 1],
    ],
    ['maxUnavailable larger than expected: desired 0', { maxUnavailable: 9 }, [pod('p1', { owner: 'rs2' })], [2, 0, 1, 1]],
    ['neither bound: nothing expected', {}, [pod('p1')], [0, 0, 1, 0]],
    ['bare pods under maxUnavailable: expected 0 (unmanaged)', { maxUnavailable: 1 }, [pod('p1'), pod('p2')], [0, 0, 2, 0]],
  ];
  for (const [name, spec, pods, expected] of cases) {
    it(name, () => assert.deepEqual(counts(planDisruptionStatus(pdb(spec), pods, lookup, NOW).status), expected));
  }

  it('writes observedGeneration and the DisruptionAllowed condition, and nothing when the status is current', () => {
    const first = planDisruptionStatus(pdb({ minAvailable: 1 }, undefined, 3), [pod('p1'), pod('p2')], lookup, NOW).status!;
    assert.deepEqual(first, {
      observedGeneration: 3,
      disruptionsAllowed: 1,
      currentHealthy: 2,
      desiredHealthy: 1,
      expectedPods: 2,
      conditions: [
        { type: 'DisruptionAllowed', status: 'True', observedGeneration: 3, lastTransitionTime: AT, reason: 'SufficientPods', message: '' },
      ],
    });
    const again = planDisruptionStatus(pdb({ minAvailable: 1 }, first, 3), [pod('p1'), pod('p2')], lookup, NOW + 5000);
    assert.equal(again.status, undefined);
    const lagging = planDisruptionStatus(pdb({ minAvailable: 1 }, first, 4), [pod('p1'), pod('p2')], lookup, NOW + 5000).status!;
    assert.equal(lagging.observedGeneration, 4);
    assert.equal(lagging.conditions![0].lastTransitionTime, AT, 'the status did not change, so neither does the transition time');
  });

  it('a controller without scale fails the sync: nothing allowed, SyncFailed, a warning event', () => {
    const plan = planDisruptionStatus(
      pdb({ maxUnavailable: 1 }, { disruptionsAllowed: 2, currentHealthy: 3, desiredHealthy: 1, expectedPods: 3 }),
      [
        {
          ...pod('p1'),
          metadata: {
            ...pod('p1').metadata,
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'ds', controller: true }],
          },
        },
      ],
      lookup,
      NOW,
    );
    assert.equal(plan.status!.disruptionsAllowed, 0);
    assert.deepEqual(plan.status!.conditions, [
      {
        type: 'DisruptionAllowed',
        status: 'False',
        lastTransitionTime: AT,
        reason: 'SyncFailed',
        message: 'daemonsets.apps does not implement the scale subresource',
      },
    ]);
    assert.deepEqual(plan.events, [
      {
        on: 'pdb',
        type: 'Warning',
        reason: 'CalculateExpectedPodCountFailed',
        message: 'Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource',
      },
    ]);
    const missing = planDisruptionStatus(pdb({ minAvailable: '10%' }), [pod('p1', { owner: 'gone' })], lookup, NOW);
    assert.equal(missing.status!.conditions![0].message, 'found no controllers for pod "p1"');
  });

  it('events: NoPods without pods, UnmanagedPods for bare pods under a percentage', () => {
    assert.deepEqual(planDisruptionStatus(pdb({ minAvailable: 1 }), [], lookup, NOW).events, [
      { on: 'pdb', type: 'Normal', reason: 'NoPods', message: 'No matching pods found' },
    ]);
    const [unmanaged] = planDisruptionStatus(pdb({ minAvailable: '50%' }), [pod('p1')], lookup, NOW).events;
    assert.equal(unmanaged.reason, 'UnmanagedPods');
    assert.match(
      unmanaged.message,
      /^Pods selected by this PodDisruptionBudget \(selector: &LabelSelector\{MatchLabels:map\[string\]string\{app: a,\},MatchExpressions:\[\]LabelSelectorRequirement\{\},\}\) were found to be unmanaged\./,
    );
  });

  it('disruptedPods: a pending eviction is not healthy until it expires, then dropped with a NotDeleted event; a terminating pod is dropped', () => {
    const evictedAt = rfc3339(NOW - 30_000);
    const status = {
      disruptionsAllowed: 0,
      currentHealthy: 2,
      desiredHealthy: 2,
      expectedPods: 3,
      disruptedPods: { p1: evictedAt, p3: evictedAt, gone: evictedAt },
    };
    const pods = [pod('p1'), pod('p2'), pod('p3', { deleting: true })];
    const pending = planDisruptionStatus(pdb({ minAvailable: 1 }, status), pods, lookup, NOW);
    assert.deepEqual(pending.status!.disruptedPods, { p1: evictedAt });
    assert.deepEqual(counts(pending.status), [3, 1, 1, 0]);
    assert.equal(pending.recheckAfterMs, DELETION_TIMEOUT_MS - 30_000);
    const expired = planDisruptionStatus(pdb({ minAvailable: 1 }, status), pods, lookup, NOW + DELETION_TIMEOUT_MS);
    assert.equal(expired.status!.disruptedPods, undefined);
    assert.deepEqual(counts(expired.status), [3, 1, 2, 1]);
    assert.deepEqual(expired.events, [
      { on: { pod: 'p1' }, type: 'Warning', reason: 'NotDeleted', message: "Pod was expected by PDB ns/ns to be deleted but it wasn't" },
    ]);
    assert.equal(expired.recheckAfterMs, undefined);
  });
});

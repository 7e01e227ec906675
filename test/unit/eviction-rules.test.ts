/** What pods/eviction decides about PodDisruptionBudgets (upstream EvictionREST), as tables. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  budgetVerdict,
  budgetsCoveringPod,
  canIgnoreBudgets,
  checkAndDecrement,
  shouldPinResourceVersion,
} from '../../src/resources/poddisruptionbudgets/eviction-rules.js';
import { rfc3339 } from '../../src/apimachinery/object.js';
import { StatusError } from '../../src/apimachinery/status.js';

type Obj = Record<string, any>;
const NOW = Date.UTC(2025, 0, 1);

const pod = (opts: { phase?: string; ready?: boolean; deleting?: boolean; labels?: Obj; namespace?: string } = {}): any => ({
  metadata: {
    name: 'p',
    namespace: opts.namespace ?? 'ns',
    labels: opts.labels ?? { app: 'a' },
    ...(opts.deleting ? { deletionTimestamp: rfc3339(NOW) } : {}),
  },
  spec: { containers: [] },
  status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});

const pdb = (name: string, spec: Obj = {}, status: Obj = {}, generation = 1): any => ({
  metadata: { name, namespace: 'ns', generation },
  spec: { selector: { matchLabels: { app: 'a' } }, ...spec },
  status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, ...status },
});

describe('which pods skip budgets', () => {
  const cases: [string, any, boolean, boolean][] = [
    ['running', pod(), false, true],
    ['pending', pod({ phase: 'Pending' }), true, true],
    ['succeeded', pod({ phase: 'Succeeded' }), true, false],
    ['failed', pod({ phase: 'Failed' }), true, false],
    ['terminating', pod({ deleting: true }), true, false],
  ];
  for (const [name, p, ignore, pin] of cases) {
    it(`${name}: skips=${ignore}, delete pinned=${pin}`, () => {
      assert.equal(canIgnoreBudgets(p), ignore);
      assert.equal(shouldPinResourceVersion(p), pin);
    });
  }
});

describe('budgetsCoveringPod', () => {
  it('same namespace and a selector that selects the pod; null and unparsable selectors select nothing, {} everything', () => {
    const budgets = [
      pdb('match'),
      pdb('other-labels', { selector: { matchLabels: { app: 'b' } } }),
      pdb('null', { selector: null }),
      pdb('empty', { selector: {} }),
      pdb('bad', { selector: { matchExpressions: [{ key: 'app', operator: 'Near' }] } }),
      { ...pdb('elsewhere'), metadata: { name: 'elsewhere', namespace: 'other' } },
    ];
    assert.deepEqual(
      budgetsCoveringPod(pod(), budgets).map((b) => b.metadata.name),
      ['match', 'empty'],
    );
  });
});

describe('budgetVerdict', () => {
  const cases: [string, any, any[], string][] = [
    ['no budget', pod(), [], 'none'],
    ['two budgets', pod(), [pdb('a'), pdb('b')], 'multiple'],
    ['ready pod spends a disruption', pod(), [pdb('a')], 'decrement'],
    [
      'unready pod, budget healthy (IfHealthyBudget default)',
      pod({ ready: false }),
      [pdb('a', {}, { currentHealthy: 2, desiredHealthy: 2 })],
      'unhealthy',
    ],
    [
      'unready pod, budget short of healthy pods',
      pod({ ready: false }),
      [pdb('a', {}, { currentHealthy: 1, desiredHealthy: 2 })],
      'decrement',
    ],
    ['unready pod, desiredHealthy 0', pod({ ready: false }), [pdb('a', {}, { currentHealthy: 0, desiredHealthy: 0 })], 'decrement'],
    [
      'unready pod, budget short, AlwaysAllow',
      pod({ ready: false }),
      [pdb('a', { unhealthyPodEvictionPolicy: 'AlwaysAllow' }, { currentHealthy: 1, desiredHealthy: 2 })],
      'unhealthy',
    ],
    [
      'unready pod, explicit IfHealthyBudget, short',
      pod({ ready: false }),
      [pdb('a', { unhealthyPodEvictionPolicy: 'IfHealthyBudget' }, { currentHealthy: 1, desiredHealthy: 2 })],
      'decrement',
    ],
  ];
  for (const [name, p, budgets, kind] of cases) it(`${name} → ${kind}`, () => assert.equal(budgetVerdict(p, budgets).kind, kind));
});

describe('checkAndDecrement', () => {
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof StatusError);
      return e.status;
    }
    assert.fail('expected a refusal');
  };

  it('spends one disruption, records the pod, turns the condition when none is left', () => {
    const status = checkAndDecrement(pdb('b', {}, { disruptedPods: { older: rfc3339(NOW - 1000) } }), 'p', NOW, false)!;
    assert.equal(status.disruptionsAllowed, 0);
    assert.deepEqual(status.disruptedPods, { older: rfc3339(NOW - 1000), p: rfc3339(NOW) });
    assert.deepEqual(status.conditions, [
      {
        type: 'DisruptionAllowed',
        status: 'False',
        observedGeneration: 1,
        lastTransitionTime: rfc3339(NOW),
        reason: 'InsufficientPods',
        message: '',
      },
    ]);
    const two = checkAndDecrement(pdb('b', {}, { disruptionsAllowed: 2 }), 'p', NOW, false)!;
    assert.equal(two.disruptionsAllowed, 1);
    assert.equal(two.conditions, undefined, 'the condition is left to the controller while disruptions remain');
  });

  it('a dry run checks but writes nothing', () => {
    assert.equal(checkAndDecrement(pdb('b'), 'p', NOW, true), undefined);
    assert.equal(refusal(() => checkAndDecrement(pdb('b', {}, { disruptionsAllowed: 0 }), 'p', NOW, true)).code, 429);
  });

  it('refusals: none allowed 429, lagging generation 429 with Retry-After 10, negative and overfull 403', () => {
    assert.deepEqual(
      refusal(() => checkAndDecrement(pdb('b', {}, { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 }), 'p', NOW, false)),
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        reason: 'TooManyRequests',
        details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget b needs 2 healthy pods and has 2 currently' }] },
        code: 429,
      },
    );
    const lagging = refusal(() => checkAndDecrement(pdb('b', {}, {}, 2), 'p', NOW, false));
    assert.equal(lagging.code, 429);
    assert.equal(lagging.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(lagging.details, {
      causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget b is still being processed by the server.' }],
      retryAfterSeconds: 10,
    });
    const negative = refusal(() => checkAndDecrement(pdb('b', {}, { disruptionsAllowed: -1 }), 'p', NOW, false));
    assert.deepEqual(
      [negative.code, negative.message],
      [403, 'poddisruptionbudget.policy "b" is forbidden: pdb disruptions allowed is negative'],
    );
    const many = Object.fromEntries(Array.from({ length: 2001 }, (_, i) => [`p${i}`, rfc3339(NOW)]));
    const full = refusal(() => checkAndDecrement(pdb('b', {}, { disruptedPods: many }), 'p', NOW, false));
    assert.deepEqual(
      [full.code, full.message],
      [403, 'poddisruptionbudget.policy "b" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller'],
    );
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { desiredTaints, evictionPlan, silentNodeConditions } from '../../src/controllers/node-lifecycle/taint-plan.js';
import { candidateNodeNames, filterNode, fitErrorMessage, AFFINITY_MISMATCH } from '../../src/controllers/scheduler/filter.js';
import type { NodeSelectorTerm, PodSpec } from '../../src/resources/schemas.js';

const NOW = Date.UTC(2025, 0, 1, 0, 1);
const node = (conditions: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'n', creationTimestamp: '2025-01-01T00:00:00Z' },
  spec,
  status: { conditions: Object.entries(conditions).map(([type, status]) => ({ type, status })) },
});

describe('desiredTaints', () => {
  it('maps conditions and unschedulable to taints, keeps foreign taints and the timeAdded of kept ones', () => {
    const custom = { key: 'dedicated', value: 'x', effect: 'NoSchedule' };
    const kept = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2025-01-01T00:00:30Z' };
    const n = node(
      { Ready: 'Unknown', MemoryPressure: 'True', DiskPressure: 'False' },
      { unschedulable: true, taints: [custom, kept, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] },
    );
    assert.deepEqual(desiredTaints(n, NOW), [
      custom,
      kept,
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
    ]);
  });
  it('Ready=False: not-ready NoSchedule + NoExecute stamped now; Ready=True: none', () => {
    assert.deepEqual(desiredTaints(node({ Ready: 'False' }), NOW), [
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: '2025-01-01T00:01:00Z' },
    ]);
    assert.deepEqual(
      desiredTaints(node({ Ready: 'True' }, { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), NOW),
      [],
    );
  });
});

describe('silentNodeConditions', () => {
  it('turns kubelet conditions Unknown and adds the ones never posted', () => {
    const out = silentNodeConditions(node({ Ready: 'True', NetworkUnavailable: 'False' }), NOW)!;
    assert.deepEqual(
      out.map((c) => [c.type, c.status, c.reason]),
      [
        ['Ready', 'Unknown', 'NodeStatusUnknown'],
        ['NetworkUnavailable', 'False', undefined],
        ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated'],
        ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated'],
        ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated'],
      ],
    );
    assert.equal(silentNodeConditions({ ...node({}), status: { conditions: out } }, NOW), undefined, 'nothing left to change');
  });
});

describe('evictionPlan', () => {
  const taint = { key: 'k', effect: 'NoExecute', timeAdded: '2025-01-01T00:00:00Z' };
  it('untolerated → now; tolerated for N s → timeAdded + N s (first matching toleration); unbounded → keep', () => {
    assert.deepEqual(evictionPlan([], [taint], NOW), { evictAt: Number.NEGATIVE_INFINITY });
    assert.deepEqual(evictionPlan([{ key: 'k', operator: 'Exists', tolerationSeconds: 90 }], [taint], NOW), {
      evictAt: Date.UTC(2025, 0, 1, 0, 1, 30),
    });
    assert.deepEqual(evictionPlan([{ operator: 'Exists' }, { key: 'k', operator: 'Exists', tolerationSeconds: 5 }], [taint], NOW), {
      keep: true,
    });
    assert.deepEqual(evictionPlan([{ key: 'k', operator: 'Exists', tolerationSeconds: -3 }], [{ key: 'k', effect: 'NoExecute' }], NOW), {
      evictAt: NOW,
    });
    assert.deepEqual(evictionPlan([], [{ key: 'k', effect: 'NoSchedule' }], NOW), { keep: true });
  });
});

describe('scheduler filters', () => {
  const pod = (spec: Partial<PodSpec>) => ({ metadata: { name: 'p' }, spec: { containers: [], ...spec } });
  const n = { metadata: { name: 'node-1', labels: {} }, spec: {} };
  it('host ports conflict on protocol, port and overlapping host IP', () => {
    const ports = (hostPort: number, protocol = 'TCP', hostIP?: string) =>
      pod({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, protocol, hostIP }] }] });
    assert.equal(filterNode(ports(80), n, [ports(80)])?.resolvable, true);
    assert.equal(filterNode(ports(80), n, [ports(80, 'UDP')]), undefined);
    assert.equal(filterNode(ports(80, 'TCP', '10.0.0.1'), n, [ports(80, 'TCP', '10.0.0.2')]), undefined);
    assert.ok(filterNode(ports(80, 'TCP', '10.0.0.1'), n, [ports(80, 'TCP', '0.0.0.0')]));
  });
  it('candidate nodes come from metadata.name In terms only', () => {
    const terms = (t: NodeSelectorTerm[]) =>
      pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: t } } } });
    assert.deepEqual(
      candidateNodeNames(terms([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }])),
      new Set(['a']),
    );
    assert.equal(candidateNodeNames(terms([{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }])), undefined);
    assert.equal(candidateNodeNames(pod({})), undefined);
  });
  it('fitErrorMessage sorts the counted reasons as strings', () => {
    const taint = { reason: 'node(s) had untolerated taint {a: }', resolvable: false };
    assert.equal(
      fitErrorMessage(12, [
        ...Array(10).fill(AFFINITY_MISMATCH),
        taint,
        { reason: "node(s) didn't have free ports for the requested pod ports", resolvable: true },
      ]),
      "0/12 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) had untolerated taint {a: }, 10 node(s) didn't match Pod's node affinity/selector. preemption: 0/12 nodes are available: 1 No preemption victims found for incoming pod, 11 Preemption is not helpful for scheduling.",
    );
  });
});

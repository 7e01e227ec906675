import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeletPodConditions } from '../../src/kubelet/pod-status.js';
import type { StoredPod, StoredPodCondition } from '../../src/resources/stored.js';

const EARLIER = Date.UTC(2026, 0, 1, 10, 0, 0);
const LATER = Date.UTC(2026, 0, 1, 10, 0, 30);

function pod(): StoredPod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { nodeName: 'n', containers: [{ name: 'c', image: 'nginx' }] },
  };
}

test('the kubelet keeps each unchanged condition as stored, and writes the changed ones afresh', () => {
  const creating = { ...pod(), status: { conditions: kubeletPodConditions(pod(), ['c'], EARLIER) } };
  const byType = (conditions: StoredPodCondition[]) => new Map(conditions.map((c) => [c.type, c]));
  const before = byType(creating.status.conditions);
  assert.equal(before.get('Ready')!.status, 'False');
  const running = kubeletPodConditions(creating, [], LATER);
  const after = byType(running);
  for (const type of ['PodReadyToStartContainers', 'Initialized', 'PodScheduled'])
    assert.equal(after.get(type), before.get(type), `${type} did not change: the stored object itself`);
  for (const type of ['Ready', 'ContainersReady']) {
    assert.notEqual(after.get(type), before.get(type));
    assert.deepEqual(after.get(type), { type, status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T10:00:30Z' });
  }
});

test('a stored condition with a field the kubelet does not write is written afresh, without that field', () => {
  const stored = kubeletPodConditions(pod(), [], EARLIER).map((c) => (c.type === 'Initialized' ? { ...c, observedGeneration: 3 } : c));
  const next = kubeletPodConditions({ ...pod(), status: { conditions: stored } }, [], LATER);
  const initialized = next.find((c) => c.type === 'Initialized')!;
  assert.notEqual(
    initialized,
    stored.find((c) => c.type === 'Initialized'),
  );
  assert.deepEqual(initialized, { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T10:00:00Z' });
});

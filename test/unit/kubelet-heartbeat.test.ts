/**
 * The kubelet's heartbeats run on its own timer: a played stage says when the next of the other
 * stages is due (the runner comes back then, or at the heartbeat period), and the kubelet's watch of
 * node Leases does not wake it for a renewal (only renewTime moved).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { newStageMemory, stageStep } from '../../src/kubelet/lifecycle.js';
import type { Stage } from '../../src/kubelet/stage.js';
import { isRenewalOnly, nodeLease, renewalDelayMs } from '../../src/kubelet/lease.js';

const obj: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', uid: 'u-n' } };

function stage(name: string, delayMs: number): Stage<KubeObject, undefined> {
  return { name, when: () => true, delayMs: () => delayMs, next: () => [] };
}

test('a played stage tells when the first of the other stages that apply is due', () => {
  const memory = newStageMemory();
  const step = stageStep([stage('now', 0), stage('later', 300), stage('last', 5000)], obj, undefined, memory, 1000);
  assert.equal(step.type, 'play');
  assert.equal(step.type === 'play' && step.stage.name, 'now');
  assert.equal(step.type === 'play' && step.nextDueAt, 1300);
  const alone = stageStep([stage('only', 0)], obj, undefined, newStageMemory(), 1000);
  assert.equal(alone.type === 'play' && alone.nextDueAt, undefined);
});

test("a Lease change that only moves renewTime is a renewal; the holder's or the terms' change is not", () => {
  const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'u1' } };
  const stored = (l: KubeObject, rv: string): KubeObject => ({ ...l, metadata: { ...l.metadata, uid: 'l1', resourceVersion: rv } });
  const before = stored(nodeLease(node, 1_000), '5');
  const renewed = stored(nodeLease(node, 11_000), '6');
  assert.equal(isRenewalOnly({ type: 'MODIFIED', object: renewed, previous: before }), true);
  const otherHolder = { ...renewed, spec: { ...(renewed.spec as object), holderIdentity: 'someone-else' } };
  assert.equal(isRenewalOnly({ type: 'MODIFIED', object: otherHolder, previous: before }), false);
  const labelled = { ...renewed, metadata: { ...renewed.metadata, labels: { a: 'b' } } };
  assert.equal(isRenewalOnly({ type: 'MODIFIED', object: labelled, previous: before }), false);
  assert.equal(isRenewalOnly({ type: 'ADDED', object: renewed }), false);
  assert.equal(isRenewalOnly({ type: 'MODIFIED', object: renewed }), false, 'without the previous object nothing is known');
});

test("a renewal is due one interval later plus a jitter within upstream's 4%, on a grid every kubelet shares", () => {
  const interval = 10_000;
  const grid = 400; // 4% of the interval
  const renewals = [0, 1, 1.5, 399, 400, 401, 12_345.678, 1_735_689_601_500];
  for (const at of renewals) {
    const due = at + renewalDelayMs(at, interval);
    assert.ok(due >= at + interval, `never sooner than upstream (${at})`);
    assert.ok(due < at + interval + grid, `within upstream's jitter (${at})`);
    assert.equal(due % grid, 0, `on the grid (${at})`);
  }
  // Kubelets that renewed within one grid step of each other renew together next time.
  assert.equal(1 + renewalDelayMs(1, interval), 399 + renewalDelayMs(399, interval));
  assert.notEqual(399 + renewalDelayMs(399, interval), 401 + renewalDelayMs(401, interval));
  // An interval too short for a grid of whole milliseconds is kept as it is.
  assert.equal(renewalDelayMs(7.5, 20), 20);
});

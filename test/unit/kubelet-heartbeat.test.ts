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

test('a renewal is due on the grid point (4% of the interval, shared by every kubelet) nearest to one interval later', () => {
  const interval = 10_000;
  const grid = 400;
  for (const at of [0, 1, 1.5, 199, 201, 399, 400, 401, 12_345.678, 1_735_689_601_500]) {
    const due = at + renewalDelayMs(at, interval);
    assert.equal(due % grid, 0, `on the grid (${at})`);
    assert.ok(Math.abs(due - (at + interval)) <= grid / 2, `within 2% of the interval (${at})`);
  }
  // Kubelets that renewed near one grid point renew together at the next one.
  assert.equal(1 + renewalDelayMs(1, interval), 199 + renewalDelayMs(199, interval));
  assert.notEqual(199 + renewalDelayMs(199, interval), 201 + renewalDelayMs(201, interval));
  // On the grid, the write a few milliseconds late: the next renewal stays on the grid, one interval on.
  let at = 1_735_689_600_000;
  for (let i = 0; i < 5; i++) {
    const due = at + renewalDelayMs(at, interval);
    assert.equal(due, 1_735_689_600_000 + (i + 1) * interval);
    at = due + 7; // the timer fired and the Lease was written 7 ms after the grid point
  }
  // An interval too short for a grid of whole milliseconds is kept as it is.
  assert.equal(renewalDelayMs(7.5, 20), 20);
});

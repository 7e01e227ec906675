/**
 * What the stage engine remembers of an object between steps: first-match instants of the stages
 * that apply, forgotten when a stage stops applying or plays, and the `once` stages played. An empty
 * memory is the same as a new one (the kubelet's runner keeps none for such objects).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { newStageMemory, stageStep } from '../../src/kubelet/lifecycle.js';
import type { Stage } from '../../src/kubelet/stage.js';

const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u-p' } };

function stage(name: string, delayMs: number, applies: () => boolean = () => true, once = false): Stage<KubeObject, undefined> {
  return { name, when: applies, delayMs: () => delayMs, next: () => [], ...(once ? { once } : {}) };
}

test('a delay counts from the first match and starts over once the stage stopped applying', () => {
  let applies = true;
  const slow = stage('slow', 500, () => applies);
  const idle = stage('idle', 60_000);
  const memory = newStageMemory();
  assert.deepEqual(stageStep([slow, idle], obj, undefined, memory, 1000), { type: 'wait', stage: slow, dueAt: 1500 });
  assert.equal(memory.firstMatched('slow'), 1000);
  // Still waiting later: due when it first matched plus the delay, not from now.
  assert.deepEqual(stageStep([slow, idle], obj, undefined, memory, 1200), { type: 'wait', stage: slow, dueAt: 1500 });
  applies = false;
  assert.deepEqual(stageStep([slow, idle], obj, undefined, memory, 1300), { type: 'wait', stage: idle, dueAt: 61_000 });
  assert.equal(memory.firstMatched('slow'), undefined);
  applies = true;
  assert.deepEqual(stageStep([slow, idle], obj, undefined, memory, 1400), { type: 'wait', stage: slow, dueAt: 1900 });
  assert.equal(memory.firstMatched('idle'), 1000, 'a stage that kept applying keeps its first match');
});

test('a played stage is forgotten: the memory is empty when nothing else waits', () => {
  const memory = newStageMemory();
  const step = stageStep([stage('now', 0)], obj, undefined, memory, 1000);
  assert.equal(step.type === 'play' && step.stage.name, 'now');
  assert.equal(memory.firstMatched('now'), undefined);
  assert.equal(memory.isEmpty, true);
  const two = newStageMemory();
  stageStep([stage('now', 0), stage('later', 300)], obj, undefined, two, 1000);
  assert.equal(two.firstMatched('later'), 1000);
  assert.equal(two.isEmpty, false);
});

test('a once stage played is skipped while it applies and plays again after it stopped applying', () => {
  let applies = true;
  const announce = stage('announce', 0, () => applies, true);
  const memory = newStageMemory();
  assert.equal(stageStep([announce], obj, undefined, memory, 1000).type, 'play');
  memory.markPlayed('announce');
  assert.equal(memory.isEmpty, false);
  assert.deepEqual(stageStep([announce], obj, undefined, memory, 1100), { type: 'idle' });
  applies = false;
  stageStep([announce, stage('other', 0)], obj, undefined, memory, 1200);
  assert.equal(memory.hasPlayed('announce'), false);
  applies = true;
  assert.equal(stageStep([announce], obj, undefined, memory, 1300).type, 'play');
});

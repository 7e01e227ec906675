/**
 * Golden tests of the kubelet stages (kwok's stage_test.go): each fixtures/stages/<case>.input.yaml
 * holds an object, what its stages look at and `now`; <case>.output.yaml holds the stage the engine
 * picks, how long until it fires, and the effects it produces then. The engine runs as the stage
 * runner runs it: one step at `now` (the stages first match then) and, when the stage is not due
 * yet, a second step with the same memory at the instant it is. UPDATE_GOLDEN=1 rewrites them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import YAML from 'yaml';
import { DEFAULT_CONTROLLER_SETTINGS } from '../../src/controllers/context.js';
import { newStageMemory, stageStep } from '../../src/kubelet/lifecycle.js';
import type { Stage } from '../../src/kubelet/stage.js';
import { podStages, type PodEnv } from '../../src/kubelet/stages/pod-stages.js';
import { nodeStages, type NodeEnv } from '../../src/kubelet/stages/node-stages.js';
import type { KeyedObject } from '../../src/kubelet/object-references.js';
import type { StoredLease, StoredNode, StoredPod } from '../../src/resources/stored.js';

const DIR = fileURLToPath(new URL('../fixtures/stages/', import.meta.url));

interface Input {
  kind: 'pod' | 'node';
  now: string;
  settings?: Record<string, unknown>;
  object: Record<string, unknown>;
  node?: Record<string, unknown>;
  lease?: Record<string, unknown>;
  inUse?: string[];
  /** The ConfigMaps and Secrets of the pod's namespace, by name. */
  configMaps?: Record<string, KeyedObject>;
  secrets?: Record<string, KeyedObject>;
  /** `once` stages the runner has already played for the object (they are skipped, as it does). */
  played?: string[];
}

/** Stages get the controllers' shared cached objects: any change to one throws here. */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}

function run(input: Input): unknown {
  deepFreeze(input);
  const now = Date.parse(input.now);
  const settings = { ...DEFAULT_CONTROLLER_SETTINGS, ...input.settings };
  const inUse = () => new Set(input.inUse ?? []);
  const play = <T extends StoredPod | StoredNode, E>(stages: readonly Stage<T, E>[], obj: T, env: E) => {
    const memory = newStageMemory();
    for (const name of input.played ?? []) memory.markPlayed(name);
    let step = stageStep(stages, obj, env, memory, now);
    let at = now;
    if (step.type === 'wait') {
      const { stage, dueAt } = step;
      at = dueAt;
      step = stageStep(stages, obj, env, memory, at);
      assert.ok(
        step.type === 'play' && step.stage === stage,
        `${stage.name}, planned for ${new Date(at).toISOString()}, did not play then (${step.type})`,
      );
    }
    if (step.type !== 'play') return { stage: null };
    return { stage: step.stage.name, dueInMs: at - now, effects: step.effects };
  };
  if (input.kind === 'pod') {
    const objects = {
      configMap: (name: string) => input.configMaps?.[name],
      secret: (name: string) => input.secrets?.[name],
    };
    // The other pods of the node are the ones holding the IPs in use.
    const podsBoundHere = () => (input.inUse?.length ?? 0) + 1;
    const env: PodEnv = {
      node: input.node as PodEnv['node'],
      settings,
      podIPsInUse: inUse,
      podsBoundHere,
      objects,
      admittedPods: () => [],
    };
    return play(podStages, input.object as StoredPod, env);
  }
  const env: NodeEnv = { lease: input.lease as StoredLease | undefined, settings, podCIDRsInUse: inUse };
  return play(nodeStages, input.object as unknown as StoredNode, env);
}

describe('kubelet stages (golden)', () => {
  const cases = readdirSync(DIR)
    .filter((f) => f.endsWith('.input.yaml'))
    .sort();
  it('has fixtures', () => assert.ok(cases.length >= 10, `only ${cases.length} fixtures in ${DIR}`));
  for (const file of cases) {
    const name = file.replace(/\.input\.yaml$/, '');
    it(name, () => {
      const input = YAML.parse(readFileSync(join(DIR, file), 'utf8')) as Input;
      const actual = YAML.stringify(run(input), { aliasDuplicateObjects: false });
      const goldenPath = join(DIR, `${name}.output.yaml`);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenPath, actual);
      assert.ok(existsSync(goldenPath), `${goldenPath} is missing: run with UPDATE_GOLDEN=1 and review it`);
      assert.equal(actual, readFileSync(goldenPath, 'utf8'), `${name}: output differs from ${goldenPath} (UPDATE_GOLDEN=1 rewrites it)`);
    });
  }
});

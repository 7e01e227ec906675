/**
 * The stage engine (kwok's lifecycle): of the stages that apply to an object, the one due first
 * (list order breaks ties) is played when due. Pure: time comes in as `now`, and what the engine
 * remembers of an object between steps (its StageMemory) is kept by the caller, stage-runner.ts
 * per key, the golden tests per case.
 */
import type { KubeObject } from '../apimachinery/object.js';
import type { Effect, FirstMatched, Stage } from './stage.js';

/** What the engine remembers of one object between steps. */
export interface StageMemory {
  /** When each stage that applies first matched (its delay counts from then, unless it has an anchor). */
  readonly firstMatched: Map<string, number>;
  /** The `once` stages played while they keep applying (the caller marks one once its effects are written). */
  readonly played: Set<string>;
}

export function newStageMemory(): StageMemory {
  return { firstMatched: new Map(), played: new Set() };
}

/** What to do for an object at one instant. */
export type StageStep<T extends KubeObject, E> =
  /** No stage applies: the object's memory can go. */
  | { type: 'none' }
  /** The object is paused (its kubelet is cut off): nothing is played, the memory is kept up to date. */
  | { type: 'paused' }
  /** Stages apply, but only `once` stages already played. */
  | { type: 'idle' }
  /** `stage` is the next to play, at `dueAt`. */
  | { type: 'wait'; stage: Stage<T, E>; dueAt: number }
  /**
   * `stage` was due and played: its effects, to write now; `nextDueAt`, when the first of the other
   * stages that apply is due (as the object is now; undefined when none does).
   */
  | { type: 'play'; stage: Stage<T, E>; effects: Effect[]; nextDueAt?: number };

/**
 * One step of the stages of `obj` at `now`: brings `memory` up to date with the stages that apply
 * (a stage that stopped applying starts over: its first match and its `once` play are forgotten),
 * then plays the stage due first if it is due.
 */
export function stageStep<T extends KubeObject, E>(
  stages: readonly Stage<T, E>[],
  obj: T,
  env: E,
  memory: StageMemory,
  now: number,
  paused = false,
): StageStep<T, E> {
  const matched = stages.filter((s) => s.when(obj, env));
  if (matched.length === 0) return { type: 'none' };
  const names = matched.map((s) => s.name);
  for (const n of memory.firstMatched.keys()) if (!names.includes(n)) memory.firstMatched.delete(n);
  for (const n of names) if (!memory.firstMatched.has(n)) memory.firstMatched.set(n, now);
  for (const n of memory.played) if (!names.includes(n)) memory.played.delete(n);
  if (paused) return { type: 'paused' };
  const due = memory.played.size ? matched.filter((s) => !(s.once && memory.played.has(s.name))) : matched;
  if (due.length === 0) return { type: 'idle' };
  const planned = planAmong(due, obj, env, (n) => memory.firstMatched.get(n) ?? now);
  if (planned.dueAt > now) return { type: 'wait', stage: planned.stage, dueAt: planned.dueAt };
  memory.firstMatched.delete(planned.stage.name);
  const others = due.filter((s) => s !== planned.stage);
  const nextDueAt = others.length ? planAmong(others, obj, env, (n) => memory.firstMatched.get(n) ?? now).dueAt : undefined;
  return {
    type: 'play',
    stage: planned.stage,
    effects: planned.stage.next(obj, env, now),
    ...(nextDueAt === undefined ? {} : { nextDueAt }),
  };
}

/** The next of `matched` (stages known to apply, in list order, at least one) to play for `obj`, and when. */
function planAmong<T extends KubeObject, E>(
  matched: readonly Stage<T, E>[],
  obj: T,
  env: E,
  firstMatched: FirstMatched,
): { stage: Stage<T, E>; dueAt: number } {
  let best: { stage: Stage<T, E>; dueAt: number } | undefined;
  for (const stage of matched) {
    const anchor = stage.anchor?.(obj, env) ?? firstMatched(stage.name);
    const dueAt = anchor + Math.max(0, stage.delayMs(obj, env, anchor));
    if (!best || dueAt < best.dueAt) best = { stage, dueAt };
  }
  return best!;
}

/**
 * The stage engine (kwok's lifecycle): of the stages that apply to an object, the one due first
 * (list order breaks ties) is played when due. Pure: time and first-match instants come in.
 */
import type { KubeObject } from '../apimachinery/object.js';
import type { Effect, FirstMatched, Stage } from './stage.js';

export interface PlannedStage<T extends KubeObject, E> {
  stage: Stage<T, E>;
  /** When the stage fires (ms since the epoch). */
  dueAt: number;
}

/** The stages whose `when` holds, in list order. */
export function matchingStages<T extends KubeObject, E>(stages: readonly Stage<T, E>[], obj: T, env: E): Stage<T, E>[] {
  return stages.filter((s) => s.when(obj, env));
}

/** The next stage to play for `obj`, or undefined when no stage applies. */
export function planStage<T extends KubeObject, E>(
  stages: readonly Stage<T, E>[],
  obj: T,
  env: E,
  firstMatched: FirstMatched,
): PlannedStage<T, E> | undefined {
  return planAmong(matchingStages(stages, obj, env), obj, env, firstMatched);
}

/** The next of `matched` (stages already known to apply, in list order) to play for `obj`. */
export function planAmong<T extends KubeObject, E>(
  matched: readonly Stage<T, E>[],
  obj: T,
  env: E,
  firstMatched: FirstMatched,
): PlannedStage<T, E> | undefined {
  let best: PlannedStage<T, E> | undefined;
  for (const stage of matched) {
    const anchor = stage.anchor?.(obj, env) ?? firstMatched(stage.name);
    const dueAt = anchor + Math.max(0, stage.delayMs(obj, env));
    if (!best || dueAt < best.dueAt) best = { stage, dueAt };
  }
  return best;
}

/** The effects of playing a planned stage at `now` (nothing before it is due). */
export function playStage<T extends KubeObject, E>(planned: PlannedStage<T, E>, obj: T, env: E, now: number): Effect[] {
  if (now < planned.dueAt) return [];
  return planned.stage.next(obj, env, now);
}

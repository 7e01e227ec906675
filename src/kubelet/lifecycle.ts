/**
 * The stage engine (kwok's lifecycle): of the stages that apply to an object, the one due first
 * (list order breaks ties) is played when due. Pure: time comes in as `now`, and what the engine
 * remembers of an object between steps (its StageMemory) is kept by the caller, stage-runner.ts
 * per key, the golden tests per case.
 */
import type { KubeObject } from '../apimachinery/object.js';
import type { Effect, FirstMatched, Stage } from './stage.js';

/**
 * What the engine remembers of one object between steps: the stages that applied at the last step,
 * each with the instant it first matched (its delay counts from then, unless it has an anchor), and
 * the `once` stages played while they keep applying (the caller marks one once its effects are
 * written). A few names in small lists: most objects hold none or one between steps, and an empty
 * memory need not be kept (the caller drops it, a new one means the same).
 */
export class StageMemory {
  private matchedNames: string[] = [];
  /** Instants, by the index of matchedNames (doubles, unboxed in the list). */
  private matchedAt: number[] = [];
  private playedNames: string[] = [];

  /** When the stage named `name` first matched, if it applies. */
  firstMatched(name: string): number | undefined {
    const i = this.matchedNames.indexOf(name);
    return i < 0 ? undefined : this.matchedAt[i];
  }

  /**
   * Brings the memory up to the stages that apply `now`: one that stopped applying starts over (its
   * first match and its play are forgotten), one new first matched now.
   */
  track(applying: readonly { name: string }[], now: number): void {
    const applies = (name: string) => applying.some((s) => s.name === name);
    let kept = 0;
    for (let i = 0; i < this.matchedNames.length; i++) {
      if (!applies(this.matchedNames[i])) continue;
      this.matchedNames[kept] = this.matchedNames[i];
      this.matchedAt[kept++] = this.matchedAt[i];
    }
    this.matchedNames.length = kept;
    this.matchedAt.length = kept;
    for (const { name } of applying) {
      if (this.matchedNames.includes(name)) continue;
      this.matchedNames.push(name);
      this.matchedAt.push(now);
    }
    if (this.playedNames.length) this.playedNames = this.playedNames.filter(applies);
  }

  /** The stage named `name` played: its delay counts afresh the next time it matches. */
  forgetMatch(name: string): void {
    const i = this.matchedNames.indexOf(name);
    if (i < 0) return;
    this.matchedNames.splice(i, 1);
    this.matchedAt.splice(i, 1);
  }

  /** Marks the `once` stage named `name` played (while it keeps applying). */
  markPlayed(name: string): void {
    if (!this.playedNames.includes(name)) this.playedNames.push(name);
  }

  hasPlayed(name: string): boolean {
    return this.playedNames.includes(name);
  }

  get anyPlayed(): boolean {
    return this.playedNames.length > 0;
  }

  /** Remembers nothing: the same as a new memory. */
  get isEmpty(): boolean {
    return this.matchedNames.length === 0 && this.playedNames.length === 0;
  }
}

export function newStageMemory(): StageMemory {
  return new StageMemory();
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
  memory.track(matched, now);
  if (paused) return { type: 'paused' };
  const due = memory.anyPlayed ? matched.filter((s) => !(s.once && memory.hasPlayed(s.name))) : matched;
  if (due.length === 0) return { type: 'idle' };
  const planned = planAmong(due, obj, env, (n) => memory.firstMatched(n) ?? now);
  if (planned.dueAt > now) return { type: 'wait', stage: planned.stage, dueAt: planned.dueAt };
  memory.forgetMatch(planned.stage.name);
  const others = due.filter((s) => s !== planned.stage);
  const nextDueAt = others.length ? planAmong(others, obj, env, (n) => memory.firstMatched(n) ?? now).dueAt : undefined;
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

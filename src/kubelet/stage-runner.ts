/**
 * A Controller that plays stages (kwok's StageController): for one key it loads the object and
 * its environment, takes the engine's step (lifecycle.ts) with the key's memory, waits for the
 * next stage with requeueAfterMs, then writes its effects through the registry like any client.
 * The object's own watch event brings the key back for the following stage, so nothing is
 * written when nothing is due.
 */
import { deepClone, type KubeObject } from '../apimachinery/object.js';
import { StatusError } from '../apimachinery/status.js';
import type { ControllerContext } from '../controllers/context.js';
import { resourceKey } from '../registry/resource-definition.js';
import type { EventSource } from '../controllers/events/recorder.js';
import type { Controller, WatchSpec } from '../controllers/runtime/controller.js';
import { newStageMemory, stageStep, type StageMemory } from './lifecycle.js';
import type { Effect, Stage } from './stage.js';
import type { KubeletContext } from './kubelet-state.js';

export interface Loaded<T extends KubeObject, E> {
  obj: T;
  env: E;
  /** The kubelet is cut off (unreachable node): look again after pollMs, write nothing. */
  paused: boolean;
  /** Who the events come from. */
  source: EventSource;
}

export interface StageRunnerSpec<T extends KubeObject, E> {
  name: string;
  resource: string;
  group?: string;
  stages: readonly Stage<T, E>[];
  caches: { resource: string; group?: string }[];
  watches: WatchSpec[];
  initialKeys(): string[];
  setup?(): void;
  /** The object and what its stages look at; undefined once it is gone. */
  load(key: string): Loaded<T, E> | undefined;
  pollMs(): number;
  /** The controller's turn budget (Controller.turnBudgetMs). */
  turnBudgetMs?: number;
}

/** The manager the kubelet's writes are recorded under in managedFields (its user agent's program name). */
export const KUBELET_FIELD_MANAGER = 'kubelet';
/** A StatusError that means the object moved on (gone, changed, namespace closing): its own event requeues the key. */
const superseded = (e: unknown) => e instanceof StatusError && [403, 404, 409].includes(e.code);

/** Writes a stage's effects. */
function applyEffects(ctx: KubeletContext, resource: string, group: string, obj: KubeObject, effects: Effect[], source: EventSource): void {
  const store = ctx.registry.store(resource, group);
  const { namespace, name } = obj.metadata;
  for (const e of ctx.kubelets.effectFilter.apply(resource, obj, effects)) {
    try {
      // The stage built this object from the cached one, resourceVersion included: a conditional
      // update. The store rewrites top-level fields and metadata only; the nested ones stay shared.
      // The cached object is the stored one at that revision: nothing is read back (updateKnown).
      if (e.type === 'update')
        store.updateKnown(
          obj,
          { ...e.object, metadata: { ...e.object.metadata } },
          e.subresource ? { subresource: e.subresource, fieldManager: KUBELET_FIELD_MANAGER } : { fieldManager: KUBELET_FIELD_MANAGER },
        );
      else if (e.type === 'delete')
        store.delete(namespace, name!, { gracePeriodSeconds: e.gracePeriodSeconds, preconditions: { uid: obj.metadata.uid } });
      else if (e.type === 'event') ctx.events.record(source, obj, e.eventType, e.reason, e.message, e.fieldPath);
      else applyObject(ctx, e.resource, e.group, e.object);
    } catch (err) {
      if (superseded(err)) return;
      throw err;
    }
  }
}

/**
 * Replaces the spec of an existing object, or creates it. From the controllers' cached copy (a node's
 * Lease) a renewal is one conditional update that reads nothing back; when the cache is behind,
 * the read-modify-write below.
 */
function applyObject(ctx: ControllerContext, resource: string, group: string, obj: KubeObject): void {
  const store = ctx.registry.store(resource, group);
  const { namespace, name } = obj.metadata;
  const cached = resourceKey(group, resource);
  const current = ctx.cache.tracks(cached) ? ctx.cache.get(cached, namespace, name!) : undefined;
  if (current) {
    try {
      const desired = { ...current, metadata: { ...current.metadata }, spec: { ...(current.spec as object), ...(obj.spec as object) } };
      store.updateKnown(current, desired, { fieldManager: KUBELET_FIELD_MANAGER });
      return;
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 409)) throw err;
    }
  }
  try {
    store.patch(namespace, name!, (cur) => ({ ...cur, spec: { ...(cur.spec as object), ...(obj.spec as object) } }), {
      fieldManager: KUBELET_FIELD_MANAGER,
    });
  } catch (err) {
    if (!(err instanceof StatusError && err.code === 404)) throw err;
    store.create(deepClone(obj), { fieldManager: KUBELET_FIELD_MANAGER });
  }
}

export function stageController<T extends KubeObject, E>(ctx: KubeletContext, spec: StageRunnerSpec<T, E>): Controller {
  /** What the engine remembers of each key's object (first-match instants, `once` stages played). */
  const memories = new Map<string, StageMemory>();
  return {
    name: spec.name,
    caches: spec.caches,
    watches: spec.watches,
    initialKeys: () => spec.initialKeys(),
    setup: spec.setup,
    ...(spec.turnBudgetMs === undefined ? {} : { turnBudgetMs: spec.turnBudgetMs }),
    reconcile(key) {
      const loaded = spec.load(key);
      const kept = memories.get(key);
      const memory = kept ?? newStageMemory();
      const now = ctx.clock.now();
      const step = loaded ? stageStep(spec.stages, loaded.obj, loaded.env, memory, now, loaded.paused) : undefined;
      if (!loaded || !step || step.type === 'none') {
        if (kept) memories.delete(key);
        return;
      }
      // An empty memory is not kept (a new one is the same), unless a `once` stage is marked played in it below.
      const playedOnce = step.type === 'play' && step.stage.once === true;
      if (!memory.isEmpty || playedOnce) {
        if (!kept) memories.set(key, memory);
      } else if (kept) memories.delete(key);
      if (step.type === 'paused') return { requeueAfterMs: spec.pollMs() };
      if (step.type === 'idle') return undefined;
      if (step.type === 'wait') return { requeueAfterMs: step.dueAt - now };
      const write = () => applyEffects(ctx, spec.resource, spec.group ?? '', loaded.obj, step.effects, loaded.source);
      if (step.stage.heartbeat) {
        // The next heartbeat is looked for on the kubelet's own timer, not from the watch event of
        // this one (which may not come: a batched write that loses a race is dropped, and the
        // kubelet's watch need not wake it for its own renewal).
        ctx.registry.batched(write);
        const next = step.nextDueAt === undefined ? Infinity : Math.max(0, step.nextDueAt - now);
        return { requeueAfterMs: Math.min(spec.pollMs(), next) };
      }
      // The kubelet does not wait on its writes: on etcd they join the turn's one transaction (a
      // write that loses a race is dropped, and the pod's next watch event brings its key back).
      ctx.registry.batched(write);
      if (!step.stage.once) return undefined;
      // Nothing was written, so no watch event brings the key back for the stages that follow.
      memory.markPlayed(step.stage.name);
      return { requeueAfterMs: 0 };
    },
  };
}

/**
 * Simulated behaviour as data (kwok's Stage): a stage says when it applies to an object, how long
 * after it first applied it fires, and what it then writes. The engine (lifecycle.ts) is generic;
 * pod-stages.ts and node-stages.ts are the lists.
 */
import type { KubeObject } from '../apimachinery/object.js';
import type { EventType } from '../controllers/events/recorder.js';

export type Effect =
  /** Replace the object (or its /status) with `object`, whose resourceVersion pins what was read. */
  | { type: 'update'; subresource?: 'status'; object: KubeObject }
  /** DELETE the object itself (uid precondition), e.g. with grace 0 once containers are stopped. */
  | { type: 'delete'; gracePeriodSeconds: number }
  /** Create another object, or replace the spec of the existing one (a node's Lease). */
  | { type: 'apply'; resource: string; group: string; object: KubeObject }
  /**
   * A core/v1 Event about the object; with `fieldPath`, about a part of it (a pod's container:
   * container-ref.ts), which the Event's involvedObject then names.
   */
  | { type: 'event'; eventType: EventType; reason: string; message: string; fieldPath?: string };

export interface Stage<T extends KubeObject, E> {
  name: string;
  /**
   * The stage announces a step (events only, nothing written): it plays once each time it starts
   * to apply, instead of whenever it applies, since no write of its own marks it done.
   */
  once?: boolean;
  /**
   * The stage's writes are heartbeats the kubelet does not wait on (a Lease renewal, the periodic
   * status report): they may join a batch of writes (Registry.batched), and one that loses a race
   * is written again at the next heartbeat.
   */
  heartbeat?: boolean;
  /** Whether the stage applies to the object as it is now. */
  when(obj: T, env: E): boolean;
  /** How long after its anchor the stage fires; `from` is that anchor (the instant the delay counts from). */
  delayMs(obj: T, env: E, from: number): number;
  /** The instant the delay counts from when the object records one (a Lease's renewTime); default: when the stage first matched. */
  anchor?(obj: T, env: E): number | undefined;
  /**
   * The writes the stage makes, at `now`. Must change something, or return []. `obj` is the
   * controllers' shared cached copy: build new objects (spreads), never change it (the golden
   * tests freeze it).
   */
  next(obj: T, env: E, now: number): Effect[];
}

/** The first-match instants the engine needs, per stage name (kept by the controller). */
export type FirstMatched = (stageName: string) => number;

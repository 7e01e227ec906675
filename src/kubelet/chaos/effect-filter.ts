/**
 * The one seam between chaos and the simulated kubelet: before the kubelet writes what a stage
 * decided, a filter registered for the registry may rewrite it (a pod told never to become ready
 * keeps its containers unready whatever the kubelet would report).
 */
import type { KubeObject } from '../../apimachinery/object.js';
import type { Registry } from '../../registry/registry.js';
import type { Effect } from '../stage.js';

export type EffectFilter = (resource: string, obj: KubeObject, effects: Effect[]) => Effect[];

const filters = new WeakMap<Registry, EffectFilter>();

export function setEffectFilter(registry: Registry, filter: EffectFilter | undefined): void {
  if (filter) filters.set(registry, filter);
  else filters.delete(registry);
}

/** The effects the kubelet should apply for `obj` (unchanged when no filter is set). */
export function filterEffects(registry: Registry, resource: string, obj: KubeObject, effects: Effect[]): Effect[] {
  const filter = filters.get(registry);
  return filter ? filter(resource, obj, effects) : effects;
}

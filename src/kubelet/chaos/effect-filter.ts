/**
 * The one seam between chaos and the simulated kubelet: before the kubelet writes what a stage
 * decided, the filter chaos set may rewrite it (a pod told never to become ready keeps its
 * containers unready whatever the kubelet would report). Each app has its own (in its KubeletState).
 */
import type { KubeObject } from '../../apimachinery/object.js';
import type { Effect } from '../stage.js';

export type EffectFilter = (resource: string, obj: KubeObject, effects: Effect[]) => Effect[];

export class EffectFilterHook {
  private filter: EffectFilter | undefined;

  set(filter: EffectFilter | undefined): void {
    this.filter = filter;
  }

  /** The effects the kubelet should apply for `obj` (unchanged when no filter is set). */
  apply(resource: string, obj: KubeObject, effects: Effect[]): Effect[] {
    return this.filter ? this.filter(resource, obj, effects) : effects;
  }
}

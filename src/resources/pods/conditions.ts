/** Setting one pod condition as upstream's UpdatePodCondition does (pod GC and eviction both mark pods). */
import { rfc3339 } from '../../apimachinery/object.js';
import type { StoredPod, StoredPodCondition as PodCondition } from '../stored.js';

export type { PodCondition };

export type NewPodCondition = Omit<PodCondition, 'lastProbeTime' | 'lastTransitionTime'>;

/** Replaces the condition of that type (or appends it); the transition time moves only when the status does. */
export function withPodCondition(conditions: PodCondition[] | undefined, c: NewPodCondition, now: number): PodCondition[] {
  const list = (conditions ?? []).slice();
  const i = list.findIndex((x) => x.type === c.type);
  const old = i >= 0 ? list[i] : undefined;
  const lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now);
  const next: PodCondition = { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime };
  if (c.reason !== undefined) next.reason = c.reason;
  if (c.message !== undefined) next.message = c.message;
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

/** The pod's Ready condition (the first of that type), as podutil.GetPodReadyCondition. */
export function podReadyCondition(pod: Pick<StoredPod, 'status'>): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pick<StoredPod, 'status'>): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Whether the conditions already hold `c` (same status, reason and message). */
export function hasPodCondition(conditions: PodCondition[] | undefined, c: NewPodCondition): boolean {
  return !!conditions?.some((x) => x.type === c.type && x.status === c.status && x.reason === c.reason && x.message === c.message);
}

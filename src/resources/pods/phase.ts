/** A pod's phase, as podutil reads it. */
import type { StoredPod } from '../stored.js';

/** podutil.IsPodTerminal: the pod has Succeeded or Failed (it will not run again). */
export function isPodTerminal(pod: Pick<StoredPod, 'status'>): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

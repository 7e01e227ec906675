/** Pod facts the DaemonSet controller decides by: ready, available, target node, age order. */
import { podReadyCondition } from '../../resources/pods/conditions.js';
import type { StoredPod } from '../../resources/stored.js';

export const REVISION_HASH_LABEL = 'controller-revision-hash';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** Ready for longer than minReadySeconds (strictly), as IsPodAvailable. */
export function isPodAvailable(pod: StoredPod, minReadySeconds: number, now: number): boolean {
  const ready = podReadyCondition(pod);
  if (ready?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  if (!ready.lastTransitionTime) return false;
  return Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000 < now;
}

/** Milliseconds until the pod becomes available, if it is ready but not yet available. */
export function untilAvailableMs(pod: StoredPod, minReadySeconds: number, now: number): number | undefined {
  const ready = podReadyCondition(pod);
  if (ready?.status !== 'True' || !minReadySeconds || !ready.lastTransitionTime) return undefined;
  const due = Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000 + 1;
  return due > now ? due - now : undefined;
}

/** spec.nodeName, or the node named by the controller's matchFields affinity (pods not yet bound). */
export function targetNodeName(pod: StoredPod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** Bound pods first, then the oldest, then by name (podByCreationTimestampAndPhase). */
export function compareDaemonPods(a: StoredPod, b: StoredPod): number {
  const boundA = a.spec.nodeName ? 0 : 1;
  const boundB = b.spec.nodeName ? 0 : 1;
  if (boundA !== boundB) return boundA - boundB;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

export function revisionHash(pod: StoredPod): string | undefined {
  return pod.metadata.labels?.[REVISION_HASH_LABEL];
}

/**
 * util.IsPodUpdated: the pod carries the current revision hash, or (backward compatibility) its
 * pod-template-generation label equals the DaemonSet's template generation.
 */
export function isPodUpdated(pod: StoredPod, hash: string, templateGeneration: string | undefined): boolean {
  const labels = pod.metadata.labels;
  const hashMatches = hash.length > 0 && labels?.[REVISION_HASH_LABEL] === hash;
  const generationMatches = templateGeneration !== undefined && labels?.[TEMPLATE_GENERATION_LABEL] === templateGeneration;
  return hashMatches || generationMatches;
}

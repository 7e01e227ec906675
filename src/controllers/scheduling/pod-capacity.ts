/**
 * A node's pod capacity, as the scheduler's NodeResourcesFit filter reads it: the pods already
 * bound there (not yet finished) plus the new one must not pass `status.allocatable.pods` (the
 * kubelet's --max-pods, 110 by default). Pure functions.
 */
import type { StoredNode } from '../../resources/stored.js';

/** NodeResourcesFit's reason when the pod count is used up. */
export const TOO_MANY_PODS_REASON = 'Too many pods';

const SUFFIXES: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };

/**
 * How many pods the node takes: its allocatable `pods` quantity (a whole number, perhaps with a
 * decimal or binary suffix); undefined when the node does not report one yet (no limit is applied
 * until its kubelet fills it in).
 */
export function allowedPodNumber(node: StoredNode): number | undefined {
  const raw = (node.status?.allocatable as Record<string, unknown> | undefined)?.pods;
  if (typeof raw !== 'string') return undefined;
  const m = /^(\d+)(k|M|G|Ki|Mi|Gi)?$/.exec(raw.trim());
  if (!m) return undefined;
  return Number(m[1]) * (m[2] ? SUFFIXES[m[2]] : 1);
}

/** Whether one more pod would pass the node's pod capacity, with `podsOnNode` already there. */
export function tooManyPods(node: StoredNode, podsOnNode: number): boolean {
  const allowed = allowedPodNumber(node);
  return allowed !== undefined && podsOnNode + 1 > allowed;
}

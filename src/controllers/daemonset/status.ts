/** DaemonSet status from nodes and pods (updateDaemonSetStatus), as upstream counts it: node by node, then summed. */
import { isPodReady } from '../../resources/pods/conditions.js';
import { compareDaemonPods, isPodAvailable, isPodUpdated } from './pod-state.js';
import { templateGeneration, type Eligibility } from './plan.js';
import type { StoredDaemonSet, StoredNode, StoredPod } from '../../resources/stored.js';
import type { DaemonSetStatus } from '../../resources/schemas.js';

const NO_PODS: readonly StoredPod[] = [];

/** What one node adds to the status counts (nodeCounts): one bit per count. */
const DESIRED = 1;
const CURRENT = 2;
const READY = 4;
const AVAILABLE = 8;
const UPDATED = 16;
const MISSCHEDULED = 32;
const BITS = [DESIRED, CURRENT, READY, AVAILABLE, UPDATED, MISSCHEDULED] as const;

/** The pod facts the counts depend on besides the node's pods: the DaemonSet's revision, and the time (only with minReadySeconds). */
export interface CountContext {
  hash: string;
  generation: string | undefined;
  minReadySeconds: number;
  now: number;
}

export function countContext(ds: StoredDaemonSet, hash: string, now: number): CountContext {
  return { hash, generation: templateGeneration(ds), minReadySeconds: ds.spec.minReadySeconds ?? 0, now };
}

/** One node's part of the counts: desired and scheduled where it should run a pod, else misscheduled if it runs one. */
export function nodeCounts(eligibility: Eligibility | undefined, pods: readonly StoredPod[], c: CountContext): number {
  if (!eligibility?.shouldRun) return pods.length > 0 ? MISSCHEDULED : 0;
  if (pods.length === 0) return DESIRED;
  let bits = DESIRED | CURRENT;
  const oldest = pods.length === 1 ? pods[0] : pods.reduce((a, b) => (compareDaemonPods(b, a) < 0 ? b : a));
  if (isPodReady(oldest)) {
    bits |= READY;
    if (isPodAvailable(oldest, c.minReadySeconds, c.now)) bits |= AVAILABLE;
  }
  if (isPodUpdated(oldest, c.hash, c.generation)) bits |= UPDATED;
  return bits;
}

/** Status counts summed node by node: add and remove nodes' parts as they change (a DaemonSet's pass recounts only its changed nodes). */
export class StatusCounts {
  private readonly totals = [0, 0, 0, 0, 0, 0];

  add(bits: number, sign: 1 | -1 = 1): void {
    for (let i = 0; i < BITS.length; i++) if (bits & BITS[i]) this.totals[i] += sign;
  }

  /** The status these counts make, with what the DaemonSet carries over (observedGeneration, collisionCount, conditions). */
  status(ds: StoredDaemonSet): DaemonSetStatus {
    const [desired, current, ready, available, updated, misscheduled] = this.totals;
    const status: DaemonSetStatus = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
    };
    if (ds.metadata.generation) status.observedGeneration = ds.metadata.generation;
    if (updated) status.updatedNumberScheduled = updated;
    if (available) status.numberAvailable = available;
    if (desired - available) status.numberUnavailable = desired - available;
    if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount;
    if (ds.status?.conditions) status.conditions = ds.status.conditions;
    return status;
  }
}

export function computeStatus(
  ds: StoredDaemonSet,
  nodes: StoredNode[],
  eligibility: Map<string, Eligibility>,
  podsByNode: ReadonlyMap<string, readonly StoredPod[]>,
  hash: string,
  now: number,
): DaemonSetStatus {
  const c = countContext(ds, hash, now);
  const counts = new StatusCounts();
  for (const node of nodes) {
    const name = node.metadata.name!;
    counts.add(nodeCounts(eligibility.get(name), podsByNode.get(name) ?? NO_PODS, c));
  }
  return counts.status(ds);
}

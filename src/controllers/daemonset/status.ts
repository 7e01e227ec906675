/** DaemonSet status from nodes and pods (updateDaemonSetStatus), as upstream counts it. */
import { isPodReady } from '../../resources/pods/conditions.js';
import { compareDaemonPods, isPodAvailable, isPodUpdated } from './pod-state.js';
import { templateGeneration, type Eligibility } from './plan.js';
import type { StoredDaemonSet, StoredNode, StoredPod } from '../../resources/stored.js';
import type { DaemonSetStatus } from '../../resources/schemas.js';

const NO_PODS: readonly StoredPod[] = [];

export function computeStatus(
  ds: StoredDaemonSet,
  nodes: StoredNode[],
  eligibility: Map<string, Eligibility>,
  podsByNode: ReadonlyMap<string, readonly StoredPod[]>,
  hash: string,
  now: number,
): DaemonSetStatus {
  let desired = 0;
  let current = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  let misscheduled = 0;
  const minReady = ds.spec.minReadySeconds ?? 0;
  const generation = templateGeneration(ds);
  for (const node of nodes) {
    const name = node.metadata.name!;
    const pods = podsByNode.get(name) ?? NO_PODS;
    if (eligibility.get(name)?.shouldRun) {
      desired++;
      if (pods.length === 0) continue;
      current++;
      const oldest = pods.length === 1 ? pods[0] : pods.reduce((a, b) => (compareDaemonPods(b, a) < 0 ? b : a));
      if (isPodReady(oldest)) {
        ready++;
        if (isPodAvailable(oldest, minReady, now)) available++;
      }
      if (isPodUpdated(oldest, hash, generation)) updated++;
    } else if (pods.length > 0) misscheduled++;
  }
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

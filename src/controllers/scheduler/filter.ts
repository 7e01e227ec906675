/**
 * The scheduler's feasibility checks (its default Filter plugins, in their order) and the message
 * it gives when no node fits. Pure functions over plain objects.
 */
import { describeTaint, findUntoleratedTaint, toleratesTaint } from '../scheduling/taints.js';
import type { Taint } from '../../resources/schemas.js';
import { podFitsNodeAffinity } from '../scheduling/node-affinity.js';
import { NODE_PORTS_REASON, hostPortsConflict } from '../scheduling/host-ports.js';
import { TOO_MANY_PODS_REASON, tooManyPods } from '../scheduling/pod-capacity.js';
import type { StoredNode, StoredPod } from '../../resources/stored.js';

export interface FilterFailure {
  reason: string;
  /** Whether evicting other pods could help (Unschedulable) or not (UnschedulableAndUnresolvable). */
  resolvable: boolean;
}

export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
export const AFFINITY_MISMATCH: FilterFailure = { reason: "node(s) didn't match Pod's node affinity/selector", resolvable: false };

/**
 * The first filter the node fails for the pod (NodeUnschedulable, TaintToleration, NodeAffinity,
 * NodePorts, NodeResourcesFit's pod count), or undefined.
 */
export function filterNode(pod: StoredPod, node: StoredNode, podsOnNode: readonly StoredPod[]): FilterFailure | undefined {
  const tolerations = pod.spec?.tolerations;
  if (node.spec?.unschedulable && !toleratesTaint(tolerations, UNSCHEDULABLE_TAINT))
    return { reason: 'node(s) were unschedulable', resolvable: false };
  const taint = findUntoleratedTaint(node.spec?.taints, tolerations, ['NoSchedule', 'NoExecute']);
  if (taint) return { reason: `node(s) had untolerated taint ${describeTaint(taint)}`, resolvable: false };
  if (!podFitsNodeAffinity(pod.spec, node)) return AFFINITY_MISMATCH;
  if (hostPortsConflict(pod, podsOnNode)) return { reason: NODE_PORTS_REASON, resolvable: true };
  if (tooManyPods(node, podsOnNode.length)) return { reason: TOO_MANY_PODS_REASON, resolvable: true };
  return undefined;
}

/**
 * NodeAffinity's PreFilter: the only node names the pod can go to when every required term pins
 * `metadata.name` with In; undefined when any node may fit.
 */
export function candidateNodeNames(pod: StoredPod): Set<string> | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return undefined;
  const names = new Set<string>();
  for (const term of terms) {
    const pin = (term.matchFields ?? []).find((r) => r.key === 'metadata.name' && r.operator === 'In');
    if (!pin) return undefined;
    for (const v of pin.values ?? []) names.add(v);
  }
  return names;
}

const countedList = (counts: Map<string, number>) =>
  [...counts]
    .map(([reason, n]) => `${n} ${reason}`)
    .sort()
    .join(', ');

/** `0/4 nodes are available: <n reason>, …. preemption: 0/4 nodes are available: …` (FitError). */
export function fitErrorMessage(totalNodes: number, failures: readonly FilterFailure[]): string {
  if (totalNodes === 0) return 'no nodes available to schedule pods';
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const f of failures) {
    reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1);
    const p = f.resolvable ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling';
    preemption.set(p, (preemption.get(p) ?? 0) + 1);
  }
  return `0/${totalNodes} nodes are available: ${countedList(reasons)}. preemption: 0/${totalNodes} nodes are available: ${countedList(preemption)}.`;
}

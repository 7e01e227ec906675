/**
 * The node lifecycle controller's plans, pure: which taints a node's conditions and
 * spec.unschedulable call for, when a silent kubelet makes its conditions Unknown, and when a pod
 * on a NoExecute-tainted node must be evicted.
 */
import { rfc3339 } from '../../apimachinery/object.js';
import { findUntoleratedTaint, tolerates } from '../scheduling/taints.js';
import { nodeReadyCondition } from '../../resources/nodes/conditions.js';
import type { Node, NodeCondition, Taint, Toleration } from '../../resources/schemas.js';

export const NOT_READY = 'node.kubernetes.io/not-ready';
export const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** Condition type → status → taint key (NoSchedule), as the node lifecycle controller maps them. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: NOT_READY, Unknown: UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const MANAGED_NO_SCHEDULE = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), UNSCHEDULABLE]);
const MANAGED_NO_EXECUTE = new Set([NOT_READY, UNREACHABLE]);

const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
const managed = (t: Taint) =>
  (t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key)) || (t.effect === 'NoExecute' && MANAGED_NO_EXECUTE.has(t.key));

/**
 * The node's taints once the controller is done: taints it does not manage stay as they are;
 * managed ones follow the conditions (NoExecute ones stamped with timeAdded) and unschedulable.
 */
export function desiredTaints(node: Pick<Node, 'spec' | 'status'>, now: number): Taint[] {
  const wanted: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) wanted.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) wanted.push({ key: UNSCHEDULABLE, effect: 'NoSchedule' });
  const ready = nodeReadyCondition(node)?.status;
  if (ready === 'False') wanted.push({ key: NOT_READY, effect: 'NoExecute', timeAdded: rfc3339(now) });
  if (ready === 'Unknown') wanted.push({ key: UNREACHABLE, effect: 'NoExecute', timeAdded: rfc3339(now) });
  const current = node.spec?.taints ?? [];
  const kept = current.filter((t) => !managed(t) || wanted.some((w) => same(w, t)));
  return [...kept, ...wanted.filter((w) => !kept.some((t) => same(t, w)))];
}

/** nodeMonitorGracePeriod: how long a kubelet may go without renewing its Lease. */
export const NODE_MONITOR_GRACE_MS = 40_000;
const SILENT = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * The conditions of a node whose kubelet went silent: each kubelet condition Unknown
 * (NodeStatusUnknown, or NodeStatusNeverUpdated for one never posted); undefined when nothing changes.
 */
export function silentNodeConditions(node: Pick<Node, 'metadata' | 'status'>, now: number): NodeCondition[] | undefined {
  const at = rfc3339(now);
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of SILENT) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      const created = node.metadata?.creationTimestamp ?? at;
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: created,
        lastTransitionTime: at,
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      Object.assign(c, {
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastTransitionTime: at,
      });
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

export type EvictionPlan = { evictAt: number } | { keep: true };

/**
 * Taint-based eviction for a pod on a node: now when a NoExecute taint is not tolerated; else
 * when the shortest tolerationSeconds of the tolerations in use (the first one tolerating each taint) has passed since the taint was
 * added (`firstSeen` when the taint has no timeAdded); never when none of them is bounded.
 */
export function evictionPlan(
  tolerations: readonly Toleration[] | undefined,
  taints: readonly Taint[] | undefined,
  firstSeen: number,
): EvictionPlan {
  const noExecute = (taints ?? []).filter((t) => t.effect === 'NoExecute');
  if (!noExecute.length) return { keep: true };
  if (findUntoleratedTaint(noExecute, tolerations, ['NoExecute'])) return { evictAt: Number.NEGATIVE_INFINITY };
  let evictAt = Number.POSITIVE_INFINITY;
  for (const taint of noExecute) {
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : firstSeen;
    // Upstream uses the first toleration that tolerates each taint.
    const tol = (tolerations ?? []).find((t) => tolerates(t, taint));
    if (tol?.tolerationSeconds === undefined || tol.tolerationSeconds === null) continue;
    evictAt = Math.min(evictAt, added + Math.max(0, tol.tolerationSeconds) * 1000);
  }
  return evictAt === Number.POSITIVE_INFINITY ? { keep: true } : { evictAt };
}

/**
 * NodeShouldRunDaemonPod: whether a node should get a pod of this DaemonSet (node name, node
 * affinity and selector, NoSchedule/NoExecute taints against the pod's tolerations) and whether
 * an existing pod may stay (only an untolerated NoExecute taint evicts).
 */
import { podFitsNodeAffinity } from '../scheduling/node-affinity.js';
import { findUntoleratedTaint } from '../scheduling/taints.js';
import type { Eligibility } from './plan.js';
import { withDaemonTolerations } from './pod-template.js';
import type { StoredDaemonSet, StoredNode } from '../../resources/stored.js';

export function nodeShouldRunDaemonPod(node: StoredNode, ds: StoredDaemonSet): Eligibility {
  const spec = ds.spec.template.spec;
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return no;
  if (!podFitsNodeAffinity(spec, node)) return no;
  const tolerations = withDaemonTolerations(spec.tolerations, Boolean(spec.hostNetwork));
  const taints = node.spec?.taints;
  if (!findUntoleratedTaint(taints, tolerations, ['NoSchedule', 'NoExecute'])) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !findUntoleratedTaint(taints, tolerations, ['NoExecute']) };
}

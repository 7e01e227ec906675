/**
 * What the simulated kubelet does to its Node, as stages (kwok's node-initialize and
 * node-heartbeat-with-lease): give a node a podCIDR and the kubelet's default labels, register
 * its status over one created without it or with part of it (a fixture with only a Ready
 * condition), renew the node Lease every heartbeat, report the status again only every five
 * minutes (as a real kubelet does), and report Ready again once it can reach the API server.
 */
import { parseRfc3339, rfc3339 } from '../../apimachinery/object.js';
import type { ControllerSettings } from '../../controllers/context.js';
import { nodeLease, renewalDelayMs } from '../lease.js';
import {
  completeNodeStatus,
  defaultNodeLabels,
  KUBELET_NODE_CONDITIONS,
  missingNodeStatus,
  nodeIndexOfPodCIDR,
  nodePodCIDR,
  readyNodeStatus,
} from '../node-status.js';
import type { Effect, Stage } from '../stage.js';
import { isNodeReady, nodeReadyCondition } from '../../resources/nodes/conditions.js';
import type { StoredLease, StoredNode } from '../../resources/stored.js';

export interface NodeEnv {
  /** The node's Lease in kube-node-lease, if any. */
  lease?: StoredLease;
  settings: Pick<ControllerSettings, 'nodeHeartbeatMs'>;
  /** podCIDRs other nodes already hold. */
  podCIDRsInUse(): ReadonlySet<string>;
}

export type NodeStage = Stage<StoredNode, NodeEnv>;

/** nodeStatusReportFrequency: an unchanged status is posted again this often. */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;

/** Reasons the node lifecycle controller gives when the kubelet went quiet. */
const SILENT_REASONS = ['NodeStatusUnknown', 'NodeStatusNeverUpdated'];

/** The node's index: from its podCIDR, else `node-N`'s N when free, else the lowest free one. */
function nodeIndex(node: StoredNode, env: NodeEnv): number {
  const own = nodeIndexOfPodCIDR(node.spec?.podCIDR);
  if (own !== undefined) return own;
  const used = env.podCIDRsInUse();
  const named = Number(/-(\d+)$/.exec(node.metadata.name ?? '')?.[1]);
  if (Number.isInteger(named) && named > 0 && !used.has(nodePodCIDR(named))) return named;
  let i = 1;
  while (used.has(nodePodCIDR(i))) i++;
  return i;
}

/**
 * The status the kubelet posts: what the node already reports (a user may create a node with its
 * addresses or capacity) completed with its own registration, and its conditions fresh.
 */
function postedStatus(node: StoredNode, env: NodeEnv, now: number): Record<string, unknown> {
  return completeNodeStatus(node.status, readyNodeStatus({ name: node.metadata.name ?? '', index: nodeIndex(node, env), now }), now);
}

/**
 * Default labels the node lacks (a user's value of one is kept). Asked at every heartbeat of every
 * node (the node-default-labels stage's condition): built by one loop, no lists of entries.
 */
function missingLabels(node: StoredNode): Record<string, string> {
  const labels = node.metadata.labels ?? {};
  const defaults = defaultNodeLabels(node.metadata.name ?? '', labels);
  const missing: Record<string, string> = {};
  for (const key in defaults) if (labels[key] === undefined) missing[key] = defaults[key];
  return missing;
}

const nodeReadyEvent = (node: StoredNode): Effect => ({
  type: 'event',
  eventType: 'Normal',
  reason: 'NodeReady',
  message: `Node ${node.metadata.name} status is now: NodeReady`,
});
/** The kubelet records NodeReady when its Ready condition turns True, not when it stays True. */
const becameReady = (node: StoredNode): Effect[] => (isNodeReady(node) ? [] : [nodeReadyEvent(node)]);

export const nodeStages: NodeStage[] = [
  {
    name: 'node-pod-cidr',
    when: (node) => !node.spec?.podCIDR,
    delayMs: () => 0,
    next(node, env) {
      const cidr = nodePodCIDR(nodeIndex(node, env));
      return [{ type: 'update', object: { ...node, spec: { ...node.spec, podCIDR: cidr, podCIDRs: [cidr] } } }];
    },
  },
  {
    // A kubelet registering with a Node that exists (created by a user, a fixture, kubectl)
    // keeps its labels and adds the default ones it lacks.
    name: 'node-default-labels',
    when: (node) => Object.keys(missingLabels(node)).length > 0,
    delayMs: () => 0,
    next: (node) => [
      { type: 'update', object: { ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, ...missingLabels(node) } } } },
    ],
  },
  {
    // ... and posts its whole status over whatever part of it was written before.
    name: 'node-initialize',
    when: (node) => missingNodeStatus(node.status).length > 0,
    delayMs: () => 0,
    next: (node, env, now) => [
      { type: 'update', subresource: 'status', object: { ...node, status: postedStatus(node, env, now) } },
      ...becameReady(node),
    ],
  },
  {
    // A reachable kubelet whose node was marked Unknown posts its real status at its next sync.
    name: 'node-recover',
    when: (node) => SILENT_REASONS.includes(nodeReadyCondition(node)?.reason ?? ''),
    delayMs: (_node, env) => env.settings.nodeHeartbeatMs,
    next: (node, env, now) => [
      { type: 'update', subresource: 'status', object: { ...node, status: postedStatus(node, env, now) } },
      nodeReadyEvent(node),
    ],
  },
  {
    name: 'node-status-report',
    heartbeat: true,
    when: (node) => isNodeReady(node),
    anchor: (node) => parseRfc3339(nodeReadyCondition(node)?.lastHeartbeatTime),
    delayMs: () => NODE_STATUS_REPORT_MS,
    next(node, _env, now) {
      const at = rfc3339(now);
      const conditions = (node.status?.conditions ?? []).map((c) =>
        KUBELET_NODE_CONDITIONS.includes(c.type) ? { ...c, lastHeartbeatTime: at } : c,
      );
      return [{ type: 'update', subresource: 'status', object: { ...node, status: { ...node.status, conditions } } }];
    },
  },
  {
    name: 'node-heartbeat',
    heartbeat: true,
    when: () => true,
    anchor: (_node, env) => parseRfc3339(env.lease?.spec?.renewTime),
    // `from`: the anchor, the Lease's renewTime (when the stage first matched if it has none).
    delayMs: (_node, env, from) => (env.lease ? renewalDelayMs(from, env.settings.nodeHeartbeatMs) : 0),
    next: (node, _env, now) => [{ type: 'apply', resource: 'leases', group: 'coordination.k8s.io', object: nodeLease(node, now) }],
  },
];

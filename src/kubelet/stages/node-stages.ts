/**
 * What the simulated kubelet does to its Node, as stages (kwok's node-initialize and
 * node-heartbeat-with-lease): give a node a podCIDR, register a status for a node created without
 * one, renew the node Lease every heartbeat, report the status again only every five minutes (as
 * a real kubelet does), and report Ready again once it can reach the API server.
 */
import { rfc3339, type KubeObject } from '../../apimachinery/object.js';
import type { ControllerSettings } from '../../controllers/context.js';
import type { Lease } from '../../resources/leases/definition.js';
import { nodeLease, timeOf } from '../lease.js';
import { kubeletConditions, nodeIndexOfPodCIDR, nodePodCIDR, readyNodeStatus } from '../node-status.js';
import type { Effect, Stage } from '../stage.js';
import type { NodeCondition } from '../../resources/schemas.js';


export interface KubeletNode extends KubeObject {
  spec?: { podCIDR?: string; podCIDRs?: string[]; [k: string]: unknown };
  status?: { conditions?: NodeCondition[]; [k: string]: unknown };
}

export interface NodeEnv {
  /** The node's Lease in kube-node-lease, if any. */
  lease?: Lease;
  settings: Pick<ControllerSettings, 'nodeHeartbeatMs'>;
  /** podCIDRs other nodes already hold. */
  podCIDRsInUse(): ReadonlySet<string>;
}

export type NodeStage = Stage<KubeletNode, NodeEnv>;

/** nodeStatusReportFrequency: an unchanged status is posted again this often. */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;

/** The conditions the kubelet writes; others (NetworkUnavailable…) belong to other components. */
const KUBELET_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];
/** Reasons the node lifecycle controller gives when the kubelet went quiet. */
const SILENT_REASONS = ['NodeStatusUnknown', 'NodeStatusNeverUpdated'];

const readyCondition = (node: KubeletNode) => node.status?.conditions?.find((c) => c.type === 'Ready');

/** The node's index: from its podCIDR, else `node-N`'s N when free, else the lowest free one. */
function nodeIndex(node: KubeletNode, env: NodeEnv): number {
  const own = nodeIndexOfPodCIDR(node.spec?.podCIDR);
  if (own !== undefined) return own;
  const used = env.podCIDRsInUse();
  const named = Number(/-(\d+)$/.exec(node.metadata.name ?? '')?.[1]);
  if (Number.isInteger(named) && named > 0 && !used.has(nodePodCIDR(named))) return named;
  let i = 1;
  while (used.has(nodePodCIDR(i))) i++;
  return i;
}

/** Kubelet conditions fresh at `now`, then the conditions other components own. */
function withKubeletConditions(node: KubeletNode, now: number): NodeCondition[] {
  const others = (node.status?.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.includes(c.type));
  return [...kubeletConditions(now), ...others];
}

/**
 * The status the kubelet posts: what the node already reports (a user may create a node with its
 * capacity), completed with the registration defaults, and fresh kubelet conditions.
 */
function postedStatus(node: KubeletNode, env: NodeEnv, now: number): Record<string, unknown> {
  const registered = readyNodeStatus({ name: node.metadata.name ?? '', index: nodeIndex(node, env), now });
  const empty = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
  const given = Object.fromEntries(Object.entries(node.status ?? {}).filter(([, v]) => !empty(v)));
  const status: Record<string, unknown> = { ...registered, ...given, conditions: withKubeletConditions(node, now) };
  if (given.capacity && !given.allocatable) status.allocatable = given.capacity;
  return status;
}

const nodeReadyEvent = (node: KubeletNode): Effect => ({ type: 'event', eventType: 'Normal', reason: 'NodeReady', message: `Node ${node.metadata.name} status is now: NodeReady` });

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
    name: 'node-initialize',
    when: (node) => !readyCondition(node),
    delayMs: () => 0,
    next: (node, env, now) => [{ type: 'update', subresource: 'status', object: { ...node, status: postedStatus(node, env, now) } }, nodeReadyEvent(node)],
  },
  {
    // A reachable kubelet whose node was marked Unknown posts its real status at its next sync.
    name: 'node-recover',
    when: (node) => SILENT_REASONS.includes(readyCondition(node)?.reason ?? ''),
    delayMs: (_node, env) => env.settings.nodeHeartbeatMs,
    next: (node, env, now) => [{ type: 'update', subresource: 'status', object: { ...node, status: postedStatus(node, env, now) } }, nodeReadyEvent(node)],
  },
  {
    name: 'node-status-report',
    when: (node) => readyCondition(node)?.status === 'True',
    anchor: (node) => timeOf(readyCondition(node)?.lastHeartbeatTime),
    delayMs: () => NODE_STATUS_REPORT_MS,
    next(node, _env, now) {
      const at = rfc3339(now);
      const conditions = (node.status?.conditions ?? []).map((c) => (KUBELET_CONDITIONS.includes(c.type) ? { ...c, lastHeartbeatTime: at } : c));
      return [{ type: 'update', subresource: 'status', object: { ...node, status: { ...node.status, conditions } } }];
    },
  },
  {
    name: 'node-heartbeat',
    when: () => true,
    anchor: (_node, env) => timeOf(env.lease?.spec?.renewTime),
    delayMs: (_node, env) => (env.lease ? env.settings.nodeHeartbeatMs : 0),
    next: (node, _env, now) => [{ type: 'apply', resource: 'leases', group: 'coordination.k8s.io', object: nodeLease(node, now) }],
  },
];

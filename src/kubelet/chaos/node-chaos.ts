/**
 * Chaos on nodes: a kubelet that reports NotReady, a kubelet cut off from the API server (the
 * node lifecycle controller marks it Unknown once the Lease grace period has passed on the
 * clock), a machine that is gone (kubelet silent, Node deleted), and back to Ready.
 */
import { rfc3339 } from '../../apimachinery/object.js';
import type { Clock } from '../../apimachinery/clock.js';
import { notFound } from '../../apimachinery/status.js';
import type { EventRecorder } from '../../controllers/events/recorder.js';
import type { Registry } from '../../registry/registry.js';
import { withKubeletNodeConditions } from '../node-status.js';
import type { NodeReachability } from '../reachability.js';
import { isNodeReady } from '../../resources/nodes/conditions.js';
import type { StoredNode } from '../../resources/stored.js';

const GR = { group: '', resource: 'nodes' };

export const NOT_READY_MESSAGE = 'container runtime is down';

export class NodeChaos {
  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
    private readonly events: EventRecorder,
    /** The app's kubelets' reachability, which this chaos cuts and restores. */
    private readonly reachability: NodeReachability,
  ) {}

  private get nodes() {
    return this.registry.store<StoredNode>('nodes');
  }

  private mustGet(name: string): StoredNode {
    const node = this.nodes.tryGet(undefined, name);
    if (!node) throw notFound(GR, name);
    return node;
  }

  /** The kubelet keeps its Lease but reports Ready=False (KubeletNotReady). */
  notReady(name: string): StoredNode {
    this.mustGet(name);
    const at = rfc3339(this.clock.now());
    const { object } = this.nodes.patch(
      undefined,
      name,
      (n) => {
        const conditions = (n.status?.conditions ?? []).map((c) =>
          c.type === 'Ready'
            ? {
                ...c,
                status: 'False',
                reason: 'KubeletNotReady',
                message: NOT_READY_MESSAGE,
                lastHeartbeatTime: at,
                lastTransitionTime: c.status === 'False' ? (c.lastTransitionTime ?? at) : at,
              }
            : c,
        );
        if (!conditions.some((c) => c.type === 'Ready'))
          conditions.push({
            type: 'Ready',
            status: 'False',
            reason: 'KubeletNotReady',
            message: NOT_READY_MESSAGE,
            lastHeartbeatTime: at,
            lastTransitionTime: at,
          });
        return { ...n, status: { ...n.status, conditions } };
      },
      { subresource: 'status' },
    );
    this.events.record({ component: 'kubelet', host: name }, object, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    return object as StoredNode;
  }

  /** The kubelet can no longer reach the API server: no Lease renewal, no pod updates. */
  unreachable(name: string): StoredNode {
    const node = this.mustGet(name);
    this.reachability.setReachable(name, false);
    return node;
  }

  /** The machine is gone: its kubelet falls silent and the Node object is deleted. */
  gone(name: string): StoredNode {
    this.mustGet(name);
    this.reachability.setReachable(name, false);
    return this.nodes.delete(undefined, name).object as StoredNode;
  }

  /** The kubelet is reachable again and reports Ready (at once, not at its next heartbeat). */
  ready(name: string): StoredNode {
    const node = this.mustGet(name);
    this.reachability.setReachable(name, true);
    if (isNodeReady(node)) return node;
    const now = this.clock.now();
    const { object } = this.nodes.patch(
      undefined,
      name,
      (n) => ({ ...n, status: { ...n.status, conditions: withKubeletNodeConditions(n.status?.conditions, now) } }),
      { subresource: 'status' },
    );
    this.events.record({ component: 'kubelet', host: name }, object, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`);
    return object as StoredNode;
  }

  unreachableNodes(): string[] {
    return this.reachability.unreachableNodes();
  }

  /** Every node cut off is reachable again (a snapshot restore, or shutdown). */
  reset(): void {
    this.reachability.reset();
  }
}

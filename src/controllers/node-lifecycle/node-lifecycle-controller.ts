/**
 * The node lifecycle controller: watches node Leases and marks a node whose kubelet stopped
 * renewing its Lease for NODE_MONITOR_GRACE_MS (at least four heartbeats) as Unknown, and its
 * pods not Ready; keeps the condition and unschedulable taints of every node in step with its
 * status and spec.
 */
import { deepEqual, parseRfc3339, rfc3339 } from '../../apimachinery/object.js';
import { NODE_LEASE_NAMESPACE } from '../../resources/leases/node-lease.js';
import type { ControllerContext } from '../context.js';
import { keyOf } from '../runtime/cache.js';
import type { Controller } from '../runtime/controller.js';
import { desiredTaints, NODE_MONITOR_GRACE_MS, silentNodeConditions } from './taint-plan.js';
import { nodeReadyCondition } from '../../resources/nodes/conditions.js';
import type { StoredLease, StoredNode, StoredPod } from '../../resources/stored.js';
import { resourceKey } from '../../registry/resource-definition.js';
import { indexPodsByNode, podsOnNode } from '../runtime/pod-indexes.js';

const SOURCE = { component: 'node-controller' };

export function nodeLifecycleController(ctx: ControllerContext): Controller {
  const { cache, registry, clock, events } = ctx;
  /** When the controller first saw each node: a node without a Lease gets the grace period from then. */
  const firstSeen = new Map<string, number>();
  /**
   * Each node's last Lease renewal seen and when this controller saw it (upstream's probeTimestamp):
   * the grace period counts from the observation, so a renewal that reaches this replica late (a
   * peer's kubelet, a busy watch) is not taken for a silent kubelet.
   */
  const observed = new Map<string, { renewTime: number; at: number }>();
  /**
   * The stale probe time seen, and when: a node is marked only when a look at a later instant still
   * finds the same stale probe, so a kubelet whose renewal is queued behind this check (a test clock jumping
   * past several heartbeats at once) gets its turn first.
   */
  const suspect = new Map<string, { probe: number; at: number }>();
  const nodes = () => registry.store<StoredNode>('nodes');
  /** 40 s as upstream, stretched when the heartbeat is slowed down (a large simulated cluster). */
  const grace = Math.max(NODE_MONITOR_GRACE_MS, 4 * ctx.settings.nodeHeartbeatMs);

  /** The node's kubelet went quiet: conditions Unknown, an event, its Ready pods not Ready. */
  function markSilent(node: StoredNode, now: number): void {
    const conditions = silentNodeConditions(node, now);
    if (!conditions) return;
    nodes().patch(
      undefined,
      node.metadata.name!,
      (n) => ({ ...n, status: { ...n.status, conditions: silentNodeConditions(n, now) ?? n.status?.conditions } }),
      {
        subresource: 'status',
      },
    );
    events.record(SOURCE, node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
    ctx.actions.note('node-lifecycle', 'node', node.metadata.name!, 'NotReady (kubelet stopped posting status)');
  }

  /** MarkPodsNotReady: Ready=False (reason untouched) on every pod of a node that is not Ready. */
  function markPodsNotReady(nodeName: string): void {
    for (const pod of podsOnNode(cache, nodeName)) {
      if (!pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      registry.store<StoredPod>('pods').patch(
        pod.metadata.namespace,
        pod.metadata.name!,
        (p) => ({
          ...p,
          status: {
            ...p.status,
            conditions: p.status?.conditions?.map((c) =>
              c.type === 'Ready' && c.status === 'True' ? { ...c, status: 'False', lastTransitionTime: rfc3339(clock.now()) } : c,
            ),
          },
        }),
        { subresource: 'status' },
      );
      events.record(SOURCE, pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }

  function syncTaints(name: string, now: number): void {
    const node = cache.get<StoredNode>('nodes', undefined, name);
    if (!node || deepEqual(desiredTaints(node, now), node.spec?.taints ?? [])) return;
    nodes().patch(undefined, name, (n) => {
      const taints = desiredTaints(n, now);
      const spec = { ...n.spec, taints };
      if (!taints.length) delete (spec as { taints?: unknown }).taints;
      return { ...n, spec };
    });
  }

  return {
    name: 'node-lifecycle',
    caches: [{ resource: 'nodes' }, { resource: 'leases', group: 'coordination.k8s.io' }, { resource: 'pods' }],
    setup: () => indexPodsByNode(cache),
    watches: [
      { resource: 'nodes', keys: (ev) => [ev.name] },
      { resource: 'leases', group: 'coordination.k8s.io', keys: (ev) => (ev.namespace === NODE_LEASE_NAMESPACE ? [ev.name] : []) },
    ],
    initialKeys: () => cache.list('nodes').map(keyOf),
    reconcile(name) {
      const node = cache.get<StoredNode>('nodes', undefined, name);
      if (!node) {
        firstSeen.delete(name);
        observed.delete(name);
        suspect.delete(name);
        return;
      }
      const now = clock.now();
      if (!firstSeen.has(name)) firstSeen.set(name, now);
      const lease = cache.get<StoredLease>(resourceKey('coordination.k8s.io', 'leases'), NODE_LEASE_NAMESPACE, name);
      const renewTime = parseRfc3339(lease?.spec?.renewTime);
      const seen = observed.get(name);
      if (renewTime !== undefined && (!seen || renewTime > seen.renewTime)) {
        // The first renewal seen counts from its own time (a node first seen gets its grace from then anyway).
        observed.set(name, { renewTime, at: seen ? Math.max(renewTime, now) : renewTime });
      }
      const probe = Math.max(observed.get(name)?.at ?? Number.NEGATIVE_INFINITY, firstSeen.get(name)!);
      const deadline = probe + grace;
      let recheck: number | undefined;
      if (now < deadline) suspect.delete(name);
      else if (suspect.get(name)?.probe === probe && suspect.get(name)!.at < now) markSilent(node, now);
      else {
        if (suspect.get(name)?.probe !== probe) suspect.set(name, { probe, at: now });
        recheck = 1;
      }
      const ready = nodeReadyCondition(cache.get<StoredNode>('nodes', undefined, name))?.status;
      if (ready === 'False' || ready === 'Unknown') markPodsNotReady(name);
      syncTaints(name, now);
      if (recheck) return { requeueAfterMs: recheck };
      return now < deadline ? { requeueAfterMs: deadline - now } : undefined;
    },
  };
}

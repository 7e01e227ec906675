/**
 * The simulated kubelets of every node, as two stage controllers: one plays the pod stages for
 * pods bound to a node, one plays the node stages (status, podCIDR, Lease heartbeat).
 */
import type { KubeObject } from '../apimachinery/object.js';
import type { ControllerContext } from '../controllers/context.js';
import { keyOf, splitObjectKey } from '../controllers/runtime/cache.js';
import type { Controller } from '../controllers/runtime/controller.js';
import type { ChangeEvent } from '../registry/watch-hub.js';
import type { Lease } from '../resources/leases/definition.js';
import { NODE_LEASE_NAMESPACE } from './lease.js';
import type { KubeletPod } from './pod-status.js';
import { isNodeReachable } from './reachability.js';
import { stageController } from './stage-runner.js';
import { nodeStages, type KubeletNode, type NodeEnv } from './stages/node-stages.js';
import { podStages, type PodEnv } from './stages/pod-stages.js';

export const PODS_BY_NODE_INDEX = 'kubelet/nodeName';

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- KubeObject's index signature hides that this cast narrows it (tsc fails without it)
const nodeNameOf = (obj: KubeObject | undefined) => (obj as KubeletPod | undefined)?.spec?.nodeName;

/** What a pod's stages read from its node; a change of it requeues the node's pods. */
function nodeFacts(node: KubeObject | undefined): string {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- KubeObject's index signature hides that this cast narrows it (tsc fails without it)
  const n = node as KubeletNode | undefined;
  if (!n) return '';
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '';
  return JSON.stringify([ready, n.spec?.podCIDR ?? '', n.status?.addresses ?? []]);
}

function podController(ctx: ControllerContext): Controller {
  const { cache, registry, settings } = ctx;
  const podsOn = (node: string) => cache.byIndex<KubeletPod>('pods', PODS_BY_NODE_INDEX, node);
  /** A pod deleted from its node frees its address: the pods there still without one try again. */
  const waitingForAddress = (ev: ChangeEvent) => {
    const gone = ev.object as KubeletPod;
    if (ev.type !== 'DELETED' || !gone.status?.podIP || gone.spec?.hostNetwork) return [];
    return podsOn(gone.spec!.nodeName!).filter((p) => !p.status?.podIP && !p.spec?.hostNetwork).map(keyOf);
  };
  return stageController<KubeletPod, PodEnv>(ctx, {
    name: 'kubelet-pods',
    resource: 'pods',
    stages: podStages,
    caches: [{ resource: 'pods' }, { resource: 'nodes' }],
    setup: () => cache.addIndex('pods', PODS_BY_NODE_INDEX, (p) => (nodeNameOf(p) ? [nodeNameOf(p)!] : [])),
    watches: [
      { resource: 'pods', keys: (ev) => (nodeNameOf(ev.object) ? [keyOf(ev.object), ...waitingForAddress(ev)] : []) },
      {
        resource: 'nodes',
        keys: (ev: ChangeEvent) => (ev.type === 'MODIFIED' && nodeFacts(ev.previous) === nodeFacts(ev.object) ? [] : podsOn(ev.name).map(keyOf)),
      },
    ],
    initialKeys: () => cache.list<KubeletPod>('pods').filter((p) => nodeNameOf(p)).map(keyOf),
    load(key) {
      const [ns, name] = splitObjectKey(key);
      const obj = cache.get<KubeletPod>('pods', ns, name);
      const nodeName = nodeNameOf(obj);
      if (!obj || !nodeName) return undefined;
      const env: PodEnv = {
        node: cache.get('nodes', undefined, nodeName),
        settings,
        podIPsInUse: () => new Set(podsOn(nodeName).filter((p) => p.metadata.uid !== obj.metadata.uid && !p.spec?.hostNetwork && p.status?.podIP).map((p) => p.status!.podIP!)),
      };
      return { obj, env, paused: !isNodeReachable(registry, nodeName), source: { component: 'kubelet', host: nodeName } };
    },
    pollMs: () => settings.nodeHeartbeatMs,
  });
}

function nodeController(ctx: ControllerContext): Controller {
  const { cache, registry, settings } = ctx;
  return stageController<KubeletNode, NodeEnv>(ctx, {
    name: 'kubelet-nodes',
    resource: 'nodes',
    stages: nodeStages,
    caches: [{ resource: 'nodes' }, { resource: 'leases', group: 'coordination.k8s.io' }],
    watches: [
      { resource: 'nodes', keys: (ev) => [ev.name] },
      { resource: 'leases', group: 'coordination.k8s.io', keys: (ev) => (ev.namespace === NODE_LEASE_NAMESPACE ? [ev.name] : []) },
    ],
    initialKeys: () => cache.list('nodes').map(keyOf),
    load(name) {
      const obj = cache.get<KubeletNode>('nodes', undefined, name);
      if (!obj) return undefined;
      const env: NodeEnv = {
        lease: cache.get<Lease>('leases', NODE_LEASE_NAMESPACE, name),
        settings,
        podCIDRsInUse: () => new Set(cache.list<KubeletNode>('nodes').filter((n) => n.metadata.name !== name && n.spec?.podCIDR).map((n) => n.spec!.podCIDR!)),
      };
      return { obj, env, paused: !isNodeReachable(registry, name), source: { component: 'kubelet', host: name } };
    },
    pollMs: () => settings.nodeHeartbeatMs,
  });
}

/** The kubelet controllers, nodes first. */
export function kubeletControllers(ctx: ControllerContext): Controller[] {
  return [nodeController(ctx), podController(ctx)];
}

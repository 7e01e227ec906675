/**
 * The simulated kubelets of every node, as two stage controllers: one plays the pod stages for
 * pods bound to a node, one plays the node stages (status, podCIDR, Lease heartbeat).
 */
import type { KubeObject } from '../apimachinery/object.js';
import { keyOf, splitObjectKey, type ObjectCache } from '../controllers/runtime/cache.js';
import type { Controller } from '../controllers/runtime/controller.js';
import type { ChangeEvent } from '../registry/watch-hub.js';
import { NODE_LEASE_NAMESPACE } from '../resources/leases/node-lease.js';
import type { StoredLease, StoredNode, StoredPod } from '../resources/stored.js';
import { nodeReadyCondition } from '../resources/nodes/conditions.js';
import type { KubeletContext } from './kubelet-state.js';
import { isPodTerminal } from '../resources/pods/phase.js';
import { stageController } from './stage-runner.js';
import { isRenewalOnly } from './lease.js';
import { referencedObjects, type KeyedObject, type ObjectLookup } from './object-references.js';
import { nodeStages, type NodeEnv } from './stages/node-stages.js';
import { podStages, type PodEnv } from './stages/pod-stages.js';
import { resourceKey } from '../registry/resource-definition.js';
import { countPodsOnNode, indexPodsByNode, podsOnNode } from '../controllers/runtime/pod-indexes.js';

const nodeNameOf = (obj: KubeObject | undefined) => (obj as StoredPod | undefined)?.spec?.nodeName;

/** What a pod's stages read from its node; a change of it requeues the node's pods. */
function nodeFacts(node: KubeObject | undefined): string {
  const n = node as StoredNode | undefined;
  if (!n) return '';
  const ready = nodeReadyCondition(n)?.status ?? '';
  return JSON.stringify([ready, n.spec?.podCIDR ?? '', n.status?.addresses ?? []]);
}

/** Bound pods by the ConfigMaps and Secrets they name (`configmaps/<ns>/<name>`, `secrets/<ns>/<name>`). */
const PODS_BY_REFERENCE_INDEX = 'kubelet/references';

/**
 * referenceKeys' answer per spec and namespace: the cache asks for the old and the new version at
 * every update, and a status write keeps the spec (a DaemonSet's pods name their namespace's
 * kube-root-ca.crt, each of 50,000 twice a write otherwise).
 */
const referenceKeysBySpec = new WeakMap<object, { namespace: string | undefined; keys: string[] }>();

const referenceKeys = (p: KubeObject) => {
  const pod = p as StoredPod;
  if (!pod.spec?.nodeName) return [];
  const namespace = pod.metadata.namespace;
  const known = referenceKeysBySpec.get(pod.spec);
  if (known && known.namespace === namespace) return known.keys;
  const keys = referencedObjects(pod.spec).map((r) => r.replace('/', `/${namespace}/`));
  referenceKeysBySpec.set(pod.spec, { namespace, keys });
  return keys;
};

/** The keys of a ConfigMap or Secret: only a change of them can unblock or block a pod. */
const objectKeys = (obj: KubeObject | undefined) => {
  const o = obj as KeyedObject | undefined;
  return JSON.stringify([Object.keys(o?.data ?? {}).sort(), Object.keys(o?.binaryData ?? {}).sort()]);
};

/** The kubelet took `other` on before `pod`: already (it has a start time), or first, being older (HandlePodAdditions goes by creation time). */
function admittedBefore(other: StoredPod, pod: StoredPod): boolean {
  if (other.status?.startTime) return true;
  const a = other.metadata.creationTimestamp ?? '';
  const b = pod.metadata.creationTimestamp ?? '';
  return a < b || (a === b && other.metadata.name! < pod.metadata.name!);
}

/** A pod's environment read from the controllers' cache when asked (one object per look: every pod's every turn builds one). */
class CachedPodEnv implements PodEnv, ObjectLookup {
  readonly node: StoredNode | undefined;
  readonly objects: ObjectLookup = this;
  private readonly namespace: string | undefined;

  constructor(
    private readonly cache: ObjectCache,
    readonly settings: PodEnv['settings'],
    private readonly pod: StoredPod,
    private readonly nodeName: string,
  ) {
    this.node = cache.get<StoredNode>('nodes', undefined, nodeName);
    this.namespace = pod.metadata.namespace;
  }

  podIPsInUse(): ReadonlySet<string> {
    const inUse = new Set<string>();
    for (const p of podsOnNode(this.cache, this.nodeName)) {
      const ip = p.status?.podIP;
      if (ip && p.metadata.uid !== this.pod.metadata.uid && !p.spec?.hostNetwork) inUse.add(ip);
    }
    return inUse;
  }

  podsBoundHere(): number {
    return countPodsOnNode(this.cache, this.nodeName);
  }

  admittedPods(): readonly StoredPod[] {
    const pod = this.pod;
    return podsOnNode(this.cache, this.nodeName).filter(
      (p) => p.metadata.uid !== pod.metadata.uid && !isPodTerminal(p) && admittedBefore(p, pod),
    );
  }

  configMap(name: string): KeyedObject | undefined {
    return this.cache.get<KubeObject & KeyedObject>('configmaps', this.namespace, name);
  }

  secret(name: string): KeyedObject | undefined {
    return this.cache.get<KubeObject & KeyedObject>('secrets', this.namespace, name);
  }
}

/** Whether the kubelet of `node` runs in this replica (every node's does without shards). */
const hostedBy = (ctx: KubeletContext) => (node: string | undefined) => !!node && (ctx.hosts?.runs(node) ?? true);

function podController(ctx: KubeletContext): Controller {
  const { cache, kubelets, settings } = ctx;
  const hosted = hostedBy(ctx);
  /** A pod deleted from its node frees its address: the pods there still without one try again. */
  const waitingForAddress = (ev: ChangeEvent) => {
    const gone = ev.object as StoredPod;
    if (ev.type !== 'DELETED' || !gone.status?.podIP || gone.spec?.hostNetwork) return [];
    return podsOnNode(cache, gone.spec.nodeName!)
      .filter((p) => !p.status?.podIP && !p.spec?.hostNetwork)
      .map(keyOf);
  };
  return stageController<StoredPod, PodEnv>(ctx, {
    name: 'kubelet-pods',
    resource: 'pods',
    stages: podStages,
    caches: [{ resource: 'pods' }, { resource: 'nodes' }, { resource: 'configmaps' }, { resource: 'secrets' }],
    setup: () => {
      indexPodsByNode(cache);
      cache.addIndex('pods', PODS_BY_REFERENCE_INDEX, referenceKeys);
    },
    watches: [
      { resource: 'pods', keys: (ev) => (hosted(nodeNameOf(ev.object)) ? [keyOf(ev.object), ...waitingForAddress(ev)] : []) },
      {
        resource: 'nodes',
        keys: (ev: ChangeEvent) =>
          !hosted(ev.name) || (ev.type === 'MODIFIED' && nodeFacts(ev.previous) === nodeFacts(ev.object))
            ? []
            : podsOnNode(cache, ev.name).map(keyOf),
      },
      // A ConfigMap or Secret appearing, going or changing its keys: the pods naming it look again.
      ...['configmaps', 'secrets'].map((resource) => ({
        resource,
        keys: (ev: ChangeEvent) =>
          ev.type === 'MODIFIED' && objectKeys(ev.previous) === objectKeys(ev.object)
            ? []
            : cache.byIndex<StoredPod>('pods', PODS_BY_REFERENCE_INDEX, `${resource}/${ev.namespace}/${ev.name}`).map(keyOf),
      })),
    ],
    initialKeys: () =>
      cache
        .list<StoredPod>('pods')
        .filter((p) => hosted(nodeNameOf(p)))
        .map(keyOf),
    load(key) {
      const [ns, name] = splitObjectKey(key);
      const obj = cache.get<StoredPod>('pods', ns, name);
      const nodeName = nodeNameOf(obj);
      if (!obj || !nodeName || !hosted(nodeName)) return undefined;
      const env = new CachedPodEnv(cache, settings, obj, nodeName);
      return { obj, env, paused: !kubelets.reachability.isReachable(nodeName), source: { component: 'kubelet', host: nodeName } };
    },
    pollMs: () => settings.nodeHeartbeatMs,
  });
}

function nodeController(ctx: KubeletContext): Controller {
  const { cache, kubelets, settings } = ctx;
  const hosted = hostedBy(ctx);
  return stageController<StoredNode, NodeEnv>(ctx, {
    name: 'kubelet-nodes',
    resource: 'nodes',
    // Node heartbeats: thousands of cheap Lease renewals a minute, never starved by pod work.
    turnBudgetMs: 20,
    stages: nodeStages,
    caches: [{ resource: 'nodes' }, { resource: 'leases', group: 'coordination.k8s.io' }],
    watches: [
      { resource: 'nodes', keys: (ev) => (hosted(ev.name) ? [ev.name] : []) },
      {
        resource: 'leases',
        group: 'coordination.k8s.io',
        // A renewal (only renewTime moved) changes nothing the kubelet acts on: it renews on its own timer.
        keys: (ev) => (ev.namespace === NODE_LEASE_NAMESPACE && hosted(ev.name) && !isRenewalOnly(ev) ? [ev.name] : []),
      },
    ],
    initialKeys: () => cache.list('nodes').map(keyOf).filter(hosted),
    load(name) {
      const obj = cache.get<StoredNode>('nodes', undefined, name);
      if (!obj || !hosted(name)) return undefined;
      const env: NodeEnv = {
        lease: cache.get<StoredLease>(resourceKey('coordination.k8s.io', 'leases'), NODE_LEASE_NAMESPACE, name),
        settings,
        podCIDRsInUse: () =>
          new Set(
            cache
              .list<StoredNode>('nodes')
              .filter((n) => n.metadata.name !== name && n.spec?.podCIDR)
              .map((n) => n.spec!.podCIDR!),
          ),
      };
      return { obj, env, paused: !kubelets.reachability.isReachable(name), source: { component: 'kubelet', host: name } };
    },
    pollMs: () => settings.nodeHeartbeatMs,
  });
}

/** The names of the kubelet controllers (requeued when the nodes they run for change). */
export const KUBELET_CONTROLLER_NAMES = ['kubelet-nodes', 'kubelet-pods'];

/** The kubelet controllers, nodes first. */
export function kubeletControllers(ctx: KubeletContext): Controller[] {
  return [nodeController(ctx), podController(ctx)];
}

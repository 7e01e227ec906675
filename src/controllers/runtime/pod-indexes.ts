/**
 * The cache's index of pods by the node they are bound to (spec.nodeName), one for every reader:
 * the scheduler, the kubelets, node lifecycle, taint eviction, pod GC and the EndpointSlice
 * controller all read pods by node, and one index serves them (six kept the same sets before).
 */
import type { KubeObject } from '../../apimachinery/object.js';
import type { StoredPod } from '../../resources/stored.js';
import type { IndexFn, ObjectCache } from './cache.js';

const PODS_BY_NODE = 'pods/spec.nodeName';

const NO_NODE: string[] = [];

const podNodeName: IndexFn = (pod: KubeObject) => {
  const node = (pod as { spec?: { nodeName?: string } }).spec?.nodeName;
  return node ? [node] : NO_NODE;
};

/** Adds the index (once: a reader adding it again finds it there). */
export function indexPodsByNode(cache: ObjectCache): void {
  cache.addIndex('pods', PODS_BY_NODE, podNodeName);
}

/** How many cached pods are bound to `node` (indexPodsByNode must have run). */
export function countPodsOnNode(cache: ObjectCache, node: string): number {
  return cache.countByIndex('pods', PODS_BY_NODE, node);
}

/** The cached pods bound to `node` (indexPodsByNode must have run). */
export function podsOnNode(cache: ObjectCache, node: string): StoredPod[] {
  return cache.byIndex<StoredPod>('pods', PODS_BY_NODE, node);
}

/**
 * Which simulated kubelets are cut off from the API server. An unreachable node's kubelet stops
 * renewing its Lease and touches none of its pods, so the node lifecycle controller marks the
 * node Unknown after the grace period, as it would for a real network partition.
 */
import type { Registry } from '../registry/registry.js';

const unreachable = new WeakMap<Registry, Set<string>>();

/** Stops (false) or restarts (true) the heartbeat and pod handling of one node's kubelet. */
export function setNodeReachable(registry: Registry, nodeName: string, reachable: boolean): void {
  let set = unreachable.get(registry);
  if (!set) unreachable.set(registry, (set = new Set()));
  if (reachable) set.delete(nodeName);
  else set.add(nodeName);
}

export function isNodeReachable(registry: Registry, nodeName: string): boolean {
  return !unreachable.get(registry)?.has(nodeName);
}

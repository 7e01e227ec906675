/**
 * The scheduler cache's assumed pods (AssumePod / ForgetPod upstream): pods bound by a binding that
 * is not committed yet (it waits in a batch of writes), counted on their node meanwhile so that the
 * pods scheduled after them see the node as it will be. An entry goes once the cache has the pod
 * bound, or when its binding is dropped.
 */
import type { StoredPod } from '../../resources/stored.js';
import { keyOf } from '../runtime/cache.js';

export class AssumedPods {
  /** Node name → pod key → the pod as bound. */
  private readonly byNode = new Map<string, Map<string, StoredPod>>();
  private readonly nodeOf = new Map<string, string>();

  has(key: string): boolean {
    return this.nodeOf.has(key);
  }

  /** Counts `pod` on `node` (as bound there). */
  add(key: string, pod: StoredPod, node: string): void {
    this.forget(key);
    let pods = this.byNode.get(node);
    if (!pods) this.byNode.set(node, (pods = new Map<string, StoredPod>()));
    pods.set(key, { ...pod, spec: { ...pod.spec, nodeName: node } });
    this.nodeOf.set(key, node);
  }

  forget(key: string): void {
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const pods = this.byNode.get(node)!;
    pods.delete(key);
    if (!pods.size) this.byNode.delete(node);
  }

  /** The pods on `node`: `bound` (the cache's) and the ones assumed there that it does not hold yet. */
  withAssumed(node: string, bound: StoredPod[]): StoredPod[] {
    const pods = this.byNode.get(node);
    if (!pods) return bound;
    const held = new Set(bound.map(keyOf));
    return [...bound, ...[...pods].filter(([key]) => !held.has(key)).map(([, pod]) => pod)];
  }
}

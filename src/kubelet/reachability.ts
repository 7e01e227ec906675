/**
 * Which simulated kubelets are cut off from the API server. An unreachable node's kubelet stops
 * renewing its Lease and touches none of its pods, so the node lifecycle controller marks the
 * node Unknown after the grace period, as it would for a real network partition. Each app has
 * its own (in its KubeletState).
 */
export class NodeReachability {
  private readonly unreachable = new Set<string>();

  /** Stops (false) or restarts (true) the heartbeat and pod handling of one node's kubelet. */
  setReachable(nodeName: string, reachable: boolean): void {
    if (reachable) this.unreachable.delete(nodeName);
    else this.unreachable.add(nodeName);
  }

  isReachable(nodeName: string): boolean {
    return !this.unreachable.has(nodeName);
  }

  /** The nodes cut off, by name. */
  unreachableNodes(): string[] {
    return [...this.unreachable].sort();
  }

  /** Every node is reachable again. */
  reset(): void {
    this.unreachable.clear();
  }
}

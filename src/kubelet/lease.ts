/** Node heartbeats: the coordination.k8s.io/v1 Lease a kubelet renews in `kube-node-lease`. */
import { deepEqual, rfc3339Micro, type KubeObject } from '../apimachinery/object.js';
import type { StoredLease as Lease } from '../resources/stored.js';
import { NODE_LEASE_NAMESPACE } from '../resources/leases/node-lease.js';

export const NODE_LEASE_DURATION_SECONDS = 40;

/** Upstream's lease controller renews every interval plus a jitter of up to this share of it (wait.JitterUntil's factor). */
const RENEW_JITTER_FACTOR = 0.04;

/**
 * How long after a renewal at `renewedAt` (ms) the next one is due, for a renew interval of
 * `intervalMs`: the point nearest to one interval later on a grid of 4% of the interval that every
 * kubelet shares, so renewals due about the same time fire in one turn and are written in one
 * transaction, not one by one. Each wait is within 2% of the interval (upstream jitters its waits by
 * up to 4%), and a kubelet renewing on the grid (its write a few milliseconds after the grid point)
 * keeps to it: it renews once per interval on average, as often as without the grid.
 */
export function renewalDelayMs(renewedAt: number, intervalMs: number): number {
  const grid = Math.floor(intervalMs * RENEW_JITTER_FACTOR);
  if (grid <= 1) return intervalMs;
  return Math.round((renewedAt + intervalMs) / grid) * grid - renewedAt;
}

/** The Lease the kubelet of `node` holds, renewed at `now`. */
export function nodeLease(node: KubeObject, now: number): Lease {
  const name = node.metadata.name!;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: NODE_LEASE_NAMESPACE,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' }],
    },
    spec: { holderIdentity: name, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: rfc3339Micro(now) },
  };
}

/**
 * Whether a change of a Lease only renewed it: the same holder and terms, a new renewTime, the
 * object's metadata otherwise as it was (resourceVersion and managedFields aside).
 */
export function isRenewalOnly(ev: { type: string; object: KubeObject; previous?: KubeObject }): boolean {
  const before = ev.previous as Lease | undefined;
  const after = ev.object as Lease;
  if (ev.type !== 'MODIFIED' || !before) return false;
  const { renewTime: _b, ...termsBefore } = before.spec ?? {};
  const { renewTime: _a, ...termsAfter } = after.spec ?? {};
  const m0 = before.metadata;
  const m1 = after.metadata;
  return (
    deepEqual(termsBefore, termsAfter) &&
    m0.uid === m1.uid &&
    m0.deletionTimestamp === m1.deletionTimestamp &&
    deepEqual(m0.labels, m1.labels) &&
    deepEqual(m0.annotations, m1.annotations) &&
    deepEqual(m0.ownerReferences, m1.ownerReferences) &&
    deepEqual(m0.finalizers, m1.finalizers)
  );
}

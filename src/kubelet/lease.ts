/** Node heartbeats: the coordination.k8s.io/v1 Lease a kubelet renews in `kube-node-lease`. */
import { rfc3339Micro, type KubeObject } from '../apimachinery/object.js';
import type { StoredLease as Lease } from '../resources/stored.js';
import { NODE_LEASE_NAMESPACE } from '../resources/leases/node-lease.js';

export const NODE_LEASE_DURATION_SECONDS = 40;

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

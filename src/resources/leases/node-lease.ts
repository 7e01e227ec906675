/**
 * Where node heartbeats live (core/v1 NamespaceNodeLease): each kubelet renews a Lease named after
 * its node in this namespace, and the node lifecycle controller watches them there.
 */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

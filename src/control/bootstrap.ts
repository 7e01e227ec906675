/** What exists from the first start: the system namespaces, and the nodes asked for with --nodes. */
import type { KubeObject } from '../apimachinery/object.js';
import type { Registry } from '../registry/registry.js';
import { NODE_LEASE_NAMESPACE } from '../resources/leases/node-lease.js';
import { defaultNodeLabels, nodePodCIDR, readyNodeStatus } from '../kubelet/node-status.js';
import type { StoredNode } from '../resources/stored.js';

export const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', NODE_LEASE_NAMESPACE];

export function ensureDefaultNamespaces(registry: Registry): void {
  const store = registry.store('namespaces');
  for (const name of DEFAULT_NAMESPACES) {
    if (!store.tryGet(undefined, name)) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}

export function nodeManifest(name: string, index: number, now: number): StoredNode {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: defaultNodeLabels(name) },
    spec: { podCIDR: nodePodCIDR(index), podCIDRs: [nodePodCIDR(index)] },
    status: readyNodeStatus({ name, index, now }),
  };
}

export function ensureNodes(registry: Registry, count: number): void {
  const store = registry.store('nodes');
  for (let i = 1; i <= count; i++) {
    const name = `node-${i}`;
    if (!store.tryGet(undefined, name)) store.create(nodeManifest(name, i, registry.options.clock.now()));
  }
}

/** The first address of the service CIDR (10.96.0.0/12), the `kubernetes` Service's. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** The cluster DNS address kubelets hand to pods, the `kube-dns` Service's. */
export const DNS_SERVICE_IP = '10.96.0.10';

/**
 * The Services a cluster has from its first start: `default/kubernetes` (the API server) and
 * `kube-system/kube-dns` (labelled so that `kubectl cluster-info` lists CoreDNS).
 */
export function ensureSystemServices(registry: Registry): void {
  const store = registry.store('services');
  const wanted: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        type: 'ClusterIP',
        clusterIP: KUBERNETES_SERVICE_IP,
        ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: DNS_SERVICE_IP,
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
          { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
          { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
        ],
      },
    },
  ];
  for (const svc of wanted) {
    if (!store.tryGet(svc.metadata.namespace, svc.metadata.name!)) store.create(svc);
  }
}

/** What exists from the first start: the system namespaces and Services, and the nodes asked for with --nodes. */
import type { Registry } from '../registry/registry.js';
import type { KubeObject } from '../apimachinery/object.js';
import type { ProgressCallback } from '../apimachinery/progress.js';
import { isStatusError, StatusReason } from '../apimachinery/status.js';
import type { ResourceStore } from '../registry/store.js';
import { API_SERVER_FIELD_MANAGER } from '../registry/field-ownership.js';
import { BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES } from '../resources/rbac-policy/bootstrap-policy.js';
import { RBAC_GROUP } from '../resources/rbac-schemas/schema.js';
import { NODE_LEASE_NAMESPACE } from '../resources/leases/node-lease.js';
import { defaultNodeLabels, nodePodCIDR, readyNodeStatus } from '../kubelet/node-status.js';
import type { StoredNode, StoredService } from '../resources/stored.js';
import { ensureKubernetesService, serviceCidrAddress } from '../resources/services/kubernetes-service.js';
import { missingServiceIPAddresses } from '../resources/services/ip-addresses.js';
import { ensureDefaultServiceCIDR } from '../resources/servicecidrs/default-servicecidr.js';
import type { StoredServiceCIDR } from '../resources/servicecidrs/readiness.js';

/**
 * Creates `obj` unless it exists. Replicas starting together on one etcd race to create the same
 * objects: whichever commits first wins, and the other finds it there (AlreadyExists) or, for a
 * Service, finds its cluster IP held by the winner's IPAddress, written just before the Service (422).
 */
function createIfAbsent<T extends KubeObject>(store: ResourceStore<T>, obj: T): void {
  if (store.tryGet(obj.metadata.namespace, obj.metadata.name!)) return;
  try {
    store.create(obj);
  } catch (e) {
    if (!isStatusError(e)) throw e;
    const raced = e.status.reason === StatusReason.AlreadyExists || (obj.kind === 'Service' && e.code === 422);
    if (!raced) throw e;
  }
}

/** The default ClusterRoles and ClusterRoleBindings, created where missing (never reconciled once there). */
export function ensureBootstrapPolicy(registry: Registry): void {
  for (const [plural, objects] of [
    ['clusterroles', BOOTSTRAP_CLUSTER_ROLES],
    ['clusterrolebindings', BOOTSTRAP_CLUSTER_ROLE_BINDINGS],
  ] as const) {
    const store = registry.store(plural, RBAC_GROUP);
    for (const obj of objects) createIfAbsent(store, structuredClone(obj) as KubeObject);
  }
}

export const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', NODE_LEASE_NAMESPACE];

export function ensureDefaultNamespaces(registry: Registry): void {
  const store = registry.store('namespaces');
  for (const name of DEFAULT_NAMESPACES) createIfAbsent(store, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
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

export function ensureNodes(registry: Registry, count: number, onProgress?: ProgressCallback): void {
  const store = registry.store('nodes');
  for (let i = 1; i <= count; i++) {
    const name = `node-${i}`;
    if (!store.tryGet(undefined, name)) createIfAbsent(store, nodeManifest(name, i, registry.options.clock.now()));
    onProgress?.('nodes', i, count);
  }
}

/**
 * The Services a cluster has from its first start: `default/kubernetes` (the API server, first
 * address of the service CIDR) and `kube-system/kube-dns` (its tenth, labelled so that
 * `kubectl cluster-info` lists CoreDNS). Before them the default ServiceCIDR `kubernetes` they take
 * their addresses from, as kube-apiserver waits for it before it serves.
 */
export function ensureSystemServices(registry: Registry, apiServerPort: number): void {
  const network = registry.serviceNetwork;
  // A database without any IPAddress was written before they were kept (or is new): its Services get theirs once.
  const ipAddresses = registry.store('ipaddresses', 'networking.k8s.io');
  const repair = ipAddresses.revisions().length === 0;
  ensureDefaultServiceCIDR(registry.store<StoredServiceCIDR>('servicecidrs', 'networking.k8s.io'), network, registry.options.clock.now());
  const store = registry.store<StoredService>('services');
  ensureKubernetesService(store, network, apiServerPort);
  const dns: StoredService = {
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
      clusterIP: serviceCidrAddress(network, 10),
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
        { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
      ],
    },
  };
  // A range too small for a tenth address (a /29 or /30) has no kube-dns.
  if (network.clusterIPRange.size > 11) createIfAbsent(store, dns);
  if (repair) ensureServiceIPAddresses(ipAddresses, store);
}

/**
 * An IPAddress for every Service cluster IP that has none, as kube-apiserver's IPAddress repair
 * loop makes them (as the API server) for Services stored before IPAddresses were kept.
 */
function ensureServiceIPAddresses(ipAddresses: ResourceStore, services: ResourceStore<StoredService>): void {
  const existing = new Set(ipAddresses.revisions().map((r) => r.name));
  for (const { object } of missingServiceIPAddresses(services.all(), existing)) {
    try {
      ipAddresses.create(object, { fieldManager: API_SERVER_FIELD_MANAGER });
    } catch (e) {
      if (!(isStatusError(e) && e.status.reason === StatusReason.AlreadyExists)) throw e;
    }
  }
}

/**
 * The `kubernetes` Service in `default`, as kube-apiserver's kubernetesservice controller keeps it:
 * the first address of the service CIDR, port `https` 443 to the API server's port, labelled
 * component=apiserver and provider=kubernetes. Created when missing; its ports and type put back
 * when they differ; otherwise left alone (no write when nothing changed).
 */
import { formatIPv4 } from '../../apimachinery/ipv4.js';
import { isStatusError } from '../../apimachinery/status.js';
import type { ResourceStore } from '../../registry/store.js';
import type { ServiceNetwork } from '../../registry/resource-definition.js';
import type { StoredService } from '../stored.js';

export const KUBERNETES_SERVICE_NAMESPACE = 'default';
export const KUBERNETES_SERVICE_NAME = 'kubernetes';
/** The port kube-apiserver serves on unless told otherwise (--secure-port), used until kubemock listens. */
export const DEFAULT_API_SERVER_PORT = 6443;

/** The n-th address of the service CIDR (1: the kubernetes Service's, 10: kube-dns's). */
export function serviceCidrAddress(network: ServiceNetwork, n: number): string {
  return formatIPv4(network.clusterIPRange.network + n);
}

const wantedPorts = (targetPort: number) => [{ name: 'https', protocol: 'TCP', port: 443, targetPort }];

export function kubernetesService(network: ServiceNetwork, targetPort: number): StoredService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: KUBERNETES_SERVICE_NAME,
      namespace: KUBERNETES_SERVICE_NAMESPACE,
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: { type: 'ClusterIP', clusterIP: serviceCidrAddress(network, 1), ports: wantedPorts(targetPort), sessionAffinity: 'None' },
  };
}

function portsMatch(svc: StoredService, targetPort: number): boolean {
  const ports = svc.spec?.ports ?? [];
  const [want] = wantedPorts(targetPort);
  return (
    ports.length === 1 &&
    ports[0].name === want.name &&
    ports[0].protocol === want.protocol &&
    ports[0].port === want.port &&
    ports[0].targetPort === want.targetPort
  );
}

/**
 * Creates or repairs default/kubernetes. A namespace being deleted, a write racing this one, or its
 * cluster IP held, is left for the next call (returns false); other errors are thrown.
 */
export function ensureKubernetesService(store: ResourceStore<StoredService>, network: ServiceNetwork, targetPort: number): boolean {
  try {
    const current = store.tryGet(KUBERNETES_SERVICE_NAMESPACE, KUBERNETES_SERVICE_NAME);
    if (!current) {
      try {
        store.create(kubernetesService(network, targetPort));
      } catch (e) {
        // Its cluster IP is held: by another API server's create of it under way (replicas starting
        // together: the IPAddress comes before the Service), or by another Service. Left for the next call.
        if (isStatusError(e) && e.code === 422) return false;
        throw e;
      }
    } else if (!portsMatch(current, targetPort) || current.spec?.type !== 'ClusterIP') {
      store.patch(KUBERNETES_SERVICE_NAMESPACE, KUBERNETES_SERVICE_NAME, (svc) => ({
        ...svc,
        spec: { ...svc.spec, type: 'ClusterIP', ports: wantedPorts(targetPort) },
      }));
    }
    return true;
  } catch (e) {
    if (isStatusError(e) && [403, 404, 409].includes(e.code)) return false;
    throw e;
  }
}

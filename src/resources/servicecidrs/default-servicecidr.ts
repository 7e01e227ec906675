/**
 * The default ServiceCIDR, `kubernetes`, as kube-apiserver's default ServiceCIDR controller keeps
 * it (pkg/controlplane/controller/defaultservicecidr): created from --service-cluster-ip-range when
 * missing, before the API server serves, then marked Ready when it has no Ready condition and its
 * CIDRs are the flag's. One that differs from the flag, or is being deleted, is left alone.
 */
import { formatIPv4 } from '../../apimachinery/ipv4.js';
import { isStatusError, StatusReason } from '../../apimachinery/status.js';
import type { ResourceStore } from '../../registry/store.js';
import type { ServiceNetwork } from '../../registry/resource-definition.js';
import { DEFAULT_SERVICE_CIDR_NAME, READY_CONDITION, type StoredServiceCIDR } from './readiness.js';
import { applyReadyCondition } from './ready-condition.js';

/** The default controller's name, its field manager. */
const DEFAULT_SERVICE_CIDR_CONTROLLER = 'kubernetes-service-cidr-controller';

/** The flag's range as net.IPNet.String() writes it (the controller's cidrs). */
export function serviceClusterIPRangeText(network: ServiceNetwork): string {
  const range = network.clusterIPRange;
  return `${formatIPv4(range.network)}/${range.prefixLength}`;
}

export function ensureDefaultServiceCIDR(store: ResourceStore<StoredServiceCIDR>, network: ServiceNetwork, now: number): void {
  const cidrs = [serviceClusterIPRangeText(network)];
  let current = store.tryGet(undefined, DEFAULT_SERVICE_CIDR_NAME);
  if (!current) {
    const created: StoredServiceCIDR = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'ServiceCIDR',
      metadata: { name: DEFAULT_SERVICE_CIDR_NAME },
      spec: { cidrs },
    };
    try {
      current = store.create(created, { fieldManager: 'kube-apiserver' }).object as StoredServiceCIDR;
    } catch (e) {
      // A replica starting beside this one created it first.
      if (!(isStatusError(e) && e.status.reason === StatusReason.AlreadyExists)) throw e;
      current = store.get(undefined, DEFAULT_SERVICE_CIDR_NAME);
    }
  }
  if (current.metadata.deletionTimestamp) return;
  const same = (current.spec?.cidrs ?? []).join(',') === cidrs.join(',');
  const ready = current.status?.conditions?.find((c) => c.type === READY_CONDITION);
  if (!same || (ready && ready.status !== 'Unknown')) return;
  applyReadyCondition(
    store,
    DEFAULT_SERVICE_CIDR_NAME,
    { status: 'True', message: 'Kubernetes default Service CIDR is ready' },
    DEFAULT_SERVICE_CIDR_CONTROLLER,
    now,
  );
}

/**
 * The default ServiceCIDR, `kubernetes`, as kube-apiserver's default ServiceCIDR controller keeps
 * it (pkg/controlplane/controller/defaultservicecidr): created from --service-cluster-ip-range when
 * missing, before the API server serves, then marked Ready when it has no Ready condition and its
 * CIDRs are the flag's. One that differs from the flag, or is being deleted, is left alone: what
 * differs is handed back for the controller to report (syncStatus). The one change upstream makes
 * to an existing one, adding the flag's second family to a single-stack one whose CIDR is the
 * flag's first, cannot arise: kubemock's --service-cluster-ip-range is one IPv4 range.
 */
import { formatIPv4 } from '../../apimachinery/ipv4.js';
import { isStatusError, StatusReason } from '../../apimachinery/status.js';
import type { ResourceStore } from '../../registry/store.js';
import { API_SERVER_FIELD_MANAGER } from '../../registry/field-ownership.js';
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

/** What syncStatus reports about an existing default ServiceCIDR it leaves as it is. */
export type DefaultServiceCIDRFinding =
  | { kind: 'inconsistent'; object: StoredServiceCIDR; stored: string[]; flags: string[] }
  | { kind: 'not-ready'; object: StoredServiceCIDR; reason: string; message: string };

export function ensureDefaultServiceCIDR(
  store: ResourceStore<StoredServiceCIDR>,
  network: ServiceNetwork,
  now: number,
): DefaultServiceCIDRFinding | undefined {
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
      current = store.create(created, { fieldManager: API_SERVER_FIELD_MANAGER }).object as StoredServiceCIDR;
    } catch (e) {
      // A replica starting beside this one created it first.
      if (!(isStatusError(e) && e.status.reason === StatusReason.AlreadyExists)) throw e;
      current = store.get(undefined, DEFAULT_SERVICE_CIDR_NAME);
    }
  }
  if (current.metadata.deletionTimestamp) return undefined;
  const stored = current.spec?.cidrs ?? [];
  const same = stored.length === cidrs.length && stored.every((c, i) => c === cidrs[i]);
  if (!same) return { kind: 'inconsistent', object: current, stored, flags: cidrs };
  const ready = current.status?.conditions?.find((c) => c.type === READY_CONDITION);
  if (ready?.status === 'False') return { kind: 'not-ready', object: current, reason: ready.reason ?? '', message: ready.message ?? '' };
  if (ready && ready.status !== 'Unknown') return undefined;
  applyReadyCondition(
    store,
    DEFAULT_SERVICE_CIDR_NAME,
    { status: 'True', message: 'Kubernetes default Service CIDR is ready' },
    DEFAULT_SERVICE_CIDR_CONTROLLER,
    now,
  );
  return undefined;
}

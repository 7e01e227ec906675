/**
 * What the API server, the ServiceCIDR controller and the Service allocator share about
 * ServiceCIDRs: the default one's name, the finalizer that holds a deleted one while addresses are
 * taken from it, the Ready condition, and whether the allocator may take addresses from one.
 */
import type { Stored } from '../../apimachinery/object.js';
import { resourceKey } from '../../registry/resource-definition.js';
import type { ServiceCIDR } from './schema.js';

export type StoredServiceCIDR = Stored<ServiceCIDR>;

/** Where ServiceCIDRs are stored (a ClusterReader's and the controllers' cache key). */
export const SERVICE_CIDRS = resourceKey('networking.k8s.io', 'servicecidrs');

/** The one kube-apiserver keeps for --service-cluster-ip-range (DefaultServiceCIDRName). */
export const DEFAULT_SERVICE_CIDR_NAME = 'kubernetes';

/** ServiceCIDRProtectionFinalizer (pkg/controller/servicecidrs). */
export const SERVICE_CIDR_FINALIZER = 'networking.k8s.io/service-cidr-finalizer';

/** ServiceCIDRConditionReady and ServiceCIDRReasonTerminating (k8s.io/api networking/v1). */
export const READY_CONDITION = 'Ready';
export const TERMINATING_REASON = 'Terminating';

/**
 * The allocator's isReady, and its rule that a ServiceCIDR being deleted gives no more addresses:
 * Ready True, or no Ready condition at all (upstream assumes ready when no controller wrote one).
 */
export function allocatesFrom(sc: StoredServiceCIDR): boolean {
  if (sc.metadata.deletionTimestamp) return false;
  const ready = sc.status?.conditions?.find((c) => c.type === READY_CONDITION);
  return !ready || ready.status === 'True';
}

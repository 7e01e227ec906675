/**
 * What kube-apiserver's IPAddress repair loop (pkg/registry/core/service/ipallocator/controller/
 * repairip.go, RepairIPAddress) decides, kept pure: for a Service, that each of its cluster IPs
 * has an IPAddress of the allocator referring back to it (syncService); for one of the allocator's
 * IPAddresses, that the Service it names exists and holds it (syncIPAddress). Each finding is an
 * event and, where upstream repairs, a write; a correct state plans neither.
 */
import { ipFamilyOf, canonicalIPSloppy } from '../../apimachinery/validation/ip.js';
import { IP_FAMILY_LABEL, type StoredIPAddress } from '../../resources/ipaddresses/managed.js';
import type { StoredServiceCIDR } from '../../resources/servicecidrs/readiness.js';
import type { StoredService } from '../../resources/stored.js';
import { cidrsHoldingAddress, managedByAllocator } from '../servicecidrs/plan.js';

/**
 * How old an IPAddress naming a missing Service must be before it is taken for leaked: upstream
 * waits 60 s from its creation (a Service create may still be under way); scaled down as podgc's
 * quarantine is (40 s there, 1 s here).
 */
export const LEAK_GRACE_MS = 1_500;

/**
 * The action of a repair event (events.k8s.io/v1 `action`): a Service's cluster IP that does not
 * parse is ClusterIPValidation, its other findings ClusterIPAllocation, an IPAddress's
 * IPAddressAllocation.
 */
export type RepairAction = 'ClusterIPValidation' | 'ClusterIPAllocation' | 'IPAddressAllocation';

export interface RepairEvent {
  /** `service` for the Service looked at, `ipaddress` for the IPAddress. */
  about: 'service' | 'ipaddress';
  reason: string;
  action: RepairAction;
  message: string;
}

/** One repair: create the Service's IPAddress for `ip`, delete the IPAddress `ip`, or both (recreate). */
export interface RepairWrite {
  ip: string;
  delete: boolean;
  create: boolean;
}

export interface RepairPlan {
  events: RepairEvent[];
  writes: RepairWrite[];
  /** Look again after this long (an orphan still inside its grace). */
  recheckAfterMs?: number;
}

type ServiceLookup = (namespace: string, name: string) => StoredService | undefined;

const familyOf = (ip: string): 'IPv4' | 'IPv6' => (ipFamilyOf(ip) === 6 ? 'IPv6' : 'IPv4');
const svcName = (svc: StoredService) => `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;

/** verifyIPAddressLabels: the family label matches the address and the allocator manages it. */
function labelsRight(ip: StoredIPAddress): boolean {
  const family = ip.metadata.labels?.[IP_FAMILY_LABEL];
  return family !== undefined && family === familyOf(ip.metadata.name ?? '') && managedByAllocator(ip);
}

/** The IPAddress's parentRef names a core Service. */
function refersToService(ip: StoredIPAddress): boolean {
  const ref = ip.spec?.parentRef;
  return (ref?.group ?? '') === '' && ref?.resource === 'services';
}

/**
 * helper.IsServiceIPSet (a cluster IP that is neither empty nor None), then its clusterIPs, which
 * SetDefaults_Service fills from clusterIP on an object stored without them.
 */
export function clusterIPsOf(svc: StoredService): string[] {
  const spec = svc.spec ?? {};
  if (!spec.clusterIP || spec.clusterIP === 'None') return [];
  return spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP];
}

/** syncService: the Service's cluster IPs against their IPAddresses. */
export function planServiceRepair(
  svc: StoredService,
  ipOf: (name: string) => StoredIPAddress | undefined,
  cidrs: readonly StoredServiceCIDR[],
  serviceOf: ServiceLookup,
): RepairPlan {
  const plan: RepairPlan = { events: [], writes: [] };
  const event = (reason: string, message: string, action: RepairAction = 'ClusterIPAllocation') =>
    plan.events.push({ about: 'service', reason, action, message });
  for (const clusterIP of clusterIPsOf(svc)) {
    const ip = canonicalIPSloppy(clusterIP);
    if (ip === undefined) {
      // Upstream formats the nil net.IP it failed to parse.
      event('ClusterIPNotValid', 'Cluster IP <nil> is not a valid IP; please recreate Service', 'ClusterIPValidation');
      continue;
    }
    const family = familyOf(ip);
    if (cidrsHoldingAddress(cidrs, ip).length === 0) {
      event('ClusterIPOutOfRange', `Cluster IP [${family}]: ${ip} is not within any configured Service CIDR; please recreate service`);
      continue;
    }
    const address = ipOf(ip);
    if (!address) {
      event('ClusterIPNotAllocated', `Cluster IP [${family}]: ${ip} is not allocated; repairing`);
      plan.writes.push({ ip, delete: false, create: true });
      continue;
    }
    const wrongReference = () =>
      event('ClusterIPNotAllocated', `the ClusterIP [${family}]: ${ip} for Service ${svcName(svc)} has a wrong reference; repairing`);
    if (!refersToService(address)) {
      wrongReference();
      plan.writes.push({ ip, delete: true, create: true });
      continue;
    }
    const ref = address.spec?.parentRef ?? {};
    if ((ref.namespace ?? '') !== (svc.metadata.namespace ?? '') || (ref.name ?? '') !== svc.metadata.name) {
      const other = serviceOf(ref.namespace ?? '', ref.name ?? '');
      if (!other) {
        wrongReference();
        plan.writes.push({ ip, delete: true, create: true });
        continue;
      }
      if (clusterIPsOf(other).includes(address.metadata.name ?? '')) {
        event('ClusterIPAlreadyAllocated', `Cluster IP [${family}]:${ip} was assigned to multiple services; please recreate service`);
      }
    }
    if (!labelsRight(address)) plan.writes.push({ ip, delete: true, create: true });
  }
  return plan;
}

/** Go's %v of a *ParentReference: its fields in order, space separated, after `&`. */
function goParentRef(ip: StoredIPAddress): string {
  const ref = ip.spec?.parentRef;
  if (!ref) return '<nil>';
  return `&{${ref.group ?? ''} ${ref.resource ?? ''} ${ref.namespace ?? ''} ${ref.name ?? ''}}`;
}

/** syncIPAddress: one of the allocator's IPAddresses against the Service it names. */
export function planAddressRepair(ip: StoredIPAddress, serviceOf: ServiceLookup, now: number): RepairPlan {
  const plan: RepairPlan = { events: [], writes: [] };
  if (!managedByAllocator(ip)) return plan;
  const name = ip.metadata.name ?? '';
  const drop = (reason: string, message: string) => {
    plan.events.push({ about: 'ipaddress', reason, action: 'IPAddressAllocation', message });
    plan.writes.push({ ip: name, delete: true, create: false });
  };
  if (!refersToService(ip)) {
    drop(
      'IPAddressNotAllocated',
      `IPAddress ${name} appears to have been modified, not referencing a Service ${goParentRef(ip)}: cleaning up`,
    );
    return plan;
  }
  const ref = ip.spec?.parentRef ?? {};
  const svc = serviceOf(ref.namespace ?? '', ref.name ?? '');
  if (!svc) {
    const lifetime = now - Date.parse(ip.metadata.creationTimestamp ?? '');
    if (lifetime > LEAK_GRACE_MS) {
      drop(
        'IPAddressNotAllocated',
        `IPAddress: ${name} for Service ${ref.namespace ?? ''}/${ref.name ?? ''} appears to have leaked: cleaning up`,
      );
    } else {
      plan.recheckAfterMs = LEAK_GRACE_MS - lifetime + 1;
    }
    return plan;
  }
  if (clusterIPsOf(svc).includes(name)) return plan;
  drop('IPAddressWrongReference', `IPAddress: ${name} for Service ${svcName(svc)} has a wrong reference; cleaning up`);
  return plan;
}

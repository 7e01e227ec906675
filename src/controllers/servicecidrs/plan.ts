/**
 * What the ServiceCIDR controller (pkg/controller/servicecidrs) decides for one ServiceCIDR, kept
 * pure: a live one gets the protection finalizer and Ready True; one being deleted keeps it, Ready
 * False (Terminating), while an address the allocator handed out is in no other ServiceCIDR, and
 * loses it once none is and the deletion is ten seconds old (so that no allocator still counts on it).
 */
import { parseAddr, parsePrefix, type NetipPrefix } from '../../apimachinery/ip/netip.js';
import { prefixContains, prefixHolds } from '../../apimachinery/ip/prefix-contains.js';
import { IP_ALLOCATOR_NAME, IP_FAMILY_LABEL, MANAGED_BY_LABEL, type StoredIPAddress } from '../../resources/ipaddresses/managed.js';
import { SERVICE_CIDR_FINALIZER, TERMINATING_REASON, type StoredServiceCIDR } from '../../resources/servicecidrs/readiness.js';
import type { ReadyState } from '../../resources/servicecidrs/ready-condition.js';

/** deletionGracePeriod: how long a deleted ServiceCIDR keeps its finalizer at least. */
export const DELETION_GRACE_MS = 10_000;

export const READY: ReadyState = { status: 'True', message: 'Kubernetes Service CIDR is ready' };
export const TERMINATING: ReadyState = {
  status: 'False',
  reason: TERMINATING_REASON,
  message: 'There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR',
};

export type ServiceCIDRPlan =
  | { action: 'protect' } // add the finalizer (if missing), then Ready True
  | { action: 'block' } // Ready False, Terminating
  | { action: 'wait'; ms: number }
  | { action: 'release' }; // remove the finalizer (if present)

/** The ServiceCIDR's subnets as netip reads them (the unparsable ones left out). */
export function prefixesOf(sc: StoredServiceCIDR): NetipPrefix[] {
  return (sc.spec?.cidrs ?? []).flatMap((text) => {
    const p = parsePrefix(text);
    return 'ok' in p ? [p.ok] : [];
  });
}

/** The allocator's own IPAddresses: only they may block a deletion. */
export const managedByAllocator = (ip: StoredIPAddress) => ip.metadata.labels?.[MANAGED_BY_LABEL] === IP_ALLOCATOR_NAME;

/** servicecidr.ContainsAddress: the ServiceCIDRs one of whose subnets holds `name` (an address). */
export function cidrsHoldingAddress(all: readonly StoredServiceCIDR[], name: string): StoredServiceCIDR[] {
  const addr = parseAddr(name);
  if (!('ok' in addr)) return [];
  return all.filter((sc) => prefixesOf(sc).some((p) => prefixContains(p, addr.ok)));
}

/** The ServiceCIDRs that hold, or are held by, one of `sc`'s subnets (a change to one may unblock the others). */
export function overlapping(all: readonly StoredServiceCIDR[], sc: StoredServiceCIDR): StoredServiceCIDR[] {
  const mine = prefixesOf(sc);
  return all.filter((other) => prefixesOf(other).some((p) => mine.some((q) => prefixHolds(p, q) || prefixHolds(q, p))));
}

/**
 * canDeleteCIDR: yes when another ServiceCIDR holds each of its subnets (upstream asks this per
 * subnet, and one without such a parent makes it look at the addresses), else when none of the
 * allocator's addresses of its families has this one as its only ServiceCIDR.
 */
export function canDelete(sc: StoredServiceCIDR, all: readonly StoredServiceCIDR[], ips: readonly StoredIPAddress[]): boolean {
  const name = sc.metadata.name;
  const prefixes = prefixesOf(sc);
  const hasParent = prefixes.every((q) => {
    const holders = all.filter((other) => prefixesOf(other).some((p) => prefixHolds(p, q)));
    return !(holders.length === 0 || (holders.length === 1 && holders[0].metadata.name === name));
  });
  if (hasParent) return true;
  const families = new Set<string>(prefixes.map((p) => (p.addr.is4 ? 'IPv4' : 'IPv6')));
  return !ips.some((ip) => {
    if (!managedByAllocator(ip) || !families.has(ip.metadata.labels?.[IP_FAMILY_LABEL] ?? '')) return false;
    const holders = cidrsHoldingAddress(all, ip.metadata.name ?? '');
    return holders.length === 1 && holders[0].metadata.name === name;
  });
}

export function planServiceCIDR(
  sc: StoredServiceCIDR,
  all: readonly StoredServiceCIDR[],
  ips: readonly StoredIPAddress[],
  now: number,
): ServiceCIDRPlan {
  const deleted = sc.metadata.deletionTimestamp;
  if (!deleted) return { action: 'protect' };
  if (!canDelete(sc, all, ips)) return { action: 'block' };
  const wait = Date.parse(deleted) + DELETION_GRACE_MS - now;
  return wait > 0 ? { action: 'wait', ms: wait } : { action: 'release' };
}

export const hasFinalizer = (sc: StoredServiceCIDR) => (sc.metadata.finalizers ?? []).includes(SERVICE_CIDR_FINALIZER);

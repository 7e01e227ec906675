/**
 * Where Service cluster IPs come from and which are taken, as kube-apiserver 1.33's IPAddress-based
 * allocator (MultiCIDRServiceAllocator, GA and on) sees it: every ready ServiceCIDR not being
 * deleted gives its IPv4 subnet (this cluster's only family), and every IPAddress object holds its
 * address. kubemock tries the --service-cluster-ip-range subnet (the `kubernetes` ServiceCIDR's)
 * first, the others after it by name (upstream takes its allocators in map order). With no
 * ServiceCIDR stored at all (a registry used without the API server's bootstrap) the flag's range
 * stands in for the default one.
 */
import { parseIPv4, parseIPv4Cidr, type Ipv4Cidr } from '../../apimachinery/ipv4.js';
import type { ClusterReader } from '../../registry/resource-definition.js';
import { IP_ADDRESSES } from '../ipaddresses/managed.js';
import { SERVICE_CIDRS, allocatesFrom, type StoredServiceCIDR } from '../servicecidrs/readiness.js';

const sameRange = (a: Ipv4Cidr, b: Ipv4Cidr) => a.network === b.network && a.prefixLength === b.prefixLength;

/** The IPv4 subnets new cluster IPs may come from, the flag's first; each once. */
export function allocationRanges(cluster: ClusterReader, flagRange: Ipv4Cidr): Ipv4Cidr[] {
  const cidrs = cluster.list(SERVICE_CIDRS) as StoredServiceCIDR[];
  if (cidrs.length === 0) return [flagRange];
  const ranges: Ipv4Cidr[] = [];
  for (const sc of cidrs) {
    if (!allocatesFrom(sc)) continue;
    for (const text of sc.spec?.cidrs ?? []) {
      const range = parseIPv4Cidr(text);
      if (range && !ranges.some((r) => sameRange(r, range))) ranges.push(range);
    }
  }
  return ranges.sort((a, b) => Number(sameRange(b, flagRange)) - Number(sameRange(a, flagRange)));
}

/** The IPv4 addresses IPAddress objects hold (whoever made them), from their names alone. */
export function addressesTaken(cluster: ClusterReader, into: Set<number>): void {
  for (const name of cluster.names(IP_ADDRESSES)) {
    const address = parseIPv4(name);
    if (address !== undefined) into.add(address);
  }
}

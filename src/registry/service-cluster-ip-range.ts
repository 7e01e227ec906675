/**
 * kube-apiserver 1.33's --service-cluster-ip-range: how Complete reads it (getServiceIPAndRanges in
 * cmd/kube-apiserver/app/options/completion.go: comma-separated, each entry by ParseCIDRSloppy, the
 * primary through ServiceIPRange's size check) and how Validate judges it (validateClusterIPFlags and
 * validatePublicIPServiceClusterIPRangeIPFamilies in cmd/kube-apiserver/app/options/validation.go;
 * with DisableAllocatorDualWrite off in 1.33, a range may hold at most 2^20 addresses). Validation's
 * errors come together as an aggregate's text, as kube-apiserver prints them.
 *
 * kubemock's own limits come after upstream's checks: it advertises itself on 127.0.0.1, so the
 * primary range must be IPv4 (the family check upstream makes against the advertise address), and its
 * Services are single-stack, so a second (dual-stack) range is refused.
 */
import { isIPv4Bytes } from '../apimachinery/ip/bytes.js';
import { networkOf, type ParsedCIDR } from '../apimachinery/ip/cidr.js';
import { formatNetwork } from '../apimachinery/ip/format.js';
import { parseCIDRSloppy } from '../apimachinery/ip/sloppy.js';
import { ipv4CidrOf, type Ipv4Cidr } from '../apimachinery/ipv4.js';
import { ADVERTISED_ADDRESS } from './service-network.js';

/** validateClusterIPFlags' maxCIDRBits. */
const MAX_CIDR_BITS = 20;

export type ServiceClusterIPRange = { range: Ipv4Cidr } | { error: string };

/** Host bits of the CIDR as net.IPMask.Size counts them: past the prefix, of 32 or 128. */
const hostBits = (c: ParsedCIDR) => c.bits - c.prefixLength;

/** utilnet.RangeSize, capped at 2^16 as ServiceIPRange caps it: 0 for /0 and /1 (and a /31 or /32). */
function cappedRangeSize(c: ParsedCIDR): number {
  const host = hostBits(c);
  if (host >= c.bits - 1) return 0;
  return 2 ** Math.min(host, 16);
}

function tooLarge(c: ParsedCIDR, flag: string): string | undefined {
  if (hostBits(c) <= MAX_CIDR_BITS) return undefined;
  return `specified ${flag} is too large; for ${c.bits}-bit addresses, the mask must be >= ${c.bits - MAX_CIDR_BITS}`;
}

/** netutils.IsIPv4CIDR: the network's address is IPv4 (an IPv4-mapped one with a prefix of 96+ too). */
const isIPv4CIDR = (c: ParsedCIDR) => isIPv4Bytes(networkOf(c));

/** utilerrors.NewAggregate(errs).Error(): one message alone, several (duplicates once) in brackets. */
function aggregate(errs: string[]): string {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/**
 * The flag's value as kube-apiserver reads and validates it; an empty value is `defaultRange`
 * (kube-apiserver's own default is 10.0.0.0/24, kubemock's is kubeadm's 10.96.0.0/12).
 */
export function parseServiceClusterIPRange(value: string, defaultRange: string): ServiceClusterIPRange {
  if (value === '') return parseServiceClusterIPRange(defaultRange, defaultRange);
  const entries = value.split(',');
  const primary = parseCIDRSloppy(entries[0]);
  if (!primary) return { error: 'service-cluster-ip-range[0] is not a valid cidr' };
  if (cappedRangeSize(primary) < 8) {
    return {
      error: 'error determining service IP ranges for primary service cidr: the service cluster IP range must be at least 8 IP addresses',
    };
  }
  const secondary = entries.length > 1 ? parseCIDRSloppy(entries[1]) : undefined;
  if (entries.length > 1 && !secondary) return { error: 'service-cluster-ip-range[1] is not an ip net' };

  const errs: string[] = [];
  if (entries.length > 2) errs.push('--service-cluster-ip-range must not contain more than two entries');
  const primaryTooLarge = tooLarge(primary, '--service-cluster-ip-range');
  if (primaryTooLarge) errs.push(primaryTooLarge);
  if (secondary) {
    if (isIPv4CIDR(primary) === isIPv4CIDR(secondary)) {
      errs.push('--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family');
    }
    const secondaryTooLarge = tooLarge(secondary, '--service-cluster-ip-range[1]');
    if (secondaryTooLarge) errs.push(secondaryTooLarge);
  }
  if (!isIPv4CIDR(primary)) {
    const shown = formatNetwork(primary, networkOf(primary));
    errs.push(`service IP family "${shown}" must match public address family "${ADVERTISED_ADDRESS}"`);
  }
  if (errs.length > 0) return { error: aggregate(errs) };

  if (secondary) return { error: 'a second (dual-stack) range is not supported: kubemock serves single-stack IPv4 Services' };
  return { range: ipv4CidrOf(primary)! };
}

/**
 * The cluster IP allocator of one service CIDR, as kube-apiserver's IPAddress-backed allocator
 * (MultiCIDRServiceAllocator, GA in 1.33) decides, kept pure: given the addresses taken, a request
 * is honoured or refused with upstream's error text, and a dynamic allocation prefers the upper
 * part of the range, leaving the low "static" part (KEP-3070) to requests. Over several ServiceCIDRs
 * (allocateFromRanges) it is the MetaAllocator: a request goes to a range holding the address, any
 * address to the first range with one free.
 */
import { cidrContains, formatIPv4, parseIPv4, type Ipv4Cidr } from '../../apimachinery/ipv4.js';

export const IP_ALREADY_ALLOCATED = 'provided IP is already allocated';
export const IP_RANGE_FULL = 'range is full';
export const IP_NETWORK_MISMATCH = 'the provided network does not match the current range';

/** An integer from 0 to n - 1 (Math.random in the server, fixed in tests). */
export type RandomInt = (n: number) => number;

export const randomInt: RandomInt = (n) => Math.floor(Math.random() * n);

export interface IPRequest {
  range: Ipv4Cidr;
  /** Addresses held by other Services. */
  used: ReadonlySet<number>;
  /** The address asked for; undefined or '' for any. */
  requested?: string;
  /** A dry run checks a request against the range only and answers the network address for "any", as upstream. */
  dryRun: boolean;
  random: RandomInt;
}

export type IPResult = { ip: string } | { error: string };

/** Addresses that may be handed out: the network and broadcast addresses never are. */
export function usableAddresses(range: Ipv4Cidr): { first: number; last: number } {
  return { first: range.network + 1, last: range.network + range.size - 2 };
}

/** The size of the low, request-only part: min(max(16, size/16), 256), none for ranges of 16 or fewer. */
export function staticSubrangeSize(range: Ipv4Cidr): number {
  if (range.size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(range.size / 16)), 256);
}

export function allocateIP(req: IPRequest): IPResult {
  const { first, last } = usableAddresses(req.range);
  if (req.requested) {
    const address = parseIPv4(req.requested);
    if (address === undefined) return { error: IP_NETWORK_MISMATCH };
    // A dry run asks the one allocator about its bounds only; a real one first finds the CIDR holding the address.
    if (!req.dryRun && !cidrContains(req.range, address)) return { error: IP_NETWORK_MISMATCH };
    if (address < first || address > last) return { error: `provided IP ${formatIPv4(address)} is not in the valid range` };
    if (!req.dryRun && req.used.has(address)) return { error: IP_ALREADY_ALLOCATED };
    return { ip: req.requested };
  }
  if (req.dryRun) return { ip: formatIPv4(req.range.network) };
  const split = first + staticSubrangeSize(req.range);
  const found = scan(split, last, req.used, req.random) ?? scan(first, split - 1, req.used, req.random);
  return found === undefined ? { error: IP_RANGE_FULL } : { ip: formatIPv4(found) };
}

/** The first free address of [low, high], starting at a random one and wrapping around. */
function scan(low: number, high: number, used: ReadonlySet<number>, random: RandomInt): number | undefined {
  const count = high - low + 1;
  if (count <= 0) return undefined;
  const start = random(count);
  for (let i = 0; i < count; i++) {
    const address = low + ((start + i) % count);
    if (!used.has(address)) return address;
  }
  return undefined;
}

export interface RangesRequest extends Omit<IPRequest, 'range'> {
  /** The ranges of the ready ServiceCIDRs, in the order to try them. */
  ranges: readonly Ipv4Cidr[];
}

/**
 * The MetaAllocator (cidrallocator.go): a requested address is allocated by a range that holds it
 * (one where it is usable when there are several), the network mismatch error when none does; any
 * address comes from the first range not full. A dry run asks one allocator, as upstream's DryRun.
 */
export function allocateFromRanges(req: RangesRequest): IPResult {
  const { ranges, ...rest } = req;
  if (ranges.length === 0) return { error: req.requested ? IP_NETWORK_MISMATCH : IP_RANGE_FULL };
  if (req.dryRun) return allocateIP({ ...rest, range: ranges[0] });
  if (req.requested) {
    const address = parseIPv4(req.requested);
    const holding = address === undefined ? [] : ranges.filter((r) => cidrContains(r, address));
    if (holding.length === 0) return { error: IP_NETWORK_MISMATCH };
    const usable = holding.find((r) => {
      const { first, last } = usableAddresses(r);
      return address! >= first && address! <= last;
    });
    return allocateIP({ ...rest, range: usable ?? holding[0] });
  }
  for (const range of ranges) {
    const result = allocateIP({ ...rest, range });
    if ('ip' in result) return result;
  }
  return { error: IP_RANGE_FULL };
}

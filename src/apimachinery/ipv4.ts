/**
 * IPv4 addresses as numbers, CIDRs and port ranges: what the service allocators, the kubelet's
 * pod IPs and the --service-cluster-ip-range / --service-node-port-range flags are made of. Text is
 * read by ip/ (here with ParseIPSloppy / ParseCIDRSloppy, as the Service allocator and the flag do)
 * and this file only turns the result into numbers and back.
 */
import { isIPv4Bytes } from './ip/bytes.js';
import { networkOf, type ParsedCIDR } from './ip/cidr.js';
import { IP_INVALID } from './ip/read-address.js';
import { parseCIDRSloppy, parseIPSloppy } from './ip/sloppy.js';

/** An IPv4 network: its (masked) address as an unsigned number, prefix length and address count. */
export interface Ipv4Cidr {
  network: number;
  prefixLength: number;
  /** 2^(32 - prefixLength). */
  size: number;
}

/** A contiguous port range, as k8s.io/apimachinery's net.PortRange: `base` and `size` ports from there. */
export interface PortRange {
  base: number;
  size: number;
}

const scratch = new Uint8Array(16);

/**
 * An IPv4 address as ParseIPSloppy reads it (leading zeros read as decimal; IPv4-mapped IPv6 is
 * IPv4, as net.IP.To4 says), as an unsigned number; undefined for anything else (IPv6 included).
 */
export function parseIPv4(text: string): number | undefined {
  if (parseIPSloppy(text, scratch) === IP_INVALID || !isIPv4Bytes(scratch)) return undefined;
  return ((scratch[12] << 24) | (scratch[13] << 16) | (scratch[14] << 8) | scratch[15]) >>> 0;
}

/** An unsigned number (0 to 2^32 - 1) as a dotted quad. */
export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * A parsed CIDR as an IPv4 network (host bits cleared, as Go's ParseCIDR returns it): an IPv4 one,
 * or an IPv4-mapped IPv6 one whose network is still IPv4 (prefix 96 or more, as net.IPNet.String
 * shows it); undefined for an IPv6 network.
 */
export function ipv4CidrOf(cidr: ParsedCIDR): Ipv4Cidr | undefined {
  const network = networkOf(cidr);
  if (!isIPv4Bytes(network)) return undefined;
  const prefixLength = cidr.bits === 32 ? cidr.prefixLength : cidr.prefixLength - 96;
  const address = ((network[12] << 24) | (network[13] << 16) | (network[14] << 8) | network[15]) >>> 0;
  return { network: address, prefixLength, size: 2 ** (32 - prefixLength) };
}

/** `10.96.0.0/12` as ParseCIDRSloppy reads it, as an IPv4 network; undefined when malformed or IPv6. */
export function parseIPv4Cidr(text: string): Ipv4Cidr | undefined {
  const cidr = parseCIDRSloppy(text);
  return cidr && ipv4CidrOf(cidr);
}

export function cidrContains(cidr: Ipv4Cidr, address: number): boolean {
  return address >= cidr.network && address < cidr.network + cidr.size;
}

/** `30000-32767` or a single port, as net.ParsePortRange reads it; undefined when malformed or reversed. */
export function parsePortRange(text: string): PortRange | undefined {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!match) return undefined;
  const low = Number(match[1]);
  const high = match[2] === undefined ? low : Number(match[2]);
  if (low > 65535 || high > 65535 || high < low) return undefined;
  return { base: low, size: high - low + 1 };
}

/** As net.PortRange.String: `30000-32767`. */
export function formatPortRange(range: PortRange): string {
  return `${range.base}-${range.base + range.size - 1}`;
}

export function portRangeContains(range: PortRange, port: number): boolean {
  return port >= range.base && port < range.base + range.size;
}

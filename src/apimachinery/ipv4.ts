/**
 * IPv4 addresses as numbers, CIDRs and port ranges: what the service allocators, the kubelet's
 * pod IPs and the --service-cluster-ip-range / --service-node-port-range flags are made of. The one
 * reader and writer of dotted quads for allocation and address arithmetic; validation reads with
 * Go's exact rules instead (validation/ip-parse.ts), and CEL with netip's strict ones (cel/ip.ts).
 */

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

/**
 * Parses dotted-quad IPv4 (four decimal parts of one to three digits, leading zeros allowed) to an
 * unsigned number; undefined for anything else (IPv6 included). Go's ParseIPSloppy also takes longer
 * parts such as `0010`; validation/ip-parse.ts's readIP is that reader.
 */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    n = n * 256 + Number(part);
  }
  return n;
}

/** An unsigned number (0 to 2^32 - 1) as a dotted quad. */
export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** `10.96.0.0/12` → the network (host bits cleared, as Go's ParseCIDR); undefined when malformed. */
export function parseIPv4Cidr(text: string): Ipv4Cidr | undefined {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
  if (!match) return undefined;
  const address = parseIPv4(match[1]);
  const prefixLength = Number(match[2]);
  if (address === undefined || prefixLength > 32) return undefined;
  const size = 2 ** (32 - prefixLength);
  return { network: address - (address % size), prefixLength, size };
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

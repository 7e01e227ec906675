/**
 * Addresses as text, the one writer for every flavour: net.IP.String() (an IPv4 or IPv4-mapped
 * address as a dotted quad), netip.Addr.String() (an IPv4-mapped one read from IPv6 text keeps its
 * ::ffff: prefix) and net.IPNet.String(); IPv6 as RFC 5952 says (lower case, no leading zeros, the
 * first longest run of two or more zero groups as `::`).
 */
import { isIPv4Bytes } from './bytes.js';
import type { ParsedCIDR } from './cidr.js';

/** ip[at, at + 4) as a dotted quad. */
export function formatIPv4Bytes(ip: Uint8Array, at = 12): string {
  return `${ip[at]}.${ip[at + 1]}.${ip[at + 2]}.${ip[at + 3]}`;
}

/** All 16 bytes as RFC 5952 IPv6 text. */
export function formatIPv6(ip: Uint8Array): string {
  let runStart = -1;
  let runLength = 0;
  for (let g = 0; g < 8; g++) {
    let end = g;
    while (end < 8 && ip[end * 2] === 0 && ip[end * 2 + 1] === 0) end++;
    if (end - g >= 2 && end - g > runLength) {
      runStart = g;
      runLength = end - g;
    }
    if (end > g) g = end - 1;
  }
  let out = '';
  for (let g = 0; g < 8; g++) {
    if (g === runStart) {
      out += '::';
      g += runLength - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += ((ip[g * 2] << 8) | ip[g * 2 + 1]).toString(16);
  }
  return out;
}

/** net.IP.String(): dotted IPv4 for an IPv4 (or IPv4-mapped) address, RFC 5952 IPv6 otherwise. */
export function formatIP(ip: Uint8Array): string {
  return isIPv4Bytes(ip) ? formatIPv4Bytes(ip) : formatIPv6(ip);
}

/**
 * netip.Addr.String(): an address read from IPv4 text as a dotted quad; one read from IPv6 text as
 * RFC 5952, an IPv4-mapped one as `::ffff:` and its dotted quad; a zone after a `%`.
 */
export function formatAddr(ip: Uint8Array, is4: boolean, zone = ''): string {
  if (is4) return formatIPv4Bytes(ip);
  const text = isIPv4Bytes(ip) ? `::ffff:${formatIPv4Bytes(ip)}` : formatIPv6(ip);
  return zone ? `${text}%${zone}` : text;
}

/**
 * net.IPNet.String() of a parsed CIDR's network: an IPv4 network (an IPv4-mapped one with a prefix
 * of 96+ too) in dotted form with its IPv4 prefix length, else IPv6 with the prefix.
 */
export function formatNetwork(cidr: ParsedCIDR, network: Uint8Array): string {
  if (!isIPv4Bytes(network)) return `${formatIPv6(network)}/${cidr.prefixLength}`;
  const prefixLength = cidr.bits === 32 ? cidr.prefixLength : cidr.prefixLength - 96;
  return `${formatIPv4Bytes(network)}/${prefixLength}`;
}

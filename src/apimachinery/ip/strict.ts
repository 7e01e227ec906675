/**
 * Go's net.ParseIP and net.ParseCIDR as they are since Go 1.17 (today over netip.ParseAddr): no
 * leading zeros in IPv4 octets, at most four hex digits in an IPv6 group, no zone. What Go programs
 * outside the API server's legacy fields read addresses with (host-local IPAM among them).
 */
import { readCIDR, type ParsedCIDR } from './cidr.js';
import { readAddress } from './read-address.js';

/** net.ParseIP into `out` (16 bytes): IP_INVALID, or the IP_V6_TEXT flag. */
export function parseIP(text: string, out: Uint8Array): number {
  return readAddress(text, 0, text.length, out, true);
}

/** net.ParseCIDR (the prefix length may still have leading zeros, as Go's dtoi reads it). */
export function parseCIDR(text: string): ParsedCIDR | undefined {
  return readCIDR(text, true);
}

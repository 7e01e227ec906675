/**
 * CIDR text as Go's net.ParseCIDR reads it, in both its versions: Go 1.16's (k8s.io/utils/net's
 * ParseCIDRSloppy, ./sloppy.ts) and today's (./strict.ts), which differ only in how the address is
 * read. The address runs to the first '/', the prefix length is decimal (leading zeros allowed) and
 * at most the family's width: 32 for an address written as IPv4, 128 for one written as IPv6
 * (IPv4-mapped included).
 */
import { maskedBytes } from './bytes.js';
import { IP_INVALID, IP_NON_STRICT, IP_V6_TEXT, readAddress } from './read-address.js';

export interface ParsedCIDR {
  /** The address as written (host bits kept), 16 bytes, IPv4 as IPv4-mapped. */
  address: Uint8Array;
  prefixLength: number;
  /** 32 for an IPv4 CIDR, 128 for an IPv6 one (an IPv4-mapped address with a prefix too). */
  bits: 32 | 128;
  /** netip.ParsePrefix refuses the text: leading zeros in the address (sloppy reading only) or the prefix length. */
  nonStrict: boolean;
  /** The address is written as IPv6. */
  v6Text: boolean;
}

/** Go's dtoi gives up at this value. */
const BIG = 0xffffff;

/** ParseCIDR, reading the address strictly (netip's rules) or sloppily (Go 1.16's). */
export function readCIDR(text: string, strict: boolean): ParsedCIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = new Uint8Array(16);
  const flags = readAddress(text, 0, slash, address, strict);
  if (flags === IP_INVALID) return undefined;
  const bits = (flags & IP_V6_TEXT) !== 0 ? 128 : 32;
  let prefixLength = 0;
  for (let i = slash + 1; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    prefixLength = prefixLength * 10 + c;
    if (prefixLength >= BIG) return undefined;
  }
  const digits = text.length - slash - 1;
  if (digits === 0 || prefixLength > bits) return undefined;
  // netip.ParsePrefix takes no leading zero in the prefix length.
  const zeroLed = digits > 1 && text.charCodeAt(slash + 1) === 48;
  return { address, prefixLength, bits, nonStrict: zeroLed || (flags & IP_NON_STRICT) !== 0, v6Text: bits === 128 };
}

/** The network of `cidr`: its address with the bits past the prefix length cleared (net.IP.Mask). */
export function networkOf(cidr: ParsedCIDR): Uint8Array {
  return maskedBytes(cidr.address, cidr.prefixLength + (cidr.bits === 32 ? 96 : 0));
}

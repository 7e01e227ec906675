/**
 * IP addresses and CIDRs read as kube-apiserver reads its legacy fields: k8s.io/utils/net's
 * ParseIPSloppy / ParseCIDRSloppy (Go's pre-1.17 parser, which takes leading zeros in IPv4 octets and
 * IPv6 groups of more than four hex digits), and Go's net.IP / net.IPNet text forms.
 *
 * Addresses are read into 16 bytes, IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d), as Go's net.IP holds
 * them. The reader is a character loop writing into a caller's buffer: nothing is allocated for a
 * valid address, since pod status writes (podIPs, hostIPs) pass through it.
 * Kept apart from ../ipv4.ts (allocation's reader): validation must take exactly what Go takes (`0010.1.1.1`, IPv4-mapped IPv6) and say how strict it was.
 */

/** readIP / readCIDR: the text is not an address. */
export const IP_INVALID = -1;
/** Flag: netip.ParseAddr refuses the text (an octet with a leading 0, an IPv6 group of 5+ hex digits). */
export const IP_NON_STRICT = 1;
/** Flag: the address is written as IPv6 (it has a colon), IPv4-mapped or not. */
export const IP_V6_TEXT = 2;

/** dtoi / xtoi give up at this value. */
const BIG = 0xffffff;
const DOT = 46;
const COLON = 58;
const ZERO = 48;

/** Go's (forked) parseIPv4 of text[from, to) into out[at, at + 4): IP_INVALID, or IP_NON_STRICT for leading zeros. */
function readIPv4(text: string, from: number, to: number, out: Uint8Array, at: number): number {
  let flags = 0;
  let i = from;
  for (let octet = 0; octet < 4; octet++) {
    if (i >= to) return IP_INVALID;
    if (octet > 0) {
      if (text.charCodeAt(i) !== DOT) return IP_INVALID;
      i++;
    }
    const start = i;
    let n = 0;
    for (; i < to; i++) {
      const c = text.charCodeAt(i) - ZERO;
      if (c < 0 || c > 9) break;
      n = n * 10 + c;
      if (n >= BIG) return IP_INVALID;
    }
    if (i === start || n > 0xff) return IP_INVALID;
    if (i - start > 1 && text.charCodeAt(start) === ZERO) flags |= IP_NON_STRICT;
    out[at + octet] = n;
  }
  return i === to ? flags : IP_INVALID;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Go's (forked) parseIPv6 of text[from, to) into out: IP_INVALID, or flags. */
function readIPv6(text: string, from: number, to: number, out: Uint8Array): number {
  out.fill(0);
  let flags = IP_V6_TEXT;
  let ellipsis = -1;
  let p = from;
  if (to - p >= 2 && text.charCodeAt(p) === COLON && text.charCodeAt(p + 1) === COLON) {
    ellipsis = 0;
    p += 2;
    if (p === to) return flags;
  }
  let i = 0;
  while (i < 16) {
    const start = p;
    let end = p;
    let n = 0;
    for (; end < to; end++) {
      const d = hexDigit(text.charCodeAt(end));
      if (d < 0) break;
      n = n * 16 + d;
      if (n >= BIG) return IP_INVALID;
    }
    if (end === start || n > 0xffff) return IP_INVALID;
    if (end < to && text.charCodeAt(end) === DOT) {
      // A trailing IPv4 address fills the last four bytes (or those before the ellipsis' zeros).
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return IP_INVALID;
      const v4 = readIPv4(text, start, to, out, i);
      if (v4 === IP_INVALID) return IP_INVALID;
      flags |= v4;
      p = to;
      i += 4;
      break;
    }
    if (end - start > 4) flags |= IP_NON_STRICT;
    out[i] = n >> 8;
    out[i + 1] = n & 0xff;
    i += 2;
    p = end;
    if (p === to) break;
    if (text.charCodeAt(p) !== COLON || p + 1 === to) return IP_INVALID;
    p++;
    if (text.charCodeAt(p) === COLON) {
      if (ellipsis >= 0) return IP_INVALID;
      ellipsis = i;
      p++;
      if (p === to) break;
    }
  }
  if (p !== to) return IP_INVALID;
  if (i < 16) {
    if (ellipsis < 0) return IP_INVALID;
    const shift = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) out[j + shift] = out[j];
    for (let j = ellipsis + shift - 1; j >= ellipsis; j--) out[j] = 0;
  } else if (ellipsis >= 0) {
    // The ellipsis must stand for at least one group of zeros.
    return IP_INVALID;
  }
  return flags;
}

/** text[from, to) as dotted IPv4 into out, as the IPv4-mapped IPv6 bytes Go's net.IPv4 makes. */
function readIPv4Mapped(text: string, from: number, to: number, out: Uint8Array): number {
  for (let i = 0; i < 10; i++) out[i] = 0;
  out[10] = 0xff;
  out[11] = 0xff;
  return readIPv4(text, from, to, out, 12);
}

/**
 * ParseIPSloppy: the address into `out` (16 bytes); IP_INVALID, or IP_NON_STRICT / IP_V6_TEXT flags.
 * As Go's ParseIP, the first '.' or ':' decides the family the text is read as.
 */
export function readIP(text: string, out: Uint8Array): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) return readIPv4Mapped(text, 0, text.length, out);
    if (c === COLON) return readIPv6(text, 0, text.length, out);
  }
  return IP_INVALID;
}

/** A CIDR as ParseCIDRSloppy reads it. */
export interface SloppyCIDR {
  /** The address as written (host bits kept), 16 bytes. */
  address: Uint8Array;
  prefixLength: number;
  /** 32 for an IPv4 CIDR, 128 for an IPv6 one (an IPv4-mapped address with a prefix too). */
  bits: 32 | 128;
  /** netip.ParsePrefix refuses the text: leading zeros in the address or the prefix length. */
  nonStrict: boolean;
  /** The address is written as IPv6. */
  v6Text: boolean;
}

/** ParseCIDRSloppy: an address (dotted IPv4 first, else IPv6), '/', and a decimal prefix length within the family. */
export function readCIDR(text: string): SloppyCIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = new Uint8Array(16);
  let bits: 32 | 128 = 32;
  let flags = readIPv4Mapped(text, 0, slash, address);
  if (flags === IP_INVALID) {
    bits = 128;
    flags = readIPv6(text, 0, slash, address);
    if (flags === IP_INVALID) return undefined;
  }
  let prefixLength = 0;
  for (let i = slash + 1; i < text.length; i++) {
    const c = text.charCodeAt(i) - ZERO;
    if (c < 0 || c > 9) return undefined;
    prefixLength = prefixLength * 10 + c;
    if (prefixLength >= BIG) return undefined;
  }
  const digits = text.length - slash - 1;
  if (digits === 0 || prefixLength > bits) return undefined;
  // netip.ParsePrefix takes no leading zero in the prefix length.
  if (digits > 1 && text.charCodeAt(slash + 1) === ZERO) flags |= IP_NON_STRICT;
  return { address, prefixLength, bits, nonStrict: (flags & IP_NON_STRICT) !== 0, v6Text: (flags & IP_V6_TEXT) !== 0 };
}

/** net.IP.To4() != nil: an IPv4 address (IPv4-mapped IPv6 included). */
export function isIPv4Bytes(ip: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

/** The network of `cidr`: its address with the bits past the prefix length cleared (net.IP.Mask). */
export function networkOf(cidr: SloppyCIDR): Uint8Array {
  const ones = cidr.prefixLength + (cidr.bits === 32 ? 96 : 0);
  const network = new Uint8Array(cidr.address);
  for (let i = 0; i < 16; i++) {
    const keep = Math.min(8, Math.max(0, ones - i * 8));
    network[i] &= (0xff00 >> keep) & 0xff;
  }
  return network;
}

/** An IPv6 address in RFC 5952 form: lower-case hex, the first longest run of 2+ zero groups as '::'. */
function formatIPv6(ip: Uint8Array): string {
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
  return isIPv4Bytes(ip) ? `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}` : formatIPv6(ip);
}

/**
 * netip.Addr.String() of an address netip reads as IPv6 (written with colons): IPv4-mapped ones keep
 * their ::ffff: prefix, the rest as RFC 5952.
 */
export function formatIPv6Text(ip: Uint8Array): string {
  return isIPv4Bytes(ip) ? `::ffff:${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}` : formatIPv6(ip);
}

/**
 * net.IPNet.String() of the network ParseCIDRSloppy returns: an IPv4 network (an IPv4-mapped one
 * with a prefix of 96+ too) in dotted form with its IPv4 prefix length, else IPv6 with the prefix.
 */
export function formatNetwork(cidr: SloppyCIDR, network: Uint8Array): string {
  if (!isIPv4Bytes(network)) return `${formatIPv6(network)}/${cidr.prefixLength}`;
  const prefixLength = cidr.bits === 32 ? cidr.prefixLength : cidr.prefixLength - 96;
  return `${formatIP(network)}/${prefixLength}`;
}

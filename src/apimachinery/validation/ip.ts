/**
 * IP and CIDR checks of the API fields, as kube-apiserver 1.33 makes them
 * (k8s.io/apimachinery/pkg/util/validation's IsValidIPForLegacyField / IsValidCIDRForLegacyField for
 * the legacy fields, IsValidIP / IsValidCIDR for the new ones,
 * k8s.io/utils/net's family and dual-stack helpers, and core validation's ValidateEndpointIP).
 *
 * 1.33's StrictIPCIDRValidation gate is alpha and off, so the fields take what ParseIPSloppy and
 * ParseCIDRSloppy take (leading zeros, IPv4-mapped IPv6, host bits in a CIDR); `strict` gives the
 * gate-on answer.
 */
import { invalidValue, type FieldError, type FieldPath } from '../field-errors.js';
import { isIPv4Bytes } from '../ip/bytes.js';
import { networkOf } from '../ip/cidr.js';
import { IP_INVALID, IP_NON_STRICT, IP_V6_TEXT } from '../ip/read-address.js';
import { parseCIDRSloppy, parseIPSloppy } from '../ip/sloppy.js';
import { formatIP, formatNetwork } from '../ip/format.js';
import { goQuote } from '../go-quote.js';

/** The address the last check read (one buffer: a check allocates nothing for a valid address). */
const scratch = new Uint8Array(16);

const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

const NONE: readonly FieldError[] = Object.freeze([]);

/** What a legacy-field check is told: the strict (gate-on) reading, and the values an update may keep as they were. */
export interface LegacyFieldOptions {
  strict?: boolean;
  validOld?: readonly string[];
}

/** ParseIPSloppy accepts it. */
export function isValidIPSloppy(value: string): boolean {
  return parseIPSloppy(value, scratch) !== IP_INVALID;
}

/** ParseCIDRSloppy accepts it. */
export function isValidCIDRSloppy(value: string): boolean {
  return parseCIDRSloppy(value) !== undefined;
}

/** netutils.IPFamilyOfString: 4 for IPv4 (IPv4-mapped IPv6 included), 6 for IPv6, undefined when it does not parse. */
export function ipFamilyOf(value: string): 4 | 6 | undefined {
  if (parseIPSloppy(value, scratch) === IP_INVALID) return undefined;
  return isIPv4Bytes(scratch) ? 4 : 6;
}

/** net.IP.String() of what ParseIPSloppy reads (the canonical text: dotted IPv4, RFC 5952 IPv6); undefined when it does not parse. */
export function canonicalIPSloppy(value: string): string | undefined {
  return parseIPSloppy(value, scratch) === IP_INVALID ? undefined : formatIP(scratch);
}

/** netutils.IsIPv6String: a valid address that is not IPv4 (nor IPv4-mapped IPv6). */
export function isIPv6String(value: string): boolean {
  return ipFamilyOf(value) === 6;
}

/** netutils.IPFamilyOfCIDRString: the family of the CIDR's address, undefined when it does not parse. */
export function cidrFamilyOf(value: string): 4 | 6 | undefined {
  const cidr = parseCIDRSloppy(value);
  if (!cidr) return undefined;
  // Go asks the network (the masked address): an IPv4-mapped address keeps its family only with a prefix of 96+.
  return isIPv4Bytes(networkOf(cidr)) ? 4 : 6;
}

/** IsValidIPForLegacyField. */
export function validateIPForLegacyField(fld: FieldPath, value: string, opts?: LegacyFieldOptions): readonly FieldError[] {
  if (opts?.validOld?.includes(value)) return NONE;
  const flags = parseIPSloppy(value, scratch);
  if (flags === IP_INVALID) return [invalidValue(fld, value, IP_MSG)];
  if (!opts?.strict) return NONE;
  if ((flags & IP_NON_STRICT) !== 0) return [invalidValue(fld, value, 'must not have leading 0s')];
  if ((flags & IP_V6_TEXT) !== 0 && isIPv4Bytes(scratch)) return [invalidValue(fld, value, 'must not be an IPv4-mapped IPv6 address')];
  return NONE;
}

/** IsValidCIDRForLegacyField. */
export function validateCIDRForLegacyField(fld: FieldPath, value: string, opts?: LegacyFieldOptions): readonly FieldError[] {
  if (opts?.validOld?.includes(value)) return NONE;
  const cidr = parseCIDRSloppy(value);
  if (!cidr) return [invalidValue(fld, value, CIDR_MSG)];
  if (!opts?.strict) return NONE;
  if (cidr.nonStrict) return [invalidValue(fld, value, 'must not have leading 0s in IP or prefix length')];
  if (cidr.v6Text && isIPv4Bytes(cidr.address)) return [invalidValue(fld, value, 'must not have an IPv4-mapped IPv6 address')];
  const network = networkOf(cidr);
  if (network.some((b, i) => b !== cidr.address[i])) return [invalidValue(fld, value, 'must not have bits set beyond the prefix length')];
  return NONE;
}

/**
 * ValidateEndpointIP: no unspecified, loopback, link-local or link-local multicast address, judged
 * as Go's net.IP predicates judge the sloppily parsed address (an IPv4-mapped one as IPv4).
 * `allowLoopback` lets the API server's own endpoints through: kubemock advertises itself on
 * 127.0.0.1, where kube-apiserver advertises a routable host address.
 */
export function validateEndpointIP(fld: FieldPath, value: string, allowLoopback = false): FieldError[] {
  if (parseIPSloppy(value, scratch) === IP_INVALID) return [invalidValue(fld, value, 'must be a valid IP address')];
  const ip = scratch;
  const v4 = isIPv4Bytes(ip);
  let unspecified: boolean;
  let loopback: boolean;
  let linkLocal: boolean;
  let linkLocalMulticast: boolean;
  if (v4) {
    unspecified = ip[12] === 0 && ip[13] === 0 && ip[14] === 0 && ip[15] === 0;
    loopback = ip[12] === 127;
    linkLocal = ip[12] === 169 && ip[13] === 254;
    linkLocalMulticast = ip[12] === 224 && ip[13] === 0 && ip[14] === 0;
  } else {
    unspecified = ip.every((b) => b === 0);
    loopback = ip[15] === 1 && ip.every((b, i) => i === 15 || b === 0);
    linkLocal = ip[0] === 0xfe && (ip[1] & 0xc0) === 0x80;
    linkLocalMulticast = ip[0] === 0xff && (ip[1] & 0x0f) === 0x02;
  }
  const errs: FieldError[] = [];
  if (unspecified) errs.push(invalidValue(fld, value, `may not be unspecified (${value})`));
  if (loopback && !allowLoopback) errs.push(invalidValue(fld, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocal) errs.push(invalidValue(fld, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errs.push(invalidValue(fld, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

/** netutils.IsDualStackIPStrings: whether both families are present, or the error text of the first address that does not parse. */
export function dualStackIPs(ips: readonly string[]): { dual: boolean; error?: string } {
  let v4 = false;
  let v6 = false;
  for (let i = 0; i < ips.length; i++) {
    const family = ipFamilyOf(ips[i]);
    if (family === undefined) return { dual: false, error: `invalid IP[${i}]: ${ips[i]}` };
    if (family === 4) v4 = true;
    else v6 = true;
  }
  return { dual: v4 && v6 };
}

/** netutils.IsDualStackCIDRStrings (over ParseCIDRs): whether both families are present, or the error text of the first bad CIDR. */
export function dualStackCIDRs(cidrs: readonly string[]): { dual: boolean; error?: string } {
  let v4 = false;
  let v6 = false;
  for (let i = 0; i < cidrs.length; i++) {
    const family = cidrFamilyOf(cidrs[i]);
    if (family === undefined) return { dual: false, error: `invalid CIDR[${i}]: <nil> (invalid CIDR address: ${cidrs[i]})` };
    if (family === 4) v4 = true;
    else v6 = true;
  }
  return { dual: v4 && v6 };
}

/**
 * IsValidIP: the current rule for new fields (IPAddress names): what IsValidIPForLegacyField takes
 * with strict validation, written as net.IP.String() writes it ("must be in canonical form").
 */
export function validateIP(fld: FieldPath, value: string): readonly FieldError[] {
  const errs = validateIPForLegacyField(fld, value, { strict: true });
  if (errs.length > 0) return errs;
  parseIPSloppy(value, scratch);
  const canonical = formatIP(scratch);
  return canonical === value ? NONE : [invalidValue(fld, value, `must be in canonical form (${goQuote(canonical)})`)];
}

/**
 * IsValidCIDR: the current rule for new subnet fields (ServiceCIDR's cidrs): the strict reading of
 * IsValidCIDRForLegacyField, written as net.IPNet.String() writes the network.
 */
export function validateCIDR(fld: FieldPath, value: string): readonly FieldError[] {
  const errs = validateCIDRForLegacyField(fld, value, { strict: true });
  if (errs.length > 0) return errs;
  const cidr = parseCIDRSloppy(value)!;
  const canonical = formatNetwork(cidr, networkOf(cidr));
  return canonical === value ? NONE : [invalidValue(fld, value, `must be in canonical form (${goQuote(canonical)})`)];
}

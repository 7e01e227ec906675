/**
 * IP address checks of the endpoint kinds (k8s.io/apimachinery/pkg/util/validation's IsValidIP,
 * IsValidIPv4Address, IsValidIPv6Address, and apivalidation.ValidateEndpointIP).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { invalidValue, type FieldError, type FieldPath } from '../field-errors.js';
import { parseIPv4 } from '../ipv4.js';

/** IsValidIP for the legacy fields (Endpoints addresses): any IPv4 or IPv6 address. */
export function validateIP(fld: FieldPath, value: string): FieldError[] {
  return isIPv4(value) || isIPv6(value) ? [] : [invalidValue(fld, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

export function validateIPv4(fld: FieldPath, value: string): FieldError[] {
  return isIPv4(value) ? [] : [invalidValue(fld, value, 'must be a valid IPv4 address')];
}

export function validateIPv6(fld: FieldPath, value: string): FieldError[] {
  return isIPv6(value) ? [] : [invalidValue(fld, value, 'must be a valid IPv6 address')];
}

function ipv4Octets(value: string): number[] | undefined {
  if (isIPv4(value)) return value.split('.').map(Number);
  // An IPv4-mapped IPv6 address is the IPv4 address for Go's net.IP predicates.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  return mapped && isIPv4(mapped[1]) ? mapped[1].split('.').map(Number) : undefined;
}

/** The eight 16-bit groups of an IPv6 address (the parser is only reached with valid addresses). */
function ipv6Groups(value: string): number[] {
  const [head, tail] = value.includes('::') ? value.split('::') : [value, undefined];
  const parse = (part: string) => (part ? part.split(':') : []).flatMap((g) => (g.includes('.') ? toGroups(g) : [parseInt(g, 16)]));
  const toGroups = (v4: string) => {
    const o = v4.split('.').map(Number);
    return [(o[0] << 8) | o[1], (o[2] << 8) | o[3]];
  };
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * The addresses an endpoint may not have (ValidateEndpointIP): unspecified, loopback, link-local
 * and link-local multicast. `allowLoopback` lets the API server's own endpoints through: kubemock
 * advertises itself on 127.0.0.1, where kube-apiserver advertises a routable host address.
 */
export function validateEndpointIP(fld: FieldPath, value: string, allowLoopback = false): FieldError[] {
  const v4 = ipv4Octets(value);
  if (!v4 && !isIPv6(value)) return [invalidValue(fld, value, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const g = v4 ? undefined : ipv6Groups(value);
  const unspecified = v4 ? v4.every((o) => o === 0) : g!.every((x) => x === 0);
  const loopback = v4 ? v4[0] === 127 : g!.slice(0, 7).every((x) => x === 0) && g![7] === 1;
  const linkLocal = v4 ? v4[0] === 169 && v4[1] === 254 : (g![0] & 0xffc0) === 0xfe80;
  const linkLocalMulticast = v4 ? v4[0] === 224 && v4[1] === 0 && v4[2] === 0 : (g![0] & 0xff0f) === 0xff02;
  if (unspecified) errs.push(invalidValue(fld, value, `may not be unspecified (${value})`));
  if (loopback && !allowLoopback) errs.push(invalidValue(fld, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocal) errs.push(invalidValue(fld, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errs.push(invalidValue(fld, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

// IP and CIDR parsing as netutils.ParseIPSloppy / ParseCIDRSloppy read them (the legacy fields, StrictIPCIDRValidation off).

/** An IPv6 address Go's parser takes: node's, without a zone. */
const isGoIPv6 = (value: string) => !value.includes('%') && isIPv6(value);

/** IsValidIP of a legacy field: IPv4 (leading zeros allowed) or IPv6. */
export function isValidIPSloppy(value: string): boolean {
  return parseIPv4(value) !== undefined || isGoIPv6(value);
}

/** netutils.IsIPv6String: a valid address that is not IPv4 (nor IPv4-mapped IPv6). */
export function isIPv6String(value: string): boolean {
  return parseIPv4(value) === undefined && isGoIPv6(value) && !/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(value);
}

/** ParseCIDRSloppy succeeds: an address, '/', and a decimal prefix length within the family. */
export function isValidCIDRSloppy(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^\d+$/.test(prefix)) return false;
  const bits = parseIPv4(address) !== undefined ? 32 : isGoIPv6(address) ? 128 : 0;
  return bits > 0 && Number(prefix) <= bits;
}

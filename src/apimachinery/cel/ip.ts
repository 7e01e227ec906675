/**
 * The Kubernetes CEL IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go):
 * `ip()`, `isIP()`, `ip.isCanonical()`, `family()`, `isUnspecified()`, `isLoopback()`,
 * `isLinkLocalMulticast()`, `isLinkLocalUnicast()`, `isGlobalUnicast()`; `cidr()`, `isCIDR()`,
 * `containsIP()`, `containsCIDR()`, `ip()`, `masked()`, `prefixLength()`; `string()` of both.
 * Addresses parse as upstream's do, with net/netip (../ip/netip.ts: no IPv4 leading zeros), then
 * without zones or IPv4-mapped IPv6, and fail with upstream's texts. An address or prefix is a map
 * holding its canonical text under a marker key.
 */
import { CelScalar, celFunc, celMethod, isCelMap, type CelFunc, type CelValue } from '@bufbuild/cel';
import { goQuote } from '../go-quote.js';
import { bigIntToBytes, bytesToBigInt, isIPv4Bytes } from '../ip/bytes.js';
import { formatAddr as formatNetipAddr } from '../ip/format.js';
import { parseAddr, parsePrefix, type NetipAddr } from '../ip/netip.js';
import { MAP } from './optional.js';

interface Addr {
  family: 4 | 6;
  value: bigint;
}

const IP_KEY = '@ip';
const CIDR_KEY = '@cidr';

const toAddr = (a: NetipAddr): Addr => ({ family: a.is4 ? 4 : 6, value: bytesToBigInt(a.bytes, a.is4 ? 12 : 0) });

/** The library's parseIPAddr: netip.ParseAddr, then no zone and no IPv4-mapped IPv6; an error's text otherwise. */
function parseIPAddr(raw: string): Addr | string {
  const r = parseAddr(raw);
  if ('error' in r) return `IP Address ${goQuote(raw)} parse error during conversion from string: ${r.error}`;
  if (r.ok.zone !== '') return `IP address ${goQuote(raw)} with zone value is not allowed`;
  if (!r.ok.is4 && isIPv4Bytes(r.ok.bytes)) return `IPv4-mapped IPv6 address ${goQuote(raw)} is not allowed`;
  return toAddr(r.ok);
}

/** An address's canonical text (netip.Addr.String()). */
function formatAddr(a: Addr): string {
  return formatNetipAddr(bigIntToBytes(a.family === 4 ? (0xffffn << 32n) | a.value : a.value), a.family === 4);
}

const bits = (a: Addr) => (a.family === 4 ? 32 : 128);
const ipValue = (a: Addr) => new Map([[IP_KEY, formatAddr(a)]]);

interface Prefix {
  addr: Addr;
  length: number;
}

/** The library's parseCIDR: netip.ParsePrefix, then no IPv4-mapped IPv6; an error's text otherwise. */
function parseCIDR(raw: string): Prefix | string {
  const r = parsePrefix(raw);
  if ('error' in r) return `network address parse error during conversion from string: ${r.error}`;
  if (!r.ok.addr.is4 && isIPv4Bytes(r.ok.addr.bytes)) return `IPv4-mapped IPv6 address ${goQuote(raw)} is not allowed`;
  return { addr: toAddr(r.ok.addr), length: r.ok.bits };
}

const cidrValue = (p: Prefix) => new Map([[CIDR_KEY, `${formatAddr(p.addr)}/${p.length}`]]);

function marked(v: CelValue, key: string): string {
  const text = isCelMap(v) ? v.get(key) : undefined;
  if (typeof text !== 'string') throw new Error('no such overload');
  return text;
}

function addrOf(v: CelValue): Addr {
  const a = parseIPAddr(typeof v === 'string' ? v : marked(v, IP_KEY));
  return typeof a === 'string' ? fail(a) : a;
}

function prefixOf(v: CelValue): Prefix {
  const p = parseCIDR(typeof v === 'string' ? v : marked(v, CIDR_KEY));
  return typeof p === 'string' ? fail(p) : p;
}

function fail(message: string): never {
  throw new Error(message);
}

function masked(p: Prefix): Prefix {
  const host = bits(p.addr) - p.length;
  return { addr: { ...p.addr, value: (p.addr.value >> BigInt(host)) << BigInt(host) }, length: p.length };
}

function contains(p: Prefix, a: Addr): boolean {
  return a.family === p.addr.family && masked({ addr: a, length: p.length }).addr.value === masked(p).addr.value;
}

const inV4 = (a: Addr, net: string, len: number) => a.family === 4 && contains({ addr: addrOf(net), length: len }, a);
const inV6 = (a: Addr, net: string, len: number) => a.family === 6 && contains({ addr: addrOf(net), length: len }, a);
const isLoopback = (a: Addr) => inV4(a, '127.0.0.0', 8) || (a.family === 6 && a.value === 1n);
const isMulticast = (a: Addr) => inV4(a, '224.0.0.0', 4) || inV6(a, 'ff00::', 8);
const isLinkLocalUnicast = (a: Addr) => inV4(a, '169.254.0.0', 16) || inV6(a, 'fe80::', 10);

const ipPredicate = (name: string, test: (a: Addr) => boolean) =>
  celMethod(name, MAP, [], CelScalar.BOOL, function () {
    return test(addrOf(this));
  });

export const IP_LIBRARY: CelFunc[] = [
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s) => typeof parseIPAddr(s) !== 'string'),
  celFunc('ip', [CelScalar.STRING], MAP, (s) => ipValue(addrOf(s))),
  celFunc('ip.isCanonical', [CelScalar.STRING], CelScalar.BOOL, (s) => formatAddr(addrOf(s)) === s),
  celMethod('family', MAP, [], CelScalar.INT, function () {
    return BigInt(addrOf(this).family);
  }),
  ipPredicate('isUnspecified', (a) => a.value === 0n),
  ipPredicate('isLoopback', isLoopback),
  // netip's test: 224.0.0.0/24, or IPv6 ff02::/16 of any flags (ff12::, ff32:: ...): the first group & 0xff0f is 0xff02.
  ipPredicate('isLinkLocalMulticast', (a) => inV4(a, '224.0.0.0', 24) || (a.family === 6 && ((a.value >> 112n) & 0xff0fn) === 0xff02n)),
  ipPredicate('isLinkLocalUnicast', isLinkLocalUnicast),
  ipPredicate(
    'isGlobalUnicast',
    (a) => a.value !== 0n && !(a.family === 4 && a.value === 0xffffffffn) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a),
  ),
  celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, (s) => typeof parseCIDR(s) !== 'string'),
  celFunc('cidr', [CelScalar.STRING], MAP, (s) => cidrValue(prefixOf(s))),
  ...[MAP, CelScalar.STRING].map((arg) =>
    celMethod('containsIP', MAP, [arg], CelScalar.BOOL, function (ip: CelValue) {
      return contains(prefixOf(this), addrOf(ip));
    }),
  ),
  ...[MAP, CelScalar.STRING].map((arg) =>
    celMethod('containsCIDR', MAP, [arg], CelScalar.BOOL, function (other: CelValue) {
      const p = prefixOf(this);
      const q = prefixOf(other);
      return q.length >= p.length && contains(p, q.addr);
    }),
  ),
  celMethod('ip', MAP, [], MAP, function () {
    return ipValue(prefixOf(this).addr);
  }),
  celMethod('masked', MAP, [], MAP, function () {
    return cidrValue(masked(prefixOf(this)));
  }),
  celMethod('prefixLength', MAP, [], CelScalar.INT, function () {
    return BigInt(prefixOf(this).length);
  }),
  celFunc('string', [MAP], CelScalar.STRING, (v) => {
    const text = isCelMap(v) ? (v.get(IP_KEY) ?? v.get(CIDR_KEY)) : undefined;
    if (typeof text !== 'string') throw new Error('no such overload');
    return text;
  }),
];

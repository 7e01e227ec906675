/**
 * The Kubernetes CEL IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go):
 * `ip()`, `isIP()`, `ip.isCanonical()`, `family()`, `isUnspecified()`, `isLoopback()`,
 * `isLinkLocalMulticast()`, `isLinkLocalUnicast()`, `isGlobalUnicast()`; `cidr()`, `isCIDR()`,
 * `containsIP()`, `containsCIDR()`, `ip()`, `masked()`, `prefixLength()`; `string()` of both.
 * Addresses parse as upstream's strict parser: no IPv4 leading zeros, no zones, no IPv4-mapped
 * IPv6. An address or prefix is a map holding its canonical text under a marker key.
 */
import { CelScalar, celFunc, celMethod, isCelMap, type CelFunc, type CelValue } from '@bufbuild/cel';
import { MAP } from './optional.js';

interface Addr {
  family: 4 | 6;
  value: bigint;
}

const IP_KEY = '@ip';
const CIDR_KEY = '@cidr';

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) < 256)) return undefined;
  return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n);
}

function parseV6(s: string): bigint | undefined {
  if (s.includes('%')) return undefined;
  let tail: bigint[] = [];
  let text = s;
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = parseV4(v4[2]);
    if (n === undefined) return undefined;
    text = `${v4[1]}0:0`;
    tail = [n >> 16n, n & 0xffffn];
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (![...head, ...rest].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const count = head.length + rest.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return undefined;
  const all = [...head, ...Array<string>(8 - count).fill('0'), ...rest].map((g) => BigInt(`0x${g}`));
  if (tail.length) all.splice(6, 2, ...tail);
  return all.reduce((n, g) => (n << 16n) | g, 0n);
}

function parseAddr(s: string): Addr | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = s.includes(':') ? parseV6(s) : undefined;
  if (v6 === undefined || v6 >> 32n === 0xffffn) return undefined;
  return { family: 6, value: v6 };
}

/** An address's canonical text (RFC 5952 for IPv6: lower case, the longest run of zero groups as ::). */
function formatAddr(a: Addr): string {
  if (a.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => (a.value >> BigInt((7 - i) * 16)) & 0xffffn);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0n) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const bits = (a: Addr) => (a.family === 4 ? 32 : 128);
const ipValue = (a: Addr) => new Map([[IP_KEY, formatAddr(a)]]);

interface Prefix {
  addr: Addr;
  length: number;
}

function parsePrefix(s: string): Prefix | undefined {
  const m = /^([^/]+)\/(0|[1-9]\d{0,2})$/.exec(s);
  const addr = m && parseAddr(m[1]);
  if (!m || !addr || Number(m[2]) > bits(addr)) return undefined;
  return { addr, length: Number(m[2]) };
}

const cidrValue = (p: Prefix) => new Map([[CIDR_KEY, `${formatAddr(p.addr)}/${p.length}`]]);

function marked(v: CelValue, key: string): string {
  const text = isCelMap(v) ? v.get(key) : undefined;
  if (typeof text !== 'string') throw new Error('no such overload');
  return text;
}

const addrOf = (v: CelValue): Addr =>
  parseAddr(typeof v === 'string' ? v : marked(v, IP_KEY)) ??
  fail(`IP Address ${JSON.stringify(v)} parse error during conversion from string`);
const prefixOf = (v: CelValue): Prefix =>
  parsePrefix(typeof v === 'string' ? v : marked(v, CIDR_KEY)) ?? fail(`network address parse error during conversion from string`);

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

const inV4 = (a: Addr, net: string, len: number) => a.family === 4 && contains({ addr: parseAddr(net)!, length: len }, a);
const inV6 = (a: Addr, net: string, len: number) => a.family === 6 && contains({ addr: parseAddr(net)!, length: len }, a);
const isLoopback = (a: Addr) => inV4(a, '127.0.0.0', 8) || (a.family === 6 && a.value === 1n);
const isMulticast = (a: Addr) => inV4(a, '224.0.0.0', 4) || inV6(a, 'ff00::', 8);
const isLinkLocalUnicast = (a: Addr) => inV4(a, '169.254.0.0', 16) || inV6(a, 'fe80::', 10);

const ipPredicate = (name: string, test: (a: Addr) => boolean) =>
  celMethod(name, MAP, [], CelScalar.BOOL, function () {
    return test(addrOf(this));
  });

export const IP_LIBRARY: CelFunc[] = [
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s) => parseAddr(s) !== undefined),
  celFunc('ip', [CelScalar.STRING], MAP, (s) => ipValue(addrOf(s))),
  celFunc('ip.isCanonical', [CelScalar.STRING], CelScalar.BOOL, (s) => formatAddr(addrOf(s)) === s),
  celMethod('family', MAP, [], CelScalar.INT, function () {
    return BigInt(addrOf(this).family);
  }),
  ipPredicate('isUnspecified', (a) => a.value === 0n),
  ipPredicate('isLoopback', isLoopback),
  ipPredicate('isLinkLocalMulticast', (a) => inV4(a, '224.0.0.0', 24) || inV6(a, 'ff02::', 16)),
  ipPredicate('isLinkLocalUnicast', isLinkLocalUnicast),
  ipPredicate(
    'isGlobalUnicast',
    (a) => a.value !== 0n && !(a.family === 4 && a.value === 0xffffffffn) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a),
  ),
  celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, (s) => parsePrefix(s) !== undefined),
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

/**
 * net/netip's Prefix.Contains, and the "this prefix holds that one" test pkg/api/servicecidr makes
 * (p.Bits() <= q.Bits() && p.Contains(q.Addr())), on addresses and prefixes read by ./netip.ts: an
 * IPv4 address never matches an IPv6 prefix nor an IPv4-mapped one an IPv4 prefix, a zoned address
 * matches nothing.
 */
import type { NetipAddr, NetipPrefix } from './netip.js';

export function prefixContains(p: NetipPrefix, a: NetipAddr): boolean {
  if (a.zone !== '' || a.is4 !== p.addr.is4) return false;
  const offset = a.is4 ? 96 : 0;
  for (let bit = 0; bit < p.bits; bit++) {
    const i = offset + bit;
    const mask = 0x80 >> (i & 7);
    if ((a.bytes[i >> 3] & mask) !== (p.addr.bytes[i >> 3] & mask)) return false;
  }
  return true;
}

/** Whether `p` holds all of `q`: as short a prefix or shorter, and `q`'s address in it. */
export function prefixHolds(p: NetipPrefix, q: NetipPrefix): boolean {
  return p.bits <= q.bits && prefixContains(p, q.addr);
}

/**
 * Go's net/netip ParseAddr and ParsePrefix, with their error texts: the strict reading (no leading
 * zeros, at most four hex digits a group), an IPv6 zone allowed in an address but not in a prefix,
 * and an address's family as written (IPv4-mapped IPv6 stays IPv6). Kubernetes' CEL ip() and
 * cidr() library reads with these.
 */
import { goQuote } from '../go-quote.js';
import { IP_INVALID, readFailure, readIPv4Mapped, readIPv6 } from './read-address.js';

/** A netip.Addr: 16 bytes (IPv4 IPv4-mapped), whether it is IPv4 (Is4), and its zone. */
export interface NetipAddr {
  bytes: Uint8Array;
  is4: boolean;
  zone: string;
}

/** A netip.Prefix: its address as written (host bits kept) and its prefix length. */
export interface NetipPrefix {
  addr: NetipAddr;
  bits: number;
}

export type NetipResult<T> = { ok: T } | { error: string };

const PERCENT = 37;

/** The text of the last read's parseAddrError for the text `input`, reading `text` up to `to`. */
function addrError(input: string, text: string, to: number): string {
  const f = readFailure;
  const at = f.at >= 0 ? ` (at ${goQuote(text.slice(f.at, to))})` : '';
  if (f.innerFrom < 0) return `ParseAddr(${goQuote(input)}): ${f.msg}${at}`;
  const inner = text.slice(f.innerFrom, to);
  const innerAt = f.innerAt >= 0 ? ` (at ${goQuote(text.slice(f.innerAt, to))})` : '';
  return `ParseAddr(${goQuote(input)}): ParseAddr(${goQuote(inner)}): ${f.innerMsg}${innerAt}${at}`;
}

/** netip.ParseAddr. */
export function parseAddr(text: string): NetipResult<NetipAddr> {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (readIPv4Mapped(text, 0, text.length, bytes, true) === IP_INVALID) return { error: addrError(text, text, text.length) };
      return { ok: { bytes, is4: true, zone: '' } };
    }
    if (c === 58) {
      // The zone is split off first: everything after the first '%'.
      const percent = text.indexOf('%');
      const end = percent < 0 ? text.length : percent;
      const zone = percent < 0 ? '' : text.slice(percent + 1);
      if (percent >= 0 && zone === '') return { error: `ParseAddr(${goQuote(text)}): zone must be a non-empty string` };
      if (readIPv6(text, 0, end, bytes, true) === IP_INVALID) return { error: addrError(text, text, end) };
      return { ok: { bytes, is4: false, zone } };
    }
    if (c === PERCENT) return { error: `ParseAddr(${goQuote(text)}): missing IPv6 address` };
  }
  return { error: `ParseAddr(${goQuote(text)}): unable to parse IP` };
}

const prefixError = (text: string, msg: string) => ({ error: `netip.ParsePrefix(${goQuote(text)}): ${msg}` });

/** netip.ParsePrefix: address, the last '/', and a prefix length without sign or leading zero. */
export function parsePrefix(text: string): NetipResult<NetipPrefix> {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return prefixError(text, "no '/'");
  const addr = parseAddr(text.slice(0, slash));
  if ('error' in addr) return prefixError(text, addr.error);
  if (addr.ok.zone !== '') return prefixError(text, 'IPv6 zones cannot be present in a prefix');
  const digits = text.slice(slash + 1);
  const bad = prefixError(text, `bad bits after slash: ${goQuote(digits)}`);
  // strconv.Atoi would take a sign or leading zeros; ParsePrefix does not (a lone "0" is fine).
  if (!/^(0|[1-9][0-9]*)$/.test(digits)) return bad;
  // Atoi's range is int64's: past it the text is "bad bits", below it merely out of range.
  if (digits.length > 18 && BigInt(digits) > 0x7fffffffffffffffn) return bad;
  const bits = Number(digits);
  if (bits > (addr.ok.is4 ? 32 : 128)) return prefixError(text, 'prefix length out of range');
  return { ok: { addr: addr.ok, bits } };
}

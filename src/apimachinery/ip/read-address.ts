/**
 * The one reader of IP address text, for every flavour of upstream's parsers (./sloppy.ts, ./strict.ts,
 * ./netip.ts). It walks the text as net/netip's parseIPv4 / parseIPv6 do, checks in their order, and
 * writes the address into a caller's 16 bytes (IPv4 as IPv4-mapped IPv6, as Go's net.IP holds it):
 * nothing is allocated for a valid address.
 *
 * Strict reading is netip's: an IPv4 octet with a leading 0 or an IPv6 group of five or more hex
 * digits fails. Sloppy reading is Go 1.16's (k8s.io/utils/net's forked parser), which takes both:
 * they are only flagged (IP_NON_STRICT). Neither takes a zone (`%eth0`): netip.ts splits it off.
 * When a read fails, `readFailure` says why in netip's words.
 */

/** The text is not an address. */
export const IP_INVALID = -1;
/** Flag: netip refuses the text (an octet with a leading 0, an IPv6 group of 5+ hex digits). */
export const IP_NON_STRICT = 1;
/** Flag: the address is written as IPv6 (it has a colon), IPv4-mapped or not. */
export const IP_V6_TEXT = 2;

/** Why the last read failed, as netip's parseAddrError says it (only meaningful right after a failure). */
export const readFailure = {
  msg: '',
  /** Where the unparsed rest starts (`at` of the error), or -1. */
  at: -1,
  /** For an embedded IPv4 address that failed: where it starts (else -1), and its own error. */
  innerFrom: -1,
  innerMsg: '',
  innerAt: -1,
};

const DOT = 46;
const COLON = 58;

function fail(msg: string, at = -1): number {
  readFailure.msg = msg;
  readFailure.at = at;
  readFailure.innerFrom = -1;
  return IP_INVALID;
}

/** text[from, to) as dotted IPv4 into out[at, at + 4): IP_INVALID, or IP_NON_STRICT for a leading 0 (sloppy only). */
export function readIPv4(text: string, from: number, to: number, out: Uint8Array, at: number, strict: boolean): number {
  let flags = 0;
  let value = 0;
  let field = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) {
        if (strict) return fail('IPv4 field has octet with leading zero');
        flags |= IP_NON_STRICT;
      }
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return fail('IPv4 field has value >255');
    } else if (c === DOT) {
      if (i === from || i === to - 1 || text.charCodeAt(i - 1) === DOT) return fail('IPv4 field must have at least one digit', i);
      if (field === 3) return fail('IPv4 address too long');
      out[at + field++] = value;
      value = 0;
      digits = 0;
    } else {
      return fail('unexpected character', i);
    }
  }
  if (field < 3) return fail('IPv4 address too short');
  out[at + 3] = value;
  return flags;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** text[from, to) as IPv6 (no zone) into out: IP_INVALID, or IP_V6_TEXT with IP_NON_STRICT when sloppy reading needed it. */
export function readIPv6(text: string, from: number, to: number, out: Uint8Array, strict: boolean): number {
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
    let end = p;
    let n = 0;
    for (; end < to; end++) {
      const d = hexDigit(text.charCodeAt(end));
      if (d < 0) break;
      n = n * 16 + d;
      if (end - p > 3) {
        if (strict) return fail('each group must have 4 or less digits', p);
        flags |= IP_NON_STRICT;
      }
      if (n > 0xffff) return fail('IPv6 field has value >=2^16', p);
    }
    if (end === p) return fail('each colon-separated field must have at least one digit', p);
    if (end < to && text.charCodeAt(end) === DOT) {
      // A trailing IPv4 address fills the last four bytes (or those before the ellipsis' zeros).
      if (ellipsis < 0 && i !== 12) return fail('embedded IPv4 address must replace the final 2 fields of the address', p);
      if (i + 4 > 16) return fail('too many hex fields to fit an embedded IPv4 at the end of the address', p);
      const v4 = readIPv4(text, p, to, out, i, strict);
      if (v4 === IP_INVALID) {
        readFailure.innerFrom = p;
        readFailure.innerMsg = readFailure.msg;
        readFailure.innerAt = readFailure.at;
        readFailure.at = p;
        return IP_INVALID;
      }
      flags |= v4;
      p = to;
      i += 4;
      break;
    }
    out[i] = n >> 8;
    out[i + 1] = n & 0xff;
    i += 2;
    p = end;
    if (p === to) break;
    if (text.charCodeAt(p) !== COLON) return fail('unexpected character, want colon', p);
    if (p + 1 === to) return fail('colon must be followed by more characters', p);
    p++;
    if (text.charCodeAt(p) === COLON) {
      if (ellipsis >= 0) return fail('multiple :: in address', p);
      ellipsis = i;
      p++;
      if (p === to) break;
    }
  }
  if (p !== to) return fail('trailing garbage after address', p);
  if (i < 16) {
    if (ellipsis < 0) return fail('address string too short');
    const shift = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) out[j + shift] = out[j];
    for (let j = ellipsis + shift - 1; j >= ellipsis; j--) out[j] = 0;
  } else if (ellipsis >= 0) {
    return fail('the :: must expand to at least one field of zeros');
  }
  return flags;
}

/** text[from, to) as dotted IPv4, written as the IPv4-mapped IPv6 bytes Go's net.IPv4 makes. */
export function readIPv4Mapped(text: string, from: number, to: number, out: Uint8Array, strict: boolean): number {
  out.fill(0, 0, 10);
  out[10] = 0xff;
  out[11] = 0xff;
  return readIPv4(text, from, to, out, 12, strict);
}

/**
 * text[from, to) as an address, IPv4 or IPv6 by whichever of '.' and ':' comes first (as both Go's
 * ParseIP and netip's ParseAddr decide): IP_INVALID, or IP_NON_STRICT / IP_V6_TEXT flags.
 */
export function readAddress(text: string, from: number, to: number, out: Uint8Array, strict: boolean): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) return readIPv4Mapped(text, from, to, out, strict);
    if (c === COLON) return readIPv6(text, from, to, out, strict);
  }
  return fail('unable to parse IP');
}

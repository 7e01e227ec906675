/**
 * What Go's net/url.ParseRequestURI (Go 1.24, the toolchain of kube-apiserver 1.33) makes of a
 * string: its scheme and host, or nothing when it refuses it. Upstream decides with it whether an
 * annotation is a URL (the API approval annotation of CRDs), so the same strings must pass and fail
 * here: an absolute URI or an absolute path, no control characters, a scheme of letters, digits,
 * `+ - .` starting with a letter, an authority only after `scheme://`, a port of digits, a host
 * whose ASCII is unreserved or a sub-delimiter and whose escapes are `%25` or non-ASCII bytes,
 * userinfo of the characters RFC 3986 allows, and well-formed `%XX` escapes in the path.
 */

export interface GoRequestUri {
  /** Lower-cased, as Go stores it; empty for an absolute path. */
  scheme: string;
  /** The host with its port as written (Go unescapes it; it is empty alike); empty when there is no authority. */
  host: string;
}

const isAlpha = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string) => c >= '0' && c <= '9';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
/** ASCII a host may hold as it is: unreserved, sub-delimiters, and the `: [ ] < > "` Go lets through. */
const HOST_ASCII = /^[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]$/;
/** The characters of userinfo Go accepts before unescaping it (validUserinfo). */
const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

/** Well-formed escapes; in a host only `%25` or escapes of non-ASCII bytes, in a zone only what a host could hold. */
function unescapes(s: string, mode: 'path' | 'userinfo' | 'host' | 'zone'): boolean {
  for (let i = 0; i < s.length;) {
    const c = s[i];
    if (c === '%') {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) return false;
      const escaped = s.slice(i, i + 3);
      const byte = parseInt(escaped.slice(1), 16);
      if (mode === 'host' && byte < 0x80 && escaped !== '%25') return false;
      // A zone may escape only what a host could hold as it is (so no non-ASCII byte).
      if (mode === 'zone' && escaped !== '%25' && !HOST_ASCII.test(String.fromCharCode(byte))) return false;
      i += 3;
      continue;
    }
    if ((mode === 'host' || mode === 'zone') && c.charCodeAt(0) < 0x80 && !HOST_ASCII.test(c)) return false;
    i++;
  }
  return true;
}

/** `""` or `:` followed by digits only. */
const validOptionalPort = (port: string) => port === '' || /^:[0-9]*$/.test(port);

/** parseHost: an IP literal in brackets (with an optional `%25` zone) or a name, each with an optional port. */
function parseHost(host: string): string | undefined {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0 || !validOptionalPort(host.slice(close + 1))) return undefined;
    const zone = host.slice(0, close).indexOf('%25');
    if (zone >= 0) {
      const ok =
        unescapes(host.slice(0, zone), 'host') && unescapes(host.slice(zone, close), 'zone') && unescapes(host.slice(close), 'host');
      return ok ? host : undefined;
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !validOptionalPort(host.slice(colon))) return undefined;
  }
  return unescapes(host, 'host') ? host : undefined;
}

/** Go's getScheme: the scheme and the rest, undefined for a leading `:` ("missing protocol scheme"). */
function splitScheme(raw: string): { scheme: string; rest: string } | undefined {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (isAlpha(c)) continue;
    if (isDigit(c) || c === '+' || c === '-' || c === '.') {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === ':') return i === 0 ? undefined : { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

const hasControlByte = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** url.ParseRequestURI(raw): its scheme and host, or undefined where Go answers an error. */
export function parseRequestUri(raw: string): GoRequestUri | undefined {
  if (raw === '' || hasControlByte(raw)) return undefined;
  if (raw === '*') return { scheme: '', host: '' };
  const split = splitScheme(raw);
  if (!split) return undefined;
  const scheme = split.scheme.toLowerCase();
  const q = split.rest.indexOf('?');
  let rest = q >= 0 ? split.rest.slice(0, q) : split.rest;
  // A scheme without a slash after it is an opaque URI (mailto:x): no host, and no error.
  if (!rest.startsWith('/')) return scheme ? { scheme, host: '' } : undefined;
  let host = '';
  if (scheme && rest.startsWith('//')) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    rest = slash >= 0 ? authority.slice(slash) : '';
    if (slash >= 0) authority = authority.slice(0, slash);
    const at = authority.lastIndexOf('@');
    const parsed = parseHost(at >= 0 ? authority.slice(at + 1) : authority);
    if (parsed === undefined) return undefined;
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!USERINFO.test(userinfo) || !unescapes(userinfo, 'userinfo')) return undefined;
    }
    host = parsed;
  }
  return unescapes(rest, 'path') ? { scheme, host } : undefined;
}

/**
 * The warnings kube-apiserver 1.33 gives for IP and CIDR values its legacy fields accept in a
 * non-standard form (k8s.io/apimachinery/pkg/util/validation's GetWarningsForIP / GetWarningsForCIDR).
 * Only for values the field's validation accepted: anything else gets no warning.
 */
import type { FieldPath } from '../field-errors.js';
import { isIPv4Bytes } from '../ip/bytes.js';
import { networkOf } from '../ip/cidr.js';
import { formatAddr, formatIP, formatNetwork } from '../ip/format.js';
import { IP_INVALID, IP_NON_STRICT, IP_V6_TEXT } from '../ip/read-address.js';
import { parseCIDRSloppy, parseIPSloppy } from '../ip/sloppy.js';

const scratch = new Uint8Array(16);
const NONE: readonly string[] = Object.freeze([]);

/** GetWarningsForIP: leading zeros or IPv4-mapped IPv6 (to be refused one day), or IPv6 not in RFC 5952 form. */
export function ipWarnings(fld: FieldPath | string, value: string): readonly string[] {
  const flags = parseIPSloppy(value, scratch);
  // The common case, a standard IPv4 address, is settled without allocating.
  if (flags === 0 || flags === IP_INVALID) return NONE;
  if ((flags & IP_NON_STRICT) !== 0 || isIPv4Bytes(scratch)) {
    const preferred = formatIP(scratch);
    return [
      `${String(fld)}: non-standard IP address ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(preferred)}`,
    ];
  }
  const canonical = formatAddr(scratch, false);
  if ((flags & IP_V6_TEXT) !== 0 && canonical !== value) {
    return [`${String(fld)}: IPv6 address ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`];
  }
  return NONE;
}

/**
 * GetWarningsForCIDR: host bits set (the value is ambiguous), leading zeros or IPv4-mapped IPv6 (to
 * be refused one day), or else an IPv6 CIDR not in RFC 5952 form.
 */
export function cidrWarnings(fld: FieldPath | string, value: string): readonly string[] {
  const cidr = parseCIDRSloppy(value);
  if (!cidr) return NONE;
  const warnings: string[] = [];
  const network = networkOf(cidr);
  const networkText = formatNetwork(cidr, network);
  if (network.some((b, i) => b !== cidr.address[i])) {
    const single = `${formatIP(cidr.address)}/${cidr.bits}`;
    warnings.push(
      `${String(fld)}: CIDR value ${JSON.stringify(value)} is ambiguous in this context (should be ${JSON.stringify(networkText)} or ${JSON.stringify(single)}?)`,
    );
  }
  const mapped = cidr.v6Text && isIPv4Bytes(cidr.address);
  if (cidr.nonStrict || mapped) {
    warnings.push(
      `${String(fld)}: non-standard CIDR value ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(networkText)}`,
    );
  }
  if (warnings.length === 0 && cidr.v6Text) {
    const canonical = `${formatAddr(cidr.address, false)}/${cidr.prefixLength}`;
    if (canonical !== value) {
      warnings.push(
        `${String(fld)}: IPv6 CIDR value ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`,
      );
    }
  }
  return warnings;
}

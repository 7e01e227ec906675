/**
 * k8s.io/utils/net's ParseIPSloppy and ParseCIDRSloppy: Go 1.16's parser, kept by Kubernetes for the
 * values it accepted before Go 1.17 (leading zeros in IPv4 octets, read as decimal; IPv6 groups of
 * more than four hex digits). The legacy API fields and kube-apiserver's --service-cluster-ip-range
 * are read so.
 */
import { readCIDR, type ParsedCIDR } from './cidr.js';
import { readAddress } from './read-address.js';

/** ParseIPSloppy into `out` (16 bytes): IP_INVALID, or IP_NON_STRICT / IP_V6_TEXT flags. */
export function parseIPSloppy(text: string, out: Uint8Array): number {
  return readAddress(text, 0, text.length, out, false);
}

/** ParseCIDRSloppy; `nonStrict` says whether netip.ParsePrefix would refuse the text. */
export function parseCIDRSloppy(text: string): ParsedCIDR | undefined {
  return readCIDR(text, false);
}

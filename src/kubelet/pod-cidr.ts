/**
 * A node's podCIDR as host-local IPAM sees it: the range of pod addresses (IPv4 or IPv6), the
 * lowest free one, and the range as host-local names it in its errors. Pure.
 */
import { boundedMemo } from '../apimachinery/bounded-memo.js';
import { bigIntToBytes, bytesToBigInt, isIPv4Bytes } from '../apimachinery/ip/bytes.js';
import { networkOf } from '../apimachinery/ip/cidr.js';
import { formatIP } from '../apimachinery/ip/format.js';
import { parseCIDR } from '../apimachinery/ip/strict.js';
import { formatIPv4 } from '../apimachinery/ipv4.js';

interface Cidr {
  family: 4 | 6;
  /** The network address. */
  network: bigint;
  /** Addresses in the block. */
  size: bigint;
}

/**
 * Either family, in bigint (an IPv6 block does not fit a number), read as host-local reads its
 * range: Go's net.ParseCIDR (no leading zeros in IPv4 octets, no zone). A block whose network is
 * IPv4-mapped IPv6 is unusable there (the address turns IPv4, the mask stays IPv6).
 */
function parseCidr(cidr: string | undefined): Cidr | undefined {
  const parsed = cidr === undefined ? undefined : parseCIDR(cidr);
  if (!parsed) return undefined;
  const network = networkOf(parsed);
  if (parsed.bits === 128 && isIPv4Bytes(network)) return undefined;
  const family = parsed.bits === 32 ? 4 : 6;
  return { family, network: bytesToBigInt(network, family === 4 ? 12 : 0), size: 1n << BigInt(parsed.bits - parsed.prefixLength) };
}

/** parseCidr remembered per text (a node's podCIDR is read for each of its pods). */
const parsedCidr = boundedMemo(parseCidr, 65_536);

const format = (c: Cidr, n: bigint) => (c.family === 4 ? formatIPv4(Number(n)) : formatIP(bigIntToBytes(n)));

/**
 * The lowest free address of the podCIDR for a pod: the network address and the first one (the
 * bridge) are skipped, and the last one of an IPv4 block (broadcast), as host-local does;
 * undefined when the CIDR is unusable or full.
 */
export function allocatePodIP(cidr: string | undefined, inUse: ReadonlySet<string>): string | undefined {
  const c = parsedCidr(cidr);
  if (!c || c.size < 4n) return undefined;
  if (c.family === 4) {
    // In plain numbers (an IPv4 block fits): the kubelet asks for every pod it starts.
    const network = Number(c.network);
    const end = Number(c.size) - 1;
    for (let offset = 2; offset < end; offset++) {
      const ip = formatIPv4(network + offset);
      if (!inUse.has(ip)) return ip;
    }
    return undefined;
  }
  const end = c.size;
  for (let offset = 2n; offset < end; offset++) {
    const ip = format(c, c.network + offset);
    if (!inUse.has(ip)) return ip;
  }
  return undefined;
}

/** How many addresses allocatePodIP may give out of the podCIDR (0 when it is unusable). */
export function podCIDRAddresses(cidr: string | undefined): number {
  const c = parsedCidr(cidr);
  if (!c || c.size < 4n) return 0;
  return Number(c.size - (c.family === 4 ? 3n : 2n));
}

/** The range host-local allocates from, as its errors write it (`10.244.1.1-10.244.1.254`); the CIDR itself when unusable. */
export function podCIDRRange(cidr: string | undefined): string {
  const c = parseCidr(cidr);
  if (!c || c.size < 4n) return cidr ?? '';
  return `${format(c, c.network + 1n)}-${format(c, c.network + c.size - (c.family === 4 ? 2n : 1n))}`;
}

/** What the kubelet's FailedCreatePodSandBox event says when host-local has no address for the pod. */
export function sandboxNetworkError(sandbox: string, cidr: string | undefined): string {
  return `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandbox}": plugin type="host-local" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${podCIDRRange(cidr)}`;
}

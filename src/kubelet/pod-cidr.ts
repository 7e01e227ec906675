/**
 * A node's podCIDR as host-local IPAM sees it: the range of pod addresses (IPv4 or IPv6), the
 * lowest free one, and the range as host-local names it in its errors. Pure.
 */
import { boundedMemo } from '../apimachinery/bounded-memo.js';
import { formatIPv4, parseIPv4 } from '../apimachinery/ipv4.js';

interface Cidr {
  family: 4 | 6;
  /** The network address. */
  network: bigint;
  /** Addresses in the block. */
  size: bigint;
}

function parseIPv6(ip: string): bigint | undefined {
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIPv6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** Either family, in bigint (an IPv6 block does not fit a number); IPv4 addresses are read by apimachinery's parseIPv4. */
function parseCidr(cidr: string | undefined): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr ?? '');
  if (!m) return undefined;
  const bits = Number(m[2]);
  const v4 = parseIPv4(m[1]);
  const family = v4 !== undefined ? 4 : 6;
  const base = v4 !== undefined ? BigInt(v4) : parseIPv6(m[1]);
  const width = family === 4 ? 32 : 128;
  if (base === undefined || bits > width) return undefined;
  const size = 1n << BigInt(width - bits);
  return { family, network: base - (base % size), size };
}

/** parseCidr remembered per text (a node's podCIDR is read for each of its pods). */
const parsedCidr = boundedMemo(parseCidr, 65_536);

const format = (c: Cidr, n: bigint) => (c.family === 4 ? formatIPv4(Number(n)) : formatIPv6(n));

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

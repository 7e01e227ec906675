/** Addresses as 16 bytes (IPv4 IPv4-mapped, as Go's net.IP holds them): family, masking, and the number they are. */

/** net.IP.To4() != nil: an IPv4 address (IPv4-mapped IPv6 included). */
export function isIPv4Bytes(ip: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

/** A copy of `ip` with the bits past the first `ones` of all 128 cleared (net.IP.Mask). */
export function maskedBytes(ip: Uint8Array, ones: number): Uint8Array {
  const out = new Uint8Array(ip);
  for (let i = 0; i < 16; i++) {
    const keep = Math.min(8, Math.max(0, ones - i * 8));
    out[i] &= (0xff00 >> keep) & 0xff;
  }
  return out;
}

/** bytes[from, 16) as an unsigned number (from 12: an IPv4 address; from 0: all 128 bits). */
export function bytesToBigInt(ip: Uint8Array, from = 0): bigint {
  let n = 0n;
  for (let i = from; i < 16; i++) n = (n << 8n) | BigInt(ip[i]);
  return n;
}

/** An IPv6 address (0 to 2^128 - 1) as 16 bytes. */
export function bigIntToBytes(n: bigint): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

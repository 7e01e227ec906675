/**
 * A Bloom filter of object keys: whether a key may have been stored, or surely was not. The
 * compare-and-swap of a create asks whether its object exists; almost every create names an object
 * that never did (generated names, Events), and the filter answers that without a SQLite read.
 * "Maybe" sends the question on to the table, so a false positive (about one in a hundred at
 * capacity) costs only that read. Keys are never removed: a deleted object's key stays a "maybe".
 */

/** Bits per key at capacity and probes per key: about 0.8% false positives when full. */
const BITS_PER_KEY = 10;
const PROBES = 7;

/** FNV-1a over the key's UTF-16 code units. */
function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** MurmurHash3's 32-bit finaliser: a second hash, independent enough for double hashing. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class KeyFilter {
  private readonly bits: Uint8Array;
  /** The bit count minus one (a power of two minus one: a probe's place is a mask away). */
  private readonly mask: number;
  private added = 0;

  /** @param capacity the keys it holds at its false-positive rate; more are taken, less precisely (see `full`) */
  constructor(readonly capacity: number) {
    let size = 8;
    while (size < capacity * BITS_PER_KEY) size *= 2;
    this.bits = new Uint8Array(size / 8);
    this.mask = size - 1;
  }

  add(key: string): void {
    const h = fnv1a(key);
    const step = mix(h) | 1;
    for (let i = 0, p = h; i < PROBES; i++, p = (p + step) >>> 0) {
      const bit = p & this.mask;
      this.bits[bit >>> 3] |= 1 << (bit & 7);
    }
    this.added++;
  }

  /** False: the key was never added. True: it may have been. */
  mayHave(key: string): boolean {
    const h = fnv1a(key);
    const step = mix(h) | 1;
    for (let i = 0, p = h; i < PROBES; i++, p = (p + step) >>> 0) {
      const bit = p & this.mask;
      if ((this.bits[bit >>> 3] & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }

  /** More keys added than it was sized for: its answers grow less useful (never wrong). */
  full(): boolean {
    return this.added > this.capacity;
  }
}

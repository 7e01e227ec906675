/**
 * Revision hashes (controller.ComputeHash's shape): FNV-32a over the canonical JSON of the
 * template (plus the collision count), printed in decimal with digits mapped to safe letters.
 */
const SAFE_DIGITS = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted at every level, no whitespace (Go's map encoding). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString of the decimal form: each digit mapped by its code point. */
function safeEncode(s: string): string {
  return [...s].map((ch) => SAFE_DIGITS[ch.charCodeAt(0) % SAFE_DIGITS.length]).join('');
}

/**
 * The template without the `metadata.creationTimestamp: null` Go writes for it: a template stored
 * before kubemock wrote that zero hashes as one stored since, so no DaemonSet rolls its pods over it.
 */
function withoutNullCreationTimestamp(template: unknown): unknown {
  const t = template as { metadata?: Record<string, unknown> } | null | undefined;
  if (t?.metadata?.creationTimestamp !== null) return template;
  const { creationTimestamp: _zero, ...metadata } = t.metadata;
  return { ...t, metadata };
}

export function computeHash(template: unknown, collisionCount?: number): string {
  const json = new TextEncoder().encode(canonicalJson(withoutNullCreationTimestamp(template)));
  let h = fnv32a(json);
  if (collisionCount !== undefined) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setBigUint64(0, BigInt(collisionCount), true);
    h = fnv32a(extra, h);
  }
  return safeEncode(String(h));
}

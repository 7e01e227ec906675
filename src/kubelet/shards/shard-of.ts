/** Which kubelet shard a node belongs to: a stable hash of its name (32-bit FNV-1a of its UTF-8 bytes) modulo the shard count. */
export function shardOf(nodeName: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(nodeName, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

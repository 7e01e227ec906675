/**
 * A function's answers remembered by key, up to `limit` keys; then the table starts afresh (keys
 * come and go, and those asked often are back at once). For pure look-ups asked again and again
 * with few distinct keys: a node's CIDR, an image's ID, an Accept header's format.
 */
export function boundedMemo<K, V>(fn: (key: K) => V, limit: number): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    const remembered = known.get(key);
    if (remembered !== undefined || known.has(key)) return remembered as V;
    const value = fn(key);
    if (known.size >= limit) known.clear();
    known.set(key, value);
    return value;
  };
}

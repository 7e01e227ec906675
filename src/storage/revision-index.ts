/**
 * Every live object's current log row, in memory: what the compare-and-swap of each write checks,
 * without a SQLite read. Nested by resource and namespace so that an entry holds the object's own
 * name string, not a key spelled for it (~30 bytes an object instead of ~110).
 */
export class RevisionIndex {
  private readonly byResource = new Map<string, Map<string, Map<string, number>>>();

  /** The object's current log row; 0 when it does not exist. */
  get(resource: string, namespace: string, name: string): number {
    return this.byResource.get(resource)?.get(namespace)?.get(name) ?? 0;
  }

  set(resource: string, namespace: string, name: string, rv: number): void {
    let namespaces = this.byResource.get(resource);
    if (!namespaces) this.byResource.set(resource, (namespaces = new Map<string, Map<string, number>>()));
    let names = namespaces.get(namespace);
    if (!names) namespaces.set(namespace, (names = new Map<string, number>()));
    names.set(name, rv);
  }

  delete(resource: string, namespace: string, name: string): void {
    const namespaces = this.byResource.get(resource);
    const names = namespaces?.get(namespace);
    if (!namespaces || !names?.delete(name) || names.size) return;
    namespaces.delete(namespace);
    if (!namespaces.size) this.byResource.delete(resource);
  }

  /** Every live object of a resource with its current log row. */
  list(resource: string): { namespace: string; name: string; rv: number }[] {
    const out: { namespace: string; name: string; rv: number }[] = [];
    for (const [namespace, names] of this.byResource.get(resource) ?? []) {
      for (const [name, rv] of names) out.push({ namespace, name, rv });
    }
    return out;
  }

  clear(): void {
    this.byResource.clear();
  }
}

/**
 * The rows clients read last by name, kept so that the next read of the same object is answered
 * without a query: a client polling one object (a test waiting for its pod to be Ready, kubectl
 * get, an operator's Get) costs a Map lookup instead of a SQLite read. ObjectStore owns it: every
 * write forgets its object's entry before it runs, a rollback or a restore forgets them all, so an
 * entry is always the object's current committed (or in-group) row. Bounded by the bodies' total
 * length; the oldest entries go first.
 */
import type { StoredRow } from './object-store.js';

/** Total characters of the bodies kept (about 16 MB of UTF-16 at most). */
export const READ_CACHE_CHARS = 8 * 1024 * 1024;

export class ReadCache {
  private readonly rows = new Map<string, StoredRow>();
  private chars = 0;

  constructor(private readonly maxChars = READ_CACHE_CHARS) {}

  static key(resource: string, namespace: string, name: string): string {
    // Names, namespaces and resources hold no slash. Joined into one flat string: a key kept
    // while its row waits for the index, built with `+`, would be a rope of four pieces.
    return [resource, namespace, name].join('/');
  }

  get(key: string): StoredRow | undefined {
    return this.rows.get(key);
  }

  remember(key: string, row: StoredRow): void {
    if (row.body.length > this.maxChars) return;
    this.forget(key);
    this.rows.set(key, row);
    this.chars += row.body.length;
    for (const [oldest, evicted] of this.rows) {
      if (this.chars <= this.maxChars) break;
      this.rows.delete(oldest);
      this.chars -= evicted.body.length;
    }
  }

  forget(key: string): void {
    const row = this.rows.get(key);
    if (!row) return;
    this.rows.delete(key);
    this.chars -= row.body.length;
  }

  clear(): void {
    this.rows.clear();
    this.chars = 0;
  }

  get size(): number {
    return this.rows.size;
  }
}

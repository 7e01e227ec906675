/** Opens the SQLite database with the pragmas kubemock relies on. The only importer of better-sqlite3. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * The page size of a database kubemock creates. Bodies are one to five kilobytes (a running pod
 * with its managedFields is over four): with SQLite's default 4 KiB pages such a row spills into an
 * overflow page of its own, so each write touches two pages and each compaction frees two; an
 * in-memory database rebalances B-tree pages on almost every insert (4.5x slower writes at 5,000
 * pods). 16 KiB pages hold several bodies each. A file created with another page size keeps it
 * (SQLite cannot change it once the file is in WAL mode).
 */
export const PAGE_SIZE = 16_384;

/**
 * better-sqlite3's native addon, loaded from where its install builds it
 * (build/Release/better_sqlite3.node) and handed to it. Left to itself better-sqlite3 asks the
 * `bindings` package, which makes an Error to find its caller's file and tries a dozen folders,
 * then require() resolves the file's real path component by component: 3 of the ~4.5 ms of a
 * process's first `new Database` on the development machine. Undefined (better-sqlite3 then finds
 * it) when the addon is elsewhere (a debug build, another package layout) or does not load so.
 */
let addon: object | null | undefined;
function nativeAddon(): object | undefined {
  if (addon === undefined) {
    addon = null;
    try {
      const root = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
      const file = join(root, 'build', 'Release', 'better_sqlite3.node');
      if (existsSync(file)) {
        const module = { exports: {} };
        process.dlopen(module, file);
        addon = module.exports;
      }
    } catch {
      // better-sqlite3's own search applies.
    }
  }
  return addon ?? undefined;
}

export function openDatabase(file: string): SqliteDatabase {
  const loaded = nativeAddon();
  // better-sqlite3 takes the loaded addon as well as a path (its types name only the path).
  const db = loaded ? new Database(file, { nativeBinding: loaded as unknown as string }) : new Database(file);
  // Before anything is written: it only applies to a database without any page yet.
  db.pragma(`page_size = ${PAGE_SIZE}`);
  if (file !== ':memory:') {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

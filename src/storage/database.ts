/** Opens the SQLite database with the pragmas kubemock relies on. The only importer of better-sqlite3. */
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

export function openDatabase(file: string): SqliteDatabase {
  const db = new Database(file);
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

/** Opens the SQLite database with the pragmas kubemock relies on. The only importer of better-sqlite3. */
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export function openDatabase(file: string): SqliteDatabase {
  const db = new Database(file);
  if (file === ':memory:') {
    // Bodies are one to three kilobytes: with SQLite's default 4 KiB pages an in-memory database
    // rebalances B-tree pages on almost every insert (4.5x slower writes at 5,000 pods; a file in
    // WAL mode writes whole pages to the log, so it keeps the default).
    db.pragma('page_size = 16384');
  } else {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

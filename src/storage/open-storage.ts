/**
 * Opens the store kubemock runs on: SQLite (the default, a file or :memory:) or etcd v3 when
 * servers are given (kube-apiserver's --etcd-servers).
 */
import { openDatabase, type SqliteDatabase } from './database.js';
import { isDatabaseFile, lockDatabaseFile, lockPathOf, type DatabaseLock } from './database-lock.js';
import { migrate, MIGRATIONS_DIR } from './migrate.js';
import { readSchemaSnapshot } from './schema-snapshot.js';
import { ObjectStore, WRITES_BEFORE_WRITER_THREAD } from './object-store.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { EtcdStore, type EtcdOptions } from './etcd/etcd-store.js';
import type { StorageBackend } from './storage-backend.js';
import type { ChangeStream } from './change-stream.js';

export interface StorageOptions {
  /** The SQLite database file (or :memory:); unused on etcd. */
  db: string;
  /** Log rows of history SQLite keeps for watch resumption and paged lists. */
  retainedEvents?: number;
  /** Run on etcd instead of SQLite. */
  etcd?: EtcdOptions;
  /** The file's lock, already taken by the caller (lockDatabaseFile): kept and released on close instead of a second one. */
  lock?: DatabaseLock;
  /**
   * A database file's writes on a thread of their own (LogWriter): true once 1,000 log rows come
   * within a minute (`--writer-thread`), a number of rows instead (0: at once); false, the default, never.
   */
  writerThread?: boolean | number;
}

export interface OpenedStorage {
  storage: StorageBackend;
  /** What other processes writing the same store commit (etcd); absent on SQLite, which one process owns. */
  changes?: ChangeStream;
  /** The SQLite database and its store (what snapshots copy); absent on etcd. */
  sqlite?: { db: SqliteDatabase; store: ObjectStore };
  close(): void;
}

/**
 * How many log rows are written before the writer thread starts, or undefined when these options
 * run none: only a SQLite database file a second connection can open has one (not :memory:, not ''
 * which is a private temporary database, not etcd), and only when asked for.
 */
export function writerThreadStart(opts: { db: string; etcd?: EtcdOptions | boolean; writerThread?: boolean | number }): number | undefined {
  if (opts.etcd || !isDatabaseFile(opts.db)) return undefined;
  return opts.writerThread === true ? WRITES_BEFORE_WRITER_THREAD : opts.writerThread === false ? undefined : opts.writerThread;
}

export function openStorage(opts: StorageOptions): OpenedStorage {
  if (opts.etcd) {
    const store = new EtcdStore(opts.etcd);
    return { storage: store, changes: store.changes(), close: () => store.close() };
  }
  // One process per database file (DatabaseInUseError otherwise); an in-memory database is private.
  const lock = isDatabaseFile(opts.db) ? (opts.lock ?? lockDatabaseFile(opts.db)) : undefined;
  if (lock && lock.path !== lockPathOf(opts.db)) throw new Error(`the lock ${lock.path} is not database file ${opts.db}'s`);
  let db: SqliteDatabase | undefined;
  try {
    db = openDatabase(opts.db);
    migrate(db, MIGRATIONS_DIR, readSchemaSnapshot);
  } catch (err) {
    db?.close();
    lock?.release();
    throw err;
  }
  const opened = db;
  const checkpointer = opts.db === ':memory:' ? undefined : new WalCheckpointer(opened, opts.db);
  const after = writerThreadStart(opts);
  const writerThread = after === undefined ? undefined : { file: opts.db, startAfterWrites: after };
  const store = new ObjectStore(opened, opts.retainedEvents, checkpointer && (() => checkpointer.committed()), writerThread);
  return {
    storage: store,
    sqlite: { db: opened, store },
    close: () => {
      // The objects table written up to date, the turn's group committed and the writer thread stopped before the connection goes.
      try {
        store.close();
        checkpointer?.close();
        opened.close();
      } finally {
        lock?.release();
      }
    },
  };
}

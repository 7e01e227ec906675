/**
 * Snapshots of the stored state, for restoring it between tests. A snapshot copies the objects
 * table (with the type of each object's latest log row) into an in-memory database attached to
 * the connection, so copy and restore are SQL inside SQLite and the connection, its prepared
 * statements and every reader of the store stay valid. Snapshots live as long as the process.
 *
 * A restore rewrites only the objects that differ from the snapshot (a revision is written once,
 * so an object whose stored revision equals the snapshot's is identical): their rows, and their
 * whole log history, which becomes the snapshot's row. Every other object keeps its log, whose
 * latest row is already the stored one, which is all a list at the restore point needs.
 *
 * A restore keeps the revision counter where it is: the resourceVersions handed out afterwards
 * never repeat earlier ones. Everything older than the restore point is treated as compacted, so
 * a watch or a continue token from before the restore answers 410 Expired and clients re-list.
 */
import type { SqliteDatabase } from './database.js';
import type { ObjectStore } from './object-store.js';

const SCHEMA = 'kubemock_snapshots';

export interface SnapshotInfo {
  id: string;
  /** The revision the snapshot was taken at. */
  revision: number;
  objects: number;
  /** Wall-clock time it was taken (ms since the epoch). */
  takenAt: number;
}

export class SnapshotStore {
  private readonly snapshots = new Map<string, SnapshotInfo & { table: string }>();
  private seq = 0;
  private attached = false;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly storage: ObjectStore,
  ) {}

  private attach(): void {
    // ATTACH cannot run inside a transaction, and a snapshot copies what is committed; the
    // objects table, which a snapshot copies and a restore rewrites, is written up to date first.
    this.storage.settle();
    if (this.attached) return;
    this.db.exec(`ATTACH DATABASE ':memory:' AS ${SCHEMA}`);
    this.db.exec(
      `CREATE TABLE ${SCHEMA}.restore_keys (resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (resource, namespace, name)) WITHOUT ROWID`,
    );
    this.attached = true;
  }

  /** Copies the current state; returns its id. */
  take(): SnapshotInfo {
    this.attach();
    const n = ++this.seq;
    const table = `s${n}`;
    const revision = this.storage.currentRevision();
    this.db.transaction(() => {
      this.db.exec(`CREATE TABLE ${SCHEMA}.${table} (resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
        uid TEXT NOT NULL, rv INTEGER NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (resource, namespace, name))`);
      this.db.exec(`INSERT INTO ${SCHEMA}.${table} SELECT o.resource, o.namespace, o.name, o.uid, o.rv, e.type, e.body
        FROM main.objects o JOIN main.object_events e ON e.id = o.rv`);
    })();
    const objects = (this.db.prepare(`SELECT count(*) AS n FROM ${SCHEMA}.${table}`).get() as { n: number }).n;
    const info = { id: String(n), revision, objects, takenAt: Date.now() };
    this.snapshots.set(info.id, { ...info, table });
    return info;
  }

  list(): SnapshotInfo[] {
    return [...this.snapshots.values()].map(({ table: _t, ...info }) => info);
  }

  get(id: string): SnapshotInfo | undefined {
    const s = this.snapshots.get(id);
    if (!s) return undefined;
    const { table: _t, ...info } = s;
    return info;
  }

  /**
   * Replaces the stored state with the snapshot's. The revision counter stays at the highest
   * revision handed out (kept in the database too, so a restart continues above it), and that
   * revision becomes the compaction point. Returns how many objects were rewritten (undefined
   * when there is no such snapshot).
   */
  restore(id: string): number | undefined {
    this.storage.settle();
    const s = this.snapshots.get(id);
    if (!s) return undefined;
    const revision = this.storage.currentRevision();
    const snap = `${SCHEMA}.${s.table}`;
    const keys = `${SCHEMA}.restore_keys`;
    const sameKey = (a: string, b: string) => `${a}.resource = ${b}.resource AND ${a}.namespace = ${b}.namespace AND ${a}.name = ${b}.name`;
    let changed: { resource: string; namespace: string; name: string; rv: number | null }[] = [];
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM ${keys}`);
      // Objects written since (or absent from) the snapshot, then objects the snapshot has and the store lost.
      this.db.exec(`INSERT INTO ${keys} SELECT o.resource, o.namespace, o.name FROM main.objects o
        WHERE NOT EXISTS (SELECT 1 FROM ${snap} s WHERE ${sameKey('s', 'o')} AND s.rv = o.rv)`);
      this.db.exec(`INSERT OR IGNORE INTO ${keys} SELECT s.resource, s.namespace, s.name FROM ${snap} s
        WHERE NOT EXISTS (SELECT 1 FROM main.objects o WHERE ${sameKey('o', 's')})`);
      this.db.exec(`DELETE FROM main.objects WHERE (resource, namespace, name) IN (SELECT resource, namespace, name FROM ${keys})`);
      this.db.exec(`DELETE FROM main.object_events WHERE (resource, namespace, name) IN (SELECT resource, namespace, name FROM ${keys})`);
      this.db.exec(`INSERT INTO main.objects (resource, namespace, name, uid, rv)
        SELECT s.resource, s.namespace, s.name, s.uid, s.rv FROM ${keys} k JOIN ${snap} s ON ${sameKey('s', 'k')}`);
      this.db.exec(`INSERT INTO main.object_events (id, resource, namespace, name, type, prev_id, body)
        SELECT s.rv, s.resource, s.namespace, s.name, s.type, NULL, s.body FROM ${keys} k JOIN ${snap} s ON ${sameKey('s', 'k')}`);
      this.db.prepare("UPDATE main.store_meta SET value = ? WHERE key = 'compacted_revision'").run(revision);
      // What the restore rewrote, as it is now (no row: gone): the store's revisions of these only change.
      changed = this.db
        .prepare(`SELECT k.resource, k.namespace, k.name, o.rv FROM ${keys} k LEFT JOIN main.objects o ON ${sameKey('o', 'k')}`)
        .all() as typeof changed;
    })();
    this.storage.reloadChanged(changed);
    return changed.length;
  }

  delete(id: string): boolean {
    const s = this.snapshots.get(id);
    if (!s) return false;
    this.db.exec(`DROP TABLE ${SCHEMA}.${s.table}`);
    this.snapshots.delete(id);
    return true;
  }

  /** Drops every snapshot and detaches their database. */
  close(): void {
    this.snapshots.clear();
    if (this.db.open) this.storage.flush();
    if (this.attached && this.db.open) this.db.exec(`DETACH DATABASE ${SCHEMA}`);
    this.attached = false;
  }
}

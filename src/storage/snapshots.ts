/**
 * Snapshots of the stored state, for restoring it between tests. A snapshot copies the objects
 * table and, of the revision log, each live object's latest row (all a list at the restore point
 * needs) into an in-memory database attached to the connection, so the copy and the restore are
 * INSERT … SELECT inside SQLite and the connection, its prepared statements and every reader of
 * the store stay valid. Snapshots live as long as the process.
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
    if (this.attached) return;
    this.db.exec(`ATTACH DATABASE ':memory:' AS ${SCHEMA}`);
    this.attached = true;
  }

  /** Copies the current state; returns its id. */
  take(): SnapshotInfo {
    this.attach();
    const n = ++this.seq;
    const table = `s${n}`;
    const revision = this.storage.currentRevision();
    this.db.transaction(() => {
      this.db.exec(`CREATE TABLE ${SCHEMA}.${table}_objects AS SELECT resource, namespace, name, uid, rv, body FROM main.objects`);
      this.db.exec(`CREATE TABLE ${SCHEMA}.${table}_events AS
        SELECT e.id, e.resource, e.namespace, e.name, e.type, e.body FROM main.object_events e JOIN main.objects o ON o.rv = e.id`);
    })();
    const objects = (this.db.prepare(`SELECT count(*) AS n FROM ${SCHEMA}.${table}_objects`).get() as { n: number }).n;
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
   * revision becomes the compaction point. False when there is no such snapshot.
   */
  restore(id: string): boolean {
    const s = this.snapshots.get(id);
    if (!s) return false;
    const revision = this.storage.currentRevision();
    this.db.transaction(() => {
      this.db.exec('DELETE FROM main.objects');
      this.db.exec('DELETE FROM main.object_events');
      this.db.exec(`INSERT INTO main.objects (resource, namespace, name, uid, rv, body) SELECT resource, namespace, name, uid, rv, body FROM ${SCHEMA}.${s.table}_objects`);
      this.db.exec(`INSERT INTO main.object_events (id, resource, namespace, name, type, prev_id, body)
        SELECT id, resource, namespace, name, type, NULL, body FROM ${SCHEMA}.${s.table}_events`);
      this.db.prepare("UPDATE main.sqlite_sequence SET seq = ? WHERE name = 'object_events'").run(revision);
      this.db.prepare("INSERT OR IGNORE INTO main.sqlite_sequence (name, seq) SELECT 'object_events', ? WHERE NOT EXISTS (SELECT 1 FROM main.sqlite_sequence WHERE name = 'object_events')").run(revision);
      this.db.prepare("UPDATE main.store_meta SET value = ? WHERE key = 'compacted_revision'").run(revision);
    })();
    this.storage.reload();
    return true;
  }

  delete(id: string): boolean {
    const s = this.snapshots.get(id);
    if (!s) return false;
    this.db.exec(`DROP TABLE ${SCHEMA}.${s.table}_objects; DROP TABLE ${SCHEMA}.${s.table}_events`);
    this.snapshots.delete(id);
    return true;
  }

  /** Drops every snapshot and detaches their database. */
  close(): void {
    this.snapshots.clear();
    if (this.attached && this.db.open) this.db.exec(`DETACH DATABASE ${SCHEMA}`);
    this.attached = false;
  }
}

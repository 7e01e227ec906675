/**
 * Numbered, forward-only migrations (`NNNN_verb_subject.sql`), applied in order, those missing in
 * one transaction (all or none), each recorded with a checksum. Start is refused when the database
 * and the files disagree.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../apimachinery/package-root.js';
import type { SqliteDatabase } from './database.js';
import { MIGRATED_OBJECTS, type SchemaSnapshot } from './schema-snapshot.js';

/** The migrations folder shipped with kubemock (beside src/ and dist/). */
export const MIGRATIONS_DIR = packagePath('migrations');

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface MigrationFile {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export function readMigrations(dir: string): MigrationFile[] {
  const files: MigrationFile[] = [];
  for (const entry of readdirSync(dir)) {
    if (!entry.endsWith('.sql')) continue;
    const m = FILE_PATTERN.exec(entry);
    if (!m) throw new MigrationError(`migration file ${entry} is not named NNNN_name.sql`);
    const sql = readFileSync(join(dir, entry), 'utf8');
    files.push({ id: Number(m[1]), name: entry, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  files.sort((a, b) => a.id - b.id);
  files.forEach((f, i) => {
    if (f.id !== i + 1)
      throw new MigrationError(`migrations must be numbered 0001 upwards without gaps; found ${f.name} at position ${i + 1}`);
  });
  return files;
}

interface AppliedRow {
  id: number;
  name: string;
  checksum: string;
}

/** Whether `snapshot` stands for exactly `files`, in order. */
function snapshotOfFiles(snapshot: SchemaSnapshot, files: readonly MigrationFile[]): boolean {
  const m = snapshot.migrations;
  return m.length === files.length && m.every((s, i) => s.name === files[i].name && s.checksum === files[i].checksum);
}

/** Whether the database holds nothing but the runner's own (empty) record. */
function isEmpty(db: SqliteDatabase): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE ${MIGRATED_OBJECTS} LIMIT 1`).get() === undefined;
}

/**
 * Applies what is missing; returns the names applied. Throws MigrationError on drift. On an empty
 * database, `snapshot` (asked for only then) replaces the files when it was made from exactly
 * these files (schema-snapshot.ts); the migrations are recorded alike either way.
 */
export function migrate(db: SqliteDatabase, dir: string, snapshot?: () => SchemaSnapshot | undefined): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const files = readMigrations(dir);
  const applied = db.prepare('SELECT id, name, checksum FROM schema_migrations ORDER BY id').all() as AppliedRow[];
  for (const row of applied) {
    const file = files[row.id - 1];
    if (!file) throw new MigrationError(`database has migration ${row.name} that is not among the migration files; refusing to start`);
    if (file.name !== row.name || file.checksum !== row.checksum) {
      throw new MigrationError(`migration ${row.name} was changed after it was applied (file ${file.name}); refusing to start`);
    }
  }
  const pending = files.slice(applied.length);
  if (pending.length === 0) return [];
  const record = db.prepare('INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  // All that is missing in one transaction: all of it applies or none (a new database is one commit, not one per file).
  db.transaction(() => {
    const appliedAt = new Date().toISOString();
    const whole = applied.length === 0 && isEmpty(db) ? snapshot?.() : undefined;
    if (whole && snapshotOfFiles(whole, files)) db.exec(whole.sql);
    else for (const file of pending) db.exec(file.sql);
    for (const file of pending) record.run(file.id, file.name, file.checksum, appliedAt);
  })();
  return pending.map((f) => f.name);
}

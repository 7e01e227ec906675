/**
 * A new database's schema in one step. The numbered migrations (migrate.ts) stay the schema's one
 * definition; but applied one by one to an empty database they build tables that later ones copy
 * and drop (3.8-4.5 ms of a library's first start, of its ~50), where running what they leave
 * takes 0.2 ms. `npm run build` applies them once to an empty database and writes what they left
 * (tables, indexes and rows, with the migrations' names and checksums) to
 * dist/schema-snapshot.json; migrate() runs it instead of the files on a database that has no
 * tables yet, when the files are exactly those it was made from. Otherwise (no build, a migration
 * added or changed since) the files apply as ever.
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../apimachinery/package-root.js';
import type { SqliteDatabase } from './database.js';

export interface SchemaSnapshot {
  /** The migrations it stands for, in order: their file names and checksums (as schema_migrations records them). */
  migrations: { name: string; checksum: string }[];
  /** What they leave, as SQL: the tables, then the indexes, triggers and views, then the tables' rows. */
  sql: string;
}

/** Where `npm run build` writes the snapshot of the migrations it ships with. */
export const SCHEMA_SNAPSHOT_FILE = packagePath('dist', 'schema-snapshot.json');

/**
 * The sqlite_master condition for what the migrations made: not SQLite's own tables
 * (sqlite_sequence cannot be created by SQL) nor the runner's record.
 */
export const MIGRATED_OBJECTS = "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_migrations'";

/** A value as an SQL literal (integers read as bigint, so exact at any size). */
function literal(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (Buffer.isBuffer(value)) return `X'${value.toString('hex')}'`;
  throw new TypeError(`schema snapshot: unexpected SQLite value ${String(value)}`);
}

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The objects `db` holds (but SQLite's own and schema_migrations), with their rows, as one SQL script. */
function schemaSql(db: SqliteDatabase): string {
  const objects = db
    .prepare(`SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ${MIGRATED_OBJECTS} ORDER BY rowid`)
    .all() as { type: string; name: string; sql: string }[];
  // Tables first: an index or trigger names its table.
  const tables = objects.filter((o) => o.type === 'table');
  const others = objects.filter((o) => o.type !== 'table');
  const statements = [...tables, ...others].map((o) => `${o.sql};`);
  for (const { name } of tables) {
    const rows = db
      .prepare(`SELECT * FROM ${quoteName(name)}`)
      .safeIntegers(true)
      .raw(true)
      .all() as unknown[][];
    for (const row of rows) statements.push(`INSERT INTO ${quoteName(name)} VALUES (${row.map(literal).join(', ')});`);
  }
  return statements.join('\n');
}

/** The snapshot of a migrated database: what schemaSql writes, and the migrations schema_migrations records. */
export function snapshotOf(db: SqliteDatabase): SchemaSnapshot {
  const migrations = db.prepare('SELECT name, checksum FROM schema_migrations ORDER BY id').all() as { name: string; checksum: string }[];
  return { migrations, sql: schemaSql(db) };
}

/** The snapshot, or undefined when there is none (no build) or it cannot be read (the files then apply). */
export function readSchemaSnapshot(file = SCHEMA_SNAPSHOT_FILE): SchemaSnapshot | undefined {
  let parsed: Partial<SchemaSnapshot> | null;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SchemaSnapshot> | null;
  } catch {
    return undefined;
  }
  return Array.isArray(parsed?.migrations) && typeof parsed.sql === 'string' ? (parsed as SchemaSnapshot) : undefined;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';
import { migrate, MIGRATIONS_DIR } from '../../src/storage/migrate.js';
import { ObjectStore } from '../../src/storage/object-store.js';
import { readSchemaSnapshot, SCHEMA_SNAPSHOT_FILE, snapshotOf, type SchemaSnapshot } from '../../src/storage/schema-snapshot.js';

/** Everything a database holds but SQLite's own tables and the times migrations were applied at. */
function contents(db: SqliteDatabase): unknown {
  const objects = db
    .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite%' ORDER BY type, name")
    .all() as { type: string; name: string }[];
  const rows = objects
    .filter((o) => o.type === 'table')
    .map((o) => [
      o.name,
      db
        .prepare(`SELECT * FROM "${o.name}"`)
        .all()
        .map((r) => ({ ...(r as object), applied_at: undefined })),
    ]);
  return { objects, rows, pageSize: db.pragma('page_size', { simple: true }) };
}

function migratedByFiles(): SqliteDatabase {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS_DIR);
  return db;
}

test('a database made from the snapshot holds what the migration files leave, and records them alike', () => {
  const byFiles = migratedByFiles();
  const snapshot = snapshotOf(byFiles);
  let asked = 0;
  const db = openDatabase(':memory:');
  const applied = migrate(db, MIGRATIONS_DIR, () => (asked++, snapshot));
  assert.equal(asked, 1);
  assert.deepEqual(
    applied,
    snapshot.migrations.map((m) => m.name),
  );
  assert.deepEqual(contents(db), contents(byFiles));
  assert.deepEqual(
    migrate(db, MIGRATIONS_DIR, () => (asked++, snapshot)),
    [],
    'a second run applies nothing',
  );
  assert.equal(asked, 1, 'and does not read the snapshot');
  // And it is a store like any other.
  const store = new ObjectStore(db);
  assert.ok(
    store.commit([
      { change: { type: 'ADDED', resource: 'pods', namespace: 'default', name: 'a', uid: 'u', body: '{}' }, rv: 1, expectRv: 0 },
    ]),
  );
  assert.deepEqual(store.get('pods', 'default', 'a'), { rv: 1, body: '{}' });
});

/** The snapshot of the shipped migrations with one table more in its SQL: tells whether it was run. */
function markedSnapshot(): SchemaSnapshot {
  const snapshot = snapshotOf(migratedByFiles());
  return { ...snapshot, sql: `${snapshot.sql}\nCREATE TABLE made_from_snapshot (x);` };
}
const hasMark = (db: SqliteDatabase) => db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'made_from_snapshot'").get() !== undefined;

test('the snapshot is run only on an empty database, for exactly the files it was made from', () => {
  const fresh = openDatabase(':memory:');
  migrate(fresh, MIGRATIONS_DIR, markedSnapshot);
  assert.ok(hasMark(fresh), 'an empty database is made from the snapshot');

  // A migration added since the snapshot: the files apply.
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-snap-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const added = `${String(readdirSync(MIGRATIONS_DIR).length + 1).padStart(4, '0')}_add_a_table.sql`;
  writeFileSync(join(dir, added), 'CREATE TABLE added_by_test (id INTEGER PRIMARY KEY);');
  const newer = openDatabase(':memory:');
  assert.equal(migrate(newer, dir, markedSnapshot).at(-1), added);
  assert.ok(!hasMark(newer), 'a snapshot of fewer files is not run');
  assert.ok(newer.prepare("SELECT 1 FROM sqlite_master WHERE name = 'added_by_test'").get());

  // A file edited since: its checksum differs.
  const edited = mkdtempSync(join(tmpdir(), 'kubemock-snap-'));
  cpSync(MIGRATIONS_DIR, edited, { recursive: true });
  writeFileSync(join(edited, '0001_create_objects.sql'), '-- edited\n', { flag: 'a' });
  const other = openDatabase(':memory:');
  migrate(other, edited, markedSnapshot);
  assert.ok(!hasMark(other), 'a snapshot of other checksums is not run');

  // A database with tables of its own, not yet migrated: the files apply (and meet them).
  const used = openDatabase(':memory:');
  used.exec('CREATE TABLE someone_elses (x)');
  migrate(used, MIGRATIONS_DIR, markedSnapshot);
  assert.ok(!hasMark(used), 'a database that is not empty is not made from the snapshot');
});

test('a snapshot that fails leaves the database as it was', () => {
  const broken = { ...snapshotOf(migratedByFiles()), sql: 'CREATE TABLE first_of_two (x);\nTHIS IS NOT SQL;' };
  const db = openDatabase(':memory:');
  assert.throws(() => migrate(db, MIGRATIONS_DIR, () => broken), /syntax error/);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  assert.deepEqual(
    tables.map((t) => t.name),
    ['schema_migrations'],
  );
  assert.equal((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n, 0);
});

test('the built snapshot (dist/schema-snapshot.json) is the one of the shipped migrations', (t) => {
  if (!existsSync(SCHEMA_SNAPSHOT_FILE)) return t.skip(`${SCHEMA_SNAPSHOT_FILE} is missing: run npm run build`);
  assert.deepEqual(readSchemaSnapshot(), snapshotOf(migratedByFiles()));
});

test('a snapshot file that is missing or not a snapshot is no snapshot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-snap-'));
  assert.equal(readSchemaSnapshot(join(dir, 'absent.json')), undefined);
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ hello: 'world' }));
  assert.equal(readSchemaSnapshot(join(dir, 'other.json')), undefined);
  writeFileSync(join(dir, 'cut.json'), '{"migrations": [');
  assert.equal(readSchemaSnapshot(join(dir, 'cut.json')), undefined);
});

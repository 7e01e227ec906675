import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/storage/database.js';
import { migrate, MigrationError, MIGRATIONS_DIR, readMigrations } from '../../src/storage/migrate.js';

function copyMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-mig-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

test('a fresh database reaches the latest migration and records each one', () => {
  const db = openDatabase(':memory:');
  const applied = migrate(db, MIGRATIONS_DIR);
  assert.deepEqual(applied, readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort());
  const rows = db.prepare('SELECT name FROM schema_migrations ORDER BY id').all() as { name: string }[];
  assert.deepEqual(rows.map((r) => r.name), applied);
  assert.deepEqual(migrate(db, MIGRATIONS_DIR), [], 'a second run applies nothing');
});

test('migration files share one width and are numbered without gaps', () => {
  for (const f of readdirSync(MIGRATIONS_DIR)) assert.match(f, /^\d{4}_[a-z0-9_]+\.sql$/);
  assert.ok(readMigrations(MIGRATIONS_DIR).length >= 2);
});

test('start is refused when an applied migration was edited', () => {
  const dir = copyMigrations();
  const db = openDatabase(':memory:');
  migrate(db, dir);
  const first = readdirSync(dir).sort()[0]!;
  writeFileSync(join(dir, first), '-- edited\n', { flag: 'a' });
  assert.throws(() => migrate(db, dir), MigrationError);
});

test('start is refused when the database has a migration the files lack', () => {
  const dir = copyMigrations();
  const db = openDatabase(':memory:');
  migrate(db, dir);
  db.prepare("INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (99, '0099_future.sql', 'x', 'now')").run();
  assert.throws(() => migrate(db, dir), /not among the migration files/);
});

test('a badly named migration file is refused', () => {
  const dir = copyMigrations();
  writeFileSync(join(dir, '12_bad.sql'), 'SELECT 1;');
  assert.throws(() => readMigrations(dir), MigrationError);
});

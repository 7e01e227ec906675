import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/storage/database.js';
import { migrate, MigrationError, MIGRATIONS_DIR, readMigrations } from '../../src/storage/migrate.js';
import { ObjectStore } from '../../src/storage/object-store.js';

function copyMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-mig-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

/** A folder with the migrations before `id` (e.g. '0005'); `add()` then copies migration `id` in, returning its file name. */
function migrationsBefore(id: string): { dir: string; add(): string } {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-mig-'));
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < id)) cpSync(join(MIGRATIONS_DIR, f), join(dir, f));
  const file = readdirSync(MIGRATIONS_DIR).find((f) => f.startsWith(id))!;
  return { dir, add: () => (cpSync(join(MIGRATIONS_DIR, file), join(dir, file)), file) };
}

test('a fresh database reaches the latest migration and records each one', () => {
  const db = openDatabase(':memory:');
  const applied = migrate(db, MIGRATIONS_DIR);
  assert.deepEqual(
    applied,
    readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort(),
  );
  const rows = db.prepare('SELECT name FROM schema_migrations ORDER BY id').all() as { name: string }[];
  assert.deepEqual(
    rows.map((r) => r.name),
    applied,
  );
  assert.deepEqual(migrate(db, MIGRATIONS_DIR), [], 'a second run applies nothing');
});

test('the missing migrations apply together or not at all: one that fails leaves the database as it was', () => {
  const dir = copyMigrations();
  const files = readdirSync(dir).sort();
  const next = String(files.length + 1).padStart(4, '0');
  writeFileSync(join(dir, `${next}_add_a_table.sql`), 'CREATE TABLE added_by_test (id INTEGER PRIMARY KEY);');
  writeFileSync(join(dir, `${String(files.length + 2).padStart(4, '0')}_break.sql`), 'THIS IS NOT SQL;');
  const db = openDatabase(':memory:');
  assert.throws(() => migrate(db, dir), /syntax error/);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  assert.deepEqual(
    tables.map((t) => t.name),
    ['schema_migrations'],
    'not even the first migrations are kept',
  );
  assert.equal((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n, 0);
});

test('migration files share one width and are numbered without gaps', () => {
  for (const f of readdirSync(MIGRATIONS_DIR)) assert.match(f, /^\d{4}_[a-z0-9_]+\.sql$/);
  assert.ok(readMigrations(MIGRATIONS_DIR).length >= 2);
});

test('start is refused when an applied migration was edited', () => {
  const dir = copyMigrations();
  const db = openDatabase(':memory:');
  migrate(db, dir);
  const first = readdirSync(dir).sort()[0];
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

test('0005 moves each current body into the log (writing the log row where compaction had lost it) and drops the copy', () => {
  const { dir, add } = migrationsBefore('0005');
  const db = openDatabase(':memory:');
  migrate(db, dir);
  const put = db.prepare('INSERT INTO objects (resource, namespace, name, uid, rv, body) VALUES (?, ?, ?, ?, ?, ?)');
  const log = db.prepare('INSERT INTO object_events (id, resource, namespace, name, type, prev_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)');
  log.run(1, 'pods', 'default', 'a', 'ADDED', null, '{"v":"a1"}');
  log.run(2, 'pods', 'default', 'a', 'MODIFIED', 1, '{"v":"a2"}');
  put.run('pods', 'default', 'a', 'ua', 2, '{"v":"a2"}');
  put.run('nodes', '', 'n', 'un', 7, '{"v":"n7"}'); // its log row is gone
  const added = add();
  assert.deepEqual(migrate(db, dir), [added]);
  const columns = (db.prepare('PRAGMA table_info(objects)').all() as { name: string }[]).map((c) => c.name);
  assert.ok(!columns.includes('body'), `objects keeps no body: ${columns.join(', ')}`);
  const store = new ObjectStore(db);
  assert.deepEqual(store.get('pods', 'default', 'a'), { rv: 2, body: '{"v":"a2"}' });
  assert.deepEqual(store.get('nodes', '', 'n'), { rv: 7, body: '{"v":"n7"}' });
  assert.deepEqual(store.getAt('pods', 'default', 'a', 1)?.body, '{"v":"a1"}', 'history is untouched');
});

test('0006 drops AUTOINCREMENT from the log and keeps the revision counter where it was', () => {
  const { dir, add } = migrationsBefore('0006');
  const db = openDatabase(':memory:');
  migrate(db, dir);
  const before = new ObjectStore(db);
  before.commit([
    { change: { type: 'ADDED', resource: 'pods', namespace: 'default', name: 'a', uid: 'ua', body: '{"v":1}' }, rv: 1, expectRv: 0 },
  ]);
  // A revision handed out whose row is gone (the counter ran ahead of the rows).
  db.prepare("UPDATE sqlite_sequence SET seq = 9 WHERE name = 'object_events'").run();
  const added = add();
  assert.deepEqual(migrate(db, dir), [added]);
  const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'object_events'").get() as { sql: string }).sql;
  assert.ok(!/AUTOINCREMENT/i.test(sql), sql);
  const store = new ObjectStore(db);
  assert.equal(store.currentRevision(), 9, 'no revision is handed out twice');
  assert.deepEqual(store.get('pods', 'default', 'a'), { rv: 1, body: '{"v":1}' });
  assert.ok(
    store.commit([
      { change: { type: 'MODIFIED', resource: 'pods', namespace: 'default', name: 'a', uid: 'ua', body: '{"v":2}' }, rv: 10, expectRv: 1 },
    ]),
  );
  assert.equal(store.getAt('pods', 'default', 'a', 1)?.body, '{"v":1}', 'history is still read');
});

test('0007 keys stored objects by resource and group, core kinds keeping their plural', () => {
  const { dir, add } = migrationsBefore('0007');
  const db = openDatabase(':memory:');
  migrate(db, dir);
  const before = new ObjectStore(db);
  const body = (apiVersion: string, v: number) => JSON.stringify({ apiVersion, metadata: { v } });
  const rows: [string, string, string][] = [
    ['pods', 'v1', 'default'],
    ['daemonsets', 'apps/v1', 'default'],
    ['leases', 'coordination.k8s.io/v1', 'kube-node-lease'],
    ['crontabs', 'stable.example.com/v2', 'default'],
  ];
  let rv = 0;
  for (const [resource, apiVersion, namespace] of rows) {
    before.commit([
      { change: { type: 'ADDED', resource, namespace, name: 'a', uid: 'u', body: body(apiVersion, 1) }, rv: ++rv, expectRv: 0 },
    ]);
    before.commit([
      { change: { type: 'MODIFIED', resource, namespace, name: 'a', uid: 'u', body: body(apiVersion, 2) }, rv: ++rv, expectRv: rv - 1 },
    ]);
  }
  add();
  migrate(db, dir);
  const store = new ObjectStore(db);
  const keys = ['pods', 'daemonsets.apps', 'leases.coordination.k8s.io', 'crontabs.stable.example.com'];
  keys.forEach((key, i) => {
    const [, apiVersion, namespace] = rows[i];
    assert.equal(store.get(key, namespace, 'a')?.body, body(apiVersion, 2), key);
    assert.equal(store.getAt(key, namespace, 'a', 2 * i + 1)?.body, body(apiVersion, 1), `${key}: its history moved too`);
  });
  assert.equal(store.get('daemonsets', 'default', 'a'), undefined);
  assert.deepEqual(
    store.eventsAfter(0, rv, 'crontabs.stable.example.com').map((e) => e.id),
    [7, 8],
  );
});

test('0008 drops the log index by object; history is read back from the log as before', () => {
  const { dir, add } = migrationsBefore('0008');
  const db = openDatabase(':memory:');
  migrate(db, dir);
  const before = new ObjectStore(db);
  const write = (type: 'ADDED' | 'MODIFIED' | 'DELETED', name: string, v: number, rv: number, expectRv: number) =>
    before.commit([{ change: { type, resource: 'pods', namespace: 'default', name, uid: 'u', body: `{"v":${v}}` }, rv, expectRv }]);
  write('ADDED', 'a', 1, 1, 0);
  write('ADDED', 'b', 1, 2, 0);
  write('MODIFIED', 'a', 2, 3, 1);
  write('DELETED', 'b', 1, 4, 2);
  const history = (s: ObjectStore) => [
    s.listAt('pods', 'default', 2).map((r) => [r.name, r.rv, r.body]),
    s.listAt('pods', undefined, 3).map((r) => [r.name, r.rv, r.body]),
    s.getAt('pods', 'default', 'a', 2)?.body,
    s.getAt('pods', 'default', 'b', 3)?.body,
    s.getAt('pods', 'default', 'b', 4),
  ];
  const expected = history(before);
  assert.deepEqual(expected[0], [
    ['a', 1, '{"v":1}'],
    ['b', 2, '{"v":1}'],
  ]);
  const index = () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'object_events_by_key'").get();
  assert.ok(index(), 'the index is there before');
  add();
  migrate(db, dir);
  assert.equal(index(), undefined, 'and gone after');
  assert.deepEqual(history(new ObjectStore(db)), expected);
});

test('0009 keeps every object, found by its key and listed in key order, in a table kept in creation order', () => {
  const { dir, add } = migrationsBefore('0009');
  const db = openDatabase(':memory:');
  migrate(db, dir);
  const before = new ObjectStore(db);
  const names = ['m', 'b', 'x', 'a'];
  names.forEach((name, i) => {
    const change = {
      type: 'ADDED' as const,
      resource: 'pods',
      namespace: i % 2 ? 'default' : 'other',
      name,
      uid: `u${i}`,
      body: `{"n":"${name}"}`,
    };
    assert.ok(before.commit([{ change, rv: i + 1, expectRv: 0 }]));
  });
  const listed = (s: ObjectStore) => [s.list('pods', undefined), s.list('pods', 'default'), s.get('pods', 'other', 'x')];
  const expected = listed(before);
  add();
  migrate(db, dir);
  const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'objects'").get() as { sql: string }).sql;
  assert.ok(!/WITHOUT ROWID/i.test(sql), sql);
  const store = new ObjectStore(db);
  assert.deepEqual(listed(store), expected);
  assert.deepEqual(
    store.list('pods', undefined).map((r) => [r.namespace, r.name]),
    [
      ['default', 'a'],
      ['default', 'b'],
      ['other', 'm'],
      ['other', 'x'],
    ],
  );
  // Writes go on as before: a compare-and-swap at the stored revision, none at another.
  const update = { type: 'MODIFIED' as const, resource: 'pods', namespace: 'other', name: 'x', uid: 'u2', body: '{"n":"x2"}' };
  assert.equal(store.commit([{ change: update, rv: 5, expectRv: 1 }]), undefined);
  assert.ok(store.commit([{ change: update, rv: 5, expectRv: 3 }]));
  assert.deepEqual(store.get('pods', 'other', 'x'), { rv: 5, body: '{"n":"x2"}' });
});

test('0010 records that the objects table indexes the whole log (written with every change until then)', () => {
  const { dir, add } = migrationsBefore('0010');
  const db = openDatabase(':memory:');
  migrate(db, dir);
  // The table as the store kept it before: a row per object at its current revision.
  db.exec(`INSERT INTO object_events (id, resource, namespace, name, type, prev_id, body) VALUES
    (1, 'pods', 'default', 'a', 'ADDED', NULL, '{"v":1}'),
    (2, 'pods', 'default', 'b', 'ADDED', NULL, '{"v":1}'),
    (3, 'pods', 'default', 'a', 'MODIFIED', 1, '{"v":2}')`);
  db.exec(
    `INSERT INTO objects (resource, namespace, name, uid, rv) VALUES ('pods', 'default', 'a', 'ua', 3), ('pods', 'default', 'b', 'ub', 2)`,
  );
  add();
  migrate(db, dir);
  assert.deepEqual(db.prepare("SELECT value FROM store_meta WHERE key = 'indexed_revision'").get(), { value: 3 });
  const store = new ObjectStore(db);
  assert.deepEqual(store.get('pods', 'default', 'a'), { rv: 3, body: '{"v":2}' });
  assert.deepEqual(
    store.list('pods', 'default').map((r) => [r.name, r.rv]),
    [
      ['a', 3],
      ['b', 2],
    ],
  );
  assert.equal(
    store.commit([
      { change: { type: 'MODIFIED', resource: 'pods', namespace: 'default', name: 'a', uid: 'ua', body: '{}' }, rv: 4, expectRv: 1 },
    ]),
    undefined,
  );
});

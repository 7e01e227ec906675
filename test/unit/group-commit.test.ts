/**
 * Group commit (src/storage/object-store.ts): the writes of one event-loop turn share one SQLite
 * transaction, each its own compare-and-swap, and become durable together at the end of the turn.
 * A second connection to the same database file stands for what a crash would leave.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';
import { migrate, MIGRATIONS_DIR } from '../../src/storage/migrate.js';
import { ObjectStore, type Change } from '../../src/storage/object-store.js';

function onFile(t: { after(fn: () => void): void }): { store: ObjectStore; other: SqliteDatabase } {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-group-commit-'));
  const file = join(dir, 'kubemock.db');
  const db = openDatabase(file);
  migrate(db, MIGRATIONS_DIR);
  const other = openDatabase(file);
  t.after(() => {
    db.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store: new ObjectStore(db), other };
}

function change(type: Change['type'], name: string, v: number): Change {
  return { type, resource: 'pods', namespace: 'default', name, uid: `u-${name}`, body: JSON.stringify({ v }) };
}

/** The pods a store opened on the file now would find (what a crash would leave); it reads the log the objects table lags. */
const durableNames = (other: SqliteDatabase) => {
  const found = new ObjectStore(other);
  return ['a', 'b', 'c'].filter((name) => found.exists('pods', 'default', name));
};

test('the writes of one turn are visible at once and durable together at the end of the turn', async (t) => {
  const { store, other } = onFile(t);
  assert.ok(store.commit([{ change: change('ADDED', 'a', 1), rv: 1, expectRv: 0 }]));
  assert.ok(store.commit([{ change: change('ADDED', 'b', 1), rv: 2, expectRv: 0 }]));
  // This connection reads its own writes; another one (what a crash would leave) does not yet.
  assert.deepEqual(store.get('pods', 'default', 'b'), { rv: 2, body: '{"v":1}' });
  assert.equal(store.isDurable(), false);
  assert.deepEqual(durableNames(other), []);
  await store.whenDurable();
  assert.equal(store.isDurable(), true);
  assert.deepEqual(durableNames(other), ['a', 'b']);
});

test('a failed compare-and-swap in a group rolls back only itself', async (t) => {
  const { store, other } = onFile(t);
  assert.ok(store.commit([{ change: change('ADDED', 'a', 1), rv: 1, expectRv: 0 }]));
  // A stale guard, then a batch whose second change fails: neither leaves anything behind.
  assert.equal(store.commit([{ change: change('MODIFIED', 'a', 9), rv: 2, expectRv: 7 }]), undefined);
  assert.equal(
    store.commit([
      { change: change('ADDED', 'c', 1), rv: 2, expectRv: 0 },
      { change: change('ADDED', 'a', 1), rv: 3, expectRv: 0 },
    ]),
    undefined,
  );
  assert.ok(store.commit([{ change: change('ADDED', 'b', 1), rv: 2, expectRv: 0 }]));
  await store.whenDurable();
  assert.deepEqual(durableNames(other), ['a', 'b']);
  assert.deepEqual(
    store.eventsAfter(0, 10).map((r) => [r.id, r.name]),
    [
      [1, 'a'],
      [2, 'b'],
    ],
  );
  assert.equal(store.currentRevision(), 2);
});

test('flush makes the open group durable at once; a later turn opens a new group', async (t) => {
  const { store, other } = onFile(t);
  store.commit([{ change: change('ADDED', 'a', 1), rv: 1, expectRv: 0 }]);
  const durable = store.whenDurable();
  store.flush();
  assert.deepEqual(durableNames(other), ['a']);
  await durable;
  store.commit([{ change: change('MODIFIED', 'a', 2), rv: 2, expectRv: 1 }]);
  assert.equal(store.isDurable(), false);
  await store.whenDurable();
  assert.equal(new ObjectStore(other).get('pods', 'default', 'a')?.rv, 2);
});

test('with no write waiting, whenDurable resolves at once', async (t) => {
  const { store } = onFile(t);
  assert.equal(store.isDurable(), true);
  await store.whenDurable();
});

/**
 * The writer thread (src/storage/log-writer.ts): a database file's log rows, index passes and
 * compactions are written by a thread of their own, in order, while the store answers from memory.
 * A second connection to the same file stands for what a crash would leave.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';
import { openStorage, writerThreadStart, type OpenedStorage } from '../../src/storage/open-storage.js';
import { ObjectStore, type Change } from '../../src/storage/object-store.js';
import { migrate, MIGRATIONS_DIR } from '../../src/storage/migrate.js';
import { readSchemaSnapshot } from '../../src/storage/schema-snapshot.js';
import { waitFor } from '../helpers/eventually.js';

function change(type: Change['type'], name: string, v: number): Change {
  return { type, resource: 'pods', namespace: 'default', name, uid: `u-${name}`, body: JSON.stringify({ v }) };
}

interface OnFile {
  file: string;
  opened: OpenedStorage;
  store: ObjectStore;
  /** A second connection: what the file holds now. */
  other: SqliteDatabase;
}

async function onFile(t: TestContext, writerThread: number | false = 0, retainedEvents?: number): Promise<OnFile> {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-writer-thread-'));
  const file = join(dir, 'kubemock.db');
  const opened = openStorage({ db: file, writerThread, retainedEvents });
  const other = openDatabase(file);
  let closed = false;
  t.after(() => {
    if (!closed) opened.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = opened.sqlite!.store;
  const close = opened.close;
  opened.close = () => {
    closed = true;
    close();
  };
  if (writerThread === 0) await waitFor(() => assert.ok(store.threaded, 'the writer thread runs'));
  return { file, opened, store, other };
}

/** The pods a store opened on the file now would find. */
const durable = (other: SqliteDatabase, names: string[]) => {
  const found = new ObjectStore(other);
  return names.filter((name) => found.exists('pods', 'default', name));
};

const write = (store: ObjectStore, type: Change['type'], name: string, v: number, expectRv: number) =>
  store.commit([{ change: change(type, name, v), rv: store.nextRevision(), expectRv }]);

test("a turn's writes are answered from memory at once and reach the file through the thread together", async (t) => {
  const { store, other } = await onFile(t);
  assert.deepEqual(write(store, 'ADDED', 'a', 1, 0), [1]);
  assert.deepEqual(write(store, 'ADDED', 'b', 1, 0), [2]);
  assert.deepEqual(write(store, 'MODIFIED', 'a', 2, 1), [3]);
  assert.equal(store.isDurable(), false);
  assert.deepEqual(store.get('pods', 'default', 'a'), { rv: 3, body: '{"v":2}' });
  assert.deepEqual(durable(other, ['a', 'b']), [], 'nothing in the file before the turn ends');
  await store.whenDurable();
  assert.equal(store.isDurable(), true);
  assert.deepEqual(durable(other, ['a', 'b']), ['a', 'b']);
  assert.equal((other.prepare('SELECT count(*) AS n FROM object_events').get() as { n: number }).n, 3);
  assert.equal(write(store, 'MODIFIED', 'a', 9, 1), undefined, 'the compare-and-swap is still the store’s');
});

test('reads of the file on the serving connection wait for the thread: lists, history and counts include the turn’s writes', async (t) => {
  const { store } = await onFile(t);
  write(store, 'ADDED', 'a', 1, 0);
  write(store, 'ADDED', 'b', 1, 0);
  write(store, 'MODIFIED', 'a', 2, 1);
  write(store, 'DELETED', 'b', 1, 2);
  // Still the open group's, not sent to the thread yet.
  assert.deepEqual(
    store.list('pods', 'default').map((r) => [r.name, r.rv, r.body]),
    [['a', 3, '{"v":2}']],
  );
  assert.equal(store.count('pods'), 1);
  write(store, 'MODIFIED', 'a', 3, 3);
  assert.deepEqual(
    store.eventsAfter(2, 5).map((r) => [r.id, r.name, r.type, r.prevBody]),
    [
      [3, 'a', 'MODIFIED', '{"v":1}'],
      [4, 'b', 'DELETED', '{"v":1}'],
      [5, 'a', 'MODIFIED', '{"v":2}'],
    ],
  );
  assert.deepEqual(
    store.listAt('pods', 'default', 2).map((r) => [r.name, r.rv]),
    [
      ['a', 1],
      ['b', 2],
    ],
  );
  assert.equal(store.getAt('pods', 'default', 'a', 3)?.body, '{"v":2}');
  await store.whenDurable();
});

test('while the thread cannot write, the store answers reads from its index pass in flight and its open group', async (t) => {
  const { store, other } = await onFile(t);
  write(store, 'ADDED', 'a', 1, 0);
  write(store, 'ADDED', 'b', 1, 0);
  write(store, 'MODIFIED', 'a', 2, 1);
  await store.whenDurable();
  // Another connection holds the write lock: the thread's jobs wait for it.
  other.exec('BEGIN IMMEDIATE');
  store.indexAll();
  write(store, 'ADDED', 'c', 1, 0);
  assert.deepEqual(store.get('pods', 'default', 'a'), { rv: 3, body: '{"v":2}' }, 'the index pass in flight has the row');
  assert.deepEqual(store.get('pods', 'default', 'b'), { rv: 2, body: '{"v":1}' });
  assert.deepEqual(store.get('pods', 'default', 'c'), { rv: 4, body: '{"v":1}' }, 'the open group has it');
  assert.equal(store.isDurable(), false);
  other.exec('COMMIT');
  await store.whenDurable();
  assert.deepEqual(
    (other.prepare('SELECT name, rv FROM objects ORDER BY name').all() as { name: string; rv: number }[]).map((r) => [r.name, r.rv]),
    [
      ['a', 3],
      ['b', 2],
    ],
    'the index pass wrote what the store had then',
  );
  assert.deepEqual(store.get('pods', 'default', 'c'), { rv: 4, body: '{"v":1}' });
});

test('a body that is not ASCII reaches the file as the same text', async (t) => {
  const { store, other } = await onFile(t);
  const body = JSON.stringify({ note: 'naïve — 日本語 🚀', tail: 'x'.repeat(100) });
  store.commit([{ change: { ...change('ADDED', 'u', 0), body }, rv: store.nextRevision(), expectRv: 0 }]);
  write(store, 'ADDED', 'after', 1, 0);
  await store.whenDurable();
  assert.deepEqual(other.prepare("SELECT body, typeof(body) AS type FROM object_events WHERE name = 'u'").get(), { body, type: 'text' });
  assert.equal((other.prepare("SELECT body FROM object_events WHERE name = 'after'").get() as { body: string }).body, '{"v":1}');
  assert.equal(
    other.prepare("SELECT json_extract(body, '$.note') AS note FROM object_events WHERE name = 'u'").pluck().get(),
    'naïve — 日本語 🚀',
  );
});

test('compaction runs in the thread: the latest state stays, the history it removed is gone from the file', async (t) => {
  const { store, other } = await onFile(t, 0, 10);
  let rv = 0;
  for (let i = 0; i < 100; i++) rv = write(store, i ? 'MODIFIED' : 'ADDED', 'a', i, rv)![0];
  assert.equal(store.compactedRevision(), 90, 'compacted after 100 writes, keeping the last 10 revisions');
  write(store, 'ADDED', 'b', 0, 0);
  write(store, 'DELETED', 'b', 0, 101);
  store.settle();
  const ids = (other.prepare('SELECT id FROM object_events ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  // Row 90 stays: it is the object's state at the compaction point (superseded only above it).
  assert.deepEqual(
    ids,
    Array.from({ length: 13 }, (_, i) => 90 + i),
    'the history below the compaction point is gone',
  );
  assert.deepEqual(other.prepare("SELECT value FROM store_meta WHERE key = 'compacted_revision'").get(), { value: 90 });
  assert.deepEqual(store.get('pods', 'default', 'a'), { rv: 100, body: '{"v":99}' });
  assert.equal(store.get('pods', 'default', 'b'), undefined);
  assert.equal(store.getAt('pods', 'default', 'a', 95)?.body, '{"v":94}');
});

test('a group the thread cannot write fails with the groups after it: their replies fail, the store re-reads the file, later writes go on', async (t) => {
  const { store, other } = await onFile(t);
  write(store, 'ADDED', 'a', 1, 0);
  await store.whenDurable();
  // Another writer takes the log row the next write will need: the thread's INSERT breaks its UNIQUE key.
  other
    .prepare(
      "INSERT INTO object_events (id, resource, namespace, name, type, prev_id, body) VALUES (3, 'pods', 'default', 'x', 'ADDED', NULL, '{}')",
    )
    .run();
  write(store, 'ADDED', 'b', 1, 0);
  write(store, 'ADDED', 'c', 1, 0);
  const failed = store.whenDurable();
  await assert.rejects(failed, /UNIQUE|constraint/i);
  assert.equal(store.exists('pods', 'default', 'b'), false, 'the failed group is gone');
  assert.equal(store.exists('pods', 'default', 'c'), false);
  assert.equal(store.currentRevision(), 3, 're-read from the file');
  assert.deepEqual(write(store, 'ADDED', 'd', 1, 0), [4]);
  await store.whenDurable();
  assert.deepEqual(durable(other, ['a', 'b', 'c', 'd']), ['a', 'd']);
});

test('the thread starts after the store has written on its own connection for a while, and close stops it with everything in the file', async (t) => {
  const { opened, store, file } = await onFile(t, 5);
  for (let i = 0; i < 4; i++) write(store, 'ADDED', `p${i}`, i, 0);
  await store.whenDurable();
  assert.equal(store.threaded, false, 'not before its writes');
  for (let i = 4; i < 8; i++) write(store, 'ADDED', `p${i}`, i, 0);
  await store.whenDurable();
  await waitFor(() => assert.equal(store.threaded, true));
  write(store, 'ADDED', 'last', 0, 0);
  opened.close();
  const again = openStorage({ db: file, writerThread: false });
  try {
    assert.equal(again.storage.count('pods'), 9);
    assert.equal(again.storage.get('pods', 'default', 'last')?.rv, 9);
  } finally {
    again.close();
  }
});

test('only a database file runs the thread, and only when asked for: after 1,000 log rows, or after the number given', () => {
  assert.equal(writerThreadStart({ db: '/tmp/k.db', writerThread: true }), 1000);
  assert.equal(writerThreadStart({ db: '/tmp/k.db', writerThread: 0 }), 0);
  assert.equal(writerThreadStart({ db: '/tmp/k.db', writerThread: 50 }), 50);
  assert.equal(writerThreadStart({ db: '/tmp/k.db', writerThread: false }), undefined);
  assert.equal(writerThreadStart({ db: '/tmp/k.db' }), undefined);
  assert.equal(writerThreadStart({ db: ':memory:', writerThread: true }), undefined);
  assert.equal(writerThreadStart({ db: '', writerThread: true }), undefined);
  assert.equal(writerThreadStart({ db: '/tmp/k.db', etcd: true, writerThread: true }), undefined);
});

test('rows that do not keep coming never start the thread: only as many within the window do', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-writer-thread-'));
  const file = join(dir, 'kubemock.db');
  const db = openDatabase(file);
  migrate(db, MIGRATIONS_DIR, readSchemaSnapshot);
  const store = new ObjectStore(db, undefined, undefined, { file, startAfterWrites: 4, withinMs: 100 });
  t.after(() => {
    store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // Three rows, a pause longer than the window, three more: never four within one window.
  for (let i = 0; i < 3; i++) write(store, 'ADDED', `slow${i}`, i, 0);
  await store.whenDurable();
  await new Promise((r) => setTimeout(r, 150));
  for (let i = 3; i < 6; i++) {
    write(store, 'ADDED', `slow${i}`, i, 0);
    await store.whenDurable();
  }
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(store.threaded, false, 'six rows, never four within 100 ms');
  // Four within the window: the thread starts.
  for (let i = 0; i < 4; i++) write(store, 'ADDED', `fast${i}`, i, 0);
  await store.whenDurable();
  await waitFor(() => assert.equal(store.threaded, true));
});

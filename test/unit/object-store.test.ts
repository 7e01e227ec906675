import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/storage/database.js';
import { migrate, MIGRATIONS_DIR } from '../../src/storage/migrate.js';
import { ObjectStore, type Change } from '../../src/storage/object-store.js';

function fresh(): ObjectStore {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS_DIR);
  return new ObjectStore(db);
}

function change(type: Change['type'], name: string, body: object): Change {
  return { type, resource: 'pods', namespace: 'default', name, uid: 'u-' + name, body: JSON.stringify(body) };
}

test('each write gets the next global revision and the log keeps every change', () => {
  const s = fresh();
  assert.equal(s.currentRevision(), 0);
  assert.ok(s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]));
  assert.ok(s.commit([{ change: change('MODIFIED', 'a', { v: 2 }), rv: 2, expectRv: 1 }]));
  assert.ok(s.commit([{ change: change('ADDED', 'b', { v: 1 }), rv: 3, expectRv: 0 }]));
  assert.equal(s.currentRevision(), 3);
  assert.deepEqual(s.get('pods', 'default', 'a'), { rv: 2, body: '{"v":2}' });
  const log = s.eventsAfter(0, 3);
  assert.deepEqual(
    log.map((r) => [r.id, r.type, r.name]),
    [
      [1, 'ADDED', 'a'],
      [2, 'MODIFIED', 'a'],
      [3, 'ADDED', 'b'],
    ],
  );
  assert.equal(log[1].prevBody, '{"v":1}');
});

test('a stale compare-and-swap writes nothing', () => {
  const s = fresh();
  s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]);
  assert.equal(s.commit([{ change: change('MODIFIED', 'a', { v: 9 }), rv: 2, expectRv: 7 }]), undefined);
  assert.equal(s.commit([{ change: change('ADDED', 'a', { v: 9 }), rv: 2, expectRv: 0 }]), undefined);
  assert.equal(s.currentRevision(), 1);
  assert.equal(s.eventsAfter(0, 10).length, 1);
});

test('listAt reads the objects as they were at an older revision', () => {
  const s = fresh();
  s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]);
  s.commit([{ change: change('ADDED', 'b', { v: 1 }), rv: 2, expectRv: 0 }]);
  s.commit([{ change: change('MODIFIED', 'a', { v: 2 }), rv: 3, expectRv: 1 }]);
  s.commit([{ change: change('DELETED', 'b', { v: 1 }), rv: 4, expectRv: 2 }]);
  assert.deepEqual(
    s.listAt('pods', 'default', 2).map((r) => r.body),
    ['{"v":1}', '{"v":1}'],
  );
  assert.deepEqual(
    s.listAt('pods', undefined, 4).map((r) => [r.name, r.body]),
    [['a', '{"v":2}']],
  );
  assert.deepEqual(
    s.list('pods', 'default').map((r) => r.name),
    ['a'],
  );
});

/** listAt as a query over the whole log: the newest row of each object at or below `rv`, unless a deletion. */
function listAtByScan(db: ReturnType<typeof openDatabase>, namespace: string | undefined, rv: number) {
  const where = namespace === undefined ? '' : 'AND namespace = ?';
  const rows = db
    .prepare(
      `SELECT e.namespace, e.name, e.id AS rv, e.body FROM object_events e JOIN (
        SELECT max(id) AS id FROM object_events WHERE resource = 'pods' AND id <= ? ${where} GROUP BY namespace, name) m ON e.id = m.id
      WHERE e.type != 'DELETED' ORDER BY e.namespace, e.name`,
    )
    .all(...(namespace === undefined ? [rv] : [rv, namespace]));
  return rows as { namespace: string; name: string; rv: number; body: string }[];
}

test('listAt and getAt give, at every revision kept, what a scan of the whole log gives', () => {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS_DIR);
  const s = new ObjectStore(db);
  // A fixed pseudo-random sequence of creates, updates, deletes and re-creates over two namespaces,
  // with another resource's writes between them and compaction along the way.
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const current = new Map<string, number>();
  let rv = 0;
  for (let i = 0; i < 600; i++) {
    const namespace = random(2) ? 'default' : 'other';
    const name = `p${random(12)}`;
    const key = `${namespace}/${name}`;
    const at = current.get(key) ?? 0;
    const type = at === 0 ? 'ADDED' : random(4) === 0 ? 'DELETED' : 'MODIFIED';
    const body = JSON.stringify({ name, i });
    assert.ok(s.commit([{ change: { type, resource: 'pods', namespace, name, uid: 'u', body }, rv: ++rv, expectRv: at }]));
    if (type === 'DELETED') current.delete(key);
    else current.set(key, rv);
    if (random(5) === 0) {
      const cm = { type: 'ADDED' as const, resource: 'configmaps', namespace, name: `c${i}`, uid: 'u', body: '{}' };
      assert.ok(s.commit([{ change: cm, rv: ++rv, expectRv: 0 }]));
    }
    if (i === 300) s.compact(200);
  }
  const from = s.compactedRevision();
  assert.ok(from > 0, 'part of the log was compacted');
  for (let at = from; at <= rv; at++) {
    for (const namespace of [undefined, 'default', 'other']) {
      assert.deepEqual(s.listAt('pods', namespace, at), listAtByScan(db, namespace, at), `listAt(${namespace}, ${at})`);
    }
    for (const row of listAtByScan(db, undefined, at)) assert.equal(s.getAt('pods', row.namespace, row.name, at)?.body, row.body);
    for (let n = 0; n < 12; n++) {
      const known = listAtByScan(db, 'default', at).find((r) => r.name === `p${n}`);
      assert.equal(s.getAt('pods', 'default', `p${n}`, at)?.body, known?.body, `getAt(p${n}, ${at})`);
    }
  }
});

test('compaction keeps the latest state of every object and moves the compacted revision', () => {
  const s = fresh();
  let rv = 0;
  for (let i = 0; i < 10; i++) s.commit([{ change: change(i ? 'MODIFIED' : 'ADDED', 'a', { v: i }), rv: ++rv, expectRv: rv - 1 }]);
  s.commit([{ change: change('ADDED', 'b', { v: 0 }), rv: ++rv, expectRv: 0 }]);
  const compacted = s.compact(2);
  assert.ok(compacted > 0 && compacted <= rv);
  assert.equal(s.compactedRevision(), compacted);
  assert.deepEqual(
    s
      .listAt('pods', 'default', compacted)
      .map((r) => r.name)
      .sort(),
    compacted >= 11 ? ['a', 'b'] : ['a'],
  );
  assert.ok(s.eventCount() < rv);
  assert.equal(s.currentRevision(), rv, 'compaction never moves the current revision');
});

test('each compaction removes the history and deletions written since the one before, and after a reload the whole log again', () => {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS_DIR);
  const s = new ObjectStore(db);
  let rv = 0;
  const write = (type: Change['type'], name: string, v: number, expectRv: number) => {
    s.commit([{ change: change(type, name, { v }), rv: ++rv, expectRv }]);
    return rv;
  };
  let a = write('ADDED', 'a', 0, 0);
  for (let i = 1; i < 5; i++) a = write('MODIFIED', 'a', i, a);
  s.compact(0);
  assert.equal(s.eventCount(), 1, "a's last revision is all that is left");
  let b = write('ADDED', 'b', 0, 0);
  for (let i = 1; i < 5; i++) b = write('MODIFIED', 'b', i, b);
  a = write('MODIFIED', 'a', 9, a);
  const c = write('ADDED', 'c', 0, 0);
  write('DELETED', 'c', 0, c);
  s.compact(0);
  assert.deepEqual(
    s.eventsAfter(0, rv).map((r) => [r.name, r.id]),
    [
      ['b', b],
      ['a', a],
    ],
    'the rows superseded since the last compaction and the deleted object are gone',
  );
  // Rows below the compaction point that no compaction swept (a restore leaves such rows behind):
  // after a reload the next compaction reads the whole log again.
  const insert = db.prepare('INSERT INTO object_events (id, resource, namespace, name, type, prev_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)');
  insert.run(1, 'pods', 'default', 'x', 'ADDED', null, '{}');
  insert.run(2, 'pods', 'default', 'x', 'DELETED', 1, '{}');
  s.reload();
  write('ADDED', 'd', 0, 0);
  s.compact(0);
  assert.deepEqual(
    s
      .eventsAfter(0, rv)
      .map((r) => r.name)
      .sort(),
    ['a', 'b', 'd'],
  );
});

test('revisions keep increasing after the store is reopened on the same database', () => {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS_DIR);
  const s1 = new ObjectStore(db);
  s1.commit([{ change: change('ADDED', 'a', {}), rv: 1, expectRv: 0 }]);
  s1.commit([{ change: change('DELETED', 'a', {}), rv: 2, expectRv: 1 }]);
  s1.compact(0);
  const s2 = new ObjectStore(db);
  assert.equal(s2.currentRevision(), 2);
  assert.equal(s2.nextRevision(), 3);
});

test('each kind of write is its own compare-and-swap: create only if absent, update and delete only at the expected revision', () => {
  const s = fresh();
  assert.ok(s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]));
  assert.equal(s.commit([{ change: change('DELETED', 'a', { v: 1 }), rv: 2, expectRv: 5 }]), undefined, 'a delete at another revision');
  assert.equal(s.commit([{ change: change('DELETED', 'zzz', { v: 1 }), rv: 2, expectRv: 0 }]), undefined, 'a delete of nothing');
  assert.equal(s.commit([{ change: change('MODIFIED', 'zzz', { v: 1 }), rv: 2, expectRv: 1 }]), undefined, 'an update of nothing');
  // A batch is all or nothing: the second change fails, so the first is rolled back.
  assert.equal(
    s.commit([
      { change: change('ADDED', 'b', { v: 1 }), rv: 2, expectRv: 0 },
      { change: change('ADDED', 'a', { v: 2 }), rv: 3, expectRv: 0 },
    ]),
    undefined,
  );
  assert.equal(s.get('pods', 'default', 'b'), undefined);
  assert.equal(s.eventsAfter(0, 10).length, 1);
  assert.ok(s.commit([{ change: change('DELETED', 'a', { v: 1 }), rv: 2, expectRv: 1 }]));
  assert.equal(s.get('pods', 'default', 'a'), undefined);
  assert.deepEqual(
    s.eventsAfter(0, 10).map((r) => [r.id, r.type]),
    [
      [1, 'ADDED'],
      [2, 'DELETED'],
    ],
  );
});

test('a change whose log row cannot be written rolls back its group of writes, as a failed commit does', async () => {
  const s = fresh();
  assert.ok(s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]));
  await s.whenDurable();
  assert.ok(s.commit([{ change: change('ADDED', 'b', { v: 1 }), rv: 2, expectRv: 0 }]), 'joins the open group');
  const group = s.whenDurable();
  // Its guard holds (a is at 1), but revision 1 is in the log already: the log row fails.
  assert.throws(() => s.commit([{ change: change('MODIFIED', 'a', { v: 2 }), rv: 1, expectRv: 1 }]), /UNIQUE|constraint/i);
  await assert.rejects(group, /UNIQUE|constraint/i, 'the writes waiting for the group fail');
  assert.deepEqual(s.get('pods', 'default', 'a'), { rv: 1, body: '{"v":1}' }, 'the object is as it was');
  assert.equal(s.get('pods', 'default', 'b'), undefined, 'the group is rolled back');
  assert.equal(s.currentRevision(), 1, 'the revision counter is re-read');
  assert.ok(s.commit([{ change: change('ADDED', 'b', { v: 1 }), rv: 2, expectRv: 0 }]), 'a new group starts');
  await s.whenDurable();
  assert.deepEqual(s.get('pods', 'default', 'b'), { rv: 2, body: '{"v":1}' });
});

function freshWithDb() {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS_DIR);
  return { db, s: new ObjectStore(db) };
}

test("a client's read is kept until its object is written: the next read answers the write", async () => {
  const s = fresh();
  s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]);
  await s.whenDurable();
  const first = s.get('pods', 'default', 'a', true);
  assert.deepEqual(first, { rv: 1, body: '{"v":1}' });
  assert.equal(s.get('pods', 'default', 'a', true), first, 'the second read is the kept row');
  assert.equal(s.get('pods', 'default', 'a'), first, 'every reader sees the kept row');
  s.commit([{ change: change('MODIFIED', 'a', { v: 2 }), rv: 2, expectRv: 1 }]);
  assert.deepEqual(s.get('pods', 'default', 'a', true), { rv: 2, body: '{"v":2}' }, 'an update is read at once');
  s.commit([{ change: change('DELETED', 'a', { v: 2 }), rv: 3, expectRv: 2 }]);
  assert.equal(s.get('pods', 'default', 'a', true), undefined, 'a delete is read at once');
  s.commit([{ change: change('ADDED', 'a', { v: 3 }), rv: 4, expectRv: 0 }]);
  assert.deepEqual(s.get('pods', 'default', 'a', true), { rv: 4, body: '{"v":3}' }, 'so is a create under the same name');
  assert.equal(s.commit([{ change: change('MODIFIED', 'a', { v: 9 }), rv: 5, expectRv: 1 }]), undefined);
  assert.deepEqual(s.get('pods', 'default', 'a'), { rv: 4, body: '{"v":3}' }, 'a failed compare-and-swap changes nothing');
});

test('a read kept from the open group is forgotten when the group rolls back', async () => {
  const s = fresh();
  assert.ok(s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]));
  await s.whenDurable();
  assert.ok(s.commit([{ change: change('ADDED', 'b', { v: 1 }), rv: 2, expectRv: 0 }]));
  const group = s.whenDurable();
  assert.deepEqual(s.get('pods', 'default', 'b', true), { rv: 2, body: '{"v":1}' }, 'read from the open group');
  assert.throws(() => s.commit([{ change: change('MODIFIED', 'a', { v: 2 }), rv: 1, expectRv: 1 }]), /UNIQUE|constraint/i);
  await assert.rejects(group);
  assert.equal(s.get('pods', 'default', 'b', true), undefined, 'the rolled-back create is not answered');
});

test("a read inside a caller's own transaction is not kept: the transaction may roll back", () => {
  const { db, s } = freshWithDb();
  db.transaction(() => s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]))();
  assert.throws(
    () =>
      db.transaction(() => {
        s.commit([{ change: change('MODIFIED', 'a', { v: 2 }), rv: 2, expectRv: 1 }]);
        assert.deepEqual(s.get('pods', 'default', 'a', true), { rv: 2, body: '{"v":2}' });
        throw new Error('caller gives up');
      })(),
    /caller gives up/,
  );
  assert.deepEqual(s.get('pods', 'default', 'a', true), { rv: 1, body: '{"v":1}' });
});

test('kept reads are forgotten when the tables are rewritten underneath (a snapshot restore reloads)', async () => {
  const { db, s } = freshWithDb();
  s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]);
  await s.whenDurable();
  assert.deepEqual(s.get('pods', 'default', 'a', true), { rv: 1, body: '{"v":1}' });
  db.prepare('UPDATE object_events SET body = \'{"v":"restored"}\' WHERE id = 1').run();
  s.reload();
  assert.deepEqual(s.get('pods', 'default', 'a', true), { rv: 1, body: '{"v":"restored"}' });
});

/** The objects table's rows as SQLite holds them (what a list or a snapshot reads). */
function tableRows(db: ReturnType<typeof openDatabase>): [string, number][] {
  return (db.prepare('SELECT name, rv FROM objects ORDER BY name').all() as { name: string; rv: number }[]).map((r) => [r.name, r.rv]);
}

const indexedRevision = (db: ReturnType<typeof openDatabase>) =>
  (db.prepare("SELECT value FROM store_meta WHERE key = 'indexed_revision'").get() as { value: number }).value;

test('writes reach the objects table in one pass when a list needs it; reads and guards see them before', async () => {
  const { db, s } = freshWithDb();
  s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]);
  s.commit([{ change: change('ADDED', 'b', { v: 1 }), rv: 2, expectRv: 0 }]);
  s.commit([{ change: change('MODIFIED', 'a', { v: 2 }), rv: 3, expectRv: 1 }]);
  s.commit([{ change: change('DELETED', 'b', { v: 1 }), rv: 4, expectRv: 2 }]);
  await s.whenDurable();
  assert.deepEqual(tableRows(db), [], 'nothing indexed yet: the log alone holds the writes');
  assert.deepEqual(s.get('pods', 'default', 'a'), { rv: 3, body: '{"v":2}' });
  assert.equal(s.get('pods', 'default', 'b'), undefined);
  assert.equal(s.exists('pods', 'default', 'b'), false);
  assert.equal(s.commit([{ change: change('MODIFIED', 'a', { v: 9 }), rv: 5, expectRv: 1 }]), undefined, 'a stale guard fails');
  assert.equal(s.commit([{ change: change('ADDED', 'a', { v: 9 }), rv: 5, expectRv: 0 }]), undefined, 'a create of a live object fails');
  assert.deepEqual(
    s.list('pods', 'default').map((r) => [r.name, r.rv]),
    [['a', 3]],
  );
  await s.whenDurable();
  assert.deepEqual(tableRows(db), [['a', 3]]);
  assert.equal(indexedRevision(db), 4);
});

test('once indexed, guards and reads still answer each write at once, and a table read back after a rollback is believed again', async () => {
  const { db, s } = freshWithDb();
  s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]);
  s.commit([{ change: change('ADDED', 'b', { v: 1 }), rv: 2, expectRv: 0 }]);
  s.indexAll();
  await s.whenDurable();
  assert.deepEqual(tableRows(db), [
    ['a', 1],
    ['b', 2],
  ]);
  assert.equal(s.commit([{ change: change('MODIFIED', 'a', { v: 9 }), rv: 3, expectRv: 2 }]), undefined, 'a stale guard fails');
  assert.ok(s.commit([{ change: change('MODIFIED', 'a', { v: 2 }), rv: 3, expectRv: 1 }]));
  assert.ok(s.commit([{ change: change('DELETED', 'b', { v: 1 }), rv: 4, expectRv: 2 }]));
  s.indexAll();
  await s.whenDurable();
  assert.deepEqual(s.get('pods', 'default', 'a'), { rv: 3, body: '{"v":2}' });
  assert.equal(s.get('pods', 'default', 'b'), undefined, 'a delete indexed is gone');
  assert.equal(s.exists('pods', 'default', 'b'), false);
  assert.ok(s.commit([{ change: change('ADDED', 'b', { v: 2 }), rv: 5, expectRv: 0 }]), 'and its name is free');
  await s.whenDurable();
  // A caller's own transaction writes and indexes, then rolls back: the table's rows are what counts.
  assert.throws(
    () =>
      db.transaction(() => {
        s.commit([{ change: change('MODIFIED', 'a', { v: 3 }), rv: 6, expectRv: 3 }]);
        s.indexAll();
        throw new Error('caller gives up');
      })(),
    /caller gives up/,
  );
  assert.deepEqual(s.get('pods', 'default', 'a'), { rv: 3, body: '{"v":2}' });
  assert.equal(
    s.commit([{ change: change('MODIFIED', 'a', { v: 9 }), rv: 6, expectRv: 6 }]),
    undefined,
    'the rolled-back revision is no guard',
  );
  assert.ok(s.commit([{ change: change('MODIFIED', 'a', { v: 3 }), rv: 6, expectRv: 3 }]));
});

test("an indexing pass inside a caller's own transaction that rolls back leaves the writes to be indexed again", async () => {
  const { db, s } = freshWithDb();
  s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]);
  await s.whenDurable();
  assert.deepEqual(tableRows(db), [], 'written to the log only');
  assert.throws(
    () =>
      db.transaction(() => {
        // The list indexes first, inside the caller's transaction (this store wrote nothing in it).
        assert.deepEqual(
          s.list('pods', 'default').map((r) => r.name),
          ['a'],
        );
        throw new Error('caller gives up');
      })(),
    /caller gives up/,
  );
  assert.deepEqual(tableRows(db), [], 'the pass rolled back with the transaction');
  assert.deepEqual(
    s.list('pods', 'default').map((r) => [r.name, r.rv]),
    [['a', 1]],
  );
  assert.deepEqual(tableRows(db), [['a', 1]]);
  assert.equal(indexedRevision(db), 1);
});

test('a batch whose later guard fails writes nothing, and its earlier changes are not taken as written', () => {
  const s = fresh();
  s.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]);
  const batch = [
    { change: change('MODIFIED', 'a', { v: 2 }), rv: 2, expectRv: 1 },
    { change: change('MODIFIED', 'a', { v: 3 }), rv: 3, expectRv: 1 },
  ];
  assert.equal(s.commit(batch), undefined);
  assert.deepEqual(s.get('pods', 'default', 'a'), { rv: 1, body: '{"v":1}' });
  assert.ok(
    s.commit([
      { change: change('MODIFIED', 'a', { v: 2 }), rv: 2, expectRv: 1 },
      { change: change('MODIFIED', 'a', { v: 3 }), rv: 3, expectRv: 2 },
    ]),
  );
  assert.deepEqual(s.get('pods', 'default', 'a'), { rv: 3, body: '{"v":3}' });
});

test('a store opened on a file whose table lags its log reads the rest of the index back from the log', async () => {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS_DIR);
  const s1 = new ObjectStore(db);
  s1.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]);
  s1.commit([{ change: change('ADDED', 'b', { v: 1 }), rv: 2, expectRv: 0 }]);
  s1.list('pods', 'default'); // the table indexes revisions 1 and 2
  s1.commit([{ change: change('MODIFIED', 'a', { v: 2 }), rv: 3, expectRv: 1 }]);
  s1.commit([{ change: change('DELETED', 'b', { v: 1 }), rv: 4, expectRv: 2 }]);
  s1.commit([{ change: change('ADDED', 'c', { v: 1 }), rv: 5, expectRv: 0 }]);
  await s1.whenDurable();
  // The process stops here: the log has revisions 3 to 5, the table does not.
  assert.deepEqual(tableRows(db), [
    ['a', 1],
    ['b', 2],
  ]);
  const s2 = new ObjectStore(db);
  assert.deepEqual(s2.get('pods', 'default', 'a'), { rv: 3, body: '{"v":2}' });
  assert.equal(s2.get('pods', 'default', 'b'), undefined);
  assert.equal(s2.exists('pods', 'default', 'c'), true);
  assert.equal(s2.commit([{ change: change('MODIFIED', 'a', { v: 9 }), rv: 6, expectRv: 1 }]), undefined, 'the guard sees revision 3');
  assert.ok(s2.commit([{ change: change('ADDED', 'b', { v: 2 }), rv: 6, expectRv: 0 }]), 'b was deleted: it may be created again');
  assert.deepEqual(
    s2.list('pods', undefined).map((r) => [r.name, r.rv]),
    [
      ['a', 3],
      ['b', 6],
      ['c', 5],
    ],
  );
});

test('compaction writes the index first: an object deleted before it stays deleted when the store opens again', async () => {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS_DIR);
  const s1 = new ObjectStore(db);
  s1.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]);
  s1.list('pods', 'default');
  s1.commit([{ change: change('DELETED', 'a', { v: 1 }), rv: 2, expectRv: 1 }]);
  s1.compact(0); // removes the DELETED row and the row it superseded
  await s1.whenDurable();
  assert.deepEqual(tableRows(db), []);
  const s2 = new ObjectStore(db);
  assert.equal(s2.exists('pods', 'default', 'a'), false);
  assert.deepEqual(s2.list('pods', 'default'), []);
});

test("a create's guard finds an object wherever its row is: written by an earlier store, indexed two passes ago, or restored underneath", async () => {
  const { db, s: s1 } = freshWithDb();
  s1.commit([{ change: change('ADDED', 'a', { v: 1 }), rv: 1, expectRv: 0 }]);
  s1.indexAll();
  await s1.whenDurable();
  // A second store on the same file: 'a' is only in the table.
  const s = new ObjectStore(db);
  assert.equal(s.commit([{ change: change('ADDED', 'a', { v: 2 }), rv: 2, expectRv: 0 }]), undefined, 'a row of the table');
  assert.ok(s.commit([{ change: change('ADDED', 'b', { v: 1 }), rv: 2, expectRv: 0 }]));
  s.indexAll();
  assert.ok(s.commit([{ change: change('ADDED', 'c', { v: 1 }), rv: 3, expectRv: 0 }]));
  s.indexAll();
  await s.whenDurable();
  // 'b' and 'c' are in the table now, written by two earlier index passes.
  assert.equal(s.commit([{ change: change('ADDED', 'b', { v: 2 }), rv: 4, expectRv: 0 }]), undefined, 'a row indexed two passes ago');
  assert.equal(s.commit([{ change: change('ADDED', 'c', { v: 2 }), rv: 4, expectRv: 0 }]), undefined, 'a row indexed by the last pass');
  assert.equal(s.exists('pods', 'default', 'b'), true);
  assert.equal(s.exists('pods', 'default', 'zzz'), false);
  // A restore writes rows underneath and reloads: the names it brings are taken.
  db.prepare(
    "INSERT INTO object_events (id, resource, namespace, name, type, prev_id, body) VALUES (4, 'pods', 'default', 'r', 'ADDED', NULL, '{}')",
  ).run();
  db.prepare("INSERT INTO objects (resource, namespace, name, uid, rv) VALUES ('pods', 'default', 'r', 'u-r', 4)").run();
  db.prepare("UPDATE store_meta SET value = 4 WHERE key = 'indexed_revision'").run();
  s.reload();
  assert.equal(s.commit([{ change: change('ADDED', 'r', { v: 2 }), rv: 5, expectRv: 0 }]), undefined, 'a restored row');
  assert.ok(s.commit([{ change: change('MODIFIED', 'r', { v: 2 }), rv: 5, expectRv: 4 }]));
});

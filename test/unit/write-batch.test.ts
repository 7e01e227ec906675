/**
 * Writes nobody waits on, gathered into one storage transaction: against a fake storage that
 * records each commit, the batch commits once per turn, keeps one write per key per transaction,
 * numbers revisions as the store gives them, and on a failed guard commits write by write,
 * dropping the loser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WriteBatch, type BatchedWrite } from '../../src/registry/write-batch.js';
import type { StorageBackend } from '../../src/storage/storage-backend.js';
import type { Change } from '../../src/storage/object-store.js';
import type { ChangeEvent } from '../../src/registry/watch-hub.js';

type Commit = { change: Change; rv: number; expectRv: number }[];

/** A storage whose keys hold revisions; `revisionPerCommit` as asked. */
function fakeStorage(per: 'change' | 'transaction') {
  const versions = new Map<string, number>();
  const commits: Commit[] = [];
  let revision = 100;
  const storage = {
    revisionPerCommit: per,
    remote: true,
    nextRevision: () => revision + 1,
    commit(changes: Commit) {
      commits.push(changes);
      if (changes.some((c) => (versions.get(c.change.name) ?? 0) !== c.expectRv)) return undefined;
      const got = changes.map((_, i) => (per === 'transaction' ? revision + 1 : revision + 1 + i));
      changes.forEach((c, i) => versions.set(c.change.name, got[i]));
      revision = got[got.length - 1]!;
      return got;
    },
  } as unknown as StorageBackend;
  return { storage, commits, versions };
}

function write(name: string, rv: number, expectRv: number): BatchedWrite {
  const body = (at: number) => JSON.stringify({ metadata: { name, resourceVersion: String(at) } });
  const event = (at: number): ChangeEvent => ({
    type: expectRv ? 'MODIFIED' : 'ADDED',
    resource: 'leases',
    namespace: 'kube-node-lease',
    name,
    rv: at,
    object: JSON.parse(body(at)),
    json: body(at),
  });
  return {
    change: { type: expectRv ? 'MODIFIED' : 'ADDED', resource: 'leases', namespace: 'kube-node-lease', name, uid: name, body: body(rv) },
    rv,
    expectRv,
    event: event(rv),
    withRevision: event,
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('writes of one turn are one transaction; on etcd they share its revision, each body carrying it', async () => {
  const { storage, commits } = fakeStorage('transaction');
  const published: ChangeEvent[] = [];
  const batch = new WriteBatch(storage, (e) => published.push(e));
  batch.run(() => {
    batch.add(write('a', batch.nextRevision(), 0));
    batch.add(write('b', batch.nextRevision(), 0));
  });
  assert.equal(commits.length, 0);
  await turn();
  assert.equal(commits.length, 1);
  assert.deepEqual(
    commits[0].map((c) => [c.change.name, c.rv, JSON.parse(c.change.body).metadata.resourceVersion]),
    [
      ['a', 101, '101'],
      ['b', 101, '101'],
    ],
  );
  assert.deepEqual(
    published.map((e) => [e.name, e.rv, e.object.metadata.resourceVersion]),
    [
      ['a', 101, '101'],
      ['b', 101, '101'],
    ],
  );
});

test('a second write of a key commits the first batch before it; SQLite-like stores number each change', () => {
  const { storage, commits } = fakeStorage('change');
  const published: ChangeEvent[] = [];
  const batch = new WriteBatch(storage, (e) => published.push(e));
  batch.add(write('a', batch.nextRevision(), 0));
  batch.add(write('b', batch.nextRevision(), 0));
  batch.add(write('a', batch.nextRevision(), 101));
  assert.equal(commits.length, 1);
  batch.flush();
  assert.deepEqual(
    commits.map((c) => c.map((w) => `${w.change.name}@${w.rv}`)),
    [['a@101', 'b@102'], ['a@103']],
  );
  assert.deepEqual(
    published.map((e) => `${e.name}@${e.rv}`),
    ['a@101', 'b@102', 'a@103'],
  );
});

test('a failed guard commits the writes one by one: the loser is dropped, the others land with the revisions they got', () => {
  const { storage, commits, versions } = fakeStorage('transaction');
  versions.set('taken', 50);
  const published: ChangeEvent[] = [];
  const batch = new WriteBatch(storage, (e) => published.push(e));
  batch.add(write('x', batch.nextRevision(), 0));
  batch.add(write('taken', batch.nextRevision(), 0));
  batch.add(write('y', batch.nextRevision(), 0));
  batch.flush();
  assert.equal(commits.length, 4);
  assert.deepEqual(
    published.map((e) => [e.name, e.rv, e.object.metadata.resourceVersion]),
    [
      ['x', 101, '101'],
      ['y', 102, '102'],
    ],
  );
  assert.equal(versions.get('taken'), 50);
});

test("each write's outcome is told once its batch is committed: committed, or dropped when it lost its race or the storage failed", () => {
  const { storage, versions } = fakeStorage('transaction');
  versions.set('taken', 50);
  const batch = new WriteBatch(storage, () => {});
  const told: string[] = [];
  const outcome = (name: string) => ({ committed: () => told.push(`${name} committed`), dropped: () => told.push(`${name} dropped`) });
  batch.run(() => batch.add(write('x', batch.nextRevision(), 0)), outcome('x'));
  batch.run(() => batch.add(write('taken', batch.nextRevision(), 0)), outcome('taken'));
  // A write of no run with an outcome is told nothing.
  batch.add(write('y', batch.nextRevision(), 0));
  assert.deepEqual(told, [], 'nothing before the batch commits');
  batch.flush();
  assert.deepEqual(told, ['x committed', 'taken dropped']);

  told.length = 0;
  storage.commit = () => {
    throw new Error('etcd unreachable');
  };
  batch.run(() => batch.add(write('z', batch.nextRevision(), 0)), outcome('z'));
  assert.throws(() => batch.flush(), /etcd unreachable/);
  assert.deepEqual(told, ['z dropped']);
});

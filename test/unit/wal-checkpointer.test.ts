import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open-storage.js';
import type { Change } from '../../src/storage/object-store.js';

const BODY = 'x'.repeat(4000);

function change(type: Change['type'], name: string, v: number): Change {
  return { type, resource: 'pods', namespace: 'default', name, uid: 'u-' + name, body: JSON.stringify({ v, BODY }) };
}

const turn = () => new Promise((r) => setImmediate(r));

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Writes `n` objects of 4 KB, `perTurn` in each turn of the event loop (one commit each). */
async function write(opened: ReturnType<typeof openStorage>, from: number, n: number, perTurn = 10): Promise<void> {
  const store = opened.storage;
  for (let i = from; i < from + n; i++) {
    const rv = store.nextRevision();
    assert.ok(store.commit([{ change: change('ADDED', `p${i}`, i), rv, expectRv: 0 }]));
    if ((i + 1) % perTurn === 0) await turn();
  }
  await turn();
}

test("a database file's log is copied into the file by the checkpointing thread while writes go on", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-wal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'db.sqlite');
  const opened = openStorage({ db: file });
  // A server that writes little keeps SQLite's own checkpoint in the writer's COMMIT.
  await write(opened, 0, 10);
  assert.equal(opened.sqlite!.db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  await write(opened, 10, 490, 1);
  const before = statSync(file).size;
  // Once writes keep coming the writer's connection no longer checkpoints on its own.
  assert.equal(opened.sqlite!.db.pragma('wal_autocheckpoint', { simple: true }), 0);
  await write(opened, 500, 500);
  // Two megabytes of bodies reach the database file itself: only a checkpoint puts them there.
  await until('the checkpoint', () => statSync(file).size > before + 1_000_000);
  opened.close();
  const reopened = openStorage({ db: file });
  t.after(() => reopened.close());
  assert.equal(reopened.storage.count('pods'), 1000);
  assert.equal(JSON.parse(reopened.storage.get('pods', 'default', 'p999')!.body).v, 999);
});

test('a writer that never pauses still gets its log started over', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-wal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'db.sqlite');
  const opened = openStorage({ db: file });
  t.after(() => opened.close());
  // 20,000 bodies of 4 KB: a log that never started over would hold more than 80 MB. (How far below
  // that it stays depends on how much CPU the checkpointing thread got: the bound is loose on purpose.)
  await write(opened, 0, 20_000);
  assert.ok(statSync(`${file}-wal`).size < 72_000_000, `log of ${statSync(`${file}-wal`).size} bytes`);
  assert.equal(opened.storage.count('pods'), 20_000);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStorage } from '../../src/storage/open-storage.js';
import { PAGE_SIZE } from '../../src/storage/database.js';
import { useTempDir } from '../helpers/temp-dir.js';

const dir = useTempDir('kubemock-pages-');

const POD_BODY = JSON.stringify({ kind: 'Pod', data: 'x'.repeat(4300) });

function addPod(opened: ReturnType<typeof openStorage>, name: string): void {
  const store = opened.storage;
  const rv = store.nextRevision();
  const change = { type: 'ADDED' as const, resource: 'pods', namespace: 'default', name, uid: `u-${name}`, body: POD_BODY };
  assert.ok(store.commit([{ change, rv, expectRv: 0 }]));
}

/** The pages the revision log spilled into (dbstat: one row per page). */
function overflowPages(opened: ReturnType<typeof openStorage>): unknown[] {
  return opened.sqlite!.db.prepare("SELECT pageno FROM dbstat WHERE name = 'object_events' AND pagetype = 'overflow'").all();
}

test('a database kubemock creates holds a running pod (over 4 KB) in one page, in a file and in memory', () => {
  for (const db of [join(dir(), 'new.sqlite'), ':memory:']) {
    const opened = openStorage({ db });
    try {
      assert.equal(opened.sqlite!.db.pragma('page_size', { simple: true }), PAGE_SIZE, db);
      addPod(opened, 'p');
      opened.sqlite!.store.settle();
      assert.equal(opened.storage.get('pods', 'default', 'p')?.body, POD_BODY);
      assert.deepEqual(overflowPages(opened), [], `${db}: the body is kept in the log's own page`);
    } finally {
      opened.close();
    }
  }
});

test('a database file made with 4 KiB pages keeps them, and reads and writes as before', (t) => {
  const file = join(dir(), 'old.sqlite');
  const old = new Database(file);
  old.pragma('page_size = 4096');
  old.pragma('journal_mode = WAL');
  old.exec('CREATE TABLE made_before (x INTEGER)');
  old.close();
  const opened = openStorage({ db: file });
  addPod(opened, 'p1');
  opened.sqlite!.store.settle();
  assert.equal(opened.sqlite!.db.pragma('page_size', { simple: true }), 4096);
  assert.equal(overflowPages(opened).length, 1, 'with 4 KiB pages the body spills into a page of its own');
  opened.close();
  const reopened = openStorage({ db: file });
  t.after(() => reopened.close());
  addPod(reopened, 'p2');
  assert.equal(reopened.storage.count('pods'), 2);
  assert.equal(reopened.storage.get('pods', 'default', 'p1')?.body, POD_BODY);
});

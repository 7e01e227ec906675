/** One store per database file: the lock beside it, refused while its owner lives, taken over once it is gone. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DatabaseInUseError } from '../../src/storage/database-lock.js';
import { openStorage } from '../../src/storage/open-storage.js';
import type { Change } from '../../src/storage/object-store.js';

function tempDb(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-lock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'kubemock.db');
}

function write(opened: ReturnType<typeof openStorage>, name: string): number {
  const change: Change = { type: 'ADDED', resource: 'configmaps', namespace: 'default', name, uid: `u-${name}`, body: '{}' };
  const rv = opened.storage.nextRevision();
  assert.ok(opened.storage.commit([{ change, rv, expectRv: 0 }]));
  opened.storage.flush?.();
  return rv;
}

/** A pid that ran and is gone: a child that exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  assert.ok(pid > 0);
  return pid;
}

test('a second open of the same file in one process is refused, and the first store keeps working', (t) => {
  const file = tempDb(t);
  const first = openStorage({ db: file });
  t.after(() => first.close());
  const lock = JSON.parse(readFileSync(`${file}.lock`, 'utf8')) as { pid: number };
  assert.equal(lock.pid, process.pid);

  assert.throws(
    () => openStorage({ db: file }),
    (err: unknown) =>
      err instanceof DatabaseInUseError &&
      err.pid === process.pid &&
      err.message === `database file ${file} is already open in this process`,
  );
  const rv = write(first, 'after-refusal');
  assert.equal(first.storage.currentRevision(), rv);
  assert.ok(existsSync(`${file}.lock`), 'the refused open left the lock alone');
});

test('closing the store removes the lock, and the file opens again', (t) => {
  const file = tempDb(t);
  const first = openStorage({ db: file });
  const rv = write(first, 'a');
  first.close();
  assert.ok(!existsSync(`${file}.lock`));
  const again = openStorage({ db: file });
  t.after(() => again.close());
  assert.equal(again.storage.currentRevision(), rv);
});

test("a lock whose process is alive is refused with that process's pid", (t) => {
  const file = tempDb(t);
  // The test runner that started this file: alive for as long as this test runs.
  writeFileSync(`${file}.lock`, `${JSON.stringify({ pid: process.ppid })}\n`);
  assert.throws(
    () => openStorage({ db: file }),
    (err: unknown) =>
      err instanceof DatabaseInUseError &&
      err.pid === process.ppid &&
      err.message === `database file ${file} is in use by another kubemock (pid ${process.ppid})`,
  );
  assert.deepEqual(JSON.parse(readFileSync(`${file}.lock`, 'utf8')), { pid: process.ppid }, 'left as it was');
  assert.ok(!existsSync(file), 'the database was not opened');
});

test('a stale lock (its process is gone, e.g. killed with -9) is taken over', (t) => {
  const file = tempDb(t);
  writeFileSync(`${file}.lock`, `${JSON.stringify({ pid: deadPid() })}\n`);
  const opened = openStorage({ db: file });
  t.after(() => opened.close());
  assert.equal((JSON.parse(readFileSync(`${file}.lock`, 'utf8')) as { pid: number }).pid, process.pid);
  write(opened, 'b');
});

test('a lock naming a live pid that started at another time (the pid was reused) is taken over', (t) => {
  if (!existsSync(`/proc/${process.ppid}/stat`)) return t.skip('no /proc here');
  const file = tempDb(t);
  writeFileSync(`${file}.lock`, `${JSON.stringify({ pid: process.ppid, started: '1' })}\n`);
  const opened = openStorage({ db: file });
  t.after(() => opened.close());
  assert.equal((JSON.parse(readFileSync(`${file}.lock`, 'utf8')) as { pid: number }).pid, process.pid);
});

test("a lock naming this process's own pid but not held by it (a restarted container) is taken over; so is an unreadable one", (t) => {
  const file = tempDb(t);
  writeFileSync(`${file}.lock`, `${JSON.stringify({ pid: process.pid })}\n`);
  openStorage({ db: file }).close();
  writeFileSync(`${file}.lock`, 'not json');
  openStorage({ db: file }).close();
  assert.ok(!existsSync(`${file}.lock`));
});

test('in-memory databases take no lock', () => {
  const a = openStorage({ db: ':memory:' });
  const b = openStorage({ db: ':memory:' });
  a.close();
  b.close();
});

test('a database file in a folder that does not exist is refused with the reason, and no lock is left', (t) => {
  const file = join(tempDb(t), 'missing', 'kubemock.db');
  assert.throws(() => openStorage({ db: file }), /^Error: unable to open database file .*missing\/kubemock\.db: ENOENT/);
});

/**
 * One kubemock per database file. Two processes writing one SQLite file each number revisions from
 * their own counter and break each other's log (`UNIQUE constraint failed: object_events.id`), so
 * the file is locked when it opens: a lock file beside it (`<db>.lock`) names the owner's pid and,
 * on Linux, the owner's start time. The file appears whole or not at all (written under a private
 * name, then hard-linked into place, which fails if it exists). A lock whose owner is gone (killed
 * with -9, the machine restarted, a container started again with the same pid) is taken over: the
 * owner's pid no longer runs, or runs a process that started at another time. The lock is removed
 * when the store closes and, failing that, when the process exits. The model is PostgreSQL's
 * postmaster.pid. SQLite's own locks cannot serve: the file is in WAL mode, shared by the
 * checkpointing thread's connection, and a lock held in SQLite would not say who holds it.
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Thrown when another live process (or this one) has the database file open. */
export class DatabaseInUseError extends Error {
  constructor(
    readonly file: string,
    readonly pid: number,
  ) {
    super(
      pid === process.pid
        ? `database file ${file} is already open in this process`
        : `database file ${file} is in use by another kubemock (pid ${pid})`,
    );
    this.name = 'DatabaseInUseError';
  }
}

export interface DatabaseLock {
  readonly path: string;
  release(): void;
}

interface Owner {
  pid: number;
  /** The owner's start time in clock ticks since boot (Linux's /proc/<pid>/stat), when known. */
  started?: string;
}

/** Lock files this process holds, by path, with the exact text written (released on exit too). */
const held = new Map<string, string>();
let exitHookInstalled = false;

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces, so count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isRunning(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (owner.started === undefined) return true;
  const now = startTimeOf(owner.pid);
  return now === undefined || now === owner.started;
}

function parseOwner(text: string): Owner | undefined {
  try {
    const v = JSON.parse(text) as Partial<Owner>;
    if (!Number.isSafeInteger(v.pid) || (v.pid as number) <= 0) return undefined;
    return { pid: v.pid as number, ...(typeof v.started === 'string' ? { started: v.started } : {}) };
  } catch {
    return undefined;
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function releasePath(path: string): void {
  const mine = held.get(path);
  if (mine === undefined) return;
  held.delete(path);
  try {
    if (readIfExists(path) === mine) unlinkSync(path);
  } catch {
    // Gone already, or the folder is: nothing left to release.
  }
}

/** Whether `db` names a file, which one process locks, rather than a private in-memory database (':memory:' or ''). */
export function isDatabaseFile(db: string): boolean {
  return db !== ':memory:' && db !== '';
}

/** Where the lock of database file `file` lives. */
export function lockPathOf(file: string): string {
  return `${resolve(file)}.lock`;
}

/** Takes the lock of a database file, or throws DatabaseInUseError naming the process that has it. */
export function lockDatabaseFile(file: string): DatabaseLock {
  const path = lockPathOf(file);
  const mine = held.get(path);
  if (mine !== undefined) throw new DatabaseInUseError(file, process.pid);
  const started = startTimeOf(process.pid);
  const text = `${JSON.stringify({ pid: process.pid, ...(started ? { started } : {}) })}\n`;
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(temp, text, { flag: 'wx' });
  } catch (err) {
    // E.g. its folder does not exist: what SQLite would have said, with the reason.
    throw new Error(`unable to open database file ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        linkSync(temp, path);
        held.set(path, text);
        if (!exitHookInstalled) {
          exitHookInstalled = true;
          process.on('exit', () => {
            for (const p of [...held.keys()]) releasePath(p);
          });
        }
        return { path, release: () => releasePath(path) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const found = readIfExists(path);
      if (found === undefined) continue; // released meanwhile
      const owner = parseOwner(found);
      // Our own pid in a lock this process does not hold is a previous process's (a container restarted).
      if (owner && owner.pid !== process.pid && isRunning(owner)) throw new DatabaseInUseError(file, owner.pid);
      // Stale: remove it unless another process took it over meanwhile.
      if (readIfExists(path) === found) {
        try {
          unlinkSync(path);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
    }
    throw new Error(`could not take the lock ${path} of database file ${file}`);
  } finally {
    unlinkSync(temp);
  }
}

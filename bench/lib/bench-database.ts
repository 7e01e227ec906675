/**
 * Which kind of SQLite database a bench child server opens: BENCH_DB=file puts it in a fresh
 * temporary folder (WAL, as `npm start` runs), anything else keeps it in memory. The parent sets
 * BENCH_DB per server (crud.ts compares both servers on the same kind of database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type DatabaseKind = 'memory' | 'file';

export interface BenchDatabase {
  kind: DatabaseKind;
  /** ':memory:' or the file's path. */
  path: string;
  /** Removes the temporary folder (after the server closed the database). */
  remove(): void;
}

export function databaseKind(): DatabaseKind {
  return process.env.BENCH_DB === 'file' ? 'file' : 'memory';
}

export function benchDatabase(prefix: string): BenchDatabase {
  if (databaseKind() === 'memory') return { kind: 'memory', path: ':memory:', remove: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { kind: 'file', path: join(dir, 'bench.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

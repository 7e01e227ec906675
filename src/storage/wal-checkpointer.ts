/**
 * Checkpoints a database file's write-ahead log on a thread of its own. SQLite's automatic
 * checkpoint runs inside the writer's COMMIT, copying the log back into the database file (and
 * syncing both) on the thread that serves every request and controller: at 5,000 pods it was most
 * of the commits' time. Here the writer's connection turns the automatic checkpoint off and a
 * worker thread, with its own connection, runs passive checkpoints (which never block the writer)
 * while writes come in. A passive checkpoint cannot finish while the writer keeps appending, so
 * once the log has grown past `catchUpBytes` the writer's connection finishes the checkpoint
 * itself (the worker has copied most of it already): the next write then starts the log over.
 * The thread starts once writes keep coming (a few hundred commits): an idle server has none.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './database.js';

/** The worker: CommonJS source, evaluated (no file to find beside a bundle). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ frames: r.log, copied: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message) });
  }
});
`;

interface Report {
  frames?: number;
  copied?: number;
  error?: string;
}

/** How long the worker rests between checkpoints while writes go on. */
const INTERVAL_MS = 50;

/**
 * A checkpoint asked of the worker and not answered for this long (the thread gets no CPU on a
 * loaded machine): the writer checkpoints itself, so the log cannot grow without bound meanwhile.
 */
const STALLED_MS = 1000;

/** How large the log may grow before the writer finishes a checkpoint itself (16 MiB: 4,096 frames of 4 KiB pages). */
const CATCH_UP_BYTES = 16 * 1024 * 1024;

/** Commits before the thread starts: a server that writes little keeps SQLite's own checkpoint (and no thread's memory). */
const COMMITS_BEFORE_THREAD = 200;

export class WalCheckpointer {
  private worker: Worker | undefined;
  private commits = 0;
  private inFlight = false;
  private dirty = false;
  private lastStarted = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Frames in the log at the last checkpoint, and how many of them were copied. */
  private frames = 0;
  private copied = 0;
  private closed = false;
  /** The log's frames (one page each) in `catchUpBytes`. */
  private readonly catchUpFrames: number;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly file: string,
    catchUpBytes = CATCH_UP_BYTES,
    private readonly commitsBeforeThread = COMMITS_BEFORE_THREAD,
  ) {
    this.catchUpFrames = Math.max(1, Math.floor(catchUpBytes / (db.pragma('page_size', { simple: true }) as number)));
  }

  /** Called after each commit of the writer's connection. */
  committed(): void {
    if (this.closed) return;
    if (!this.worker) {
      if (++this.commits < this.commitsBeforeThread) return;
      this.start();
    }
    this.dirty = true;
    const stalled = this.inFlight && Date.now() - this.lastStarted > STALLED_MS;
    if (stalled || (this.frames >= this.catchUpFrames && this.copied >= this.frames / 2)) {
      // The worker cannot catch up with a writer that never pauses: finish here (cheap, most is copied).
      // A checkpoint that cannot run now (the database closing) is tried after a later commit.
      try {
        this.db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // nothing is lost: the log keeps every frame until a checkpoint copies it
      }
      this.frames = this.copied = 0;
      // A stalled worker's request counts from now again: one catch-up per STALLED_MS at most.
      if (stalled) this.lastStarted = Date.now();
    }
    this.schedule();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.worker?.postMessage('close');
  }

  private start(): void {
    this.db.pragma('wal_autocheckpoint = 0');
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: this.file } });
    worker.unref();
    worker.on('message', (r: Report) => this.reported(r));
    // A worker that cannot run (no native module in a thread): the writer checkpoints again, as before.
    worker.on('error', () => this.fallBack());
    worker.on('exit', () => this.fallBack());
    this.worker = worker;
  }

  private schedule(): void {
    if (this.inFlight || this.timer || !this.dirty) return;
    const wait = this.lastStarted + INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      this.timer.unref();
      return;
    }
    this.dirty = false;
    this.inFlight = true;
    this.lastStarted = Date.now();
    this.worker!.postMessage('checkpoint');
  }

  private reported(r: Report): void {
    this.inFlight = false;
    if (r.frames !== undefined) {
      this.frames = r.frames;
      this.copied = r.copied ?? 0;
    }
    if (!this.closed) this.schedule();
  }

  private fallBack(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.db.pragma('wal_autocheckpoint = 1000');
  }
}

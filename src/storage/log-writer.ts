/**
 * The SQLite writes of a database file on a thread of their own. The serving thread keeps the
 * compare-and-swap, the revision counter and the index entries in memory (ObjectStore) and hands
 * this thread, in order, what reaches the file: each turn's log rows (one transaction: group
 * commit), the objects table's catch-up passes and compactions. Its own connection appends,
 * commits and deletes while the serving thread goes on with the next turn; a reply per job says
 * when it is in the file (or why not). After a failed job every job already sent is skipped (they
 * built on it) until the store has re-read the file and resumes the thread.
 *
 * The thread starts in the background; the store writes on its own connection until the thread
 * is ready (a server's start pays nothing for it). `drain()` waits, synchronously, until every job
 * sent has its reply: what a read of the file on the serving thread's connection needs first.
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { GroupRows } from './group-rows.js';
import { LOG_WRITES } from './log-writes.js';

/** An objects row to write (resource, namespace, name, uid, rv) or, deleted, to remove. */
export type IndexValues = [string, string, string, string, number, boolean];

export type WriterJob =
  { kind: 'index'; entries: IndexValues[]; indexedRevision: number } | { kind: 'compact'; from: number; boundary: number };

export interface WriterReply {
  seq: number;
  /** Why the job's transaction rolled back (or that it was skipped after an earlier failure). */
  error?: string;
}

/** The worker: CommonJS source, evaluated (no file to find beside a bundle). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { file, driver, replies, signal: buffer, sql } = workerData;
const signal = new Int32Array(buffer);
let db;
try {
  const Database = require(driver);
  db = new Database(file, { fileMustExist: true });
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
} catch (e) {
  replies.postMessage({ seq: 0, error: String(e && e.message) });
  process.exit(1);
}
// The bodies come as UTF-8 bytes (no string made on this thread): appendBytes stores them as TEXT.
const s = {};
for (const name of ['appendBytes', 'index', 'unindex', 'setIndexed', 'compactSuperseded', 'compactDeleted', 'setCompacted']) s[name] = db.prepare(sql[name]);
const run = {
  append: db.transaction((job) => {
    const chunks = job.chunks.map((c) => Buffer.from(c));
    const p = job.places;
    for (let i = 0; i < job.rows.length; i++) {
      const r = job.rows[i];
      s.appendBytes.run(r[0], r[1], r[2], r[3], r[4], r[5], chunks[p[3 * i]].subarray(p[3 * i + 1], p[3 * i + 2]));
    }
  }),
  index: db.transaction((job) => {
    for (const e of job.entries) {
      if (e[5]) s.unindex.run(e[0], e[1], e[2]);
      else s.index.run(e[0], e[1], e[2], e[3], e[4]);
    }
    s.setIndexed.run(job.indexedRevision);
  }),
  compact: db.transaction((job) => {
    s.compactSuperseded.run(job.from, job.boundary);
    s.compactDeleted.run(job.from, job.boundary);
    s.setCompacted.run(job.boundary);
  }),
};
let failed = false;
const reply = (m) => {
  replies.postMessage(m);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
};
reply({ seq: 0 });
parentPort.on('message', (m) => {
  if (m.kind === 'close') {
    db.close();
    Atomics.store(signal, 1, 1);
    Atomics.notify(signal, 1);
    parentPort.close();
    replies.close();
    return;
  }
  if (m.kind === 'resume') {
    failed = false;
    return;
  }
  if (failed) return reply({ seq: m.seq, error: 'skipped: an earlier write to the database failed' });
  try {
    run[m.kind](m);
    reply({ seq: m.seq });
  } catch (e) {
    failed = true;
    reply({ seq: m.seq, error: String((e && e.message) || e) });
  }
});
`;

/**
 * The thread's young generation, in MB. What it allocates is short-lived (each job's rows, the
 * views of its buffer): with the default (that of the main thread) its heap grew to over 100 MB
 * more of resident memory at 10,000 nodes × 1 DaemonSet (857–884 MB against 727–773 with 2–8).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** How long drain() waits for a thread that answers nothing before it gives up. */
const DRAIN_TIMEOUT_MS = 60_000;

export class LogWriter {
  private seq = 0;
  private replied = 0;
  private ready = false;
  private closed = false;
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private readonly port: MessagePort;
  private readonly worker: Worker;

  /**
   * Starts the thread on `file`. `onReady` once its connection is open; `onReply` for each job's
   * reply, in order; `onExit` when it stopped before close() (its jobs without a reply are lost).
   */
  constructor(
    file: string,
    private readonly handlers: { onReady(): void; onReply(reply: WriterReply): void; onExit(error: string): void },
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      workerData: { file, driver, replies: port2, signal: this.signal.buffer, sql: LOG_WRITES },
      transferList: [port2],
    });
    this.worker.unref();
    port1.unref();
    port1.on('message', (m: WriterReply) => this.receive(m));
    this.worker.on('error', (e) => this.exited(String(e?.message ?? e)));
    this.worker.on('exit', (code) => this.exited(`the SQLite writer thread exited (code ${code})`));
  }

  /** The number of the last job sent. */
  get sent(): number {
    return this.seq;
  }

  /** Jobs sent and not answered yet. */
  get busy(): boolean {
    return this.replied < this.seq;
  }

  /** Queues a job; its reply carries the number returned. */
  send(job: WriterJob): number {
    const seq = ++this.seq;
    this.worker.postMessage({ ...job, seq });
    return seq;
  }

  /**
   * Queues a group's log rows to append in one transaction. Their bodies travel as the UTF-8 bytes
   * they were encoded into, the buffers handed over whole (no copy, and no strings for the
   * thread's heap to collect); `rows` is not to be used after.
   */
  append(rows: GroupRows): number {
    const seq = ++this.seq;
    const { rows: meta, places, chunks } = rows.handOver();
    this.worker.postMessage({ kind: 'append', seq, rows: meta, places, chunks }, [...chunks, places.buffer as ArrayBuffer]);
    return seq;
  }

  /** The thread takes jobs again after a failure (the jobs sent before this were skipped). */
  resume(): void {
    this.worker.postMessage({ kind: 'resume' });
  }

  /** Waits until every job sent has its reply (delivered to onReply before this returns). */
  drain(): void {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (this.replied < this.seq && !this.closed) {
      const seen = Atomics.load(this.signal, 0);
      const m = receiveMessageOnPort(this.port);
      if (m) {
        this.receive(m.message as WriterReply);
        continue;
      }
      if (Date.now() > deadline) throw new Error('the SQLite writer thread did not answer within 60 s');
      // The reply is posted before the count moves: wait for the count to pass what was seen.
      Atomics.wait(this.signal, 0, seen, 50);
    }
  }

  /** Stops the thread once every job sent is done; its connection is closed when this returns. */
  close(): void {
    if (this.closed) return;
    if (this.ready) this.drain();
    this.closed = true;
    this.worker.postMessage({ kind: 'close' });
    if (this.ready) Atomics.wait(this.signal, 1, 0, DRAIN_TIMEOUT_MS);
  }

  private receive(m: WriterReply): void {
    if (m.seq === 0) {
      if (m.error !== undefined) return this.exited(m.error);
      this.ready = true;
      return this.handlers.onReady();
    }
    this.replied = m.seq;
    this.handlers.onReply(m);
  }

  private exited(error: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onExit(error);
  }
}

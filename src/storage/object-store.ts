/**
 * The revision log and the objects table that indexes it. A body is stored once, in the log; an
 * object's row points at the log row of its current revision. A change appends its log row in the
 * group transaction at once and its objects row later (`unindexed`), written with many others in
 * one pass when a list, a compaction or a snapshot needs the table: a row per object changed in
 * every group transaction was half the bytes SQLite wrote. The compare-and-swap reads each object's
 * current row from memory (`revisions`), never from the table.
 * Synchronous by design: better-sqlite3 transactions never await. With a writer thread
 * (`--writer-thread`, LogWriter) a group's rows, the index passes and compactions are written by
 * that thread instead, in order; this store answers from memory what it has not written yet and
 * waits for the thread before it reads the file.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';
import type { StorageBackend } from './storage-backend.js';
import { ReadCache } from './read-cache.js';
import { RevisionIndex } from './revision-index.js';
import { LogWriter, type IndexValues, type WriterReply } from './log-writer.js';
import { GroupRows } from './group-rows.js';
import { LOG_WRITES } from './log-writes.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredRow {
  rv: number;
  body: string;
}

export interface ListedRow extends StoredRow {
  namespace: string;
  name: string;
}

export interface LogRow {
  id: number;
  resource: string;
  namespace: string;
  name: string;
  type: EventType;
  body: string;
  prevBody: string | null;
}

export interface Change {
  type: EventType;
  resource: string;
  namespace: string;
  name: string;
  uid: string;
  /** The object as stored (for DELETED: its last state). */
  body: string;
}

interface Statements {
  select: Statement<[string, string, string], StoredRow>;
  listNamespace: Statement<[string, string], ListedRow>;
  listAll: Statement<[string], ListedRow>;
  changedAfter: Statement<[number, string], LogKey>;
  bodyOf: Statement<[number], { body: string }>;
  index: Statement<[string, string, string, string, number]>;
  unindex: Statement<[string, string, string]>;
  indexed: Statement<[], { value: number }>;
  setIndexed: Statement<[number]>;
  logAfter: Statement<[number], { id: number; resource: string; namespace: string; name: string; type: EventType; uid: string | null }>;
  indexedRows: Statement<[], { resource: string; namespace: string; name: string; rv: number }>;
  append: Statement<[number, string, string, string, EventType, number | null, string]>;
  eventsAfter: Statement<[number, number], LogRow>;
  eventsAfterFor: Statement<[string, number, number], LogRow>;
  maxRevision: Statement<[], { seq: number }>;
  compacted: Statement<[], { value: number }>;
  setCompacted: Statement<[number]>;
  compactSuperseded: Statement<[number, number]>;
  compactDeleted: Statement<[number, number]>;
  countEvents: Statement<[], { n: number }>;
  countObjects: Statement<[string], { n: number }>;
  firstChangeAfter: Statement<[number, string, string, string], { prevId: number | null }>;
  logRow: Statement<[number], LogRow>;
}

/** An object's place in the index: its current log row (`rv`), or its removal. */
interface IndexEntry {
  resource: string;
  namespace: string;
  name: string;
  uid: string;
  rv: number;
  deleted: boolean;
}

/** Writes whose objects rows may wait (a bound on the entries kept and on what opening after a crash reads back). */
const MAX_UNINDEXED = 65_536;

/** A log row's object and the row before it (the object's revision that this change replaced). */
interface LogKey {
  namespace: string;
  name: string;
  prevId: number | null;
}

export const DEFAULT_RETAINED_EVENTS = 100_000;

/** Where a database file's writes may go off the serving thread (LogWriter). */
export interface WriterThreadOptions {
  /** The database file the thread opens a connection of its own to. */
  file: string;
  /**
   * Log rows the serving thread writes itself within `withinMs` before the thread starts (writes
   * that keep coming; an idle cluster's heartbeats never add up to it); 0: at once.
   */
  startAfterWrites: number;
  /** How quickly those rows must come (default WRITER_THREAD_WINDOW_MS). */
  withinMs?: number;
}

/** The writer thread starts once `startAfterWrites` rows were written within this long. */
export const WRITER_THREAD_WINDOW_MS = 60_000;

/** Log rows written before the writer thread starts, when it is asked for (`--writer-thread`). */
export const WRITES_BEFORE_WRITER_THREAD = 1000;

/** The open group transaction: on this connection (BEGIN … COMMIT) or, threaded, rows for the writer thread. */
interface Group {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
  threaded: boolean;
}

/** A group handed to the writer thread and not in the file yet. */
interface SentGroup {
  seq: number;
  group: Group;
  /** Its first log row's revision. */
  from: number;
}

const LOG_COLUMNS = `e.id, e.resource, e.namespace, e.name, e.type, e.body,
  (SELECT p.body FROM object_events p WHERE p.id = e.prev_id) AS prevBody`;

export class ObjectStore implements StorageBackend {
  readonly revisionPerCommit = 'change';
  readonly remote = false;
  private readonly s: Statements;
  private revision: number;
  private writesSinceCompaction = 0;
  private compacted: number | undefined;
  /**
   * The log rows up to here were swept by a compaction of this store (rows they superseded and
   * DELETED rows removed): the next one reads only the rows after it. 0 after opening or a reload
   * (a restore or a rolled-back group may have left rows below the compaction point unswept).
   */
  private sweptThrough = 0;
  /** The rows clients read last, answered without a query until their object is written. */
  private readonly reads = new ReadCache();

  /**
   * `retainEvents`: how many log rows of history are kept for watches and paged lists; older
   * revisions answer 410 Expired. Compaction runs as writes accumulate.
   */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly retainEvents = DEFAULT_RETAINED_EVENTS,
    /** Called after each group transaction reached the file (the log checkpointer's cue). */
    private readonly afterCommit?: () => void,
    /** A database file's writes go to a thread of their own once it runs (LogWriter). */
    private readonly writerThread?: WriterThreadOptions,
  ) {
    this.s = {
      select: db.prepare(
        'SELECT o.rv, e.body FROM objects o JOIN object_events e ON e.id = o.rv WHERE o.resource = ? AND o.namespace = ? AND o.name = ?',
      ),
      listNamespace: db.prepare(`SELECT o.namespace, o.name, o.rv, e.body FROM objects o JOIN object_events e ON e.id = o.rv
        WHERE o.resource = ? AND o.namespace = ? ORDER BY o.name`),
      listAll: db.prepare(`SELECT o.namespace, o.name, o.rv, e.body FROM objects o JOIN object_events e ON e.id = o.rv
        WHERE o.resource = ? ORDER BY o.namespace, o.name`),
      // History is read back from the changes after a revision (a range of the log's own key) and
      // each change's link to the row it replaced: no index by object, which every write would
      // have to insert into at a random place.
      changedAfter: db.prepare('SELECT namespace, name, prev_id AS prevId FROM object_events WHERE id > ? AND resource = ? ORDER BY id'),
      bodyOf: db.prepare('SELECT body FROM object_events WHERE id = ?'),
      index: db.prepare(LOG_WRITES.index),
      unindex: db.prepare(LOG_WRITES.unindex),
      indexed: db.prepare("SELECT value FROM store_meta WHERE key = 'indexed_revision'"),
      setIndexed: db.prepare(LOG_WRITES.setIndexed),
      // The log rows the table does not index yet, read back when the store opens or reloads.
      logAfter: db.prepare(`SELECT id, resource, namespace, name, type,
        CASE WHEN json_valid(body) THEN json_extract(body, '$.metadata.uid') END AS uid FROM object_events WHERE id > ? ORDER BY id`),
      indexedRows: db.prepare('SELECT resource, namespace, name, rv FROM objects'),
      append: db.prepare(LOG_WRITES.append),
      eventsAfter: db.prepare(`SELECT ${LOG_COLUMNS} FROM object_events e WHERE e.id > ? AND e.id <= ? ORDER BY e.id`),
      eventsAfterFor: db.prepare(
        `SELECT ${LOG_COLUMNS} FROM object_events e WHERE e.resource = ? AND e.id > ? AND e.id <= ? ORDER BY e.id`,
      ),
      // The newest log row, or the compaction point when compaction or a restore removed it.
      maxRevision: db.prepare(`SELECT max(coalesce((SELECT max(id) FROM object_events), 0),
        coalesce((SELECT value FROM store_meta WHERE key = 'compacted_revision'), 0)) AS seq`),
      compacted: db.prepare("SELECT value FROM store_meta WHERE key = 'compacted_revision'"),
      setCompacted: db.prepare(LOG_WRITES.setCompacted),
      compactSuperseded: db.prepare(LOG_WRITES.compactSuperseded),
      compactDeleted: db.prepare(LOG_WRITES.compactDeleted),
      countEvents: db.prepare('SELECT count(*) AS n FROM object_events'),
      countObjects: db.prepare('SELECT count(*) AS n FROM objects WHERE resource = ?'),
      firstChangeAfter: db.prepare(
        'SELECT prev_id AS prevId FROM object_events WHERE id > ? AND resource = ? AND namespace = ? AND name = ? ORDER BY id LIMIT 1',
      ),
      logRow: db.prepare(`SELECT ${LOG_COLUMNS} FROM object_events e WHERE e.id = ?`),
    };
    this.revision = this.s.maxRevision.get()?.seq ?? 0;
    this.readUnindexed();
    this.commitTx = db.transaction((changes: { change: Change; rv: number; expectRv: number }[], keys: string[]) => {
      for (let i = 0; i < changes.length; i++) this.write(changes[i], keys[i]);
    });
    if (writerThread?.startAfterWrites === 0) this.startWriter();
  }

  /**
   * The index entries of the log rows after the table's `indexed_revision` (written but not yet
   * indexed when the process stopped, or by a group that rolled back: that one's rows are gone),
   * and every object's current revision: the table's rows, then those log rows over them.
   */
  private readUnindexed(): void {
    this.unindexed.clear();
    this.indexing.length = 0;
    this.writesSinceIndex = 0;
    this.revisions.clear();
    for (const row of this.s.indexedRows.iterate()) this.revisions.set(row.resource, row.namespace, row.name, row.rv);
    for (const row of this.s.logAfter.iterate(this.s.indexed.get()?.value ?? 0)) {
      const { resource, namespace, name } = row;
      this.keepUnindexed(ReadCache.key(resource, namespace, name), resource, namespace, name, row.uid ?? '', row.id, row.type);
    }
  }

  /**
   * Keeps the index entry of a log row the objects table does not have yet (written by the next
   * indexAll), and the row as its object's current revision (a removal forgets the object).
   */
  private keepUnindexed(key: string, resource: string, namespace: string, name: string, uid: string, rv: number, type: EventType): void {
    const deleted = type === 'DELETED';
    this.unindexed.set(key, { resource, namespace, name, uid, rv, deleted });
    this.writesSinceIndex++;
    if (deleted) this.revisions.delete(resource, namespace, name);
    else this.revisions.set(resource, namespace, name, rv);
  }

  /** Whether every change's guard holds (`expectRv`: the object's current revision, 0 = must not exist), earlier changes of the batch included. */
  private guardsHold(changes: readonly { change: Change; rv: number; expectRv: number }[], keys: readonly string[]): boolean {
    if (changes.length === 1) {
      const { change, expectRv } = changes[0];
      return holds(this.revisions.get(change.resource, change.namespace, change.name), change, expectRv);
    }
    const after = new Map<string, number>();
    for (let i = 0; i < changes.length; i++) {
      const { change, rv, expectRv } = changes[i];
      const key = keys[i];
      const current = after.get(key) ?? this.revisions.get(change.resource, change.namespace, change.name);
      if (!holds(current, change, expectRv)) return false;
      after.set(key, change.type === 'DELETED' ? 0 : rv);
    }
    return true;
  }

  /**
   * The change's row of the log (on this connection, or kept for the writer thread with the open
   * group), and its index entry (the objects row comes with the next indexAll).
   */
  private write({ change, rv, expectRv }: { change: Change; rv: number; expectRv: number }, key: string): void {
    const { resource, namespace, name } = change;
    if (this.reads.size !== 0) this.reads.forget(key);
    if (this.group?.threaded) {
      this.rows.add([rv, resource, namespace, name, change.type, expectRv || null], change.body);
    } else {
      this.s.append.run(rv, resource, namespace, name, change.type, expectRv || null, change.body);
      this.ownWrites++;
    }
    this.keepUnindexed(key, resource, namespace, name, change.uid, rv, change.type);
  }

  /**
   * Writes the objects rows of the changes not indexed yet, in key order, and how far the table now
   * goes (before a list, a compaction, a snapshot reading or rewriting the table, a close). Inside a
   * caller's own transaction (which may still roll back) the entries are kept too: writing them
   * again later changes nothing.
   */
  indexAll(): void {
    this.noticeCallerEnd();
    if (this.unindexed.size === 0) return;
    const entries = [...this.unindexed.values()].sort(byIndexKey);
    if (this.threadedNow()) {
      // The log rows the entries point at go first.
      if (this.group) this.flush();
      const values = entries.map((e): IndexValues => [e.resource, e.namespace, e.name, e.uid, e.rv, e.deleted]);
      const seq = this.writer!.send({ kind: 'index', entries: values, indexedRevision: this.revision });
      // The entries answer reads until the thread has written their rows; writes from now on go to a new map.
      this.indexing.push({ seq, entries: this.unindexed });
      this.unindexed = new Map();
      this.writesSinceIndex = 0;
      return;
    }
    this.inFile();
    const write = () => {
      for (const e of entries) {
        if (e.deleted) this.s.unindex.run(e.resource, e.namespace, e.name);
        else this.s.index.run(e.resource, e.namespace, e.name, e.uid, e.rv);
      }
      this.s.setIndexed.run(this.revision);
    };
    // In a caller's own transaction the rows may still roll back: noticeCallerEnd reads them back after it.
    const inCallers = this.inCallersTransaction();
    if (this.db.inTransaction) write();
    else this.db.transaction(write)();
    if (inCallers) this.callerWrote = true;
    if (this.callerWrote) return;
    this.unindexed.clear();
    this.writesSinceIndex = 0;
  }

  /** Inside a transaction the caller opened (tests, snapshots), not this store's group: it may still roll back without the store knowing. */
  private inCallersTransaction(): boolean {
    return this.db.inTransaction && (this.group === undefined || this.group.threaded);
  }

  /** Whether this connection's writes go to the writer thread now (not inside a transaction on this connection). */
  private threadedNow(): boolean {
    return this.writer !== undefined && !this.db.inTransaction;
  }

  /**
   * Everything written so far is in the file, for a read of it (or a write) on this connection:
   * the open threaded group sent and every job of the writer thread done.
   */
  private inFile(): void {
    if (!this.writer) return;
    if (this.group?.threaded) this.flush();
    if (this.writer.busy) this.writer.drain();
  }

  /**
   * Starts the writer thread once the rows this store wrote itself since the window began reach
   * `startAfterWrites`; a window older than `withinMs` starts over from here.
   */
  private startWriterWhenBusy({ startAfterWrites, withinMs = WRITER_THREAD_WINDOW_MS }: WriterThreadOptions): void {
    const now = performance.now();
    if (now - this.windowStartedAt > withinMs) {
      // The rows of the turn just committed open the new window.
      this.windowStartedAt = now;
      this.writesBeforeWindow = this.writesAtLastCheck;
    }
    this.writesAtLastCheck = this.ownWrites;
    if (this.ownWrites - this.writesBeforeWindow >= startAfterWrites) this.startWriter();
  }

  /** Starts the writer thread, once: one that stopped (or never ran) is not tried again. */
  private startWriter(): void {
    if (this.closed) return;
    const writer: LogWriter = new LogWriter(this.writerThread!.file, {
      onReady: () => {
        if (!this.closed) this.writer = writer;
      },
      onReply: (reply) => this.writerReplied(reply),
      onExit: (error) => this.writerStopped(writer, new Error(error)),
    });
    this.started = writer;
  }

  /** A job of the writer thread is done: the groups up to it are in the file. */
  private writerReplied(reply: WriterReply): void {
    if (reply.seq <= this.skippedThrough) return;
    if (reply.error !== undefined) return this.writerFailed(new Error(reply.error));
    while (this.indexing.length !== 0 && this.indexing[0].seq <= reply.seq) this.indexing.shift();
    while (this.sent.length !== 0 && this.sent[0].seq <= reply.seq) {
      this.sent.shift()!.group.resolve();
      this.afterCommit?.();
    }
  }

  /**
   * A job failed in the writer thread (its transaction rolled back): the jobs sent after it, and
   * the open group, built on it and are dropped too. The replies waiting for them fail and the
   * state is re-read from the file, as after a failed COMMIT.
   */
  private writerFailed(e: Error): void {
    const writer = this.writer!;
    this.skippedThrough = writer.sent;
    writer.resume();
    this.dropGroups(e);
  }

  /** The writer thread stopped: its unanswered jobs are lost; writes go on on this connection. */
  private writerStopped(writer: LogWriter, e: Error): void {
    if (this.writer !== writer) return;
    this.writer = undefined;
    this.dropGroups(e);
  }

  private dropGroups(e: Error): void {
    const groups = this.sent.map((s) => s.group);
    this.sent.length = 0;
    if (this.group?.threaded) groups.push(this.group);
    this.group = undefined;
    this.rows = new GroupRows();
    this.reload();
    for (const group of groups) group.reject(e);
  }

  /**
   * A caller's own transaction this store wrote in has ended since: committed or rolled back, the
   * file says which, so the entries are read back from it.
   */
  private noticeCallerEnd(): void {
    if (!this.callerWrote || this.db.inTransaction) return;
    this.callerWrote = false;
    this.readUnindexed();
  }

  private readonly commitTx: (changes: { change: Change; rv: number; expectRv: number }[], keys: string[]) => void;
  /** Index entries of changes whose objects rows are not written yet, by ReadCache key: newer than the table. */
  private unindexed = new Map<string, IndexEntry>();
  /**
   * Every live object's current log row: the compare-and-swap's truth, read from the table and the
   * log when the store opens or reloads, and kept by each write.
   */
  private readonly revisions = new RevisionIndex();
  /** Whether this store wrote (a change or an indexing pass) inside a caller's own transaction (tests) that may still roll back. */
  private callerWrote = false;
  /** Log rows written since the table was: what a store opened after a crash reads back. */
  private writesSinceIndex = 0;
  /** The open group transaction: writes of this turn, not yet committed to the file. */
  private group: Group | undefined;
  /** The writer thread, once ready and while it runs; until then (and on :memory:) this connection writes. */
  private writer: LogWriter | undefined;
  /** The writer thread once started (ready or not, stopped or not): it is started once. */
  private started: LogWriter | undefined;
  /** Log rows written on this connection so far (the writer thread starts after some). */
  private ownWrites = 0;
  /** When the writer thread's window began, and how many rows the store had written itself then. */
  private windowStartedAt = performance.now();
  private writesBeforeWindow = 0;
  private writesAtLastCheck = 0;
  private closed = false;
  /**
   * The open threaded group's log rows, sent to the writer thread when the group ends; their bodies
   * answer reads of them until then (a read of a row sent and not written yet waits for the thread).
   */
  private rows = new GroupRows();
  /** Groups sent to the writer thread, oldest first, until their reply. */
  private readonly sent: SentGroup[] = [];
  /**
   * The entries of the writer thread's index passes in flight, oldest first: they answer reads
   * (after `unindexed`, newer) until the objects table has them.
   */
  private readonly indexing: { seq: number; entries: Map<string, IndexEntry> }[] = [];
  /** Jobs sent before a failure was handled: their replies (skipped) are ignored. */
  private skippedThrough = 0;

  /**
   * Re-reads the revision counter and the compaction point after the tables were rewritten
   * underneath (a snapshot restore).
   */
  reload(): void {
    this.inFile();
    this.reads.clear();
    this.callerWrote = false;
    this.revision = this.s.maxRevision.get()?.seq ?? 0;
    this.readUnindexed();
    this.compacted = undefined;
    this.sweptThrough = 0;
    this.writesSinceCompaction = 0;
  }

  /**
   * reload() after a rewrite of the given objects' rows only (a snapshot restore, after settle():
   * the table indexed every write), each now at `rv` (null: gone): their revisions are set from
   * it instead of reading every object's row again. Anything not indexed still reloads in full.
   */
  reloadChanged(changed: readonly { resource: string; namespace: string; name: string; rv: number | null }[]): void {
    this.inFile();
    if (this.unindexed.size !== 0 || this.indexing.length !== 0 || this.callerWrote || this.db.inTransaction) return this.reload();
    this.reads.clear();
    this.revision = this.s.maxRevision.get()?.seq ?? 0;
    for (const c of changed) {
      if (c.rv === null) this.revisions.delete(c.resource, c.namespace, c.name);
      else this.revisions.set(c.resource, c.namespace, c.name, c.rv);
    }
    this.compacted = undefined;
    this.sweptThrough = 0;
    this.writesSinceCompaction = 0;
  }

  /** Whether the writes go to the writer thread now (a database file, once the thread runs). */
  get threaded(): boolean {
    return this.writer !== undefined;
  }

  /** The revision of the last committed write. */
  currentRevision(): number {
    return this.revision;
  }

  /** The oldest revision a watch or a paged list may still start from. */
  compactedRevision(): number {
    return (this.compacted ??= this.s.compacted.get()?.value ?? 0);
  }

  /** Whether an object exists (no body read). */
  exists(resource: string, namespace: string, name: string): boolean {
    this.noticeCallerEnd();
    return this.revisions.get(resource, namespace, name) !== 0;
  }

  get(resource: string, namespace: string, name: string, remember = false): StoredRow | undefined {
    this.noticeCallerEnd();
    // The writers' own reads (most reads while controllers converge) skip the key while nothing is kept.
    const key = ReadCache.key(resource, namespace, name);
    if (!remember && this.reads.size === 0) return this.select(key, resource, namespace, name);
    const kept = this.reads.get(key);
    if (kept) return kept;
    const row = this.select(key, resource, namespace, name);
    // Not a row read inside a caller's own transaction (tests, snapshots): it may still roll back
    // without this store knowing. The group transaction's rollback forgets every entry (reload).
    if (row && remember && !this.inCallersTransaction()) this.reads.remember(key, row);
    return row;
  }

  /** The object's current row: from its index entry while the table lags, else the table's. */
  private select(key: string, resource: string, namespace: string, name: string): StoredRow | undefined {
    const entry = this.unindexed.get(key) ?? (this.indexing.length === 0 ? undefined : this.passing(key));
    if (!entry) return this.s.select.get(resource, namespace, name);
    if (entry.deleted) return undefined;
    const body = this.rows.bodyOf(entry.rv);
    if (body !== undefined) return { rv: entry.rv, body };
    if (this.sent.length !== 0 && entry.rv >= this.sent[0].from) this.writer?.drain();
    return { rv: entry.rv, body: this.s.bodyOf.get(entry.rv)!.body };
  }

  /** The object's entry in the index passes in flight, the newest first. */
  private passing(key: string): IndexEntry | undefined {
    for (let i = this.indexing.length - 1; i >= 0; i--) {
      const entry = this.indexing[i].entries.get(key);
      if (entry) return entry;
    }
    return undefined;
  }

  list(resource: string, namespace: string | undefined): ListedRow[] {
    this.indexAll();
    this.inFile();
    return namespace === undefined ? this.s.listAll.all(resource) : this.s.listNamespace.all(resource, namespace);
  }

  /** Every object of a resource, without its body: enough to tell which ones changed (from the revision index, no SQLite read). */
  listVersions(resource: string): Omit<ListedRow, 'body'>[] {
    this.noticeCallerEnd();
    return this.revisions.list(resource);
  }

  count(resource: string): number {
    this.indexAll();
    this.inFile();
    return this.s.countObjects.get(resource)?.n ?? 0;
  }

  /**
   * The objects as they were at revision `rv` (which must not be below the compacted revision):
   * today's objects, except those changed since, which are as the first change after `rv` found
   * them (its link to the row it replaced; none for a create: the object did not exist then).
   * Compaction never removes such a row: a row at or below the compaction point goes only when a
   * later change of its object is at or below it too.
   */
  listAt(resource: string, namespace: string | undefined, rv: number): ListedRow[] {
    this.inFile();
    const before = new Map<string, LogKey>();
    for (const change of this.s.changedAfter.iterate(rv, resource)) {
      if (namespace !== undefined && change.namespace !== namespace) continue;
      const key = rowKey(change.namespace, change.name);
      if (!before.has(key)) before.set(key, change);
    }
    const rows = this.list(resource, namespace);
    if (before.size === 0) return rows;
    const out: ListedRow[] = [];
    for (const row of rows) {
      const key = rowKey(row.namespace, row.name);
      const change = before.get(key);
      if (!change) out.push(row);
      else {
        before.delete(key);
        if (change.prevId !== null) out.push(this.rowAt(change, change.prevId));
      }
    }
    // Objects deleted since `rv`.
    let added = false;
    for (const change of before.values()) {
      if (change.prevId === null) continue;
      out.push(this.rowAt(change, change.prevId));
      added = true;
    }
    if (added) out.sort(byNamespaceAndName);
    return out;
  }

  /** The object at revision `rv` (undefined if it did not exist then; `rv` not below the compacted revision). */
  getAt(resource: string, namespace: string, name: string, rv: number): LogRow | undefined {
    this.noticeCallerEnd();
    this.inFile();
    const change = this.s.firstChangeAfter.get(rv, resource, namespace, name);
    const id = change ? change.prevId : this.revisions.get(resource, namespace, name) || undefined;
    return id === null || id === undefined ? undefined : this.s.logRow.get(id);
  }

  private rowAt(key: LogKey, id: number): ListedRow {
    return { namespace: key.namespace, name: key.name, rv: id, body: this.s.bodyOf.get(id)!.body };
  }

  /**
   * The revision the next write will get. `write` must be called with exactly this number;
   * callers put it into the body first, so the object is serialised once.
   */
  nextRevision(): number {
    return this.revision + 1;
  }

  /**
   * Commits a batch of changes; each gets the next revision in order. `expectRv` (per change)
   * is the compare-and-swap guard: the stored rv must still equal it (0 = must not exist).
   * Returns the revisions written (each its `rv`), or undefined (writing nothing) when a guard fails.
   */
  commit(changes: { change: Change; rv: number; expectRv: number }[]): number[] | undefined {
    this.noticeCallerEnd();
    // A caller's own transaction writes on this connection: nothing may wait in the writer thread.
    if (this.writer && this.inCallersTransaction()) this.inFile();
    this.openGroup();
    // Every guard is checked before anything is written: a failed one writes nothing. Each
    // object's key is spelled once, for its guard and its index entry.
    const keys = changes.map((c) => ReadCache.key(c.change.resource, c.change.namespace, c.change.name));
    if (!this.guardsHold(changes, keys)) return undefined;
    if (this.inCallersTransaction()) this.callerWrote = true;
    if (this.group?.threaded) {
      // The rows go to the writer thread with the group, which commits or fails as a whole.
      for (let i = 0; i < changes.length; i++) this.write(changes[i], keys[i]);
    } else if (changes.length === 1 && this.group) {
      // One change in the open group transaction (every write of the registry): no savepoint
      // (whose journal copies every page the change touches) is needed. A log row that cannot be
      // written (an I/O error) fails the whole group, as a failed COMMIT does.
      try {
        this.write(changes[0], keys[0]);
      } catch (e) {
        this.abortGroup(e as Error);
        throw e;
      }
    } else {
      try {
        // Several changes, or inside a caller's own transaction: better-sqlite3 runs this as a
        // savepoint there, so a failed write rolls back only this batch's rows.
        this.commitTx(changes, keys);
      } catch (e) {
        // The batch's entries may be set for rows that rolled back: read the entries back.
        this.readUnindexed();
        throw e;
      }
    }
    this.revision = changes[changes.length - 1]?.rv ?? this.revision;
    this.writesSinceCompaction += changes.length;
    if (this.writesSinceCompaction >= Math.max(100, this.retainEvents / 2)) {
      this.writesSinceCompaction = 0;
      this.compact(this.retainEvents);
    } else if (this.writesSinceIndex >= MAX_UNINDEXED) this.indexAll();
    return changes.map((c) => c.rv);
  }

  /** Rows are keyed by resource name: no key layout to learn. */
  defineResource(): void {}

  /** Log rows after `rv` up to `until` (inclusive), optionally for one resource. */
  eventsAfter(rv: number, until: number, resource?: string): LogRow[] {
    this.inFile();
    return resource === undefined ? this.s.eventsAfter.all(rv, until) : this.s.eventsAfterFor.all(resource, rv, until);
  }

  /**
   * Group commit: the writes of one turn of the event loop share one SQLite transaction, committed
   * once the turn is over (setImmediate: after every request, timer and microtask of the turn), so
   * one WAL write serves them all. Resolves once every write committed so far is in the database file.
   */
  whenDurable(): Promise<void> {
    return this.group?.promise ?? this.sent[this.sent.length - 1]?.group.promise ?? DURABLE;
  }

  /** Whether no write waits, in the open group transaction or in the writer thread. */
  isDurable(): boolean {
    return this.group === undefined && this.sent.length === 0;
  }

  /**
   * The objects table written up to date and the turn's group transaction committed: what a copy
   * of the database file, a snapshot (ATTACH runs outside any transaction) or the next start reads
   * is then the whole state, with no log left to read back.
   */
  settle(): void {
    this.indexAll();
    this.flush();
    this.inFile();
  }

  /** Settles, then stops the writer thread (its connection closed): the database may close next. */
  close(): void {
    this.settle();
    this.closed = true;
    this.started?.close();
    this.writer = undefined;
  }

  /**
   * Commits the open group transaction now. Called at the end of the turn, and before anything
   * that cannot run inside a transaction (ATTACH, closing the database).
   */
  flush(): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    if (group.threaded) return this.send(group);
    try {
      if (this.db.inTransaction) this.db.exec('COMMIT');
    } catch (e) {
      this.rollBack(group, e as Error);
      return;
    }
    group.resolve();
    this.afterCommit?.();
    if (this.writerThread && !this.started) this.startWriterWhenBusy(this.writerThread);
  }

  /** Hands the ended group's rows to the writer thread; a group without rows is durable with the groups before it. */
  private send(group: Group): void {
    const rows = this.rows;
    if (rows.length === 0) {
      const last = this.sent[this.sent.length - 1];
      if (last) last.group.promise.then(group.resolve, group.reject);
      else group.resolve();
      return;
    }
    // The rows are handed over: the next group writes into rows of its own (an empty group's stay).
    this.rows = new GroupRows();
    this.sent.push({ seq: this.writer!.append(rows), group, from: rows.firstRevision });
  }

  /** Ends the open group transaction without committing it (a write in it failed halfway). */
  private abortGroup(e: Error): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    this.rollBack(group, e);
  }

  /** Nothing of the group reaches the file: the replies waiting for it fail, the state is re-read. */
  private rollBack(group: { reject: (e: Error) => void }, e: Error): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.reload();
    group.reject(e);
  }

  private openGroup(): void {
    if (this.group) return;
    if (this.db.inTransaction) return; // a caller's own transaction (tests, snapshots) commits it
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    // A failed commit rejects the waiting replies; nobody else must see the rejection as unhandled.
    promise.catch(() => undefined);
    const threaded = this.threaded;
    if (!threaded) this.db.exec('BEGIN');
    this.group = { promise, resolve, reject, threaded };
    setImmediate(() => this.flush());
  }

  eventCount(): number {
    this.inFile();
    return this.s.countEvents.get()?.n ?? 0;
  }

  /** Keeps the log rows of the last `keep` revisions (every one has its row); older revisions then answer 410. */
  compact(keep: number): number {
    // Compaction removes DELETED rows and superseded ones: the index must not need them any more.
    this.indexAll();
    // Revisions are dense and compaction never reached above its last point: the newest `keep`
    // rows are the last `keep` revisions (counting them off the log read every row they skipped,
    // bodies included, on every compaction).
    const boundary = this.revision - keep;
    if (boundary <= this.compactedRevision()) return this.compactedRevision();
    const from = this.sweptThrough;
    if (this.threadedNow()) this.writer!.send({ kind: 'compact', from, boundary });
    else {
      this.inFile();
      this.db.transaction(() => {
        this.s.compactSuperseded.run(from, boundary);
        this.s.compactDeleted.run(from, boundary);
        this.s.setCompacted.run(boundary);
      })();
    }
    this.compacted = boundary;
    this.sweptThrough = boundary;
    return boundary;
  }
}

/** A guard against the object's current log row (0: absent); a DELETED change needs an object to remove. */
function holds(current: number, change: Change, expectRv: number): boolean {
  if (expectRv === 0) return current === 0 && change.type !== 'DELETED';
  return current === expectRv;
}

/** The objects table's key order, so one pass writes neighbouring rows together. */
function byIndexKey(a: IndexEntry, b: IndexEntry): number {
  if (a.resource !== b.resource) return a.resource < b.resource ? -1 : 1;
  return byNamespaceAndName(a, b);
}

/** An object's key in a map of one resource's objects (namespace and name cannot hold a slash). */
function rowKey(namespace: string, name: string): string {
  return namespace + '/' + name;
}

/** The order lists are read in (SQLite's byte order of ASCII names). */
function byNamespaceAndName(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

const DURABLE = Promise.resolve();

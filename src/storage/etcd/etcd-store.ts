/**
 * etcd v3 as the store, laid out as kube-apiserver lays it out with the JSON media type: one key
 * per object (`/registry/pods/<namespace>/<name>`, `/registry/minions/<name>`), its value the
 * object's JSON. resourceVersion is etcd's revision: a write is one transaction comparing each
 * key's mod revision (0: create revision, the key must not exist), lists at a revision are range
 * reads at it, and the history between revisions is an etcd watch from the older one. Compaction
 * runs every interval at the revision of the interval before, recorded in compact_rev_key as
 * kube-apiserver's compactor does; a compacted revision answers 410 Expired.
 *
 * Every call to etcd is a synchronous round trip through the worker (etcd-worker.ts), so the
 * registry above stays synchronous. Reads of the current state come from the replica's copy of its
 * keys (KeyMirror: loaded at start, moved on by its own writes, its peers' through the watch, and
 * what a failed compare-and-swap reads back), as kube-apiserver serves them from its watch cache;
 * reads at an older revision and the history go to etcd. A value keeps the resourceVersion it was
 * written with; when etcd gave the write a later revision (another writer came first) reads answer
 * the object with the one it got.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Synckit from 'synckit';
import { resourceExpired } from '../../apimachinery/status.js';
import { stringifyGo } from '../../apimachinery/go-json.js';
import type { Change, ListedRow, LogRow, StoredRow } from '../object-store.js';
import type { StorageBackend } from '../storage-backend.js';
import { COMPACT_REV_KEY, type EtcdEvent, type EtcdKv, type EtcdReply, type EtcdRequest } from './etcd-protocol.js';
import type { ChangeStream } from '../change-stream.js';
import { EtcdChangeStream } from './change-stream.js';
import { KeyMirror } from './key-mirror.js';

export interface EtcdOptions {
  /** Client URLs of the members (kube-apiserver's --etcd-servers). */
  servers: string[];
  /** The root of every key (kube-apiserver's --etcd-prefix, default /registry). */
  prefix?: string;
  /** How often the history is compacted (--etcd-compaction-interval, default 5 minutes; 0: never). */
  compactionIntervalMs?: number;
}

export const DEFAULT_ETCD_PREFIX = '/registry';
export const DEFAULT_ETCD_COMPACTION_INTERVAL_MS = 5 * 60_000;
const DIAL_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The worker: etcd-worker.js beside this module (dist, or a bundle that ships it beside itself)
 * or, from source, etcd-worker-from-source.js, which registers tsx and imports etcd-worker.ts.
 */
function startWorker(): (req: EtcdRequest) => EtcdReply {
  const built = new URL('./etcd-worker.js', import.meta.url);
  const url = existsSync(fileURLToPath(built)) ? built : new URL('./etcd-worker-from-source.js', import.meta.url);
  // synckit is loaded here, on the first request: a start on SQLite never pays for it.
  const { createSyncFn } = createRequire(import.meta.url)('synckit') as typeof Synckit;
  return createSyncFn<(req: EtcdRequest) => Promise<EtcdReply>>(url, { timeout: REQUEST_TIMEOUT_MS });
}

let call: ((req: EtcdRequest) => EtcdReply) | undefined;
function request<R extends EtcdReply['op']>(req: EtcdRequest, op: R): Extract<EtcdReply, { op: R }> {
  call ??= startWorker();
  const reply = call(req);
  if (reply.op !== op) throw new CompactedRevision(reply.op === 'compacted' ? reply.compacted : 0);
  return reply as Extract<EtcdReply, { op: R }>;
}

class CompactedRevision extends Error {
  constructor(readonly compacted: number) {
    super(`etcd compacted its history up to revision ${compacted}`);
  }
}

export class EtcdStore implements StorageBackend {
  readonly revisionPerCommit = 'transaction';
  readonly remote = true;
  private readonly client: number;
  private readonly root: string;
  private revision: number;
  private compacted: number;
  private readonly prefixes = new Map<string, string>();
  private readonly timer: NodeJS.Timeout | undefined;
  /** The revision the next periodic compaction compacts to (the current one at the tick before). */
  private compactNext = 0;
  private closed = false;
  private readonly mirror = new KeyMirror();

  private readonly servers: string[];

  get keyRoot(): string {
    return this.root;
  }

  constructor(options: EtcdOptions) {
    this.servers = options.servers;
    this.root = (options.prefix ?? DEFAULT_ETCD_PREFIX).replace(/\/+$/, '');
    const opened = request({ op: 'open', servers: options.servers, dialTimeoutMs: DIAL_TIMEOUT_MS }, 'open');
    this.client = opened.client;
    this.revision = opened.revision;
    this.compacted = opened.compacted;
    this.load();
    const interval = options.compactionIntervalMs ?? DEFAULT_ETCD_COMPACTION_INTERVAL_MS;
    if (interval > 0) {
      this.timer = setInterval(() => this.compactTick(), interval);
      this.timer.unref();
    }
  }

  /** Where a resource's objects live: `/registry/<keyPrefix>/`. */
  defineResource(resource: string, keyPrefix: string): void {
    this.prefixes.set(resource, keyPrefix);
  }

  private base(resource: string): string {
    return `${this.root}/${this.prefixes.get(resource) ?? resource}/`;
  }

  private key(resource: string, namespace: string, name: string): string {
    return this.base(resource) + (namespace ? `${namespace}/${name}` : name);
  }

  private see(revision: number): void {
    if (revision > this.revision) this.revision = revision;
  }

  /** (Re-)reads every key under the root into the mirror. */
  private load(): void {
    this.mirror.clear();
    for (const kv of this.range(`${this.root}/`, true).kvs) this.mirror.put(kv as EtcdKv & { value: string });
  }

  /** A change of etcd's history into the mirror. */
  private mirrorEvent(ev: EtcdEvent): void {
    if (ev.type === 'delete') this.mirror.delete(ev.kv.key, ev.kv.mod);
    else this.mirror.put(ev.kv as EtcdKv & { value: string });
  }

  private range(key: string, prefix: boolean, extra: { revision?: number; keysOnly?: boolean; countOnly?: boolean } = {}) {
    try {
      const reply = request({ op: 'range', client: this.client, key, prefix, ...extra }, 'range');
      this.see(reply.revision);
      return reply;
    } catch (err) {
      throw this.expired(err, extra.revision ?? 0);
    }
  }

  /** A CompactedRevision as the 410 Expired a cluster answers; other errors as they are. */
  private expired(err: unknown, rv: number): unknown {
    if (!(err instanceof CompactedRevision)) return err;
    if (err.compacted > this.compacted) this.compacted = err.compacted;
    return resourceExpired(`too old resource version: ${rv} (${this.compacted})`);
  }

  currentRevision(): number {
    return this.revision;
  }

  latestRevision(): number {
    return this.range(COMPACT_REV_KEY, false, { countOnly: true }).revision;
  }

  compactedRevision(): number {
    return this.compacted;
  }

  exists(resource: string, namespace: string, name: string): boolean {
    return this.mirror.get(this.key(resource, namespace, name)) !== undefined;
  }

  get(resource: string, namespace: string, name: string): StoredRow | undefined {
    const entry = this.mirror.get(this.key(resource, namespace, name));
    return entry && { rv: entry.mod, body: withRevision(entry.value, entry.mod) };
  }

  list(resource: string, namespace: string | undefined): ListedRow[] {
    const rows: ListedRow[] = [];
    for (const { namespace: ns, name, entry } of this.mirror.objects(this.base(resource), namespace)) {
      rows.push({ namespace: ns, name, rv: entry.mod, body: withRevision(entry.value, entry.mod) });
    }
    return sortRows(rows);
  }

  listVersions(resource: string): Omit<ListedRow, 'body'>[] {
    const rows: Omit<ListedRow, 'body'>[] = [];
    for (const { namespace, name, entry } of this.mirror.objects(this.base(resource))) rows.push({ namespace, name, rv: entry.mod });
    return rows;
  }

  count(resource: string): number {
    let n = 0;
    for (const _ of this.mirror.objects(this.base(resource))) n++;
    return n;
  }

  /** The objects under a resource (or one namespace of it) at revision `rv`, read from etcd. */
  listAt(resource: string, namespace: string | undefined, rv: number): ListedRow[] {
    const base = this.base(resource);
    const from = namespace ? `${base}${namespace}/` : base;
    const rows: ListedRow[] = [];
    for (const kv of this.range(from, true, { revision: rv }).kvs) {
      const owner = this.ownerOf(kv.key, resource);
      if (owner) rows.push({ namespace: owner.namespace, name: owner.name, rv: kv.mod, body: withRevision(kv.value!, kv.mod) });
    }
    return sortRows(rows);
  }

  getAt(resource: string, namespace: string, name: string, rv: number): LogRow | undefined {
    const kv = this.range(this.key(resource, namespace, name), false, { revision: rv }).kvs[0];
    if (!kv) return undefined;
    const body = withRevision(kv.value!, kv.mod);
    return { id: kv.mod, resource, namespace, name, type: kv.created === kv.mod ? 'ADDED' : 'MODIFIED', body, prevBody: null };
  }

  nextRevision(): number {
    return this.revision + 1;
  }

  commit(changes: { change: Change; rv: number; expectRv: number }[]): number[] | undefined {
    const writes = changes.map(({ change, expectRv }) => {
      const key = this.key(change.resource, change.namespace, change.name);
      return change.type === 'DELETED' ? { key, expectMod: expectRv } : { key, value: change.body, expectMod: expectRv };
    });
    if (writes.some((w) => w.value === undefined && w.expectMod === 0)) return undefined;
    const reply = request({ op: 'txn', client: this.client, writes }, 'txn');
    this.see(reply.revision);
    if (!reply.succeeded) {
      // The copy was stale: what etcd holds now is what the writer's retry reads.
      writes.forEach((w, i) => {
        const now = reply.current?.[i];
        if (now) this.mirror.put(now as EtcdKv & { value: string });
        else this.mirror.delete(w.key, reply.revision);
      });
      return undefined;
    }
    for (const w of writes) {
      if (w.value === undefined) this.mirror.delete(w.key, reply.revision);
      else this.mirror.put({ key: w.key, value: w.value, mod: reply.revision, created: w.expectMod === 0 ? reply.revision : 0 });
    }
    return changes.map(() => reply.revision);
  }

  eventsAfter(rv: number, until: number, resource?: string): LogRow[] {
    if (rv < this.compacted) throw resourceExpired(`too old resource version: ${rv} (${this.compacted})`);
    let events;
    try {
      events = request({ op: 'history', client: this.client, after: rv, until }, 'history').events;
    } catch (err) {
      throw this.expired(err, rv);
    }
    const rows: LogRow[] = [];
    for (const ev of events) {
      this.mirrorEvent(ev);
      const row = this.rowOf(ev, resource);
      if (row) rows.push(row);
    }
    return rows;
  }

  /** One change of etcd's history as a log row, if the key is an object's (of `resource` only, when given). */
  rowOf(ev: EtcdEvent, resource?: string): LogRow | undefined {
    const owner = this.ownerOf(ev.kv.key, resource);
    if (!owner) return undefined;
    const id = ev.kv.mod;
    const prevBody = ev.prev ? withRevision(ev.prev.value!, ev.prev.mod) : null;
    if (ev.type === 'delete') {
      // etcd keeps no value for a delete: the event carries the last state at the delete's revision.
      if (!ev.prev) return undefined;
      return { id, ...owner, type: 'DELETED', body: withRevision(ev.prev.value!, id), prevBody };
    }
    const type = ev.kv.created === ev.kv.mod ? 'ADDED' : 'MODIFIED';
    return { id, ...owner, type, body: withRevision(ev.kv.value!, id), prevBody };
  }

  /**
   * What every writer of this store's keys commits, as a stream (what a replica follows to see its
   * peers' changes); the store's revision moves on with it.
   */
  changes(): ChangeStream {
    const stream = new EtcdChangeStream(this.servers, `${this.root}/`, (ev) => {
      this.see(ev.kv.mod);
      this.mirrorEvent(ev);
      this.mirror.settle(ev.kv.mod);
      return this.rowOf(ev);
    });
    return {
      start: (after, handlers) =>
        stream.start(after, {
          changes: handlers.changes,
          // Changes were compacted before they arrived: the copy is read again, then the follower goes on.
          compacted: (last) => {
            this.load();
            return handlers.compacted(last);
          },
        }),
      stop: () => stream.stop(),
    };
  }

  /** The resource, namespace and name a key belongs to (only `resource` when given), if it is an object's key. */
  private ownerOf(key: string, resource: string | undefined): { resource: string; namespace: string; name: string } | undefined {
    const candidates = resource === undefined ? [...this.prefixes.keys()] : [resource];
    for (const r of candidates) {
      const base = this.base(r);
      if (!key.startsWith(base)) continue;
      const rest = key.slice(base.length);
      // `services/specs/` is not an object of a resource whose prefix is `services`.
      if (rest.split('/').length > 2) continue;
      return { resource: r, ...nameOf(base, key) };
    }
    return undefined;
  }

  /** A committed transaction is on a quorum of members already. */
  whenDurable(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Compacts etcd's history up to `revision` (recorded in compact_rev_key first, as
   * kube-apiserver does): watches and paged lists from before it answer 410 Expired.
   */
  compact(revision = this.revision): number {
    if (revision <= this.compacted) return this.compacted;
    try {
      const reply = request({ op: 'compact', client: this.client, revision }, 'compact');
      this.compacted = Math.max(this.compacted, reply.compacted);
      this.see(reply.revision);
    } catch (err) {
      if (!(err instanceof CompactedRevision)) throw err;
      this.compacted = Math.max(this.compacted, err.compacted);
    }
    return this.compacted;
  }

  /** Each tick compacts to where the store was at the tick before: one interval of history stays. */
  private compactTick(): void {
    if (this.closed) return;
    const target = this.compactNext;
    this.compactNext = this.revision;
    if (target > this.compacted) this.compact(target);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    request({ op: 'close', client: this.client }, 'close');
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** In (namespace, name) order as SQLite lists them (continue tokens compare namespace, then name). */
function sortRows<R extends { namespace: string; name: string }>(rows: R[]): R[] {
  return rows.sort((a, b) => (a.namespace === b.namespace ? compare(a.name, b.name) : compare(a.namespace, b.namespace)));
}

/** The namespace ('' when cluster-scoped) and name of a key under `base`. */
function nameOf(base: string, key: string): { namespace: string; name: string } {
  const rest = key.slice(base.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { namespace: '', name: rest } : { namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

/** The stored JSON with `rv` as its resourceVersion (rewritten only when the value carries another). */
function withRevision(body: string, rv: number): string {
  if (body.includes(`"resourceVersion":"${rv}"`)) return body;
  const obj = JSON.parse(body) as { metadata?: { resourceVersion?: string } };
  if (!obj.metadata) return body;
  obj.metadata.resourceVersion = String(rv);
  return stringifyGo(obj);
}

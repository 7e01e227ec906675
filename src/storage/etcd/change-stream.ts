/**
 * The changes every replica commits to one etcd, as a change stream: an etcd watch on the key
 * prefix from the revision the follower has seen, with each key's previous value, decoded back to
 * log rows. The etcd3 client reconnects a broken watch from the last revision it saw; etcd
 * cancelling the watch (its start revision was compacted) is reported as a gap, after which the
 * watch starts again from the revision the follower re-read up to.
 */
import { createRequire } from 'node:module';
import type * as EtcdClient from 'etcd3';
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import type { LogRow } from '../object-store.js';
import type { ChangeStream, ChangeStreamHandlers } from '../change-stream.js';
import type { EtcdEvent, EtcdKv } from './etcd-protocol.js';

/** One watched key's change as a log row; undefined for keys that are not objects (bookkeeping). */
export type RowDecoder = (ev: EtcdEvent) => LogRow | undefined;

function kvOf(kv: IKeyValue): EtcdKv {
  return { key: kv.key.toString(), value: kv.value.toString(), mod: Number(kv.mod_revision), created: Number(kv.create_revision) };
}

/** How long to wait before watching again after the watch failed outright. */
const RETRY_MS = 500;
/** How long stop waits for a watch still being created. */
const STOP_WAIT_MS = 2000;

export class EtcdChangeStream implements ChangeStream {
  private watcher: Watcher | undefined;
  private handlers: ChangeStreamHandlers | undefined;
  /** The revision of the last change handed on. */
  private after = 0;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  /** A watch being created: stop waits for it, since closing the client under it leaves the client retrying. */
  private creating: Promise<Watcher> | undefined;

  private readonly client: Etcd3;

  /** Watches `prefix` on the etcd at `servers` with a client of its own (closed by `stop`). */
  constructor(
    servers: string[],
    private readonly prefix: string,
    private readonly decode: RowDecoder,
  ) {
    // etcd3 (and gRPC under it) is loaded on first use: importing it costs hundreds of milliseconds a start on SQLite never needs.
    const { Etcd3: Client } = createRequire(import.meta.url)('etcd3') as typeof EtcdClient;
    this.client = new Client({ hosts: servers });
  }

  start(afterRevision: number, handlers: ChangeStreamHandlers): void {
    if (this.handlers) throw new Error('a change stream starts once');
    this.handlers = handlers;
    this.after = afterRevision;
    void this.watch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.cancel().catch(() => {});
    const creating = this.creating;
    if (creating) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS, undefined)));
      const created = await Promise.race([creating.catch(() => undefined), late]);
      clearTimeout(timer);
      await created?.cancel().catch(() => {});
    }
    this.client.close();
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    let watcher: Watcher;
    try {
      this.creating = this.client
        .watch()
        .prefix(this.prefix)
        .startRevision(String(this.after + 1))
        .withPreviousKV()
        .create();
      watcher = await this.creating;
    } catch {
      this.again();
      return;
    } finally {
      this.creating = undefined;
    }
    // stop() cancels a watcher it waited for.
    if (this.stopped) return;
    this.watcher = watcher;
    watcher.on('data', (res) => {
      if (this.watcher !== watcher) return;
      const rows: LogRow[] = [];
      for (const ev of res.events) {
        const rv = Number(ev.kv.mod_revision);
        // Several keys of one transaction share its revision: only an older one was delivered already.
        if (rv < this.after) continue;
        const row = this.decode({
          type: ev.type === 'Delete' ? 'delete' : 'put',
          kv: kvOf(ev.kv),
          ...(ev.prev_kv ? { prev: kvOf(ev.prev_kv) } : {}),
        });
        this.after = rv;
        if (row) rows.push(row);
      }
      if (rows.length) this.handlers!.changes(rows);
    });
    // etcd cancels a watch whose start revision was compacted: the changes in between are gone.
    // The client has dropped the cancelled watcher already (cancelling it again would confuse it).
    watcher.on('error', () => {
      if (this.watcher !== watcher) return;
      this.watcher = undefined;
      if (this.stopped) return;
      this.after = this.handlers!.compacted(this.after);
      void this.watch();
    });
  }

  private again(): void {
    if (!this.stopped) this.retry = setTimeout(() => void this.watch(), RETRY_MS);
  }
}

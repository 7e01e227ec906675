/**
 * The etcd v3 client of EtcdStore, in a worker thread: the store blocks on each request (synckit
 * answers it through shared memory), so the registry stays synchronous while the etcd3 client
 * here is asynchronous. One worker serves every EtcdStore of the process, each by its client id.
 */
import { Etcd3, Range, type IEvent, type IKeyValue, type Watcher } from 'etcd3';
import { runAsWorker } from 'synckit';
import { COMPACT_REV_KEY, type EtcdEvent, type EtcdKv, type EtcdReply, type EtcdRequest, type EtcdWrite } from './etcd-protocol.js';

const clients = new Map<number, Etcd3>();
const tails = new Map<number, HistoryTail>();
const CALL_DEADLINE_MS = 10_000;
/** How long a history read waits for the tail to bring revisions etcd has committed. */
const TAIL_WAIT_MS = 1_000;
let nextClient = 1;

const ALL_KEYS = new Range(Buffer.from([0]), Buffer.from([0]));

function kvOf(kv: IKeyValue, withValue = true): EtcdKv {
  const out: EtcdKv = { key: kv.key.toString('utf8'), mod: Number(kv.mod_revision), created: Number(kv.create_revision) };
  if (withValue) out.value = kv.value.toString('utf8');
  return out;
}

function clientOf(id: number): Etcd3 {
  const c = clients.get(id);
  if (!c) throw new Error(`etcd client ${id} is closed`);
  return c;
}

function isCompacted(err: unknown): boolean {
  return err instanceof Error && /required revision has been compacted/.test(err.message);
}

/** The compaction point kube-apiservers share through compact_rev_key (0 when none ran). */
async function compactedRevision(client: Etcd3): Promise<number> {
  const res = await client.kv.range({ key: Buffer.from(COMPACT_REV_KEY) });
  const kv = res.kvs[0];
  return kv ? Number(kv.value.toString('utf8')) || 0 : 0;
}

function writeOp(w: EtcdWrite) {
  const key = Buffer.from(w.key);
  return w.value === undefined ? { request_delete_range: { key } } : { request_put: { key, value: Buffer.from(w.value) } };
}

/** Every event of the whole keyspace after `after` up to `until`: each revision between them has one at least. */
async function history(client: Etcd3, after: number, until: number): Promise<EtcdEvent[]> {
  if (until <= after) return [];
  const watcher = await client
    .watch()
    .inRange(ALL_KEYS)
    .startRevision(String(after + 1))
    .withPreviousKV()
    .create();
  try {
    return await new Promise<EtcdEvent[]>((resolve, reject) => {
      const events: EtcdEvent[] = [];
      watcher.on('error', reject);
      watcher.on('data', (res) => {
        for (const ev of res.events) {
          const mod = Number(ev.kv.mod_revision);
          if (mod > until) return resolve(events);
          events.push(eventOf(ev));
          if (mod === until && ev === res.events[res.events.length - 1]) return resolve(events);
        }
      });
    });
  } finally {
    await watcher.cancel();
  }
}

/**
 * The recent history, kept by a watch of the whole keyspace from the revision the client opened
 * at: what a replica reads to publish its peers' changes before its own write (usually the last
 * few revisions) without opening a watch for each read. Holds whole revisions, the newest
 * MAX_TAIL_EVENTS events at most; an older range is read by a watch of its own (`history`).
 */
const MAX_TAIL_EVENTS = 20_000;
class HistoryTail {
  private events: EtcdEvent[] = [];
  /** Every revision after `from` up to `last` is in `events`. */
  private from: number;
  private last: number;
  private waiters: (() => void)[] = [];
  private watcher: Watcher | undefined;
  private broken = false;

  constructor(client: Etcd3, revision: number) {
    this.from = revision;
    this.last = revision;
    void client
      .watch()
      .inRange(ALL_KEYS)
      .startRevision(String(revision + 1))
      .withPreviousKV()
      .create()
      .then(
        (watcher) => {
          this.watcher = watcher;
          watcher.on('data', (res) => {
            for (const ev of res.events) this.events.push(eventOf(ev));
            const lastEvent = res.events[res.events.length - 1];
            if (lastEvent) this.last = Number(lastEvent.kv.mod_revision);
            this.trim();
            for (const wake of this.waiters.splice(0)) wake();
          });
          watcher.on('error', () => (this.broken = true));
        },
        () => (this.broken = true),
      );
  }

  private trim(): void {
    if (this.events.length <= MAX_TAIL_EVENTS) return;
    let cut = this.events.length - MAX_TAIL_EVENTS;
    // Whole revisions only: a transaction's events share one.
    while (cut < this.events.length && this.events[cut].kv.mod === this.events[cut - 1].kv.mod) cut++;
    this.from = this.events[cut - 1].kv.mod;
    this.events = this.events.slice(cut);
  }

  /** The events after `after` up to `until`, or undefined when the tail does not hold them (soon enough). */
  async read(after: number, until: number): Promise<EtcdEvent[] | undefined> {
    if (this.broken || after < this.from) return undefined;
    const deadline = Date.now() + TAIL_WAIT_MS;
    while (this.last < until) {
      const left = deadline - Date.now();
      if (left <= 0 || this.broken) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (after < this.from) return undefined;
    return this.events.filter((ev) => ev.kv.mod > after && ev.kv.mod <= until);
  }

  async close(): Promise<void> {
    this.broken = true;
    await this.watcher?.cancel().catch(() => {});
  }
}

function eventOf(ev: IEvent): EtcdEvent {
  const event: EtcdEvent = { type: ev.type === 'Delete' ? 'delete' : 'put', kv: kvOf(ev.kv, ev.type !== 'Delete') };
  if (ev.prev_kv) event.prev = kvOf(ev.prev_kv);
  return event;
}

async function handle(req: EtcdRequest): Promise<EtcdReply> {
  switch (req.op) {
    case 'open': {
      // A request that etcd cannot answer fails after a deadline (the registry answers 500) instead of waiting on.
      const client = new Etcd3({
        hosts: req.servers,
        dialTimeout: req.dialTimeoutMs,
        defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + CALL_DEADLINE_MS }),
        // A list of every pod of a large cluster is more than gRPC's default 4 MB answer.
        grpcOptions: { 'grpc.max_receive_message_length': -1 },
      });
      const res = await client.kv.range({ key: Buffer.from(COMPACT_REV_KEY) });
      const id = nextClient++;
      clients.set(id, client);
      const kv = res.kvs[0];
      const revision = Number(res.header.revision);
      tails.set(id, new HistoryTail(client, revision));
      return { op: 'open', client: id, revision, compacted: kv ? Number(kv.value.toString('utf8')) || 0 : 0 };
    }
    case 'close': {
      const client = clients.get(req.client);
      clients.delete(req.client);
      await tails.get(req.client)?.close();
      tails.delete(req.client);
      client?.close();
      return { op: 'close' };
    }
    case 'range': {
      const client = clientOf(req.client);
      const range = req.prefix ? Range.prefix(req.key) : undefined;
      const res = await client.kv.range({
        key: range ? range.start : Buffer.from(req.key),
        ...(range ? { range_end: range.end } : {}),
        ...(req.revision ? { revision: req.revision } : {}),
        keys_only: Boolean(req.keysOnly),
        count_only: Boolean(req.countOnly),
      });
      return {
        op: 'range',
        revision: Number(res.header.revision),
        count: Number(res.count),
        kvs: res.kvs.map((kv) => kvOf(kv, !req.keysOnly)),
      };
    }
    case 'txn': {
      const client = clientOf(req.client);
      const compare = req.writes.map((w) =>
        w.expectMod === 0
          ? { key: Buffer.from(w.key), target: 'Create' as const, result: 'Equal' as const, create_revision: 0 }
          : { key: Buffer.from(w.key), target: 'Mod' as const, result: 'Equal' as const, mod_revision: w.expectMod },
      );
      // A failed compare reads the keys back in the same round trip: the writer's copy was stale.
      const failure = req.writes.map((w) => ({ request_range: { key: Buffer.from(w.key) } }));
      const res = await client.kv.txn({ compare, success: req.writes.map(writeOp), failure });
      const revision = Number(res.header.revision);
      if (res.succeeded) return { op: 'txn', succeeded: true, revision };
      const current = res.responses.map((r) => {
        const kv = r.response_range?.kvs[0];
        return kv ? kvOf(kv) : null;
      });
      return { op: 'txn', succeeded: false, revision, current };
    }
    case 'history': {
      const client = clientOf(req.client);
      const recent = await tails.get(req.client)?.read(req.after, req.until);
      return { op: 'history', events: recent ?? (await history(client, req.after, req.until)) };
    }
    case 'compact': {
      // As kube-apiserver's compactor: move compact_rev_key on (only if no one else moved it
      // meanwhile, and never back), then compact etcd there.
      const client = clientOf(req.client);
      const key = Buffer.from(COMPACT_REV_KEY);
      const current = (await client.kv.range({ key })).kvs[0];
      const recorded = current ? Number(current.value.toString('utf8')) || 0 : 0;
      if (req.revision <= recorded) return { op: 'compact', compacted: recorded, revision: 0 };
      const moved = await client.kv.txn({
        compare: [{ key, target: 'Version', result: 'Equal', version: current?.version ?? 0 }],
        success: [{ request_put: { key, value: Buffer.from(String(req.revision)) } }],
        failure: [],
      });
      if (!moved.succeeded) return { op: 'compact', compacted: await compactedRevision(client), revision: Number(moved.header.revision) };
      await client.kv.compact({ revision: req.revision, physical: true });
      return { op: 'compact', compacted: req.revision, revision: Number(moved.header.revision) };
    }
  }
}

runAsWorker(async (req: EtcdRequest): Promise<EtcdReply> => {
  try {
    return await handle(req);
  } catch (err) {
    if (!isCompacted(err) || !('client' in req)) throw err;
    return { op: 'compacted', compacted: await compactedRevision(clientOf(req.client)) };
  }
});

/**
 * The etcd v3 client of EtcdStore, in a worker thread: the store blocks on each request (synckit
 * answers it through shared memory), so the registry stays synchronous while the etcd3 client
 * here is asynchronous. One worker serves every EtcdStore of the process, each by its client id.
 */
import { Etcd3, Range, type IKeyValue } from 'etcd3';
import { runAsWorker } from 'synckit';
import { COMPACT_REV_KEY, type EtcdEvent, type EtcdKv, type EtcdReply, type EtcdRequest, type EtcdWrite } from './etcd-protocol.js';

const clients = new Map<number, Etcd3>();
const CALL_DEADLINE_MS = 10_000;
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
          const event: EtcdEvent = { type: ev.type === 'Delete' ? 'delete' : 'put', kv: kvOf(ev.kv, ev.type !== 'Delete') };
          if (ev.prev_kv) event.prev = kvOf(ev.prev_kv);
          events.push(event);
          if (mod === until && ev === res.events[res.events.length - 1]) return resolve(events);
        }
      });
    });
  } finally {
    await watcher.cancel();
  }
}

async function handle(req: EtcdRequest): Promise<EtcdReply> {
  switch (req.op) {
    case 'open': {
      // A request that etcd cannot answer fails after a deadline (the registry answers 500) instead of waiting on.
      const client = new Etcd3({
        hosts: req.servers,
        dialTimeout: req.dialTimeoutMs,
        defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + CALL_DEADLINE_MS }),
      });
      const res = await client.kv.range({ key: Buffer.from(COMPACT_REV_KEY) });
      const id = nextClient++;
      clients.set(id, client);
      const kv = res.kvs[0];
      return { op: 'open', client: id, revision: Number(res.header.revision), compacted: kv ? Number(kv.value.toString('utf8')) || 0 : 0 };
    }
    case 'close': {
      const client = clients.get(req.client);
      clients.delete(req.client);
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
      const res = await client.kv.txn({ compare, success: req.writes.map(writeOp), failure: [] });
      return { op: 'txn', succeeded: res.succeeded, revision: Number(res.header.revision) };
    }
    case 'history':
      return { op: 'history', events: await history(clientOf(req.client), req.after, req.until) };
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

/**
 * kubemock on etcd (issue 17): one single-member etcd of its own (/usr/bin/etcd or $ETCD_BIN, free
 * loopback ports; skipped with a line when etcd is missing), and kubemock replicas as processes of
 * their own (test/helpers/replicas.ts, kubemock from src/ through tsx), each cluster under a key
 * prefix of its own. Measured:
 * - convergence: N nodes (BENCH_ETCD_NODES, default 5,000; BENCH_QUICK: 200) × 1 DaemonSet, from the
 *   DaemonSet's POST until its status counts every pod scheduled, Ready and available, then the pods
 *   listed Running and Ready; with one replica (no election) and with two (leader election on,
 *   kubelets sharded, timed once both hold shards). A run that does not converge within
 *   BENCH_ETCD_LIMIT_S (default 300 s) is an error row saying how many pods it reached;
 * - GET and POST throughput (ConfigMaps, autocannon from this process) against one replica and
 *   spread over two (half the connections each, same etcd): req/s and the two/one ratio;
 * - failover: kill -9 of the replica leading the controllers (lease 2 s, retry 0.5 s), a node
 *   added through the survivor at that instant; timed from the kill: the survivor holding the
 *   controller Lease, its pod for the new node created, and that pod Ready (median of 3).
 * BENCH_ETCD_PARTS (comma-separated: one, two, throughput, failover; default all) runs some of them.
 */
import { randomUUID } from 'node:crypto';
import { nodeManifest } from '../../src/control/bootstrap.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../../test/helpers/etcd.js';
import { startReplica, type Replica } from '../../test/helpers/replicas.js';
import { create, mapLimit, request } from '../lib/client.js';
import { runLoad, type LoadOptions, type LoadResult } from '../lib/load.js';
import { mean } from '../lib/load-rows.js';
import type { BenchContext, ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { positiveIntFromEnv } from '../lib/env.js';
import { median } from '../lib/stats.js';

const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const PODS = '/api/v1/namespaces/default/pods';
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases';
const CONTROLLER_LEASE = `${LEASES}/kube-controller-manager`;
const SHARD_LEASE_PREFIX = 'kubemock-kubelet-shard-';
const FAILOVER_TIMING = { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 500 };
const FAILOVER_RUNS = 3;
const PREFILL = 200;

interface Obj {
  metadata: { name: string };
  spec?: { holderIdentity?: string };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
  };
}
type Json = Obj & { items: Obj[] };

const isReady = (p: Obj) => p.status?.phase === 'Running' && !!p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson(r: Replica, path: string): Promise<Json> {
  const res = await request(r.url, 'GET', path);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
  return JSON.parse(res.text) as Json;
}

/** Polls `check` every `intervalMs` until it gives a value; undefined after `limitMs`. */
async function until<T>(limitMs: number, intervalMs: number, check: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (performance.now() > deadline) return undefined;
    await sleep(intervalMs);
  }
}

const daemonSet = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
  },
});

async function startCluster(etcd: EtcdCluster, count: number, opts: { controllers: boolean; timing?: object }): Promise<Replica[]> {
  const prefix = `/kubemock-bench-${randomUUID()}`;
  const replicas: Replica[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const name = String.fromCharCode(97 + i);
      const leaderElection = count > 1 && opts.controllers ? { ...opts.timing, identity: name } : undefined;
      replicas.push(await startReplica(name, { endpoints: etcd.endpoints, prefix, controllers: opts.controllers, leaderElection }));
    }
  } catch (e) {
    await Promise.all(replicas.map((r) => r.kill()));
    throw e;
  }
  return replicas;
}

async function addNodes(r: Replica, from: number, to: number): Promise<void> {
  const indexes = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  await mapLimit(indexes, 16, (i) => create(r.url, '/api/v1/nodes', JSON.stringify(nodeManifest(`node-${i}`, i, Date.now()))));
}

/** Shard Lease holders → how many shards each holds. */
async function shardHolders(r: Replica): Promise<Map<string, number>> {
  const leases = await getJson(r, LEASES);
  const held = new Map<string, number>();
  for (const l of leases.items) {
    const holder = l.spec?.holderIdentity;
    if (l.metadata.name.startsWith(SHARD_LEASE_PREFIX) && holder) held.set(holder, (held.get(holder) ?? 0) + 1);
  }
  return held;
}

async function convergence(ctx: BenchContext, etcd: EtcdCluster, count: 1 | 2, nodes: number, limitMs: number): Promise<ResultRow> {
  const subject = `${nodes} nodes × 1 ds, ${count === 1 ? 'one replica' : 'two replicas'}`;
  ctx.log(`  convergence: ${subject}`);
  const replicas = await startCluster(etcd, count, { controllers: true });
  try {
    const [a] = replicas;
    const t = performance.now();
    await addNodes(a, 1, nodes);
    ctx.log(`    ${nodes} nodes created in ${Math.round(performance.now() - t)} ms`);
    if (count === 2) {
      const spread = await until(120_000, 500, async () => ((await shardHolders(a)).size === 2 ? true : undefined));
      if (!spread) throw new Error('the two replicas did not come to hold a shard each within 120 s');
    }
    // The node controllers, Leases and kubelets settle before the clock starts.
    await sleep(2000);
    const started = performance.now();
    await create(a.url, DS, JSON.stringify(daemonSet('bench')));
    let lastReady = 0;
    let lastLog = performance.now();
    const statusDone = await until(limitMs, 200, async () => {
      const s = (await getJson(a, `${DS}/bench`)).status ?? {};
      lastReady = s.numberReady ?? 0;
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        ctx.log(
          `    ${Math.round((lastLog - started) / 1000)} s: scheduled ${s.currentNumberScheduled ?? 0}, ready ${lastReady} of ${nodes}`,
        );
      }
      const exact = [s.desiredNumberScheduled, s.currentNumberScheduled, s.updatedNumberScheduled, s.numberReady, s.numberAvailable];
      return exact.every((v) => v === nodes) ? true : undefined;
    });
    const ms = statusDone ? Math.round(performance.now() - started) : null;
    // A LIST of thousands of pods can fail on etcd (gRPC's 4 MB answer limit): then counted as unknown.
    const pods = await getJson(a, `${PODS}?labelSelector=app%3Dbench`).then(
      (l) => l.items,
      (e: Error) => (ctx.log(`    listing the pods failed: ${e.message.slice(0, 300)}`), undefined),
    );
    const ready = pods ? pods.filter(isReady).length : null;
    ctx.log(`    ${ms === null ? 'not converged' : `converged in ${ms} ms`}: ${ready} of ${nodes} pods Running and Ready`);
    for (const r of replicas) {
      const warnings = r.stderr().trim().split('\n').filter(Boolean);
      if (warnings.length) ctx.log(`    replica ${r.name}: ${warnings.length} warning line(s), first: ${warnings[0].slice(0, 300)}`);
    }
    const row: ResultRow = { subject, values: { 'converge ms': ms, pods: pods?.length ?? null, ready } };
    if (ms !== null && ready === null)
      row.note = 'DaemonSet status exact; the pods could not be listed (a LIST over 4 MB fails on etcd: gRPC answer limit)';
    else if (ms === null || ready !== nodes)
      row.error = `did not converge within ${limitMs / 1000} s: DaemonSet status numberReady ${lastReady}, ${ready ?? 'unknown (LIST failed)'} of ${nodes} pods Running and Ready`;
    else row.note = count === 2 ? 'leader election on, kubelets in 8 shards over both' : 'no election, everything in one process';
    return row;
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
  }
}

/** Req/s of one load spec over the replicas given, the connections split between them. */
async function spread(
  ctx: BenchContext,
  replicas: Replica[],
  spec: Omit<LoadOptions, 'baseUrl' | 'durationSeconds' | 'connections'>,
  seconds: number,
) {
  const connections = Math.max(1, Math.floor(ctx.connections / replicas.length));
  const results: LoadResult[] = await Promise.all(
    replicas.map((r) => runLoad({ ...spec, baseUrl: r.url, durationSeconds: seconds, connections })),
  );
  const failed = results.find((r) => r.error);
  if (failed) throw new Error(failed.error);
  return {
    reqPerSec: results.reduce((sum, r) => sum + r.figures!.reqPerSec, 0),
    p50: mean(results.map((r) => r.figures!.latencyP50Ms)),
    p99: Math.max(...results.map((r) => r.figures!.latencyP99Ms)),
  };
}

async function throughput(ctx: BenchContext, etcd: EtcdCluster): Promise<ResultRow[]> {
  ctx.log('  throughput: one replica against two (API only, controllers off)');
  const replicas = await startCluster(etcd, 2, { controllers: false });
  try {
    const names = Array.from({ length: PREFILL }, (_, i) => `cm-${i}`);
    await mapLimit(names, 8, (name) =>
      create(replicas[0].url, CONFIGMAPS, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } })),
    );
    // The second replica sees the first's writes through the change feed.
    const seen = await until(60_000, 200, async () =>
      (await getJson(replicas[1], CONFIGMAPS)).items.length === PREFILL ? true : undefined,
    );
    if (!seen) throw new Error('the second replica did not see the prefilled ConfigMaps');
    const specs = {
      GET: { method: 'GET' as const, path: names.map((n) => `${CONFIGMAPS}/${n}`) },
      POST: {
        method: 'POST' as const,
        path: CONFIGMAPS,
        body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'load-' }, data: { k: 'v' } }),
      },
    };
    const rows: ResultRow[] = [];
    for (const [verb, spec] of Object.entries(specs)) {
      const sets = { one: [replicas[0]], two: replicas };
      for (const set of Object.values(sets)) await spread(ctx, set, spec, ctx.warmupSeconds);
      const figures: Record<'one' | 'two', Awaited<ReturnType<typeof spread>>[]> = { one: [], two: [] };
      for (let round = 0; round < ctx.rounds; round++) {
        const order = round % 2 === 0 ? (['one', 'two'] as const) : (['two', 'one'] as const);
        for (const which of order) {
          ctx.log(`    ${verb} round ${round + 1}/${ctx.rounds}: ${which} replica(s) (${ctx.durationSeconds} s)`);
          figures[which].push(await spread(ctx, sets[which], spec, ctx.durationSeconds));
        }
      }
      // As the crud scenarios' ratios: the median of the rounds' own ratios, each taken back to back.
      const twoOverOne = median(figures.two.map((f, i) => f.reqPerSec / figures.one[i].reqPerSec));
      for (const which of ['one', 'two'] as const) {
        const f = figures[which];
        const reqPerSec = mean(f.map((x) => x.reqPerSec));
        rows.push({
          subject: `${verb}, ${which} replica${which === 'one' ? '' : 's'}`,
          values: {
            'req/s': reqPerSec,
            'p50 ms': mean(f.map((x) => x.p50)),
            'p99 ms': Math.max(...f.map((x) => x.p99)),
            'two/one': which === 'two' ? twoOverOne : null,
          },
          note: `${ctx.connections} connections${which === 'two' ? ', half on each' : ''}; ConfigMaps; load from the bench process`,
          details: f,
        });
      }
    }
    return rows;
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
  }
}

async function failoverOnce(ctx: BenchContext, etcd: EtcdCluster, run: number) {
  const replicas = await startCluster(etcd, 2, { controllers: true, timing: FAILOVER_TIMING });
  try {
    const [a] = replicas;
    await addNodes(a, 1, 3);
    await create(a.url, DS, JSON.stringify(daemonSet('failover')));
    const holder = async (r: Replica) => (await getJson(r, CONTROLLER_LEASE)).spec?.holderIdentity;
    const settled = await until(60_000, 200, async () => {
      const s = (await getJson(a, `${DS}/failover`)).status ?? {};
      return s.numberReady === 3 && (await shardHolders(a)).size === 2 ? await holder(a) : undefined;
    });
    const leader = replicas.find((r) => r.name === settled);
    if (!leader) throw new Error(`failover: no settled leader (${settled})`);
    const survivor = replicas.find((r) => r !== leader)!;
    await leader.kill();
    const died = performance.now();
    await create(survivor.url, '/api/v1/nodes', JSON.stringify(nodeManifest('node-4', 4, Date.now())));
    const since = (ok: boolean | undefined) => (ok ? performance.now() - died : undefined);
    const onNode4 = async () =>
      (await getJson(survivor, `${PODS}?labelSelector=app%3Dfailover&fieldSelector=spec.nodeName%3Dnode-4`)).items;
    const leading = await until(60_000, 20, async () => since((await holder(survivor)) === survivor.name));
    const acting = await until(60_000, 20, async () => since((await onNode4()).length === 1));
    const running = await until(60_000, 20, async () => since((await onNode4()).some(isReady)));
    if (leading === undefined || acting === undefined || running === undefined) throw new Error('failover did not complete within 60 s');
    ctx.log(
      `    run ${run + 1}: leading after ${Math.round(leading)} ms, pod created ${Math.round(acting)} ms, Ready ${Math.round(running)} ms`,
    );
    return { leading, acting, running };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
  }
}

async function failover(ctx: BenchContext, etcd: EtcdCluster): Promise<ResultRow> {
  ctx.log('  failover: kill -9 of the leading replica');
  const runs = [];
  for (let run = 0; run < (ctx.quick ? 1 : FAILOVER_RUNS); run++) runs.push(await failoverOnce(ctx, etcd, run));
  return {
    subject: 'failover, two replicas',
    values: {
      'acting ms': median(runs.map((r) => r.acting)),
      'leading ms': median(runs.map((r) => r.leading)),
      'running ms': median(runs.map((r) => r.running)),
      'lease ms': FAILOVER_TIMING.leaseDurationMs,
    },
    note: 'from kill -9 of the leader; acting: its DaemonSet pod for a new node created',
    details: runs,
  };
}

const ETCD_PARTS = ['one', 'two', 'throughput', 'failover'] as const;

/** The parts BENCH_ETCD_PARTS names (comma-separated; default all): convergence with one or two replicas, throughput, failover. */
function etcdParts(): Set<string> {
  const raw = process.env.BENCH_ETCD_PARTS;
  if (!raw) return new Set(ETCD_PARTS);
  const parts = raw.split(',').map((p) => p.trim());
  const unknown = parts.filter((p) => !(ETCD_PARTS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`BENCH_ETCD_PARTS: unknown part ${unknown.join(', ')} (known: ${ETCD_PARTS.join(', ')})`);
  return new Set(parts);
}

export const etcdScenario: Scenario = {
  name: 'etcd',
  description:
    'kubemock replicas on a single-member etcd: N-node convergence with one and two replicas, GET/POST throughput one vs two replicas, failover',
  async run(ctx): Promise<ScenarioResult> {
    const missing = etcdMissing();
    if (missing) {
      ctx.log(`  skipped: ${missing}`);
      return { rows: [] };
    }
    const nodes = positiveIntFromEnv('BENCH_ETCD_NODES', ctx.quick ? 200 : 5000);
    const limitMs = positiveIntFromEnv('BENCH_ETCD_LIMIT_S', 300) * 1000;
    const parts = etcdParts();
    const etcd = await startEtcd();
    try {
      const rows: ResultRow[] = [];
      // One part failing (an error row) does not stop the others.
      const part = async (subject: string, measure: () => Promise<ResultRow | ResultRow[]>) => {
        try {
          rows.push(...[await measure()].flat());
        } catch (e) {
          rows.push({ subject, values: {}, error: (e as Error).message.split('\n')[0].slice(0, 300) });
        }
      };
      for (const count of [1, 2] as const)
        if (parts.has(count === 1 ? 'one' : 'two'))
          await part(`${nodes} nodes × 1 ds, ${count === 1 ? 'one replica' : 'two replicas'}`, () =>
            convergence(ctx, etcd, count, nodes, limitMs),
          );
      if (parts.has('throughput')) await part('GET/POST throughput', () => throughput(ctx, etcd));
      if (parts.has('failover')) await part('failover, two replicas', () => failover(ctx, etcd));
      const value = (subject: string, column: string) => {
        const v = rows.find((r) => r.subject.startsWith(subject))?.values[column];
        return typeof v === 'number' ? v : null;
      };
      return {
        rows,
        summary: {
          nodes,
          convergeOneMs: value(`${nodes} nodes × 1 ds, one`, 'converge ms'),
          convergeTwoMs: value(`${nodes} nodes × 1 ds, two`, 'converge ms'),
          getTwoOverOne: value('GET, two', 'two/one'),
          postTwoOverOne: value('POST, two', 'two/one'),
          failoverActingMs: value('failover', 'acting ms'),
        },
      };
    } finally {
      await etcd.stop();
    }
  },
};

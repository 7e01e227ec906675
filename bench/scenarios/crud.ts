/**
 * GET, LIST and POST of pods: kubemock against the bare Fastify + better-sqlite3 baseline
 * (bench/lib/bare-server.ts), each server in its own child process, load from this process.
 * Rounds alternate which server is loaded first; the kubemock/bare ratio is the median of the
 * rounds' own ratios (pairedRatio), the req/s rows the means.
 * Each scenario runs twice: both servers on in-memory databases, then both on database files
 * (rows "…, file"), so each ratio is against the ceiling on the same kind of database.
 */
import { create, mapLimit } from '../lib/client.js';
import { withCpu } from '../lib/cpu.js';
import { runLoad, type LoadOptions, type LoadResult } from '../lib/load.js';
import { loadRow, pairedRatio, type RoundFigure } from '../lib/load-rows.js';
import type { BenchContext, Scenario, ScenarioResult } from '../lib/scenario.js';
import type { DatabaseKind } from '../lib/bench-database.js';
import { withServers, type ServerHandle, type ServerKind } from '../lib/servers.js';

const PODS = '/api/v1/namespaces/default/pods';
const PREFILL_COUNT = 1000;
const PREFILL_CONCURRENCY = 8;
/** Issue 19's aims for the kubemock/bare ratio, on either kind of database. */
const TARGET_RATIO = { get: 0.75, post: 0.75, list: 0.9 } as const;
/**
 * LIST's connections: a list of 1,000 pods takes tens of milliseconds, so 32 at once queue for
 * seconds (p99 4.4 s) and the requests still in flight when a 5 s round ends made the ratio swing
 * between 0.73 and 1.02 from one run to the next; four keep each server as busy with short queues.
 */
const LIST_CONNECTIONS = 4;
const DATABASES: readonly DatabaseKind[] = ['memory', 'file'];

function podJson(metadata: Record<string, string>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } });
}

export function prefillNames(count = PREFILL_COUNT): string[] {
  return Array.from({ length: count }, (_, i) => `pod-${String(i).padStart(4, '0')}`);
}

/**
 * Creates the same pods in both servers. The bare server is given the object as kubemock stored
 * it (defaults, status and all), so both hold bodies of the same size and GET / LIST move the
 * same bytes.
 */
async function prefill(servers: Record<ServerKind, ServerHandle>, names: string[]): Promise<void> {
  await mapLimit(names, PREFILL_CONCURRENCY, async (name) => {
    const stored = await create(servers.kubemock.baseUrl, PODS, podJson({ name }));
    await create(servers.bare.baseUrl, PODS, stored);
  });
}

type LoadSpec = Omit<LoadOptions, 'baseUrl' | 'durationSeconds' | 'connections'>;

/** Warm-up of each server, then `rounds` measured runs of each, alternating the order. */
async function compare(
  ctx: BenchContext,
  servers: Record<ServerKind, ServerHandle>,
  spec: LoadSpec | Record<ServerKind, LoadSpec>,
  targetRatio: number,
  database: DatabaseKind,
  connections = ctx.connections,
): Promise<ScenarioResult> {
  const specFor = (kind: ServerKind): LoadSpec => ('kubemock' in spec ? spec[kind] : spec);
  const load = (kind: ServerKind, seconds: number) =>
    runLoad({ ...specFor(kind), baseUrl: servers[kind].baseUrl, durationSeconds: seconds, connections });
  const warmups = {} as Record<ServerKind, LoadResult>;
  for (const kind of ['kubemock', 'bare'] as const) {
    ctx.log(`  warm-up ${kind} (${ctx.warmupSeconds} s)`);
    warmups[kind] = await load(kind, ctx.warmupSeconds);
  }
  const runs: Record<ServerKind, RoundFigure[]> = { kubemock: [], bare: [] };
  for (let round = 0; round < ctx.rounds; round++) {
    const order: ServerKind[] = round % 2 === 0 ? ['kubemock', 'bare'] : ['bare', 'kubemock'];
    for (const [i, kind] of order.entries()) {
      ctx.log(`  round ${round + 1}/${ctx.rounds}: ${kind} (${ctx.durationSeconds} s)`);
      const { value: result, serverCpuPercent, clientCpuPercent } = await withCpu(servers[kind].pid, () => load(kind, ctx.durationSeconds));
      const cpu = `server ${serverCpuPercent === null ? '?' : Math.round(serverCpuPercent)} % CPU, load generator ${Math.round(clientCpuPercent)} %`;
      ctx.log(`    ${result.error ? `ERROR ${result.error}` : `${Math.round(result.figures!.reqPerSec)} req/s`} (${cpu})`);
      runs[kind].push({ round, order: i, result, serverCpuPercent, clientCpuPercent });
    }
  }
  const suffix = database === 'file' ? ', file' : '';
  const kube = loadRow(`kubemock${suffix}`, runs.kubemock, warmups.kubemock);
  const bare = loadRow(`bare${suffix}`, runs.bare, warmups.bare);
  const ratio = kube.reqPerSec !== undefined && bare.reqPerSec !== undefined ? pairedRatio(runs.kubemock, runs.bare) : null;
  kube.values['kubemock/bare'] = ratio;
  bare.values['kubemock/bare'] = null;
  if (ratio !== null) kube.note = `${ratio >= targetRatio ? 'meets' : 'below'} the ≥ ${targetRatio} aim (${database} databases)`;
  ctx.log(`  ${database} databases: kubemock/bare ${ratio === null ? '?' : ratio.toFixed(2)} (aim ≥ ${targetRatio})`);
  const { reqPerSec: kubeRps, ...kubeRow } = kube;
  const { reqPerSec: bareRps, ...bareRow } = bare;
  const key = database === 'file' ? 'File' : '';
  return {
    rows: [kubeRow, bareRow],
    summary: { [`kubemockReqPerSec${key}`]: kubeRps ?? null, [`bareReqPerSec${key}`]: bareRps ?? null, [`ratio${key}`]: ratio },
  };
}

/** Runs `measure` with both servers on in-memory databases, then with both on database files. */
async function onBothDatabases(
  ctx: BenchContext,
  measure: (servers: Record<ServerKind, ServerHandle>, database: DatabaseKind) => Promise<ScenarioResult>,
): Promise<ScenarioResult> {
  const out: Required<ScenarioResult> = { rows: [], summary: {} };
  for (const database of DATABASES) {
    ctx.log(`  both servers on ${database === 'file' ? 'database files' : 'in-memory databases'}`);
    const part = await withServers({ BENCH_TARGET: ctx.target, BENCH_DB: database }, (servers) => measure(servers, database));
    out.rows.push(...part.rows);
    Object.assign(out.summary, part.summary);
  }
  return out;
}

export const getScenario: Scenario = {
  name: 'get',
  description: `GET one pod by name, cycling over ${PREFILL_COUNT} pre-created pods`,
  run: (ctx) =>
    onBothDatabases(ctx, async (servers, database) => {
      const names = prefillNames();
      ctx.log(`  pre-creating ${names.length} pods in both servers`);
      await prefill(servers, names);
      return compare(ctx, servers, { method: 'GET', path: names.map((n) => `${PODS}/${n}`) }, TARGET_RATIO.get, database);
    }),
};

export const listScenario: Scenario = {
  name: 'list',
  description: `LIST the namespace's ${PREFILL_COUNT} pods (no limit, no selector)`,
  run: (ctx) =>
    onBothDatabases(ctx, async (servers, database) => {
      const names = prefillNames();
      ctx.log(`  pre-creating ${names.length} pods in both servers`);
      await prefill(servers, names);
      const connections = Math.min(ctx.connections, LIST_CONNECTIONS);
      ctx.log(`  ${connections} connections (see LIST_CONNECTIONS)`);
      return compare(ctx, servers, { method: 'GET', path: PODS }, TARGET_RATIO.list, database, connections);
    }),
};

export const postScenario: Scenario = {
  name: 'post',
  description:
    'POST a minimal pod with metadata.generateName; the bare server gets the pod as kubemock stores it (defaults applied), so both write and answer the same bytes',
  run: (ctx) =>
    onBothDatabases(ctx, async (servers, database) => {
      const minimal = podJson({ generateName: 'bench-' });
      const stored = JSON.parse(await create(servers.kubemock.baseUrl, PODS, minimal)) as { metadata: Record<string, unknown> };
      for (const field of ['name', 'uid', 'resourceVersion', 'creationTimestamp']) delete stored.metadata[field];
      const defaulted = JSON.stringify(stored);
      await create(servers.bare.baseUrl, PODS, defaulted);
      return compare(
        ctx,
        servers,
        { kubemock: { method: 'POST', path: PODS, body: minimal }, bare: { method: 'POST', path: PODS, body: defaulted } },
        TARGET_RATIO.post,
        database,
      );
    }),
};

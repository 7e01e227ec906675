/**
 * The same change, a DaemonSet's container image, written under load two ways: as a server-side
 * apply (`application/apply-patch+yaml`, the whole configuration, field manager "bench") and as a
 * strategic merge patch of the image alone. Every DaemonSet was created by an apply of manager
 * "bench", so both kinds of write carry and update managedFields. Each connection patches a
 * DaemonSet of its own and alternates two images unique to the run, so every request really
 * writes (checked through metadata.generation afterwards). The kubemock child runs no
 * controllers, so nothing reacts to the writes. Rounds alternate which kind goes first; the
 * apply/SMP cost is the ratio of the mean req/s (time per request of apply over that of SMP).
 */
import { request } from '../lib/client.js';
import { withCpu } from '../lib/cpu.js';
import { runLoad, type LoadRequest, type LoadResult } from '../lib/load.js';
import { loadRow, pairedRatio, type RoundFigure } from '../lib/load-rows.js';
import type { BenchContext, Scenario, ScenarioResult } from '../lib/scenario.js';
import { startServer, type ServerHandle } from '../lib/servers.js';

const DAEMONSETS = '/apis/apps/v1/namespaces/default/daemonsets';
const FIELD_MANAGER = 'bench';
/** The issue's aim: an apply costs at most twice a strategic merge patch of the same change. */
const MAX_COST_RATIO = 2;
const SETUP_IMAGE = 'registry.k8s.io/pause:3.9';

type WriteKind = 'apply' | 'smp';

interface WriteSpec {
  subject: string;
  contentType: string;
  body(name: string, image: string): string;
}

function appliedDaemonSet(name: string, image: string): string {
  const labels = { app: name };
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image }] } },
    },
  });
}

const WRITES: Record<WriteKind, WriteSpec> = {
  apply: {
    subject: 'apply',
    contentType: 'application/apply-patch+yaml',
    // JSON is YAML: the body is what `kubectl apply --server-side` sends, the whole configuration.
    body: appliedDaemonSet,
  },
  smp: {
    subject: 'strategic merge',
    contentType: 'application/strategic-merge-patch+json',
    body: (_name, image) => JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }),
  },
};

function daemonSetName(kind: WriteKind, connection: number): string {
  return `${kind}-${connection}`;
}

function patchPath(name: string): string {
  return `${DAEMONSETS}/${name}?fieldManager=${FIELD_MANAGER}`;
}

/** Creates one DaemonSet per connection and write kind, each by an apply of manager "bench". */
async function createDaemonSets(server: ServerHandle, connections: number): Promise<void> {
  for (const kind of ['apply', 'smp'] as const) {
    for (let i = 0; i < connections; i++) {
      const name = daemonSetName(kind, i);
      const res = await request(server.baseUrl, 'PATCH', patchPath(name), appliedDaemonSet(name, SETUP_IMAGE), WRITES.apply.contentType);
      if (res.status !== 201) throw new Error(`apply of DaemonSet ${name} answered ${res.status}: ${res.text.slice(0, 300)}`);
      const managers = (JSON.parse(res.text) as { metadata?: { managedFields?: { manager?: string }[] } }).metadata?.managedFields;
      if (!managers?.some((m) => m.manager === FIELD_MANAGER))
        throw new Error(`DaemonSet ${name} has no managedFields entry of ${FIELD_MANAGER}`);
    }
  }
}

/** Sum of metadata.generation over the DaemonSets of each write kind: it moves once per spec write. */
async function generations(server: ServerHandle): Promise<Record<WriteKind, number>> {
  const res = await request(server.baseUrl, 'GET', DAEMONSETS);
  if (res.status !== 200) throw new Error(`LIST daemonsets answered ${res.status}: ${res.text.slice(0, 300)}`);
  const items = (JSON.parse(res.text) as { items: { metadata: { name: string; generation: number } }[] }).items;
  const sum = (kind: WriteKind) =>
    items.filter((d) => d.metadata.name.startsWith(`${kind}-`)).reduce((total, d) => total + d.metadata.generation, 0);
  return { apply: sum('apply'), smp: sum('smp') };
}

function completed(results: LoadResult[]): number {
  return results.reduce((total, r) => total + (r.figures?.completed ?? 0), 0);
}

async function run(ctx: BenchContext): Promise<ScenarioResult> {
  const server = await startServer('kubemock', { BENCH_TARGET: ctx.target });
  try {
    ctx.log(`  creating ${2 * ctx.connections} DaemonSets by apply (field manager ${FIELD_MANAGER})`);
    await createDaemonSets(server, ctx.connections);
    const before = await generations(server);

    let loadRuns = 0;
    const load = (kind: WriteKind, seconds: number): Promise<LoadResult> => {
      // Two images unique to this run: the first request of every connection changes its DaemonSet too.
      const run = loadRuns++;
      const images = [`example.com/bench:r${run}-a`, `example.com/bench:r${run}-b`];
      const spec = WRITES[kind];
      const perConnection: LoadRequest[][] = Array.from({ length: ctx.connections }, (_, i) => {
        const name = daemonSetName(kind, i);
        return images.map((image) => ({ path: patchPath(name), body: spec.body(name, image) }));
      });
      return runLoad({
        baseUrl: server.baseUrl,
        method: 'PATCH',
        path: perConnection[0][0].path,
        headers: { 'content-type': spec.contentType },
        perConnection,
        durationSeconds: seconds,
        connections: ctx.connections,
      });
    };

    const warmups = {} as Record<WriteKind, LoadResult>;
    for (const kind of ['apply', 'smp'] as const) {
      ctx.log(`  warm-up ${WRITES[kind].subject} (${ctx.warmupSeconds} s)`);
      warmups[kind] = await load(kind, ctx.warmupSeconds);
    }
    const runs: Record<WriteKind, RoundFigure[]> = { apply: [], smp: [] };
    for (let round = 0; round < ctx.rounds; round++) {
      const order: WriteKind[] = round % 2 === 0 ? ['apply', 'smp'] : ['smp', 'apply'];
      for (const [i, kind] of order.entries()) {
        ctx.log(`  round ${round + 1}/${ctx.rounds}: ${WRITES[kind].subject} (${ctx.durationSeconds} s)`);
        const { value: result, serverCpuPercent, clientCpuPercent } = await withCpu(server.pid, () => load(kind, ctx.durationSeconds));
        const cpu = `server ${serverCpuPercent === null ? '?' : Math.round(serverCpuPercent)} % CPU, load generator ${Math.round(clientCpuPercent)} %`;
        ctx.log(`    ${result.error ? `ERROR ${result.error}` : `${Math.round(result.figures!.reqPerSec)} req/s`} (${cpu})`);
        runs[kind].push({ round, order: i, result, serverCpuPercent, clientCpuPercent });
      }
    }

    const after = await generations(server);
    const rows = (['apply', 'smp'] as const).map((kind) => {
      const row = loadRow(WRITES[kind].subject, runs[kind], warmups[kind]);
      const answered = completed([warmups[kind], ...runs[kind].map((r) => r.result)]);
      const writes = after[kind] - before[kind];
      // A request still in flight when a run stops may write without being counted as answered.
      if (!row.error && writes < answered) row.error = `only ${writes} of ${answered} answered requests changed the DaemonSet`;
      row.details = { ...(row.details as object), answered, writes };
      return row;
    });
    const [apply, smp] = rows;
    const costRatio = apply.reqPerSec !== undefined && smp.reqPerSec !== undefined ? pairedRatio(runs.smp, runs.apply) : null;
    apply.values['apply/SMP cost'] = costRatio;
    smp.values['apply/SMP cost'] = null;
    if (costRatio !== null)
      apply.note =
        costRatio <= MAX_COST_RATIO
          ? `meets apply ≤ ${MAX_COST_RATIO}× merge patch`
          : `above the apply ≤ ${MAX_COST_RATIO}× merge patch aim`;
    const { reqPerSec: applyRps, ...applyRow } = apply;
    const { reqPerSec: smpRps, ...smpRow } = smp;
    return { rows: [applyRow, smpRow], summary: { applyReqPerSec: applyRps ?? null, smpReqPerSec: smpRps ?? null, costRatio } };
  } finally {
    await server.stop();
  }
}

export const applyScenario: Scenario = {
  name: 'apply',
  description:
    "PATCH a DaemonSet's image (managedFields of manager bench): server-side apply of the whole configuration against a strategic merge patch of the image, one DaemonSet per connection, two images alternating",
  run,
};

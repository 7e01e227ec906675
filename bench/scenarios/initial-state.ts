/**
 * A crowd of watchers asking for the current state at once, as informers do after a restart:
 * 1,000 pods of ~2.5 KB, then 500 watches of them without a resourceVersion (100 in the quick
 * form) opened together by a child process (bench/lib/initial-state-watchers.ts, the lean reader),
 * while this process GETs one pod at a time (bench/lib/get-prober.ts). Measured: from the first
 * watch request until the last watcher has its whole state, and the latency of the GETs answered
 * meanwhile (p50 / p99 / max; a GET counts when it overlaps that time). Every watcher must get
 * exactly the 1,000 pods as ADDED events, or the row is an error.
 *
 * The server is a child (bench/lib/serve-kubemock.ts, controllers off); the watchers read in a
 * process of their own, so reading 500 × 2.5 MB is neither the bottleneck nor a delay in the
 * prober's event loop. Times are process.hrtime (CLOCK_MONOTONIC), comparable between the two.
 */
import { fileURLToPath } from 'node:url';
import { create, mapLimit } from '../lib/client.js';
import { startGetProber, type GetSample } from '../lib/get-prober.js';
import type { InitialStateOutcome } from '../lib/initial-state-watchers.js';
import { runJsonChild } from '../lib/json-child.js';
import { assertLoopback } from '../lib/load.js';
import type { BenchContext, ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { startServer } from '../lib/servers.js';
import { percentile } from '../lib/stats.js';

const WATCHERS_ENTRY = fileURLToPath(new URL('../lib/initial-state-watchers.ts', import.meta.url));
const PODS_PATH = '/api/v1/namespaces/default/pods';
const PODS = 1000;
const WATCHERS = 500;
const WATCHERS_QUICK = 100;
const CREATE_CONCURRENCY = 16;
/** An annotation of this many bytes makes a pod as stored (defaults, managedFields) about 2.5 KB. */
const PAD_BYTES = 500;
/** For every watcher to have its state, and for one GET (before 88ffcb8 either could take a minute). */
const STATE_LIMIT_MS = 180_000;

const podJson = (name: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, annotations: { 'bench.kubemock/pad': 'x'.repeat(PAD_BYTES) } },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
  });

/** The GETs that overlap [fromUs, toUs]: their latencies (ms, ascending) and how many failed. */
function getsDuring(samples: GetSample[], fromUs: number, toUs: number) {
  const during = samples.filter((s) => s.endUs >= fromUs && s.startUs <= toUs);
  const answered = during.filter((s) => s.status === 200);
  return { ms: answered.map((s) => (s.endUs - s.startUs) / 1000).sort((a, b) => a - b), failed: during.length - answered.length };
}

/** What makes the row an error: a watcher without exactly the pods as ADDED events, a failed GET, the watchers' problems. */
function rowError(outcome: InitialStateOutcome, failedGets: number): string | undefined {
  const wrong = outcome.added.filter((n) => n !== PODS);
  const problems = [
    ...(wrong.length
      ? [`${wrong.length} watchers did not get exactly ${PODS} ADDED events (${Math.min(...wrong)}…${Math.max(...wrong)})`]
      : []),
    ...(failedGets ? [`${failedGets} GETs failed`] : []),
    ...outcome.problems,
  ];
  return problems.length ? problems.slice(0, 3).join('; ') + (problems.length > 3 ? ` (+${problems.length - 3} more)` : '') : undefined;
}

/** The watchers' child process, run while this process probes a GET. */
async function watchWhileProbing(ctx: BenchContext, base: URL, watchers: number, getPath: string) {
  const prober = startGetProber(new URL(getPath, base), STATE_LIMIT_MS);
  const args = [new URL(`${PODS_PATH}?watch=true`, base).href, String(watchers), String(PODS), String(STATE_LIMIT_MS)];
  const watched = runJsonChild<InitialStateOutcome>('initial-state watchers', WATCHERS_ENTRY, args, ctx.target, STATE_LIMIT_MS + 60_000);
  const outcome = await watched.finally(() => prober.stop());
  return { outcome, samples: await prober.stop() };
}

async function runInitialState(ctx: BenchContext): Promise<ScenarioResult> {
  const watchers = ctx.quick ? WATCHERS_QUICK : WATCHERS;
  const server = await startServer('kubemock', { BENCH_TARGET: ctx.target });
  try {
    const base = assertLoopback(server.baseUrl);
    ctx.log(`  creating ${PODS} pods`);
    const names = Array.from({ length: PODS }, (_, i) => `pod-${String(i).padStart(4, '0')}`);
    const stored = await mapLimit(names, CREATE_CONCURRENCY, (name) => create(server.baseUrl, PODS_PATH, podJson(name)));
    const podBytes = Math.round(stored.reduce((sum, text) => sum + text.length, 0) / PODS);

    ctx.log(`  ${watchers} watchers of the current state (a second child process), one GET at a time meanwhile`);
    const { outcome, samples } = await watchWhileProbing(ctx, base, watchers, `${PODS_PATH}/${names[0]}`);
    const stateMs = outcome.lastStateUs ? (outcome.lastStateUs - outcome.firstRequestUs) / 1000 : null;
    const gets = getsDuring(samples, outcome.firstRequestUs, outcome.lastStateUs || Infinity);
    const num = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? null : x);
    const row: ResultRow = {
      subject: `${watchers} watchers`,
      values: {
        'state ms': stateMs,
        'GET p50 ms': num(percentile(gets.ms, 0.5)),
        'GET p99 ms': num(percentile(gets.ms, 0.99)),
        'GET max ms': num(gets.ms.at(-1)),
        GETs: gets.ms.length,
      },
      note: `${PODS} pods of ${podBytes} bytes as stored, watched without a resourceVersion`,
      details: { podBytes, problems: outcome.problems, getsOutside: samples.length - gets.ms.length - gets.failed },
    };
    const error = rowError(outcome, gets.failed);
    if (error) row.error = error;
    ctx.log(
      `  state in ${stateMs?.toFixed(0) ?? '?'} ms; ${gets.ms.length} GETs meanwhile, the slowest ${gets.ms.at(-1)?.toFixed(0) ?? '?'} ms`,
    );
    return {
      rows: [row],
      summary: { stateMs, getP99Ms: num(percentile(gets.ms, 0.99)), getMaxMs: num(gets.ms.at(-1)) },
    };
  } finally {
    await server.stop();
  }
}

export const initialStateScenario: Scenario = {
  name: 'initial-state',
  description: `${WATCHERS} watchers (quick: ${WATCHERS_QUICK}) ask for the current state of ${PODS} pods at once: time until the last has it, and another client's GET latency meanwhile`,
  run: runInitialState,
};

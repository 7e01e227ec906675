/**
 * Convergence: N nodes and D DaemonSets → every pod Running and Ready and each DaemonSet's
 * status exact, timed from the creates. Each configuration runs in a fresh child process (the
 * controllers, scheduler and kubelet all run there, as in `kubemock --nodes N`), on an in-memory
 * database; more rows run on a database file, the default of `npm start` (10,000 nodes × 1: the
 * aim is < 5 s), and 5,000 nodes × 10 DaemonSets (50,000 pods: converged < 30 s, RSS < 1 GB).
 * "CPU ms" is the child's CPU time (user + system, every thread) from the creates to convergence;
 * "RSS KB/pod" what the resident set grew by over that time, per pod (read when converged, before the
 * bench reads the pods back to count them). The file rows run as `npm start` does, the revision log
 * written on a thread of its own once writes keep coming (`--writer-thread`, the default); the two
 * large ones run again with `--writer-thread=false`. BENCH_CONVERGENCE=1000x1,10000x1:file runs only
 * the rows named (NODESxDAEMONSETS, `:file` for the database-file rows, `:file-single` without the thread).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { positiveIntFromEnv } from '../lib/env.js';
import { runJsonChild } from '../lib/json-child.js';

const ENTRY = fileURLToPath(new URL('../lib/converge.ts', import.meta.url));
const AIM_MS = 5000;
const FILE_AIM_MS = 5000;
const LARGE_AIM_MS = 30_000;

interface Outcome {
  nodes: number;
  daemonSets: number;
  ms: number;
  cpuMs: number;
  pods: number;
  ready: number;
  rssMB: number;
  rssPerPodKB: number | null;
}

type Storage = 'memory' | 'file' | 'file-single';
type Config = [nodes: number, daemonSets: number, storage: Storage];

const ALL: Config[] = [
  [1000, 1, 'memory'],
  [5000, 1, 'memory'],
  [1000, 3, 'memory'],
  [5000, 3, 'memory'],
  [5000, 1, 'file'],
  [10000, 1, 'file'],
  [5000, 10, 'file'],
  [10000, 1, 'file-single'],
  [5000, 10, 'file-single'],
];

const configName = ([nodes, ds, storage]: Config) => `${nodes}x${ds}${storage === 'memory' ? '' : `:${storage}`}`;
/** How the progress line, a row's subject and its summary keys name its storage. */
const NAMES: Record<Storage, { log: string; subject: string; key: string }> = {
  memory: { log: 'in memory', subject: '', key: '' },
  file: { log: 'database file', subject: ', file', key: '_file' },
  'file-single': { log: 'database file, --writer-thread=false', subject: ', file, --writer-thread=false', key: '_file_single' },
};

/** The rows BENCH_CONVERGENCE names, else all (quick: the smallest). */
function selectedConfigs(quick: boolean): Config[] {
  const wanted = process.env.BENCH_CONVERGENCE?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!wanted?.length) return quick ? [ALL[0]] : ALL;
  const unknown = wanted.filter((w) => !ALL.some((c) => configName(c) === w));
  if (unknown.length) throw new Error(`BENCH_CONVERGENCE: unknown row(s) ${unknown.join(', ')}; known: ${ALL.map(configName).join(', ')}`);
  return ALL.filter((c) => wanted.includes(configName(c)));
}

function runOnce(nodes: number, daemonSets: number, target: string, db?: string, writerThread = true): Promise<Outcome> {
  // The child gives up at its own limit (BENCH_CONVERGENCE_LIMIT_S); this is for one that hangs.
  const limitMs = (positiveIntFromEnv('BENCH_CONVERGENCE_LIMIT_S', 600) + 300) * 1000;
  const args = [String(nodes), String(daemonSets), ...(db ? [db] : []), ...(db && !writerThread ? ['no-writer-thread'] : [])];
  return runJsonChild<Outcome>('convergence', ENTRY, args, target, limitMs);
}

export const convergenceScenario: Scenario = {
  name: 'convergence',
  description: 'N nodes and D DaemonSets: time from create until all pods Running/Ready and the status exact; RSS when converged',
  async run(ctx): Promise<ScenarioResult> {
    const configs = selectedConfigs(ctx.quick);
    const rows: ResultRow[] = [];
    const summary: Record<string, number | null> = {};
    for (const [nodes, ds, storage] of configs) {
      const names = NAMES[storage];
      ctx.log(`  ${nodes} nodes × ${ds} DaemonSet(s), ${names.log}`);
      const dir = storage !== 'memory' ? mkdtempSync(join(tmpdir(), 'kubemock-converge-')) : undefined;
      let o: Outcome;
      try {
        o = await runOnce(nodes, ds, ctx.target, dir && join(dir, 'kubemock.db'), storage !== 'file-single');
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
      const row: ResultRow = {
        subject: `${nodes} nodes × ${ds} ds${names.subject}`,
        values: {
          'converge ms': o.ms,
          'CPU ms': o.cpuMs,
          pods: o.pods,
          ready: o.ready,
          'RSS MB': o.rssMB,
          'RSS KB/pod': o.rssPerPodKB,
        },
      };
      const aim = (ms: number) => (o.ms < ms ? `meets < ${ms} ms` : `above the ${ms} ms aim`);
      if (o.ms < 0 || o.ready !== nodes * ds) row.error = `did not converge: ${o.ready} of ${nodes * ds} pods ready`;
      else if (nodes === 5000 && ds === 1 && storage === 'memory') row.note = aim(AIM_MS);
      else if (nodes === 10000 && storage === 'file') row.note = `${aim(FILE_AIM_MS)}; SQLite file (WAL), as \`npm start\` runs`;
      else if (nodes === 10000) row.note = `${aim(FILE_AIM_MS)}; as \`npm start -- --writer-thread=false\` runs`;
      else if (nodes * ds >= 50_000) row.note = `${aim(LARGE_AIM_MS)}; RSS ${o.rssMB < 1000 ? 'meets' : 'above'} the 1 GB aim`;
      else if (storage === 'file') row.note = 'SQLite file in WAL mode, as `npm start` runs';
      summary[`ms_${nodes}x${ds}${names.key}`] = o.ms;
      summary[`cpu_ms_${nodes}x${ds}${names.key}`] = o.cpuMs;
      rows.push(row);
    }
    return { rows, summary };
  },
};

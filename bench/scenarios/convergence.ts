/**
 * Convergence: N nodes and D DaemonSets → every pod Running and Ready and each DaemonSet's
 * status exact, timed from the creates. Each configuration runs in a fresh child process (the
 * controllers, scheduler and kubelet all run there, as in `kubemock --nodes N`), on an in-memory
 * database; one more row runs 5,000 nodes on a database file, the default of `npm start`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';

const ENTRY = fileURLToPath(new URL('../lib/converge.ts', import.meta.url));
const AIM_MS = 5000;

interface Outcome {
  nodes: number;
  daemonSets: number;
  ms: number;
  pods: number;
  ready: number;
  rssMB: number;
}

function runOnce(nodes: number, daemonSets: number, target: string, db?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, String(nodes), String(daemonSets), ...(db ? [db] : [])], {
      env: { ...process.env, BENCH_TARGET: target },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Outcome);
      } catch {
        reject(new Error(`convergence child gave no result: ${out.slice(0, 200)}`));
      }
    });
  });
}

export const convergenceScenario: Scenario = {
  name: 'convergence',
  description: 'N nodes and D DaemonSets: time from create until all pods Running/Ready and the status exact; RSS at the end',
  async run(ctx): Promise<ScenarioResult> {
    const configs: [number, number, 'memory' | 'file'][] = ctx.quick
      ? [[1000, 1, 'memory']]
      : [
          [1000, 1, 'memory'],
          [5000, 1, 'memory'],
          [1000, 3, 'memory'],
          [5000, 3, 'memory'],
          [5000, 1, 'file'],
        ];
    const rows: ResultRow[] = [];
    const summary: Record<string, number | null> = {};
    for (const [nodes, ds, storage] of configs) {
      ctx.log(`  ${nodes} nodes × ${ds} DaemonSet(s), ${storage === 'file' ? 'database file' : 'in memory'}`);
      const dir = storage === 'file' ? mkdtempSync(join(tmpdir(), 'kubemock-converge-')) : undefined;
      let o: Outcome;
      try {
        o = await runOnce(nodes, ds, ctx.target, dir && join(dir, 'kubemock.db'));
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
      const row: ResultRow = {
        subject: `${nodes} nodes × ${ds} ds${storage === 'file' ? ', file' : ''}`,
        values: { 'converge ms': o.ms, pods: o.pods, ready: o.ready, 'RSS MB': o.rssMB },
      };
      if (o.ms < 0 || o.ready !== nodes * ds) row.error = `did not converge: ${o.ready} of ${nodes * ds} pods ready`;
      else if (nodes === 5000 && ds === 1 && storage === 'memory')
        row.note = o.ms < AIM_MS ? `meets < ${AIM_MS} ms` : `above the ${AIM_MS} ms aim`;
      else if (storage === 'file') row.note = 'SQLite file in WAL mode, as `npm start` runs';
      summary[`ms_${nodes}x${ds}${storage === 'file' ? '_file' : ''}`] = o.ms;
      rows.push(row);
    }
    return { rows, summary };
  },
};

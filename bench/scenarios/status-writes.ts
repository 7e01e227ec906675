/**
 * The write pipeline of one kind of write, measured alone: the simulated kubelet's two status
 * writes per pod (bench/lib/status-writes.ts, a child process, in memory, no controllers), the most
 * common write of a DaemonSet's convergence and the costliest, since each is recorded in
 * managedFields (compare, field sets, their encoding). Wall and CPU microseconds per write, the
 * median of ROUNDS rounds over 2,000 fresh pods each, after one unmeasured round. Converging
 * thousands of nodes mixes this with everything else and varies by ±5% from run to run; this row
 * moves by a few per cent at most, so a change to the pipeline shows here first.
 */
import { fileURLToPath } from 'node:url';
import type { ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { median } from '../lib/stats.js';
import { runJsonChild } from '../lib/json-child.js';

const ENTRY = fileURLToPath(new URL('../lib/status-writes.ts', import.meta.url));
const PODS = 2000;
const ROUNDS = 5;
const QUICK_PODS = 200;
const LIMIT_MS = 120_000;

interface Outcome {
  rounds: { usPerWrite: number; cpuUsPerWrite: number }[];
  managers: string[];
}

function runOnce(pods: number, rounds: number, target: string): Promise<Outcome> {
  return runJsonChild<Outcome>('status-writes', ENTRY, [String(pods), String(rounds)], target, LIMIT_MS);
}

export const statusWritesScenario: Scenario = {
  name: 'status-writes',
  description: "the kubelet's two status writes per pod through the store (in memory, no controllers): µs of wall and CPU time per write",
  async run(ctx): Promise<ScenarioResult> {
    const pods = ctx.quick ? QUICK_PODS : PODS;
    const o = await runOnce(pods, ctx.quick ? 1 : ROUNDS, ctx.target);
    const wall = median(o.rounds.map((r) => r.usPerWrite));
    const cpu = median(o.rounds.map((r) => r.cpuUsPerWrite));
    // The writes must have been recorded as the kubelet's, or the figure measured something else.
    const recorded = o.managers.includes('kubelet/status');
    const row: ResultRow = {
      subject: 'kubelet status',
      values: { 'µs/write': wall, 'CPU µs/write': cpu, pods, writes: 2 * pods, rounds: o.rounds.length },
      note: `median of ${o.rounds.length} rounds (${o.rounds.map((r) => r.usPerWrite.toFixed(1)).join(', ')} µs); managers of a pod: ${o.managers.join(', ')}`,
      details: o,
    };
    if (!recorded) row.error = `no kubelet/status entry in the pods' managedFields (${o.managers.join(', ')})`;
    return { rows: [row], summary: { usPerWrite: wall, cpuUsPerWrite: cpu } };
  },
};

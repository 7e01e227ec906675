/**
 * The write pipeline of Events, measured alone: the Events recorded about pods as the simulated
 * kubelet's recorder writes them (bench/lib/event-writes.ts, a child process, in memory, no
 * controllers). Four of a converged pod's eight writes are Events; on 7 December 2026 a
 * convergence of 10,000 nodes × 1 DaemonSet took 5.5–7.2 s with them and 4.1–5.0 s without (the
 * recorder turned off for the experiment), so their pipeline is a quarter to a third of it. Wall
 * and CPU microseconds per Event, the median of ROUNDS rounds of 10,000 Events after one
 * unmeasured round; a change to the create pipeline of a small object shows here first.
 */
import { fileURLToPath } from 'node:url';
import type { ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { median } from '../lib/stats.js';
import { runJsonChild } from '../lib/json-child.js';

const ENTRY = fileURLToPath(new URL('../lib/event-writes.ts', import.meta.url));
const EVENTS = 10_000;
const ROUNDS = 5;
const QUICK_EVENTS = 1_000;
const LIMIT_MS = 120_000;

interface Outcome {
  rounds: { usPerEvent: number; cpuUsPerEvent: number }[];
  managers: string[];
  stored: number;
}

export const eventWritesScenario: Scenario = {
  name: 'event-writes',
  description:
    "Events created through the store as the kubelet's recorder writes them (in memory, no controllers): µs of wall and CPU time per Event",
  async run(ctx): Promise<ScenarioResult> {
    const events = ctx.quick ? QUICK_EVENTS : EVENTS;
    const rounds = ctx.quick ? 1 : ROUNDS;
    const o = await runJsonChild<Outcome>('event-writes', ENTRY, [String(events), String(rounds)], ctx.target, LIMIT_MS);
    const wall = median(o.rounds.map((r) => r.usPerEvent));
    const cpu = median(o.rounds.map((r) => r.cpuUsPerEvent));
    const row: ResultRow = {
      subject: 'kubelet events',
      values: { 'µs/event': wall, 'CPU µs/event': cpu, events, rounds: o.rounds.length },
      note: `median of ${o.rounds.length} rounds (${o.rounds.map((r) => r.usPerEvent.toFixed(1)).join(', ')} µs); managers of an Event: ${o.managers.join(', ')}`,
      details: o,
    };
    // Each Event stored and recorded as the kubelet's write, or the figure measured something else.
    const expected = (rounds + 1) * events;
    if (o.stored !== expected) row.error = `${o.stored} Events stored, ${expected} written`;
    else if (!o.managers.includes('kubelet')) row.error = `no kubelet entry in an Event's managedFields (${o.managers.join(', ')})`;
    return { rows: [row], summary: { usPerEvent: wall, cpuUsPerEvent: cpu } };
  },
};

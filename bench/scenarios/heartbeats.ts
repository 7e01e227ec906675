/**
 * Heartbeats of an idle cluster: 10,000 nodes (BENCH_HEARTBEAT_NODES) on a database file, as
 * `kubemock --nodes 10000` runs, nothing else to do. Each simulated kubelet renews its node's Lease
 * every 10 s, as upstream's does (1,000 writes a second, issue 19: "make each renewal cheap and
 * batched, not rarer"); the child (bench/lib/heartbeats.ts) watches the Leases and Nodes for 20 s
 * after one renewal period and reports the renewals seen (every one a write a watcher receives),
 * the node writes, the process's CPU (every thread) and the serving thread's busy share, and per
 * renewal: µs of the serving thread (what 1,000 renewals a second take from the requests and
 * controllers) and of CPU in all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { positiveIntFromEnv } from '../lib/env.js';
import { runJsonChild } from '../lib/json-child.js';
import { DEFAULT_CONTROLLER_SETTINGS } from '../../src/controllers/context.js';

const ENTRY = fileURLToPath(new URL('../lib/heartbeats.ts', import.meta.url));
const WINDOW_MS = 20_000;
const QUICK_NODES = 500;
const QUICK_WINDOW_MS = 11_000;
const LIMIT_MS = 300_000;

interface Outcome {
  nodes: number;
  windowMs: number;
  renewals: number;
  nodeWrites: number;
  renewalsPerS: number;
  cpuPct: number;
  threadPct: number;
  cpuUsPerRenewal: number | null;
  threadUsPerRenewal: number | null;
  rssMB: number;
}

/** The kubelets' Lease renewal period, as the child's app runs with it (its defaults). */
const RENEW_MS = DEFAULT_CONTROLLER_SETTINGS.nodeHeartbeatMs;

/**
 * The renewals a watch must see in `windowMs`: every node renews once per period, and nodes made
 * together renew together, so only whole periods count (a partial one may hold no renewal at all).
 */
export function renewalsDue(nodes: number, windowMs: number): number {
  return nodes * Math.floor(windowMs / RENEW_MS);
}

/** Fewer than 95% of the renewals due were seen: the kubelets fell behind their cadence. */
export function fellBehind(seen: number, due: number): boolean {
  return seen < due * 0.95;
}

export const heartbeatsScenario: Scenario = {
  name: 'heartbeats',
  description: "an idle cluster's Lease renewals (10,000 nodes, database file): renewals seen, CPU per renewal",
  async run(ctx): Promise<ScenarioResult> {
    const nodes = ctx.quick ? QUICK_NODES : positiveIntFromEnv('BENCH_HEARTBEAT_NODES', 10_000);
    const windowMs = ctx.quick ? QUICK_WINDOW_MS : WINDOW_MS;
    ctx.log(`  ${nodes} nodes, database file, ${windowMs / 1000} s watched after one renewal period`);
    const dir = mkdtempSync(join(tmpdir(), 'kubemock-heartbeats-'));
    let o: Outcome;
    try {
      o = await runJsonChild<Outcome>(
        'heartbeats',
        ENTRY,
        [String(nodes), join(dir, 'kubemock.db'), String(windowMs)],
        ctx.target,
        LIMIT_MS,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const expected = renewalsDue(nodes, o.windowMs);
    const row: ResultRow = {
      subject: `${nodes} idle nodes, file`,
      values: {
        'thread µs/renewal': o.threadUsPerRenewal,
        'CPU µs/renewal': o.cpuUsPerRenewal,
        'renewals/s': o.renewalsPerS,
        'thread %': o.threadPct,
        'CPU %': o.cpuPct,
        'node writes': o.nodeWrites,
        'RSS MB': o.rssMB,
      },
      note: `${o.renewals} renewals seen by a watch in ${(o.windowMs / 1000).toFixed(1)} s (${expected} due: one per node per whole 10 s period)`,
    };
    if (fellBehind(o.renewals, expected)) row.error = `kubelets fell behind: ${o.renewals} renewals of ${expected} due`;
    return { rows: [row], summary: { thread_us_per_renewal: o.threadUsPerRenewal, cpu_pct: o.cpuPct } };
  },
};

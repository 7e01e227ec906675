/**
 * Child process: what an idle cluster's heartbeats cost. Builds kubemock (controllers on, as
 * `kubemock --nodes N` runs) on the given database, makes N Ready nodes, lets the kubelets settle
 * for one renewal period, then watches the Leases and Nodes through the store for WINDOW_MS (as a
 * client's watch sees them) while measuring the process's CPU time (every thread) and the serving
 * thread's busy share (event loop utilisation). Prints one JSON line: the renewals and node writes
 * seen, the CPU per renewal, and the resident set.
 * Usage: node --import tsx bench/lib/heartbeats.ts NODES DATABASE_FILE WINDOW_MS
 */
import { performance } from 'node:perf_hooks';
import { loadAppModule } from './app-module.js';
// From the sources whatever BENCH_TARGET says, as converge.ts takes its helpers: a constant.
import { DEFAULT_CONTROLLER_SETTINGS } from '../../src/controllers/context.js';

const nodes = Number(process.argv[2]);
const db = process.argv[3] ?? ':memory:';
const windowMs = Number(process.argv[4] ?? 20_000);
/** The kubelets' Lease renewal period: the default the app below runs with. */
const RENEW_MS = DEFAULT_CONTROLLER_SETTINGS.nodeHeartbeatMs;

const { buildApp } = await loadAppModule();
const kubemock = await buildApp({ db, logLevel: 'error' });
await kubemock.ensureNodes(nodes);
await kubemock.manager!.waitIdle(600_000);
// One renewal period: every kubelet has renewed once since its node was made.
await new Promise((r) => setTimeout(r, RENEW_MS + 1000));

let renewals = 0;
let nodeWrites = 0;
const watches = [
  kubemock.registry
    .store('leases', 'coordination.k8s.io')
    .watch({ namespace: 'kube-node-lease', resourceVersion: String(kubemock.registry.currentRevision()) }),
  kubemock.registry.store('nodes').watch({ resourceVersion: String(kubemock.registry.currentRevision()) }),
];
watches[0].start({ next: (ev) => void (ev.type === 'MODIFIED' && renewals++), end: () => {} });
watches[1].start({ next: (ev) => void (ev.type === 'MODIFIED' && nodeWrites++), end: () => {} });

const elu0 = performance.eventLoopUtilization();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await new Promise((r) => setTimeout(r, windowMs));
const elapsed = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const elu = performance.eventLoopUtilization(elu0);
for (const w of watches) w.stop();

const cpuMs = (cpu.user + cpu.system) / 1000;
const threadMs = elu.active;
const result = {
  nodes,
  windowMs: Math.round(elapsed),
  renewals,
  nodeWrites,
  renewalsPerS: Math.round((renewals / elapsed) * 1000),
  cpuPct: Math.round((cpuMs / elapsed) * 1000) / 10,
  threadPct: Math.round(elu.utilization * 1000) / 10,
  cpuUsPerRenewal: renewals ? Math.round((cpuMs * 1000) / renewals) : null,
  threadUsPerRenewal: renewals ? Math.round((threadMs * 1000) / renewals) : null,
  rssMB: Math.round(process.memoryUsage().rss / 1e6),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
await kubemock.close();
process.exit(renewals > 0 ? 0 : 1);

/**
 * Child process: one convergence measurement. Builds kubemock (controllers on; in memory unless a
 * database file is given), makes N Ready nodes, creates D DaemonSets, and times until every pod
 * is Running and Ready and each DaemonSet's status is exact. Prints one JSON line and exits.
 * Usage: node --import tsx bench/lib/converge.ts NODES DAEMONSETS [DATABASE_FILE [no-writer-thread]] (default: in memory;
 * a database file's revision log on a thread of its own as `npm start` runs it, `no-writer-thread`: as
 * `--writer-thread=false` runs)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadAppModule } from './app-module.js';
// From the sources whatever BENCH_TARGET says: the command's modules, not dist's app.
import { boundHeapGrowth } from '../../src/heap-headroom.js';
import { writerThreadStart } from '../../src/storage/open-storage.js';
import { positiveIntFromEnv } from './env.js';
import { describeThreadCpu, threadCpu } from './thread-cpu.js';

/**
 * BENCH_CONVERGENCE_PROF=<folder>: a V8 CPU profile of the serving thread over the convergence
 * alone (from the first DaemonSet create until converged; not the nodes' creation before it), for
 * Chrome's DevTools. `--cpu-prof` would cover the whole process, setup included.
 * BENCH_CONVERGENCE_ALLOC=<folder>: over the same window, a sampling heap profile of what the
 * serving thread allocated, garbage included (`.heapprofile`, DevTools' Memory tab).
 */
async function startWindowProfile(): Promise<{ stop(): Promise<void> } | undefined> {
  const cpuDir = process.env.BENCH_CONVERGENCE_PROF;
  const allocDir = process.env.BENCH_CONVERGENCE_ALLOC;
  if (!cpuDir && !allocDir) return undefined;
  const session = new Session();
  session.connect();
  if (cpuDir) {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  if (allocDir) {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 32768,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  const fileName = (extension: string) =>
    `convergence-${nodes}x${daemonSets}-${threaded ? 'thread' : db === ':memory:' ? 'memory' : 'file'}-${process.pid}.${extension}`;
  const save = (dir: string, extension: string, data: unknown) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, fileName(extension)), JSON.stringify(data));
  };
  return {
    async stop() {
      if (cpuDir) save(cpuDir, 'cpuprofile', (await session.post('Profiler.stop')).profile);
      if (allocDir) save(allocDir, 'heapprofile', (await session.post('HeapProfiler.stopSampling')).profile);
      session.disconnect();
    },
  };
}

/**
 * BENCH_CONVERGENCE_THREADS=1 prints the CPU time each thread spent until converged (bench/lib/thread-cpu.ts).
 *
 * BENCH_CONVERGENCE_HEAP=1: the serving thread's heap when converged, before and after a full
 * collection, on stderr (what the resident set holds: live objects, or room the heap grew into).
 */
function reportHeap(): void {
  const show = (when: string) => {
    const h = v8.getHeapStatistics();
    const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
    process.stderr.write(
      `heap ${when}: RSS ${mb(process.memoryUsage().rss)}, heap ${mb(h.total_heap_size)} of which used ${mb(h.used_heap_size)}\n`,
    );
    for (const space of v8.getHeapSpaceStatistics())
      if (space.space_size > 0) process.stderr.write(`  ${space.space_name}: ${mb(space.space_size)}, used ${mb(space.space_used_size)}\n`);
  };
  show('when converged');
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  show('after a full collection');
}

const nodes = Number(process.argv[2]);
const daemonSets = Number(process.argv[3] ?? 1);
const db = process.argv[4] ?? ':memory:';
// As the command runs it: the writer thread unless `--writer-thread=false`.
const writerThread = process.argv[5] !== 'no-writer-thread';
const threaded = writerThreadStart({ db, writerThread }) !== undefined;
// How long to wait for convergence (BENCH_CONVERGENCE_LIMIT_S, default 600 s: 50,000 pods take minutes today).
const LIMIT_MS = positiveIntFromEnv('BENCH_CONVERGENCE_LIMIT_S', 600) * 1000;
const { buildApp } = await loadAppModule();
// As the command does when its writer thread runs: the serving thread's heap grows by a bounded headroom.
if (threaded) boundHeapGrowth();
const kubemock = await buildApp({ db, logLevel: 'error', writerThread });
await kubemock.ensureNodes(nodes);
await kubemock.manager!.waitIdle(LIMIT_MS);

const dsStore = kubemock.registry.store('daemonsets', 'apps');
const podStore = kubemock.registry.store('pods');
interface Status {
  desiredNumberScheduled?: number;
  currentNumberScheduled?: number;
  updatedNumberScheduled?: number;
  numberReady?: number;
  numberAvailable?: number;
  numberMisscheduled?: number;
  observedGeneration?: number;
}

// The cost of converging: CPU time of this process (all threads) and memory added, from the creates on.
const rssBefore = process.memoryUsage().rss;
const profile = await startWindowProfile();
const cpuBefore = process.cpuUsage();
const threadsBefore = threadCpu();
const exact = (s: Status | undefined) =>
  s !== undefined &&
  s.observedGeneration === 1 &&
  [s.desiredNumberScheduled, s.currentNumberScheduled, s.updatedNumberScheduled, s.numberReady, s.numberAvailable].every(
    (v) => v === nodes,
  ) &&
  s.numberMisscheduled === 0;

// Convergence is seen as `kubectl rollout status` sees it: through a watch of the DaemonSets, each
// status checked as it is written (a GET every few milliseconds would itself wait for the writer
// thread whenever the DaemonSet's newest row is on its way to the file).
const statuses = new Map<string, Status | undefined>();
let convergedAt = -1;
const dsWatch = dsStore.watch({ namespace: 'default', resourceVersion: String(kubemock.registry.currentRevision()) });
dsWatch.start({
  next: (ev) => {
    if (convergedAt >= 0 || ev.type === 'BOOKMARK' || ev.type === 'ERROR') return;
    statuses.set(ev.object.metadata.name!, ev.object.status as Status | undefined);
    if (converged()) convergedAt = performance.now();
  },
  end: () => {},
});
const started = performance.now();
for (let d = 0; d < daemonSets; d++) {
  const labels = { app: `bench-${d}` };
  dsStore.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: `bench-${d}`, namespace: 'default' },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
    },
  });
}

function converged(): boolean {
  for (let d = 0; d < daemonSets; d++) if (!exact(statuses.get(`bench-${d}`))) return false;
  return true;
}

let ms = -1;
let cpu = { user: 0, system: 0 };
// The resident set when converged: read before this script reads every pod itself (below), which
// would add a parsed copy of each to what the server holds.
let rss = process.memoryUsage().rss;
while (performance.now() - started < LIMIT_MS) {
  if (convergedAt >= 0) {
    ms = convergedAt - started;
    cpu = process.cpuUsage(cpuBefore);
    rss = process.memoryUsage().rss;
    await profile?.stop();
    if (process.env.BENCH_CONVERGENCE_THREADS) process.stderr.write(`CPU by thread: ${describeThreadCpu(threadsBefore, threadCpu())}\n`);
    if (process.env.BENCH_CONVERGENCE_HEAP) reportHeap();
    break;
  }
  await new Promise((r) => setTimeout(r, 10));
}
dsWatch.stop();
if (ms < 0) rss = process.memoryUsage().rss; // not converged: what it holds at the limit
const pods = podStore.all('default') as { status?: { phase?: string; conditions?: { type: string; status: string }[] } }[];
const ready = pods.filter(
  (p) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
).length;
const result = {
  nodes,
  daemonSets,
  ms: Math.round(ms),
  cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  pods: pods.length,
  ready,
  rssMB: Math.round(rss / 1e6),
  // What the pods added (the nodes, their Leases and the controllers' caches of them were there before).
  rssPerPodKB: pods.length ? Math.round((rss - rssBefore) / pods.length / 1000) : null,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
await kubemock.close();
process.exit(ms < 0 || ready !== nodes * daemonSets ? 1 : 0);

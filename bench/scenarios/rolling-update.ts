/**
 * Rolling update: 1,000 nodes, one DaemonSet with maxUnavailable 10%, converged first; then the
 * template changes (a new image) and the clock runs until the DaemonSet status says what
 * `kubectl rollout status` waits for: observedGeneration ≥ generation, updatedNumberScheduled ==
 * desired and numberAvailable == desired. Runs in a fresh child process (this same module, run
 * as a script: `node --import tsx bench/scenarios/rolling-update.ts NODES`), controllers,
 * scheduler and kubelet included, as in `kubemock --nodes N`.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { loadAppModule } from '../lib/app-module.js';
import { runJsonChild } from '../lib/json-child.js';

const SELF = fileURLToPath(import.meta.url);
const LIMIT_MS = 300_000;
const MAX_UNAVAILABLE = '10%';
/** Simulated kubelet: container start delay, and the cap on graceful termination (nginx exits quickly on SIGTERM). */
const SIMULATION = { podStartupMs: 50, maxTerminationMs: 200 };

interface Outcome {
  nodes: number;
  /** Template change → rollout status success. */
  ms: number;
  /** Initial create → converged (not part of the figure). */
  convergeMs: number;
  /** Most nodes without an available pod at any commit during the update (from the change feed). */
  peakUnavailable: number;
  podsCreated: number;
  rssMB: number;
  error?: string;
}

interface Status {
  observedGeneration?: number;
  desiredNumberScheduled?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
}
interface DaemonSetLike {
  metadata: { generation?: number };
  status?: Status;
}

/** The check kubectl's DaemonSetStatusViewer makes. */
function rolledOut(ds: DaemonSetLike, desired: number): boolean {
  const s = ds.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0) &&
    s.desiredNumberScheduled === desired &&
    (s.updatedNumberScheduled ?? 0) === desired &&
    (s.numberAvailable ?? 0) === desired
  );
}

async function child(nodes: number): Promise<void> {
  const { buildApp } = await loadAppModule();
  const kubemock = await buildApp({ db: ':memory:', logLevel: 'error', simulation: SIMULATION });
  await kubemock.ensureNodes(nodes);
  await kubemock.manager!.waitIdle(LIMIT_MS);
  const dsStore = kubemock.registry.store('daemonsets', 'apps');
  const labels = { app: 'rolling' };
  const waitUntil = async (since: number): Promise<number> => {
    while (performance.now() - since < LIMIT_MS) {
      if (rolledOut(dsStore.get('default', 'rolling'), nodes)) return performance.now() - since;
      await new Promise((r) => setTimeout(r, 5));
    }
    return -1;
  };
  const created = performance.now();
  dsStore.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'rolling', namespace: 'default' },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: MAX_UNAVAILABLE } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
    },
  });
  const convergeMs = await waitUntil(created);
  let result: Outcome;
  if (convergeMs < 0) {
    result = { nodes, ms: -1, convergeMs, peakUnavailable: -1, podsCreated: 0, rssMB: 0, error: 'initial rollout did not converge' };
  } else {
    await kubemock.manager!.waitIdle(LIMIT_MS);
    // Availability per node from the change feed: every commit, not samples.
    const readyOnNode = new Map<string, string>(); // node → uid of its live Ready pod
    let unavailable = 0;
    let peakUnavailable = 0;
    let podsCreated = 0;
    type PodLike = {
      metadata: { uid?: string; deletionTimestamp?: string };
      spec: { nodeName?: string };
      status?: { conditions?: { type: string; status: string }[] };
    };
    const unsubscribe = kubemock.registry.hub.subscribe('pods', (ev) => {
      const pod = ev.object as unknown as PodLike;
      const node = pod.spec.nodeName;
      if (ev.type === 'ADDED') podsCreated++;
      if (!node) return;
      const live =
        ev.type !== 'DELETED' &&
        !pod.metadata.deletionTimestamp &&
        pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (live) readyOnNode.set(node, pod.metadata.uid!);
      else if (readyOnNode.get(node) === pod.metadata.uid) readyOnNode.delete(node);
      unavailable = nodes - readyOnNode.size;
      peakUnavailable = Math.max(peakUnavailable, unavailable);
    });
    const podStore = kubemock.registry.store('pods');
    for (const p of podStore.all('default') as unknown as PodLike[]) if (p.spec.nodeName) readyOnNode.set(p.spec.nodeName, p.metadata.uid!);
    const changed = performance.now();
    dsStore.patch('default', 'rolling', (cur) => {
      const ds = structuredClone(cur) as unknown as { spec: { template: { spec: { containers: { image: string }[] } } } };
      ds.spec.template.spec.containers[0].image = 'nginx:1.26';
      return ds as unknown as typeof cur;
    });
    const ms = await waitUntil(changed);
    unsubscribe();
    result = {
      nodes,
      ms: Math.round(ms),
      convergeMs: Math.round(convergeMs),
      peakUnavailable,
      podsCreated,
      rssMB: Math.round(process.memoryUsage().rss / 1e6),
    };
    if (ms < 0) result.error = 'the rollout did not complete';
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await kubemock.close();
  process.exit(result.error ? 1 : 0);
}

function runOnce(nodes: number, target: string): Promise<Outcome> {
  return runJsonChild<Outcome>('rolling-update', SELF, [String(nodes)], target, LIMIT_MS * 2 + 60_000);
}

export const rollingUpdateScenario: Scenario = {
  name: 'rolling-update',
  description: `1,000 nodes, a DaemonSet with maxUnavailable ${MAX_UNAVAILABLE}: time from the template change until \`kubectl rollout status\` would succeed`,
  async run(ctx): Promise<ScenarioResult> {
    const nodes = 1000;
    ctx.log(`  ${nodes} nodes, maxUnavailable ${MAX_UNAVAILABLE}`);
    const o = await runOnce(nodes, ctx.target);
    const budget = Math.ceil((nodes * parseInt(MAX_UNAVAILABLE, 10)) / 100);
    const row: ResultRow = {
      subject: `${nodes} nodes, maxUnavailable ${MAX_UNAVAILABLE}`,
      values: { 'rollout ms': o.ms, 'peak unavail': o.peakUnavailable, 'pods created': o.podsCreated, 'RSS MB': o.rssMB },
      note: `podStartupMs ${SIMULATION.podStartupMs}, maxTerminationMs ${SIMULATION.maxTerminationMs}`,
      details: o,
    };
    if (o.error) row.error = o.error;
    else if (o.peakUnavailable > budget) row.error = `budget exceeded: ${o.peakUnavailable} nodes unavailable (max ${budget})`;
    return { rows: [row], summary: { rollout_ms_1000: o.ms, peak_unavailable_1000: o.peakUnavailable } };
  },
};

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) await child(Number(process.argv[2] ?? 1000));

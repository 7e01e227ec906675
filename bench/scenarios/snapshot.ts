/**
 * Snapshot and restore of a cluster with 1,000 running pods on 10 nodes (controllers on, so the
 * store also holds their events, leases and the pods' full status), in this process through the
 * library: median of 20 snapshots, and of 20 restores each after a few writes. A restore is
 * timed to its return (state replaced, watches ended with 410, controller caches refilled and
 * every key requeued), and once more through HTTP (POST /kubemock/v1/snapshots/{id}/restore).
 * The controllers' catch-up after a restore is asynchronous and reported apart (settle ms).
 */
import type { ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { median, p90 } from '../lib/stats.js';

type IndexModule = typeof import('../../src/index.js');

const PODS = 1000;
const NODES = 10;
const RUNS = 20;
const AIM_RESTORE_MS = 20;

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
});

function timed(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export const snapshotScenario: Scenario = {
  name: 'snapshot',
  description: `snapshot and restore of ${PODS.toLocaleString('en')} running pods on ${NODES} nodes, median of ${RUNS}`,
  async run(ctx): Promise<ScenarioResult> {
    const entry = new URL(ctx.target === 'src' ? '../../src/index.ts' : '../../dist/index.js', import.meta.url).href;
    const { startKubemock } = (await import(entry)) as IndexModule;
    const server = await startKubemock({ nodes: NODES, kubeconfig: false });
    try {
      const pods = server.kubemock.registry.store('pods');
      ctx.log(`  creating ${PODS} pods and waiting for them to run`);
      for (let i = 0; i < PODS; i++) pods.create(pod(`bench-${String(i).padStart(4, '0')}`));
      await server.waitForPods({ namespace: 'default', count: PODS, phase: 'Running', timeoutMs: 120_000 });
      await server.settle();
      const objects = server.control.takeSnapshot().objects;
      const runs = ctx.quick ? 5 : RUNS;

      ctx.log(`  ${runs} snapshots`);
      const ids: string[] = [];
      const snapshotMs = Array.from({ length: runs }, () => timed(() => void ids.push(server.control.takeSnapshot().id)));
      for (const id of ids.slice(1)) server.control.snapshots.delete(id);
      const id = ids[0];

      ctx.log(`  ${runs} restores (a few writes before each)`);
      const restoreMs: number[] = [];
      const settleMs: number[] = [];
      for (let i = 0; i < runs; i++) {
        pods.create(pod(`extra-${i}`));
        pods.delete('default', `bench-${String(i).padStart(4, '0')}`, { gracePeriodSeconds: 0 });
        restoreMs.push(timed(() => server.control.restoreSnapshot(id)));
        const t = performance.now();
        await server.settle();
        settleMs.push(performance.now() - t);
      }
      const httpMs: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const res = await fetch(`${server.url}/kubemock/v1/snapshots/${id}/restore`, { method: 'POST' });
        await res.text();
        if (res.status !== 200) throw new Error(`restore over HTTP answered ${res.status}`);
        httpMs.push(performance.now() - t);
        await server.settle();
      }
      if (pods.all('default').length !== PODS) throw new Error('the restored state lost pods');

      const row = (subject: string, xs: number[], extra: Record<string, number> = {}, aim?: number): ResultRow => {
        const r: ResultRow = { subject, values: { 'median ms': median(xs), 'p90 ms': p90(xs), objects, ...extra }, details: { runs: xs } };
        if (aim !== undefined) r.note = median(xs) < aim ? `meets < ${aim} ms` : `above the ${aim} ms aim`;
        return r;
      };
      const rows = [
        row('snapshot', snapshotMs),
        row('restore', restoreMs, { 'settle ms': median(settleMs) }, AIM_RESTORE_MS),
        row('restore (HTTP)', httpMs),
      ];
      return {
        rows,
        summary: { snapshotMedianMs: median(snapshotMs), restoreMedianMs: median(restoreMs), restoreHttpMedianMs: median(httpMs) },
      };
    } finally {
      await server.stop();
    }
  },
};

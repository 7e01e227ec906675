/**
 * CustomResourceDefinition created → first custom object accepted, over HTTP as a client sees it:
 * POST the CRD, then POST an object of its kind until one answers 201 (404 while the kind is not
 * served yet), median of 20 CRDs (each a group of its own, on one server: later ones also pay for
 * the earlier ones in discovery and OpenAPI). The CRD's own POST is reported apart.
 */
import type { ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { median, p90 } from '../lib/stats.js';

type IndexModule = typeof import('../../src/index.js');

const RUNS = 20;

function crd(i: number) {
  const group = `bench${i}.example.com`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { size: { type: 'integer', minimum: 0, default: 1 }, image: { type: 'string' } } },
                status: { type: 'object', properties: { ready: { type: 'boolean' } } },
              },
            },
          },
        },
      ],
    },
  };
}

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  await res.arrayBuffer();
  return res.status;
}

export const crdScenario: Scenario = {
  name: 'crd',
  description: `CRD created → first custom object accepted (HTTP), median of ${RUNS}`,
  async run(ctx): Promise<ScenarioResult> {
    const entry = new URL(ctx.target === 'src' ? '../../src/index.ts' : '../../dist/index.js', import.meta.url).href;
    const { startKubemock } = (await import(entry)) as IndexModule;
    const server = await startKubemock({ nodes: 3, kubeconfig: false });
    try {
      const runs = ctx.quick ? 5 : RUNS;
      const totalMs: number[] = [];
      const crdMs: number[] = [];
      const attempts: number[] = [];
      // One unmeasured CRD first (fetch's and the JIT's first use).
      for (let i = 0; i <= runs; i++) {
        const body = crd(i);
        const objects = `${server.url}/apis/${body.spec.group}/v1/namespaces/default/widgets`;
        const t0 = performance.now();
        const created = await post(`${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, body);
        const t1 = performance.now();
        if (created !== 201) throw new Error(`the CRD POST answered ${created}`);
        let tries = 0;
        for (;;) {
          tries++;
          const status = await post(objects, { apiVersion: `${body.spec.group}/v1`, kind: 'Widget', metadata: { name: 'w' }, spec: {} });
          if (status === 201) break;
          if (status !== 404 || tries > 10_000) throw new Error(`the first object's POST answered ${status} after ${tries} tries`);
        }
        if (i === 0) continue;
        totalMs.push(performance.now() - t0);
        crdMs.push(t1 - t0);
        attempts.push(tries);
      }
      const rows: ResultRow[] = [
        {
          subject: 'CRD POST → first object 201',
          values: { 'median ms': median(totalMs), 'p90 ms': p90(totalMs), 'object POSTs (median)': median(attempts) },
          details: { runs: totalMs, attempts },
        },
        { subject: 'the CRD POST alone', values: { 'median ms': median(crdMs), 'p90 ms': p90(crdMs) }, details: { runs: crdMs } },
      ];
      return { rows, summary: { crdToFirstObjectMedianMs: median(totalMs), crdPostMedianMs: median(crdMs) } };
    } finally {
      await server.stop();
    }
  },
};

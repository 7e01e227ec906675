/**
 * How fast the machine is right now: a fixed piece of work of the kind kubemock's paths do most
 * (JSON of a pod-sized object both ways, Map churn, string keys), timed. On a shared virtual
 * machine the same code runs at very different speeds from one minute to the next (this probe has
 * been seen to flip between ~15 ms and 25–35 ms every few tens of seconds, the machine loaded or
 * idle), so a figure compared with one measured at another time is only meaningful next to the
 * probe of both times. `npm run bench` probes before and after each scenario (bench/run.ts) and the
 * baseline keeps the probe with each figure (bench/lib/baseline.ts). It is not probed during a
 * scenario: on two cores the scenario's own load would be measured (a sampling thread's round took
 * 36–66 ms under the POST and watch loads, 15–16 ms around them).
 */
import { median } from './stats.js';

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'probe-abcde',
    namespace: 'default',
    labels: { app: 'probe', 'controller-revision-hash': '5d8b9c7f6d', 'pod-template-generation': '1' },
    annotations: { note: 'x'.repeat(200) },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'probe', uid: '0b9e3c1e-5f0a-4c1e-9a55-2f4f6d1a7b11' }],
  },
  spec: {
    containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }],
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-05T09:00:00Z' }] },
};

/** One round of the work: ~15 ms on the development machine at its faster speed. */
function round(): number {
  const seen = new Map<string, unknown>();
  let bytes = 0;
  for (let i = 0; i < 2500; i++) {
    const json = JSON.stringify(POD);
    const copy = JSON.parse(json) as typeof POD;
    copy.metadata.name = `probe-${i}`;
    seen.set(`${copy.metadata.namespace}/${copy.metadata.name}`, copy);
    bytes += json.length;
  }
  return bytes + seen.size;
}

const ROUNDS = 7;

/** Milliseconds the fixed work takes now: the median of seven rounds after four untimed ones (~200 ms in all). */
export function probeMachine(): number {
  for (let i = 0; i < 4; i++) round(); // optimised by the JIT before it is timed
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) times.push(timedRound());
  return medianMs(times);
}

/** Milliseconds one round takes now (warm: call after a few rounds). */
function timedRound(): number {
  const t0 = performance.now();
  if (round() < 0) throw new Error('unreachable');
  return performance.now() - t0;
}

/** The median of `times`, rounded to 0.01 ms. */
export function medianMs(times: readonly number[]): number {
  return Math.round(median(times) * 100) / 100;
}

/**
 * How fast the machine is right now: a fixed piece of work of the kind kubemock's paths do most
 * (JSON of a pod-sized object both ways, Map churn, string keys), timed. On a shared virtual
 * machine the same code runs at very different speeds from one minute to the next (a fixed
 * workload has been seen taking anywhere from 95 to 212 ms within one minute, the machine otherwise
 * idle), so a figure compared with one measured on another day is only meaningful next to the
 * probe of both days. `npm run bench` probes before and after each scenario (bench/run.ts) and the
 * baseline keeps the probe with each figure (bench/lib/baseline.ts).
 */

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

/** One round: ~25 ms on the development machine at its usual speed. */
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
  let sink = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    sink += round();
    times.push(performance.now() - t0);
  }
  if (sink < 0) throw new Error('unreachable');
  times.sort((a, b) => a - b);
  return Math.round(times[ROUNDS >> 1] * 100) / 100;
}

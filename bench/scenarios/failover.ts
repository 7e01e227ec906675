/**
 * Controller failover, in this process: two replicas over one registry (the app's own, which
 * leads, and a second one that joins), real clock, leader election at short timings (lease 2 s,
 * renew deadline 1.5 s, retry 0.5 s). The leader dies (stops without releasing anything) and a
 * node joins at that instant; timed from the death: the other replica leading, its DaemonSet
 * controller creating the new node's pod, and that pod Running (the survivor runs the node's
 * kubelet, having taken the dead replica's shards). Expected: about the lease duration plus up to
 * 2.2 retry periods; median of 5 runs.
 */
import type { ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { median } from '../lib/stats.js';

type AppModule = typeof import('../../src/app.js');
type ReplicaModule = typeof import('../../src/replica.js');
type RecorderModule = typeof import('../../src/controllers/events/recorder.js');
type ContextModule = typeof import('../../src/controllers/context.js');
type KubeletStateModule = typeof import('../../src/kubelet/kubelet-state.js');

const RUNS = 5;
const TIMING = { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 500 };
const LIMIT_MS = 30_000;
type Pod = { spec: { nodeName?: string }; status?: { phase?: string } };

/** Polls every 5 ms until `ready` holds; the ms since `since`. */
async function until(since: number, ready: () => boolean): Promise<number> {
  while (!ready()) {
    if (performance.now() - since > LIMIT_MS) throw new Error('failover did not complete in time');
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - since;
}

const daemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'bench', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'bench' } },
    template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
  },
};

export const failoverScenario: Scenario = {
  name: 'failover',
  description: `leader death to the other replica's controllers acting (lease ${TIMING.leaseDurationMs / 1000} s, retry ${TIMING.retryPeriodMs / 1000} s), median of ${RUNS}`,
  async run(ctx): Promise<ScenarioResult> {
    // The sources, whatever the target: a second replica needs modules (replica, recorder, kubelet
    // state) that are not entries of dist's bundle, and every module must come from one place (two
    // copies of a class are two classes). The figures are the lease's timings, not the code's speed.
    const load = async <T>(path: string) => (await import(new URL(`../../src/${path}.ts`, import.meta.url).href)) as T;
    const { buildApp } = await load<AppModule>('app');
    const { Replica } = await load<ReplicaModule>('replica');
    const { EventRecorder } = await load<RecorderModule>('controllers/events/recorder');
    const { DEFAULT_CONTROLLER_SETTINGS } = await load<ContextModule>('controllers/context');
    const { KubeletState } = await load<KubeletStateModule>('kubelet/kubelet-state');
    const silent = { error() {}, warn() {}, debug() {}, info() {} };
    const leading: number[] = [];
    const acting: number[] = [];
    const running: number[] = [];
    const runs = ctx.quick ? 2 : RUNS;
    for (let run = 0; run < runs; run++) {
      const app = await buildApp({ db: ':memory:', logLevel: 'silent', leaderElection: { ...TIMING, identity: `a_${run}` } });
      const { registry, clock } = app;
      const other = new Replica({
        registry,
        clock,
        events: new EventRecorder(registry, clock),
        log: silent,
        settings: DEFAULT_CONTROLLER_SETTINGS,
        kubelets: new KubeletState(),
        coordination: { ...TIMING, identity: `b_${run}`, exclusiveStore: false },
      });
      try {
        await app.ensureNodes(3);
        registry.store('daemonsets', 'apps').create(structuredClone(daemonSet));
        other.start();
        const pods = () => registry.store('pods').all('default') as unknown as Pod[];
        const t0 = performance.now();
        await until(t0, () => pods().filter((p) => p.status?.phase === 'Running').length === 3 && other.shards!.heldShards().length > 0);
        const leader = app.replica!;
        const died = performance.now();
        await leader.crash();
        await app.ensureNodes(4);
        leading.push(await until(died, () => other.isLeader()));
        acting.push(await until(died, () => pods().some((p) => p.spec.nodeName === 'node-4')));
        running.push(await until(died, () => pods().some((p) => p.spec.nodeName === 'node-4' && p.status?.phase === 'Running')));
        ctx.log(
          `  run ${run + 1}: leading after ${Math.round(leading[run])} ms, pod created ${Math.round(acting[run])} ms, running ${Math.round(running[run])} ms`,
        );
      } finally {
        await other.stop();
        await app.close();
      }
    }
    const row: ResultRow = {
      subject: 'failover',
      // The measured columns first: the baseline keeps a new row's first one.
      values: {
        'leading ms': median(leading),
        'acting ms': median(acting),
        'running ms': median(running),
        'lease ms': TIMING.leaseDurationMs,
      },
      note: 'from leader death; acting: its DaemonSet pod for a new node created; kubemock from src',
      details: { leading, acting, running },
    };
    return { rows: [row], summary: { failoverLeadingMs: median(leading), failoverActingMs: median(acting) } };
  },
};

/**
 * One app's /metrics: kube-apiserver's request, watch and storage metrics, kube-controller-manager's
 * work-queue metrics, and kubemock's own (kubemock_*): the simulated nodes, the pods by phase and the
 * fault rules fired. Each app has its own prom-client Registry, so apps in one process (tests)
 * never share a series. The scrape-time values are read from the store when scraped.
 */
import { Gauge, Registry } from 'prom-client';
import { registerCounter } from '../apimachinery/metrics/series.js';
import { ApiServerMetrics, type LongRunningLabels } from '../apimachinery/metrics/apiserver.js';
import { WorkQueueMetrics } from '../apimachinery/metrics/workqueue.js';
import type { Registry as KindRegistry } from '../registry/registry.js';
import { storageResource } from '../registry/resource-definition.js';
import type { FaultInjector } from '../http/control/faults.js';
import type { WatchRegistry } from '../http/watch-registry.js';
import { longRunningLabels } from '../http/request-metrics.js';
import type { NodeReachability } from '../kubelet/reachability.js';
import type { ObjectCache } from '../controllers/runtime/cache.js';
import type { StoredPod } from '../resources/stored.js';

export interface AppMetricsSources {
  registry: KindRegistry;
  watches: WatchRegistry;
  faults: FaultInjector;
  reachability: NodeReachability;
  /** The controllers' cache, when they run (pods are read from it instead of the store). */
  cache: () => ObjectCache | undefined;
}

/** Phases a pod is counted in even at zero, so a series does not appear only once a pod reaches it. */
const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

export class AppMetrics {
  readonly registry = new Registry();
  readonly apiserver: ApiServerMetrics;
  readonly workqueues: WorkQueueMetrics;

  constructor(sources: AppMetricsSources) {
    const { registry: kinds, watches } = sources;
    this.apiserver = new ApiServerMetrics(this.registry, {
      *storedObjects() {
        const seen = new Set<string>();
        for (const def of kinds.served) {
          const resource = storageResource(def);
          if (def.virtual || seen.has(resource)) continue;
          seen.add(resource);
          yield [resource, kinds.storage.count(resource)];
        }
      },
      *longRunning(): Iterable<LongRunningLabels> {
        for (const w of watches.details()) yield longRunningLabels(w.request.method, w.info);
      },
    });
    this.workqueues = new WorkQueueMetrics(this.registry);
    const registers = [this.registry];
    new Gauge({
      name: 'kubemock_simulated_nodes',
      help: 'Nodes whose kubelet kubemock simulates, by whether chaos has cut the kubelet off from the API server.',
      labelNames: ['reachable'],
      registers,
      collect() {
        const total = kinds.storage.count('nodes');
        const cut = sources.reachability.unreachableNodes().filter((n) => kinds.storage.exists('nodes', '', n)).length;
        this.set({ reachable: 'true' }, total - cut);
        this.set({ reachable: 'false' }, cut);
      },
    });
    new Gauge({
      name: 'kubemock_pods',
      help: 'Pods by status.phase.',
      labelNames: ['phase'],
      registers,
      collect() {
        const counts = new Map<string, number>(POD_PHASES.map((p) => [p, 0]));
        for (const phase of podPhases(kinds, sources.cache())) counts.set(phase, (counts.get(phase) ?? 0) + 1);
        this.reset();
        for (const [phase, n] of counts) this.set({ phase }, n);
      },
    });
    registerCounter(
      this.registry,
      {
        name: 'kubemock_faults_fired_total',
        help: 'Times fault rules of the control API fired, by action and (for error rules) the HTTP code answered.',
        labelNames: ['action', 'code'],
      },
      function* () {
        for (const [key, n] of sources.faults.firedTotals) {
          const [action, code] = key.split('/');
          yield { labels: { action, code }, value: n };
        }
      },
    );
  }
}

/** Every pod's phase (a pod with none yet is Pending, as its status is defaulted). */
function* podPhases(kinds: KindRegistry, cache: ObjectCache | undefined): Iterable<string> {
  // The controllers always cache pods (the scheduler and the kubelets read them).
  if (cache) {
    for (const pod of cache.list<StoredPod>('pods')) yield pod.status?.phase ?? 'Pending';
    return;
  }
  for (const row of kinds.storage.list('pods', undefined)) {
    const pod = JSON.parse(row.body) as StoredPod;
    yield pod.status?.phase ?? 'Pending';
  }
}

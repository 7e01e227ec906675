/**
 * Child process: the write pipeline of a kubelet's status writes, the most common write while
 * DaemonSets converge (two per pod, each recorded in managedFields). Builds kubemock in memory
 * with no controllers, creates PODS pods on nodes (as a DaemonSet's, with the service account
 * token volume admission adds), then writes each pod's status twice through the store as
 * the simulated kubelet does (ContainerCreating, then Running and Ready, field manager `kubelet`,
 * subresource status): the first round unmeasured (JIT warm-up), then ROUNDS measured rounds over
 * fresh pods. Prints one JSON line: per round, wall and CPU microseconds per status write.
 * Usage: node --import tsx bench/lib/status-writes.ts PODS ROUNDS
 */
import type { StoredPod } from '../../src/resources/stored.js';
import { loadAppModule } from './app-module.js';

const pods = Number(process.argv[2]);
const rounds = Number(process.argv[3] ?? 3);
const { buildApp } = await loadAppModule();
const kubemock = await buildApp({ db: ':memory:', logLevel: 'error', controllers: false });
const store = kubemock.registry.store<StoredPod>('pods');

type Pod = StoredPod;
const at = (s: number) => new Date(Date.UTC(2026, 11, 5, 12, 0, s)).toISOString().replace('.000Z', 'Z');
const KUBELET = { subresource: 'status', fieldManager: 'kubelet' };

function condition(type: string, status: string, time: string) {
  return { type, status, lastProbeTime: null, lastTransitionTime: time };
}

/** The pods of one round: created on their node, then marked scheduled (the PodScheduled condition a binding sets). */
function createBound(round: number): Pod[] {
  const out: Pod[] = [];
  for (let i = 0; i < pods; i++) {
    const node = `node-${i}`;
    const created = store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `ds-${round}-`,
        namespace: 'default',
        labels: { app: 'ds', 'controller-revision-hash': '844d45ffc4', 'pod-template-generation': '1' },
      },
      spec: {
        nodeName: node,
        containers: [{ name: 'c', image: 'nginx:1.27' }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
            },
          },
        },
      },
    }).object as Pod;
    const scheduled = { ...created, status: { ...created.status, conditions: [condition('PodScheduled', 'True', at(1))] } };
    out.push(store.updateKnown(created, scheduled, { subresource: 'status' }).object as Pod);
  }
  return out;
}

/** The kubelet's first status: the pod taken on, its container being created. */
function creating(pod: Pod, i: number): Pod {
  const host = `10.0.${i >> 8}.${i & 255}`;
  return {
    ...pod,
    status: {
      ...pod.status,
      phase: 'Pending',
      conditions: [
        condition('PodReadyToStartContainers', 'False', at(2)),
        condition('Initialized', 'True', at(2)),
        { ...condition('Ready', 'False', at(2)), reason: 'ContainersNotReady', message: 'containers with unready status: [c]' },
        { ...condition('ContainersReady', 'False', at(2)), reason: 'ContainersNotReady', message: 'containers with unready status: [c]' },
        ...(pod.status?.conditions ?? []),
      ],
      hostIP: host,
      hostIPs: [{ ip: host }],
      startTime: at(2),
      containerStatuses: [
        {
          name: 'c',
          state: { waiting: { reason: 'ContainerCreating' } },
          lastState: {},
          ready: false,
          restartCount: 0,
          image: 'nginx:1.27',
          imageID: '',
          started: false,
        },
      ],
    },
  };
}

/** The kubelet's second status: the container started, the pod Running and Ready with its IP. */
function running(pod: Pod, i: number): Pod {
  const ip = `10.28.${i >> 8}.${i & 255}`;
  const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled')!;
  return {
    ...pod,
    status: {
      ...pod.status,
      phase: 'Running',
      conditions: [
        condition('PodReadyToStartContainers', 'True', at(3)),
        condition('Initialized', 'True', at(2)),
        condition('Ready', 'True', at(3)),
        condition('ContainersReady', 'True', at(3)),
        scheduled,
      ],
      podIP: ip,
      podIPs: [{ ip }],
      containerStatuses: [
        {
          name: 'c',
          state: { running: { startedAt: at(3) } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: 'docker.io/library/nginx:1.27',
          imageID: 'docker.io/library/nginx@sha256:aa9603685d4cbb85d47c07de48092a69f8ae1c4314a4ce8445da82fdfdb27e71',
          containerID: `containerd://${(i + 1).toString(16).padStart(64, '0')}`,
          started: true,
        },
      ],
    },
  };
}

interface Round {
  usPerWrite: number;
  cpuUsPerWrite: number;
}

function round(n: number): Round {
  const bound = createBound(n);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < bound.length; i++) {
    const first = store.updateKnown(bound[i], creating(bound[i], i), KUBELET).object as Pod;
    store.updateKnown(first, running(first, i), KUBELET);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const writes = 2 * bound.length;
  return { usPerWrite: (1000 * ms) / writes, cpuUsPerWrite: (cpu.user + cpu.system) / writes };
}

round(0);
const measured: Round[] = [];
for (let r = 1; r <= rounds; r++) measured.push(round(r));
// What a client reads back: the kubelet's entry records the status fields it wrote.
const sample = store.all('default').find((p) => p.status?.phase === 'Running');
const managers = (sample?.metadata.managedFields ?? []).map((e) => `${e.manager}${e.subresource ? `/${e.subresource}` : ''}`);
await kubemock.close();
console.log(JSON.stringify({ rounds: measured, managers }));

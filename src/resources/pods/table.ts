/**
 * `kubectl get pods` columns, computed as the upstream pod printer does: READY n/m, the STATUS
 * summary (init progress, waiting / terminated reasons, Terminating), RESTARTS with "(5m ago)".
 */
import { parseRfc3339, type KubeObject } from '../../apimachinery/object.js';
import type { ContainerState, PodSpec } from '../schemas.js';
import type { StoredPod as Pod } from '../stored.js';
import {
  AGE_COLUMN,
  column,
  humanDuration,
  nameColumn,
  since,
  type TableConvertor,
  type TableRowCondition,
} from '../../apimachinery/table.js';

export const columns = [
  nameColumn(),
  column('Ready', "How many of the pod's containers are ready, out of all of them."),
  column('Status', 'A one-word summary of the pod and its containers.'),
  column('Restarts', 'Container restarts in this pod, and how long ago the latest one was.'),
  AGE_COLUMN,
  column('IP', 'The first IP address given to the pod.', { priority: 1 }),
  column('Node', 'The node the pod is bound to.', { priority: 1 }),
  column('Nominated Node', 'The node the scheduler intends the pod for after preemption.', { priority: 1 }),
  column('Readiness Gates', 'Extra readiness conditions that are True, out of those the pod declares.', { priority: 1 }),
];

function conditionTrue(pod: Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function terminatedReason(t: NonNullable<ContainerState['terminated']>, prefix: string): string {
  if (t.reason) return `${prefix}${t.reason}`;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

/** The READY, STATUS and RESTARTS cells. */
export function podSummary(pod: Pod, now: number): { ready: string; status: string; restarts: string } {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs = spec.initContainers ?? [];
  const sidecar = (name: string | undefined) => initSpecs.some((c) => c.name === name && c.restartPolicy === 'Always');
  const total = (spec.containers ?? []).length + initSpecs.filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const later = (a: number | undefined, b: number | undefined) => (b !== undefined && (a === undefined || b > a) ? b : a);

  let reason = status.reason || status.phase || '';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    const finished = parseRfc3339(c.lastState?.terminated?.finishedAt);
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, finished);
    if (sidecar(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, finished);
    }
    const terminated = c.state?.terminated;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar(c.name) && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    initializing = true;
    const waiting = c.state?.waiting;
    if (terminated) reason = terminatedReason(terminated, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const containers = status.containerStatuses ?? [];
    for (let i = containers.length - 1; i >= 0; i--) {
      const c = containers[i];
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, parseRfc3339(c.lastState?.terminated?.finishedAt));
      const state = c.state ?? {};
      if (state.waiting?.reason) reason = state.waiting.reason;
      else if (state.terminated) reason = terminatedReason(state.terminated, '');
      else if (c.ready && state.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';

  const restartsCell =
    restarts !== 0 && lastRestart !== undefined ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsCell };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (!gates.length) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const met = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${met}/${gates.length}`;
}

export function cells(obj: KubeObject, now: number): unknown[] {
  const pod = obj as Pod;
  const { ready, status, restarts } = podSummary(pod, now);
  const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
  return [
    pod.metadata.name ?? '',
    ready,
    status,
    restarts,
    since(pod.metadata.creationTimestamp, now),
    ip,
    pod.spec?.nodeName || '<none>',
    pod.status?.nominatedNodeName || '<none>',
    readinessGates(pod),
  ];
}

const COMPLETED: Record<string, TableRowCondition[]> = {
  Succeeded: [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }],
  Failed: [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }],
};

export function rowConditions(obj: KubeObject): TableRowCondition[] | undefined {
  const phase = (obj as Pod).status?.phase;
  return phase ? COMPLETED[phase] : undefined;
}

export const table: TableConvertor = { columns, cells, rowConditions };

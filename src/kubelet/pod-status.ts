/**
 * The pieces of a pod status a kubelet reports (h.2): conditions in kubelet order, container
 * statuses and the pod readiness. Pure builders used by the pod stages (pod IPs: pod-cidr.ts).
 */
import { deepEqualObjects, rfc3339 } from '../apimachinery/object.js';
import { containerID, imageID, qualifiedImage } from './container-ids.js';

import type { Container, ContainerStatus } from '../resources/schemas.js';
import type { StoredPod, StoredPodCondition } from '../resources/stored.js';

/** Conditions the kubelet owns, in the order it writes them. */
const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
/** The kubelet conditions written after the readiness gates are read. */
const READINESS_CONDITIONS = ['Ready', 'ContainersReady', 'PodScheduled'];

export interface SetupState {
  /** The pod sandbox (network) is up: PodReadyToStartContainers. */
  sandboxReady: boolean;
  /** Init containers that have not completed. */
  uninitialized: string[];
}

const SET_UP: SetupState = { sandboxReady: true, uninitialized: [] };

/** The pod's conditions other components own (readiness gates, DisruptionTarget), as the kubelet keeps them. */
export function foreignConditions(pod: StoredPod): StoredPodCondition[] {
  return (pod.status?.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.includes(c.type));
}

/**
 * What keeps a pod whose containers are ready from being Ready: upstream's message for each
 * readiness gate whose condition is absent or not True, in spec order.
 */
export function unmetReadinessGates(pod: StoredPod, conditions: readonly StoredPodCondition[]): string[] {
  return (pod.spec?.readinessGates ?? []).flatMap(({ conditionType }) => {
    const c = conditions.find((x) => x.type === conditionType);
    if (!c) return [`corresponding condition of pod readiness gate ${JSON.stringify(conditionType)} does not exist.`];
    return c.status === 'True' ? [] : [`the status of pod readiness gate ${JSON.stringify(conditionType)} is not "True", but ${c.status}`];
  });
}

/** A condition's status, reason and message, before times are put on it. */
interface Verdict {
  ok: boolean;
  reason?: string;
  message?: string;
}

/**
 * ContainersReady (are all containers ready) and Ready (ContainersReady's verdict when that is
 * not True, else False with ReadinessGatesNotReady while a gate in `conditions` is unmet), as
 * GenerateContainersReadyCondition and GeneratePodReadyCondition decide them.
 */
function readiness(
  pod: StoredPod,
  unready: string[],
  conditions: readonly StoredPodCondition[],
): { containersReady: Verdict; ready: Verdict } {
  if (unready.length) {
    const no = { ok: false, reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
    return { containersReady: no, ready: no };
  }
  const gates = unmetReadinessGates(pod, conditions);
  return {
    containersReady: { ok: true },
    ready: gates.length ? { ok: false, reason: 'ReadinessGatesNotReady', message: gates.join(', ') } : { ok: true },
  };
}

/**
 * The kubelet's conditions given the containers not ready yet (and, while the pod is being set
 * up, its sandbox and init containers), after the conditions other components own, which it
 * keeps as they are (readiness gates set by clients among them). A condition whose status does
 * not change keeps its lastTransitionTime.
 */
export function kubeletPodConditions(pod: StoredPod, unready: string[], now: number, setup: SetupState = SET_UP): StoredPodCondition[] {
  const existing = pod.status?.conditions ?? [];
  const old = new Map(existing.map((c) => [c.type, c]));
  const at = rfc3339(now);
  const make = (type: string, { ok, reason, message }: Verdict): StoredPodCondition => {
    const status = ok ? 'True' : 'False';
    const prev = old.get(type);
    // In the order the API server writes a PodCondition, so the write's canonical order keeps it as built.
    const c: StoredPodCondition = {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : at,
    };
    if (reason) c.reason = reason;
    if (message) c.message = message;
    // Unchanged: the stored condition itself, so the write's later steps (field ownership, the
    // canonical order, the controllers' cache) see it kept and do not walk it.
    return prev && deepEqualObjects(prev, c) ? prev : c;
  };
  const initialized = setup.uninitialized.length === 0;
  const conditions = [
    ...foreignConditions(pod),
    make('PodReadyToStartContainers', { ok: setup.sandboxReady }),
    make(
      'Initialized',
      initialized
        ? { ok: true }
        : {
            ok: false,
            reason: 'ContainersNotInitialized',
            message: `containers with incomplete status: [${setup.uninitialized.join(' ')}]`,
          },
    ),
  ];
  const { containersReady, ready } = readiness(pod, unready, conditions);
  return [...conditions, make('Ready', ready), make('ContainersReady', containersReady), make('PodScheduled', { ok: true })];
}

/** The containers of the pod not ready by their statuses (those without a status included). */
export function unreadyContainers(pod: StoredPod): string[] {
  const ready = new Set((pod.status?.containerStatuses ?? []).filter((s) => s.ready).map((s) => s.name));
  return (pod.spec?.containers ?? []).map((c) => c.name).filter((n) => !ready.has(n));
}

/** Whether the pod's Ready or ContainersReady condition differs from what the kubelet decides now (a readiness gate turned, a controller marked it). */
export function readinessOutdated(pod: StoredPod): boolean {
  const stored = pod.status?.conditions ?? [];
  const verdicts = readiness(
    pod,
    unreadyContainers(pod),
    stored.filter((c) => !READINESS_CONDITIONS.includes(c.type)),
  );
  const differs = (type: string, v: Verdict) => {
    const c = stored.find((x) => x.type === type);
    return !c || c.status !== (v.ok ? 'True' : 'False') || c.reason !== v.reason || c.message !== v.message;
  };
  return differs('Ready', verdicts.ready) || differs('ContainersReady', verdicts.containersReady);
}

// The container statuses below are built in the order the API server writes a ContainerStatus:
// the write's canonical order keeps them as built.

/** Container `c` running since `startedAt`: its first container, or the one after `restartCount` restarts. */
export function runningContainerStatus(
  pod: StoredPod,
  c: Container,
  startedAt: number,
  restarted: { restartCount: number; lastState: ContainerStatus['lastState'] } = { restartCount: 0, lastState: {} },
): ContainerStatus {
  const image = c.image ?? '';
  return {
    name: c.name,
    state: { running: { startedAt: rfc3339(startedAt) } },
    lastState: restarted.lastState,
    ready: true,
    restartCount: restarted.restartCount,
    image: qualifiedImage(image),
    imageID: imageID(image),
    containerID: containerID(pod.metadata.uid ?? '', c.name, restarted.restartCount),
    started: true,
  };
}

export function completedInitContainerStatus(pod: StoredPod, c: Container, at: number): ContainerStatus {
  const id = containerID(pod.metadata.uid ?? '', c.name);
  const image = c.image ?? '';
  return {
    name: c.name,
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: rfc3339(at), finishedAt: rfc3339(at), containerID: id } },
    lastState: {},
    ready: true,
    restartCount: 0,
    image: qualifiedImage(image),
    imageID: imageID(image),
    containerID: id,
    started: false,
  };
}

export function waitingContainerStatus(c: Container, reason: string, message?: string): ContainerStatus {
  const waiting: { reason: string; message?: string } = { reason };
  if (message) waiting.message = message;
  return {
    name: c.name,
    state: { waiting },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: c.image ?? '',
    imageID: '',
    started: false,
  };
}

/** What containerd says when an image cannot be resolved. */
export function pullErrorMessage(image: string): string {
  const ref = qualifiedImage(image);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}

export function backOffMessage(image: string): string {
  return `Back-off pulling image "${image}"`;
}

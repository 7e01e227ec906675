/**
 * The pod statuses chaos writes, as a kubelet reports them: a container that crashed and waits
 * out CrashLoopBackOff (10 s, 20 s, 40 s … 5 min, as upstream), a pod that failed, a pod whose
 * containers run but never pass readiness. Pure builders.
 */
import { rfc3339 } from '../../apimachinery/object.js';
import { containerID } from '../container-ids.js';
import { kubeletPodConditions } from '../pod-status.js';
import type { ContainerStatus } from '../../resources/schemas.js';
import type { StoredPod } from '../../resources/stored.js';
import { goDurationMs } from '../go-duration.js';

type PodStatus = NonNullable<StoredPod['status']>;

export const CRASH_BACKOFF_INITIAL_MS = 10_000;
export const CRASH_BACKOFF_MAX_MS = 300_000;

/** The back-off after the `restarts`-th crash: 10 s doubled each time, at most 5 min. */
export function crashBackOffMs(restarts: number): number {
  return Math.min(CRASH_BACKOFF_MAX_MS, CRASH_BACKOFF_INITIAL_MS * 2 ** Math.max(0, restarts - 1));
}

/** The kubelet's name for a pod in messages: `name_namespace(uid)`. */
export function podRef(pod: StoredPod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

const names = (statuses: ContainerStatus[], pick: (s: ContainerStatus) => boolean) => statuses.filter(pick).map((s) => s.name);

/** Every container `targets` names (all when empty) crashed at `now` and waits for its back-off. */
export function crashedStatus(pod: StoredPod, now: number, targets: string[] = []): PodStatus {
  const at = rfc3339(now);
  const statuses = (pod.status?.containerStatuses ?? []).map((s): ContainerStatus => {
    if (targets.length && !targets.includes(s.name)) return s;
    const restarts = (s.restartCount ?? 0) + 1;
    const startedAt = s.state?.running?.startedAt ?? at;
    const id = s.containerID ?? containerID(pod.metadata.uid ?? '', s.name, restarts - 1);
    return {
      ...s,
      containerID: id,
      ready: false,
      started: false,
      restartCount: restarts,
      lastState: { terminated: { containerID: id, exitCode: 1, reason: 'Error', startedAt, finishedAt: at } },
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${goDurationMs(crashBackOffMs(restarts))} restarting failed container=${s.name} pod=${podRef(pod)}`,
        },
      },
    };
  });
  return {
    ...pod.status,
    phase: 'Running',
    containerStatuses: statuses,
    conditions: kubeletPodConditions(
      pod,
      names(statuses, (s) => !s.ready),
      now,
    ),
  };
}

/** The containers exited with an error and the pod is Failed (terminal). */
export function failedStatus(pod: StoredPod, now: number): PodStatus {
  const at = rfc3339(now);
  const statuses = (pod.status?.containerStatuses ?? []).map((s): ContainerStatus => {
    if (s.state?.terminated) return { ...s, ready: false, started: false };
    const id = s.containerID ?? containerID(pod.metadata.uid ?? '', s.name, s.restartCount ?? 0);
    const startedAt = s.state?.running?.startedAt ?? at;
    return {
      ...s,
      containerID: id,
      ready: false,
      started: false,
      state: { terminated: { containerID: id, exitCode: 1, reason: 'Error', startedAt, finishedAt: at } },
    };
  });
  const conditions = kubeletPodConditions(
    pod,
    names(statuses, () => true),
    now,
  ).map((c) => {
    if (c.type !== 'Ready' && c.type !== 'ContainersReady') return c;
    const { message: _m, ...rest } = c;
    return { ...rest, reason: 'PodFailed' };
  });
  return { ...pod.status, phase: 'Failed', containerStatuses: statuses, conditions };
}

/** The containers run but fail their readiness probes. */
export function unreadyStatus(pod: StoredPod, now: number): PodStatus {
  const statuses = (pod.status?.containerStatuses ?? []).map((s): ContainerStatus => ({ ...s, ready: false }));
  return {
    ...pod.status,
    containerStatuses: statuses,
    conditions: kubeletPodConditions(
      pod,
      names(statuses, () => true),
      now,
    ),
  };
}

/** The crash loop or the readiness failure is over: the containers run and are ready. */
export function recoveredStatus(pod: StoredPod, now: number): PodStatus {
  const at = rfc3339(now);
  const statuses = (pod.status?.containerStatuses ?? []).map((s): ContainerStatus => {
    if (s.state?.running) return { ...s, ready: true, started: true };
    const id = containerID(pod.metadata.uid ?? '', s.name, s.restartCount ?? 0);
    return { ...s, containerID: id, ready: true, started: true, state: { running: { startedAt: at } } };
  });
  return { ...pod.status, phase: 'Running', containerStatuses: statuses, conditions: kubeletPodConditions(pod, [], now) };
}

/** Whether the kubelet has started the pod's containers (a status chaos can rewrite). */
export function isStarted(pod: StoredPod): boolean {
  return pod.status?.phase === 'Running' && (pod.status.containerStatuses?.length ?? 0) > 0;
}

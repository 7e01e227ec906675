/**
 * The status a kubelet reports once it has stopped a deleted pod's containers: each one
 * terminated (how it ended, when), the phase terminal (Succeeded when every container exited 0,
 * else Failed), the sandbox gone and the pod not Ready (PodCompleted / PodFailed). Pure builders.
 */
import { rfc3339 } from '../apimachinery/object.js';
import { containerID } from './container-ids.js';
import type { ContainerStop } from './container-stop.js';
import { kubeletPodConditions } from './pod-status.js';
import type { ContainerState, ContainerStatus } from '../resources/schemas.js';
import type { StoredPod, StoredPodCondition } from '../resources/stored.js';

type TerminatedState = NonNullable<ContainerState['terminated']>;

type PodStatus = NonNullable<StoredPod['status']>;

/** What the kubelet reports for a container it cannot find once the pod is done. */
export const STATUS_UNKNOWN = {
  exitCode: 137,
  reason: 'ContainerStatusUnknown',
  message: 'The container could not be located when the pod was terminated',
};

/** The terminated state of a container that was running and stopped `stop` after `killedAt`. */
export function terminatedState(s: ContainerStatus, podUid: string, stop: ContainerStop, killedAt: number): TerminatedState {
  const id = s.containerID ?? containerID(podUid, s.name, s.restartCount ?? 0);
  const startedAt = s.state?.running?.startedAt ?? rfc3339(killedAt);
  return { containerID: id, exitCode: stop.exitCode, finishedAt: rfc3339(killedAt + stop.afterMs), reason: stop.reason, startedAt };
}

/** A stopped container's status: not ready, not started, `terminated` as given. */
export function stoppedContainerStatus(s: ContainerStatus, terminated: TerminatedState): ContainerStatus {
  return { ...s, ready: false, started: false, state: { terminated } };
}

/** Kubelet conditions of a pod in a terminal phase. */
export function terminalConditions(pod: StoredPod, phase: 'Succeeded' | 'Failed', names: string[], now: number): StoredPodCondition[] {
  const why = phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed';
  return kubeletPodConditions(pod, names, now, { sandboxReady: false, uninitialized: [] }).map((c) => {
    if (c.type === 'Ready' || c.type === 'ContainersReady') {
      const { message: _m, reason: _r, lastProbeTime, lastTransitionTime, ...rest } = c;
      return { ...rest, reason: why, lastProbeTime, lastTransitionTime };
    }
    if (c.type === 'Initialized' && phase === 'Succeeded') {
      const { lastProbeTime, lastTransitionTime, ...rest } = c;
      return { ...rest, reason: why, lastProbeTime, lastTransitionTime };
    }
    return c;
  });
}

/**
 * The pod once its containers are stopped: those running end as `stops` says (killed at
 * `killedAt`), those already ended keep their state, any other (waiting to restart) is reported
 * as lost, as the kubelet does for a pod that has run.
 */
export function terminatedPodStatus(pod: StoredPod, stops: ReadonlyMap<string, ContainerStop>, killedAt: number, now: number): PodStatus {
  const uid = pod.metadata.uid ?? '';
  const statuses = (pod.status?.containerStatuses ?? []).map((s): ContainerStatus => {
    if (s.state?.terminated) return { ...s, ready: false, started: false };
    const stop = s.state?.running ? stops.get(s.name) : undefined;
    if (stop) return stoppedContainerStatus(s, terminatedState(s, uid, stop, killedAt));
    return stoppedContainerStatus(s, { ...STATUS_UNKNOWN });
  });
  const phase = statuses.every((s) => s.state?.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
  const conditions = terminalConditions(
    pod,
    phase,
    statuses.map((s) => s.name),
    now,
  );
  return { ...pod.status, phase, conditions, containerStatuses: statuses };
}

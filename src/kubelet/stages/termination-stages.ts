/**
 * Graceful termination as a kubelet does it (SyncTerminatingPod, killContainer): `Killing` events
 * as it starts to stop the running containers, their terminated statuses and a terminal phase
 * once the last one is gone (each after its preStop hook and its exit, see container-stop.ts),
 * then the pod's removal with grace 0.
 */
import { containerStop, type ContainerStop } from '../container-stop.js';
import type { StoredPod } from '../../resources/stored.js';
import { terminatedPodStatus } from '../termination-status.js';
import type { PodEnv, PodStage } from './pod-stages.js';
import { anyStarted, containerEvent, onNode, runningContainers, terminating } from './pod-facts.js';
import { isPodTerminal } from '../../resources/pods/phase.js';

/** The kubelet is stopping the pod's containers: it is being deleted and has run. */
const stopping = (pod: StoredPod, env: PodEnv) => onNode(pod, env) && terminating(pod) && !isPodTerminal(pod) && anyStarted(pod);

function stops(pod: StoredPod, env: PodEnv): Map<string, ContainerStop> {
  return new Map(runningContainers(pod).map((c) => [c.name, containerStop(pod, c, env.settings)]));
}

const lastStopMs = (pod: StoredPod, env: PodEnv) => Math.max(0, ...[...stops(pod, env).values()].map((s) => s.afterMs));

export const terminationStages: PodStage[] = [
  {
    // killContainer records this before the preStop hook runs, for each running container.
    name: 'pod-kill',
    once: true,
    when: (pod, env) => stopping(pod, env) && runningContainers(pod).length > 0,
    delayMs: () => 0,
    next: (pod) => runningContainers(pod).map((c) => containerEvent(pod, c, 'Normal', 'Killing', `Stopping container ${c.name}`)),
  },
  {
    name: 'pod-stopped',
    when: stopping,
    delayMs: lastStopMs,
    next(pod, env, now) {
      const status = terminatedPodStatus(pod, stops(pod, env), now - lastStopMs(pod, env), now);
      return [{ type: 'update', subresource: 'status', object: { ...pod, status } }];
    },
  },
  {
    // Nothing runs any more (or nothing ever ran): the kubelet removes the pod. A pod already
    // deleted with grace 0 waits for its finalizers.
    name: 'pod-delete',
    when: (pod, env) =>
      onNode(pod, env) && terminating(pod) && pod.metadata.deletionGracePeriodSeconds !== 0 && (isPodTerminal(pod) || !anyStarted(pod)),
    delayMs: () => 0,
    next: () => [{ type: 'delete', gracePeriodSeconds: 0 }],
  },
];

/**
 * A running pod whose container changed (its image, the one mutable container field) gets that
 * container restarted, as computePodActions does: a `Killing` event ("definition changed, will
 * be restarted"), the old container stopped as on deletion (container-stop.ts), the new image
 * pulled and the container started with restartCount + 1 and the old one as lastState; an image
 * that cannot be pulled leaves it waiting in ErrImagePull. A container waiting on a pull error
 * whose image is changed to one that pulls starts the same way, and so does one held in
 * CreateContainerConfigError once the ConfigMaps and Secrets its environment names are there. Other containers are untouched;
 * init containers are not run again once the pod has started.
 */
import { imageMatches, qualifiedImage } from '../container-ids.js';
import { containerStop } from '../container-stop.js';
import { presentAndStartedEvents, pulledAndStartedEvents, pullFailedEvents } from '../image-pull.js';
import { containerConfigError } from '../object-references.js';
import { kubeletPodConditions, pullErrorMessage, runningContainerStatus } from '../pod-status.js';
import type { Container, ContainerStatus } from '../../resources/schemas.js';
import type { StoredPod } from '../../resources/stored.js';
import type { Effect } from '../stage.js';
import { terminatedState } from '../termination-status.js';
import type { PodEnv, PodStage } from './pod-stages.js';
import { CONFIG_ERROR, PULL_ERRORS, anyStarted, containerEvent, containers, onNode, runningContainers, terminating } from './pod-facts.js';
import { isPodTerminal } from '../../resources/pods/phase.js';

const statusOf = (pod: StoredPod, name: string) => (pod.status?.containerStatuses ?? []).find((s) => s.name === name);
const pulls = (c: Container, env: PodEnv) => !imageMatches(c.image ?? '', env.settings.failingImagePattern);
const live = (pod: StoredPod, env: PodEnv) => onNode(pod, env) && !terminating(pod) && !isPodTerminal(pod);

/** Running containers whose image is not the one they run (names compared fully qualified, so `nginx` is `docker.io/library/nginx:latest`). */
function changed(pod: StoredPod): Container[] {
  return runningContainers(pod).filter((c) => qualifiedImage(statusOf(pod, c.name)?.image ?? '') !== qualifiedImage(c.image ?? ''));
}

const waitingReason = (pod: StoredPod, c: Container) => statusOf(pod, c.name)?.state?.waiting?.reason ?? '';

/** Containers waiting on a pull error whose image now pulls, or on a config error whose ConfigMaps and Secrets are now there. */
function unblocked(pod: StoredPod, env: PodEnv): Container[] {
  return containers(pod).filter((c) => {
    const reason = waitingReason(pod, c);
    if (PULL_ERRORS.includes(reason)) return pulls(c, env);
    return reason === CONFIG_ERROR && pulls(c, env) && !containerConfigError(pod, c, env.objects);
  });
}

const stopMs = (pod: StoredPod, env: PodEnv) => Math.max(0, ...changed(pod).map((c) => containerStop(pod, c, env.settings).afterMs));

/** The status with `replace`'s container statuses swapped in; the phase Running once every container runs. */
function withStatuses(pod: StoredPod, replace: Map<string, ContainerStatus>, now: number): StoredPod {
  const statuses = (pod.status?.containerStatuses ?? []).map((s) => replace.get(s.name) ?? s);
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const phase = statuses.every((s) => s.state?.running) ? 'Running' : pod.status?.phase;
  return { ...pod, status: { ...pod.status, phase, conditions: kubeletPodConditions(pod, unready, now), containerStatuses: statuses } };
}

export const restartStages: PodStage[] = [
  {
    name: 'container-kill',
    once: true,
    when: (pod, env) => live(pod, env) && changed(pod).length > 0,
    delayMs: () => 0,
    next: (pod) =>
      changed(pod).map((c) => containerEvent(pod, c, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`)),
  },
  {
    name: 'container-restart',
    when: (pod, env) => live(pod, env) && changed(pod).length > 0,
    delayMs: (pod, env) => stopMs(pod, env) + env.settings.podStartupMs,
    next(pod, env, now) {
      const killedAt = now - stopMs(pod, env) - env.settings.podStartupMs;
      const replace = new Map<string, ContainerStatus>();
      const events: Effect[] = [];
      for (const c of changed(pod)) {
        const old = statusOf(pod, c.name)!;
        const lastState = { terminated: terminatedState(old, pod.metadata.uid ?? '', containerStop(pod, c, env.settings), killedAt) };
        if (pulls(c, env)) {
          replace.set(c.name, runningContainerStatus(pod, c, now, { restartCount: (old.restartCount ?? 0) + 1, lastState }));
          events.push(...pulledAndStartedEvents(pod, c, env.settings.podStartupMs));
        } else {
          // No new container was created: the status still names the old one, as upstream.
          replace.set(c.name, {
            ...old,
            lastState,
            ready: false,
            started: false,
            state: { waiting: { reason: 'ErrImagePull', message: pullErrorMessage(c.image ?? '') } },
          });
          events.push(...pullFailedEvents(pod, c));
        }
      }
      return [{ type: 'update', subresource: 'status', object: withStatuses(pod, replace, now) }, ...events];
    },
  },
  {
    name: 'container-start',
    when: (pod, env) => live(pod, env) && anyStarted(pod) && unblocked(pod, env).length > 0,
    delayMs: (_pod, env) => env.settings.podStartupMs,
    next(pod, env, now) {
      const replace = new Map<string, ContainerStatus>();
      const events: Effect[] = [];
      for (const c of unblocked(pod, env)) {
        const old = statusOf(pod, c.name)!;
        const restarts = (old.restartCount ?? 0) + (old.lastState?.terminated ? 1 : 0);
        replace.set(c.name, runningContainerStatus(pod, c, now, { restartCount: restarts, lastState: old.lastState ?? {} }));
        // The image of a container held by its config was already there.
        if (waitingReason(pod, c) === CONFIG_ERROR) events.push(...presentAndStartedEvents(pod, c));
        else events.push(...pulledAndStartedEvents(pod, c, env.settings.podStartupMs));
      }
      return [{ type: 'update', subresource: 'status', object: withStatuses(pod, replace, now) }, ...events];
    },
  },
];

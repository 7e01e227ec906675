/** What the pod stages ask of a pod, and the event effects they all build. */
import { containerFieldPath } from '../container-ref.js';
import type { Effect } from '../stage.js';
import type { Container } from '../../resources/schemas.js';
import type { StoredPod } from '../../resources/stored.js';

/** Bound to a node that exists. */
export const onNode = (pod: StoredPod, env: { node?: unknown }): boolean => Boolean(pod.spec?.nodeName && env.node);
/** The waiting reasons of a container whose image did not pull. */
export const PULL_ERRORS = ['ErrImagePull', 'ImagePullBackOff'];
/** The waiting reason of a container whose environment names a missing ConfigMap, Secret or key. */
export const CONFIG_ERROR = 'CreateContainerConfigError';
export const terminating = (pod: StoredPod): boolean => Boolean(pod.metadata.deletionTimestamp);
export const containers = (pod: StoredPod): Container[] => pod.spec?.containers ?? [];
/** A container of the pod has run (it is running, or ran and ended). */
export const anyStarted = (pod: StoredPod): boolean =>
  (pod.status?.containerStatuses ?? []).some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
/** The containers whose status says running. */
export const runningContainers = (pod: StoredPod): Container[] => {
  const running = new Set((pod.status?.containerStatuses ?? []).filter((s) => s.state?.running).map((s) => s.name));
  return containers(pod).filter((c) => running.has(c.name));
};

/** An event about the pod itself (NodePorts, FailedMount, FailedCreatePodSandBox). */
export const event = (eventType: 'Normal' | 'Warning', reason: string, message: string): Effect => ({
  type: 'event',
  eventType,
  reason,
  message,
});

/**
 * An event about one of the pod's containers (pulls, creation, start, kill, back-off, failures):
 * the kubelet records those about the container's reference, so they carry its fieldPath.
 */
export const containerEvent = (
  pod: StoredPod,
  c: Pick<Container, 'name'>,
  eventType: 'Normal' | 'Warning',
  reason: string,
  message: string,
): Effect => {
  const fieldPath = containerFieldPath(pod, c.name);
  return fieldPath === undefined ? event(eventType, reason, message) : { type: 'event', eventType, reason, message, fieldPath };
};

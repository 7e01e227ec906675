/**
 * Where a container sits in its pod, as the fieldPath of the object reference the kubelet's
 * container events are about (kubecontainer.GenerateContainerRef): `spec.containers{NAME}`,
 * `spec.initContainers{NAME}` or `spec.ephemeralContainers{NAME}`, looked up by name in that order;
 * an unnamed one by its index (`spec.containers[0]`). Events about the pod itself carry none.
 */
import type { StoredPod } from '../resources/stored.js';

const LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** The fieldPath of the pod's container `name`; undefined when the pod has no such container. */
export function containerFieldPath(pod: StoredPod, name: string): string | undefined {
  for (const list of LISTS) {
    const i = (pod.spec?.[list] ?? []).findIndex((c) => c.name === name);
    if (i >= 0) return name ? `spec.${list}{${name}}` : `spec.${list}[${i}]`;
  }
  return undefined;
}

/**
 * The events of the kubelet's image manager (EnsureImageExists) and of the container start that
 * follows a pull, with the messages upstream writes, each about the container (its fieldPath in
 * the pod). Image sizes are made up, stable per image.
 */
import { hash } from 'node:crypto';
import { goDurationMs } from './go-duration.js';
import { pullErrorMessage } from './pod-status.js';
import type { Container } from '../resources/schemas.js';
import type { StoredPod } from '../resources/stored.js';
import type { Effect } from './stage.js';
import { containerEvent } from './stages/pod-facts.js';

/** A plausible compressed size for an image: 5 to 200 MB, always the same for one name. */
export function imageSizeBytes(image: string): number {
  const n = hash('sha256', `size:${image}`, 'buffer').readUInt32BE(0);
  return 5_000_000 + (n % 195_000_000);
}

/** Pulling, Pulled after `pullMs`, Created, Started: a container started from an image just pulled. */
export function pulledAndStartedEvents(pod: StoredPod, c: Container, pullMs: number): Effect[] {
  const image = c.image ?? '';
  const took = goDurationMs(pullMs);
  return [
    containerEvent(pod, c, 'Normal', 'Pulling', `Pulling image "${image}"`),
    containerEvent(
      pod,
      c,
      'Normal',
      'Pulled',
      `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${imageSizeBytes(image)} bytes.`,
    ),
    containerEvent(pod, c, 'Normal', 'Created', `Created container: ${c.name}`),
    containerEvent(pod, c, 'Normal', 'Started', `Started container ${c.name}`),
  ];
}

/** The image of a container already on the node (the simulated kubelet's first start of it). */
export function presentEvent(pod: StoredPod, c: Container): Effect {
  return containerEvent(pod, c, 'Normal', 'Pulled', `Container image "${c.image ?? ''}" already present on machine`);
}

/** Pulled (already present), Created, Started: a container started from an image on the node. */
export function presentAndStartedEvents(pod: StoredPod, c: Container): Effect[] {
  return [
    presentEvent(pod, c),
    containerEvent(pod, c, 'Normal', 'Created', `Created container: ${c.name}`),
    containerEvent(pod, c, 'Normal', 'Started', `Started container ${c.name}`),
  ];
}

/** Pulling, then the two Failed events of an image that cannot be pulled. */
export function pullFailedEvents(pod: StoredPod, c: Container): Effect[] {
  const image = c.image ?? '';
  return [
    containerEvent(pod, c, 'Normal', 'Pulling', `Pulling image "${image}"`),
    containerEvent(pod, c, 'Warning', 'Failed', `Failed to pull image "${image}": ${pullErrorMessage(image)}`),
    containerEvent(pod, c, 'Warning', 'Failed', 'Error: ErrImagePull'),
  ];
}

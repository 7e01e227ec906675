/**
 * The events of the kubelet's image manager (EnsureImageExists) and of the container start that
 * follows a pull, with the messages upstream writes. Image sizes are made up, stable per image.
 */
import { hash } from 'node:crypto';
import { goDurationMs } from './go-duration.js';
import { pullErrorMessage } from './pod-status.js';
import type { Container } from '../resources/schemas.js';
import type { Effect } from './stage.js';
import { event } from './stages/pod-facts.js';

/** A plausible compressed size for an image: 5 to 200 MB, always the same for one name. */
export function imageSizeBytes(image: string): number {
  const n = hash('sha256', `size:${image}`, 'buffer').readUInt32BE(0);
  return 5_000_000 + (n % 195_000_000);
}

/** Pulling, Pulled after `pullMs`, Created, Started: a container started from an image just pulled. */
export function pulledAndStartedEvents(c: Container, pullMs: number): Effect[] {
  const image = c.image ?? '';
  const took = goDurationMs(pullMs);
  return [
    event('Normal', 'Pulling', `Pulling image "${image}"`),
    event(
      'Normal',
      'Pulled',
      `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${imageSizeBytes(image)} bytes.`,
    ),
    event('Normal', 'Created', `Created container: ${c.name}`),
    event('Normal', 'Started', `Started container ${c.name}`),
  ];
}

/** The image of a container already on the node (the simulated kubelet's first start of it). */
export function presentEvent(c: Container): Effect {
  return event('Normal', 'Pulled', `Container image "${c.image ?? ''}" already present on machine`);
}

/** Pulled (already present), Created, Started: a container started from an image on the node. */
export function presentAndStartedEvents(c: Container): Effect[] {
  return [
    presentEvent(c),
    event('Normal', 'Created', `Created container: ${c.name}`),
    event('Normal', 'Started', `Started container ${c.name}`),
  ];
}

/** Pulling, then the two Failed events of an image that cannot be pulled. */
export function pullFailedEvents(c: Container): Effect[] {
  const image = c.image ?? '';
  return [
    event('Normal', 'Pulling', `Pulling image "${image}"`),
    event('Warning', 'Failed', `Failed to pull image "${image}": ${pullErrorMessage(image)}`),
    event('Warning', 'Failed', 'Error: ErrImagePull'),
  ];
}

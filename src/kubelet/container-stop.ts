/**
 * How a simulated container stops, as the kubelet's killContainer does it: the preStop hook runs
 * first and eats into the grace period, the container then gets SIGTERM and at least two more
 * seconds before SIGKILL. A simulated process exits `containerStopMs` after SIGTERM (exit 0,
 * Completed), unless its pod ignores SIGTERM: then it is killed when the grace period ends (137,
 * Error). Pure: the stages ask it when each container is gone and how it ended.
 */
import type { ControllerSettings } from '../controllers/context.js';
import type { Container } from '../resources/schemas.js';
import type { StoredPod } from '../resources/stored.js';

/** kubemock's own annotation: `"true"` makes every container of the pod ignore SIGTERM. */
export const IGNORE_SIGTERM_ANNOTATION = 'kubemock.io/ignore-sigterm';

/** What the kubelet grants a container after its preStop hook, whatever is left of the grace period. */
export const MINIMUM_GRACE_SECONDS = 2;
/** The grace period when the pod sets none (the API server defaults it to this too). */
const DEFAULT_GRACE_SECONDS = 30;

export interface ContainerStop {
  /** Milliseconds from the kill to the container being gone. */
  afterMs: number;
  exitCode: number;
  reason: 'Completed' | 'Error';
}

export type StopSettings = Pick<ControllerSettings, 'containerStopMs' | 'maxTerminationMs'>;

export function ignoresSigterm(pod: StoredPod): boolean {
  return pod.metadata.annotations?.[IGNORE_SIGTERM_ANNOTATION] === 'true';
}

/** The grace period the kubelet kills with: the deletion's, else the pod's own. */
export function killGraceSeconds(pod: StoredPod): number {
  const fromSpec = pod.spec?.terminationGracePeriodSeconds;
  return pod.metadata.deletionGracePeriodSeconds ?? (typeof fromSpec === 'number' ? fromSpec : DEFAULT_GRACE_SECONDS);
}

/**
 * How long the preStop hook takes: a sleep hook its seconds; exec and httpGet hooks finish at
 * once (kubemock runs no process to exec in and serves no port to call).
 */
function preStopMs(c: Container): number {
  const hook = c.lifecycle?.preStop;
  return hook?.sleep ? Math.max(0, hook.sleep.seconds ?? 0) * 1000 : 0;
}

/** When and how container `c` of `pod` ends once the kubelet kills it. */
export function containerStop(pod: StoredPod, c: Container, settings: StopSettings): ContainerStop {
  let grace = Math.max(0, killGraceSeconds(pod));
  let hookMs = 0;
  if (c.lifecycle?.preStop && grace > 0) {
    // The hook is cut off at the grace period; what it used counts in whole seconds, as upstream.
    hookMs = Math.min(preStopMs(c), grace * 1000);
    grace -= Math.floor(hookMs / 1000);
  }
  const killAtMs = Math.max(grace, MINIMUM_GRACE_SECONDS) * 1000;
  const killed = ignoresSigterm(pod) || settings.containerStopMs >= killAtMs;
  const natural = hookMs + (killed ? killAtMs : settings.containerStopMs);
  // The cap shortens the wait, never the outcome: a process that ignores SIGTERM is still killed.
  const afterMs = Math.min(natural, settings.maxTerminationMs ?? Infinity);
  return killed ? { afterMs, exitCode: 137, reason: 'Error' } : { afterMs, exitCode: 0, reason: 'Completed' };
}

/**
 * The disruption controller's decision for one PodDisruptionBudget (pkg/controller/disruption:
 * trySync, getExpectedPodCount, getExpectedScale, buildDisruptedPodMap, countHealthyPods,
 * updatePdbStatus, failSafe), as a pure function of the budget, its pods and the time.
 *
 * Expected pods: an integer minAvailable counts the selected pods; a percentage or any
 * maxUnavailable needs the scale of every controller owning a selected pod. None of the kinds
 * served here has a scale subresource (a DaemonSet has none upstream either), so those budgets fail
 * their sync as upstream's do: DisruptionAllowed False/SyncFailed and a warning event. Pods without
 * a controller are "unmanaged": a warning, and they add nothing to the expected count.
 */
import type { OwnerReference } from '../../apimachinery/object.js';
import { controllerRefOf } from '../../apimachinery/owner-refs.js';
import { deepEqual, parseRfc3339 } from '../../apimachinery/object.js';
import { semanticEqual } from '../../apimachinery/json-fields.js';
import { scaledIntOrPercent } from '../../apimachinery/int-or-percent.js';
import { isPodReady } from '../../resources/pods/conditions.js';
import {
  disruptionConditionUpToDate,
  failSafeStatus,
  withDisruptionAllowedCondition,
} from '../../resources/poddisruptionbudgets/conditions.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from '../../resources/poddisruptionbudgets/schema.js';
import { goLabelSelectorString } from '../../apimachinery/go-label-selector.js';
import type { Stored } from '../../apimachinery/object.js';
import type { StoredPod } from '../../resources/stored.js';

/** How long an eviction the API server allowed stays in disruptedPods before the pod counts again. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

/** A controller's scale, an error (what upstream's finders report), or undefined when none owns the pod. */
export type ScaleLookup = (ref: OwnerReference, namespace: string) => { uid: string; scale: number } | { error: string } | undefined;

export interface PlannedEvent {
  /** The budget, or (NotDeleted) one of its pods. */
  on: 'pdb' | { pod: string };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface DisruptionPlan {
  /** The status to write; undefined when the stored one is current. */
  status?: PodDisruptionBudgetStatus;
  events: PlannedEvent[];
  /** When a disruptedPods entry expires, the budget is looked at again. */
  recheckAfterMs?: number;
}

type Expected = { expected: number; desired: number; unmanaged: string[] } | { error: string };

function expectedScale(pods: StoredPod[], lookup: ScaleLookup): { expected: number; unmanaged: string[] } | { error: string } {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (!ref) {
      unmanaged.push(pod.metadata.name!);
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = lookup(ref, pod.metadata.namespace ?? '');
    if (!found) return { error: `found no controllers for pod "${pod.metadata.name}"` };
    if ('error' in found) return found;
    scales.set(found.uid, found.scale);
  }
  let expected = 0;
  for (const n of scales.values()) expected += n;
  return { expected, unmanaged };
}

/** getExpectedPodCount: expected pods, desired healthy pods, and the pods without a controller. */
function expectedPodCount(pdb: Stored<PodDisruptionBudget>, pods: StoredPod[], lookup: ScaleLookup): Expected {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  if (maxUnavailable != null) {
    const scale = expectedScale(pods, lookup);
    if ('error' in scale) return scale;
    const max = scaledIntOrPercent(maxUnavailable, scale.expected, true);
    if ('error' in max) return max;
    return { expected: scale.expected, desired: Math.max(0, scale.expected - max.value), unmanaged: scale.unmanaged };
  }
  if (minAvailable == null) return { expected: 0, desired: 0, unmanaged: [] };
  if (typeof minAvailable === 'number') return { expected: pods.length, desired: minAvailable, unmanaged: [] };
  const scale = expectedScale(pods, lookup);
  if ('error' in scale) return scale;
  const min = scaledIntOrPercent(minAvailable, scale.expected, true);
  if ('error' in min) return min;
  return { expected: scale.expected, desired: min.value, unmanaged: scale.unmanaged };
}

/** buildDisruptedPodMap: the entries still pending (pod present, not yet terminating, not expired). */
function pendingDisruptions(
  pdb: Stored<PodDisruptionBudget>,
  pods: StoredPod[],
  now: number,
  events: PlannedEvent[],
): { pending: Record<string, string>; recheckAt?: number } {
  const recorded = pdb.status?.disruptedPods ?? {};
  const pending: Record<string, string> = {};
  let recheckAt: number | undefined;
  for (const pod of pods) {
    const name = pod.metadata.name!;
    if (pod.metadata.deletionTimestamp || recorded[name] === undefined) continue;
    const expires = (parseRfc3339(recorded[name]) ?? 0) + DELETION_TIMEOUT_MS;
    if (expires < now) {
      const ns = pdb.metadata.namespace;
      // Upstream names the budget by its namespace twice.
      events.push({
        on: { pod: name },
        type: 'Warning',
        reason: 'NotDeleted',
        message: `Pod was expected by PDB ${ns}/${ns} to be deleted but it wasn't`,
      });
    } else {
      pending[name] = recorded[name];
      if (recheckAt === undefined || expires < recheckAt) recheckAt = expires;
    }
  }
  return { pending, recheckAt };
}

/** countHealthyPods: ready pods that are neither terminating nor pending an allowed eviction. */
function healthyPods(pods: StoredPod[], pending: Record<string, string>, now: number): number {
  let n = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const since = pending[pod.metadata.name!];
    if (since !== undefined && (parseRfc3339(since) ?? 0) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) n++;
  }
  return n;
}

/** The next status of `pdb` given the pods its selector selects (trySync, then failSafe on an error). */
export function planDisruptionStatus(
  pdb: Stored<PodDisruptionBudget>,
  pods: StoredPod[],
  lookup: ScaleLookup,
  now: number,
): DisruptionPlan {
  const events: PlannedEvent[] = [];
  const current: PodDisruptionBudgetStatus = pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  const generation = pdb.metadata.generation ?? 0;
  if (pods.length === 0) events.push({ on: 'pdb', type: 'Normal', reason: 'NoPods', message: 'No matching pods found' });
  const counted = expectedPodCount(pdb, pods, lookup);
  if ('error' in counted) {
    events.push({
      on: 'pdb',
      type: 'Warning',
      reason: 'CalculateExpectedPodCountFailed',
      message: `Failed to calculate the number of expected pods: ${counted.error}`,
    });
    const failed = failSafeStatus(current, counted.error, now);
    return { status: deepEqual(failed, current) ? undefined : failed, events };
  }
  if (counted.unmanaged.length > 0) {
    // %v of the *LabelSelector: its generated String().
    const selector = goLabelSelectorString(pdb.spec?.selector);
    events.push({
      on: 'pdb',
      type: 'Warning',
      reason: 'UnmanagedPods',
      message:
        `Pods selected by this PodDisruptionBudget (selector: ${selector}) were found to be unmanaged. As a result, the status of the PDB ` +
        'cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" ' +
        'field of the PDB to an integer value.',
    });
  }
  const { pending, recheckAt } = pendingDisruptions(pdb, pods, now, events);
  const currentHealthy = healthyPods(pods, pending, now);
  const { expected, desired } = counted;
  const allowed = expected <= 0 || currentHealthy - desired <= 0 ? 0 : currentHealthy - desired;
  const recheckAfterMs = recheckAt === undefined ? undefined : recheckAt - now;
  const upToDate =
    current.currentHealthy === currentHealthy &&
    current.desiredHealthy === desired &&
    current.expectedPods === expected &&
    current.disruptionsAllowed === allowed &&
    semanticEqual(current.disruptedPods ?? {}, pending) &&
    (current.observedGeneration ?? 0) === generation &&
    disruptionConditionUpToDate(current, generation);
  if (upToDate) return { events, recheckAfterMs };
  const next: PodDisruptionBudgetStatus = {
    observedGeneration: generation,
    disruptionsAllowed: allowed,
    currentHealthy,
    desiredHealthy: desired,
    expectedPods: expected,
    conditions: current.conditions,
  };
  if (Object.keys(pending).length > 0) next.disruptedPods = pending;
  if (!next.conditions) delete next.conditions;
  return { status: withDisruptionAllowedCondition(next, now), events, recheckAfterMs };
}

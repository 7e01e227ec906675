/**
 * What the pods/eviction subresource decides about PodDisruptionBudgets (upstream's EvictionREST in
 * pkg/registry/core/pod/storage/eviction.go), as pure functions the eviction flow applies:
 * which budgets cover a pod, whether it may skip them, and check-and-decrement of one budget.
 */
import { labelSelectorMatches } from '../../apimachinery/labels.js';
import { rfc3339, type Stored } from '../../apimachinery/object.js';
import { forbidden, StatusError, StatusReason } from '../../apimachinery/status.js';
import { isPodReady } from '../pods/conditions.js';
import type { StoredPod } from '../stored.js';
import { withDisruptionAllowedCondition } from './conditions.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from './schema.js';

type Pdb = Stored<PodDisruptionBudget>;

/** Allowed evictions the controller has not confirmed yet, beyond which a budget refuses more. */
export const MAX_DISRUPTED_PODS = 2000;
export const MULTIPLE_BUDGETS_MESSAGE = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';
const VIOLATES = "Cannot evict pod as it would violate the pod's disruption budget.";
const PDB_RESOURCE = { group: 'policy', resource: 'poddisruptionbudget' };

/** canIgnorePDB: a pending, finished or terminating pod is deleted without looking at budgets. */
export function canIgnoreBudgets(pod: StoredPod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

/** shouldEnforceResourceVersion: the delete of a pod that skipped its budgets is pinned unless it is finished or terminating. */
export function shouldPinResourceVersion(pod: StoredPod): boolean {
  const phase = pod.status?.phase;
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp);
}

/** getPodDisruptionBudgets: the budgets of the pod's namespace whose selector selects it (a null or unparsable one selects nothing). */
export function budgetsCoveringPod(pod: StoredPod, budgets: readonly Pdb[]): Pdb[] {
  return budgets.filter((pdb) => {
    if (pdb.metadata.namespace !== pod.metadata.namespace || pdb.spec?.selector == null) return false;
    try {
      return labelSelectorMatches(pdb.spec.selector, pod.metadata.labels);
    } catch {
      return false;
    }
  });
}

export type BudgetVerdict =
  /** No budget covers the pod: delete it. */
  | { kind: 'none' }
  /** More than one does: answer 500 with MULTIPLE_BUDGETS_MESSAGE. */
  | { kind: 'multiple' }
  /** An unhealthy pod the budget lets go without spending a disruption: delete it pinned to the pod's resourceVersion. */
  | { kind: 'unhealthy'; pdb: Pdb }
  /** Spend one of the budget's disruptions (checkAndDecrement), then delete. */
  | { kind: 'decrement'; pdb: Pdb };

/** Which way an eviction of a pod that cannot skip budgets goes. */
export function budgetVerdict(pod: StoredPod, covering: readonly Pdb[]): BudgetVerdict {
  if (covering.length > 1) return { kind: 'multiple' };
  if (covering.length === 0) return { kind: 'none' };
  const pdb = covering[0];
  if (!isPodReady(pod)) {
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return { kind: 'unhealthy', pdb };
    const { currentHealthy = 0, desiredHealthy = 0 } = pdb.status ?? {};
    if (currentHealthy >= desiredHealthy && desiredHealthy > 0) return { kind: 'unhealthy', pdb };
  }
  return { kind: 'decrement', pdb };
}

/** The 429 a client retries: the message, one DisruptionBudget cause, and Retry-After when given. */
function tooManyRequests(cause: string, retryAfterSeconds: number): StatusError {
  const causes = [{ reason: 'DisruptionBudget', message: cause }];
  return new StatusError(429, StatusReason.TooManyRequests, VIOLATES, retryAfterSeconds > 0 ? { causes, retryAfterSeconds } : { causes });
}

/** createTooManyRequestsError: the budget's status lags its spec, or the pod became ready under a pinned delete. */
export function budgetStillProcessing(pdbName: string): StatusError {
  return tooManyRequests(`The disruption budget ${pdbName} is still being processed by the server.`, 10);
}

/**
 * checkAndDecrement: throws when the budget allows no eviction now; else the status to write with
 * one disruption spent and the pod recorded in disruptedPods (undefined on a dry run, which writes nothing).
 */
export function checkAndDecrement(pdb: Pdb, podName: string, now: number, dryRun: boolean): PodDisruptionBudgetStatus | undefined {
  const status = pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  const name = pdb.metadata.name!;
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw budgetStillProcessing(name);
  if (status.disruptionsAllowed < 0) throw forbidden(PDB_RESOURCE, name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw forbidden(PDB_RESOURCE, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (status.disruptionsAllowed === 0) {
    throw tooManyRequests(
      `The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
      0,
    );
  }
  if (dryRun) return undefined;
  let next: PodDisruptionBudgetStatus = { ...status, disruptionsAllowed: status.disruptionsAllowed - 1 };
  if (next.disruptionsAllowed === 0) next = withDisruptionAllowedCondition(next, now);
  return { ...next, disruptedPods: { ...(status.disruptedPods ?? {}), [podName]: rfc3339(now) } };
}

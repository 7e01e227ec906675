/**
 * The DisruptionAllowed condition of a PodDisruptionBudget (component-helpers' poddisruptionbudget
 * helpers): True/SufficientPods while an eviction is allowed, False/InsufficientPods otherwise,
 * False/SyncFailed when the controller could not compute the status.
 */
import { findStatusCondition, setStatusCondition } from '../../apimachinery/conditions.js';
import type { PodDisruptionBudgetStatus } from './schema.js';

export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
export const SUFFICIENT_PODS = 'SufficientPods';
export const INSUFFICIENT_PODS = 'InsufficientPods';
export const SYNC_FAILED = 'SyncFailed';

/** UpdateDisruptionAllowedCondition: the condition that follows status.disruptionsAllowed. */
export function withDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, now: number): PodDisruptionBudgetStatus {
  const allowed = status.disruptionsAllowed > 0;
  const conditions = setStatusCondition(
    status.conditions,
    {
      type: DISRUPTION_ALLOWED,
      status: allowed ? 'True' : 'False',
      reason: allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS,
      message: '',
      observedGeneration: status.observedGeneration ?? 0,
    },
    now,
  );
  return { ...status, conditions };
}

/** ConditionsAreUpToDate: the condition exists, agrees with disruptionsAllowed, and the status is for the current generation. */
export function disruptionConditionUpToDate(status: PodDisruptionBudgetStatus | undefined, generation: number): boolean {
  const cond = findStatusCondition(status?.conditions, DISRUPTION_ALLOWED);
  if (!cond || (status?.observedGeneration ?? 0) !== generation) return false;
  if ((status?.disruptionsAllowed ?? 0) > 0) return cond.status === 'True' && cond.reason === SUFFICIENT_PODS;
  return cond.status === 'False' && cond.reason === INSUFFICIENT_PODS;
}

/** The status a failed sync leaves (the controller's failSafe): nothing allowed, the error in the condition. */
export function failSafeStatus(status: PodDisruptionBudgetStatus, message: string, now: number): PodDisruptionBudgetStatus {
  const conditions = setStatusCondition(
    status.conditions,
    { type: DISRUPTION_ALLOWED, status: 'False', reason: SYNC_FAILED, message, observedGeneration: status.observedGeneration ?? 0 },
    now,
  );
  return { ...status, disruptionsAllowed: 0, conditions };
}

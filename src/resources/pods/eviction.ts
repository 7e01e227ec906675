/**
 * The pods/eviction write (upstream's EvictionREST.Create): a pod that is pending, finished or
 * terminating is deleted outright; any other answers to the PodDisruptionBudget covering it
 * (eviction-rules.ts decides), which must have a disruption to spend. The spent disruption and the
 * pod's name go into the budget's status with its resourceVersion as the compare-and-swap, before
 * the pod gets its DisruptionTarget condition and is deleted with the Eviction's delete options.
 * The HTTP subresource is a thin wrapper around evictPod.
 */
import type { Stored } from '../../apimachinery/object.js';
import { StatusError, StatusReason, successStatus, type Status } from '../../apimachinery/status.js';
import type { DeleteOptions } from '../../registry/delete-options.js';
import type { Registry } from '../../registry/registry.js';
import type { ResourceStore } from '../../registry/store.js';
import {
  budgetStillProcessing,
  budgetVerdict,
  budgetsCoveringPod,
  canIgnoreBudgets,
  checkAndDecrement,
  MULTIPLE_BUDGETS_MESSAGE,
  shouldPinResourceVersion,
} from '../poddisruptionbudgets/eviction-rules.js';
import type { PodDisruptionBudget } from '../poddisruptionbudgets/schema.js';
import type { StoredPod } from '../stored.js';
import { hasPodCondition, withPodCondition } from './conditions.js';

type Pdb = Stored<PodDisruptionBudget>;

/** Upstream's EvictionsRetry: how many times a write that lost a race is tried again. */
const EVICTION_ATTEMPTS = 20;
const EVICTING = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };

export interface EvictOptions {
  /** The Eviction's delete options, the request's dry-run merged in. */
  deleteOptions: DeleteOptions;
  dryRun: boolean;
}

/** The answer to an eviction that did not fail: 201 Success, or upstream's 500 for a pod under two budgets. */
export interface EvictionAnswer {
  code: number;
  status: Status;
}

const isConflict = (e: unknown) => e instanceof StatusError && e.code === 409;

function pinned(options: DeleteOptions, resourceVersion: string | undefined): DeleteOptions {
  return { ...options, preconditions: { ...options.preconditions, resourceVersion } };
}

/**
 * addConditionAndDeletePod: the preconditions are checked first, the pod gets DisruptionTarget=True
 * (a resourceVersion precondition follows that write), then it is deleted.
 */
function markAndDelete(pods: ResourceStore<StoredPod>, pod: StoredPod, options: DeleteOptions, dryRun: boolean, now: number): void {
  const { namespace, name } = pod.metadata;
  if (options.preconditions) pods.delete(namespace, name!, options, { dryRun: true });
  let effective = options;
  if (!dryRun && !hasPodCondition(pod.status?.conditions, EVICTING)) {
    const marked = pods.patch(
      namespace,
      name!,
      (current) => {
        if (current.metadata.uid !== pod.metadata.uid || hasPodCondition(current.status?.conditions, EVICTING)) return current;
        return {
          ...current,
          status: { ...(current.status ?? {}), conditions: withPodCondition(current.status?.conditions, EVICTING, now) },
        };
      },
      { subresource: 'status' },
    );
    if (options.preconditions?.resourceVersion) effective = pinned(options, marked.object.metadata.resourceVersion);
  }
  pods.delete(namespace, name!, effective, { dryRun });
}

/** Spends one disruption of the budget, re-reading it after a lost race (RetryOnConflict). */
function spendDisruption(budgets: ResourceStore<Pdb>, first: Pdb, podName: string, dryRun: boolean, now: number): void {
  let pdb = first;
  for (let attempt = 1; ; attempt++) {
    const status = checkAndDecrement(pdb, podName, now, dryRun);
    if (!status) return;
    try {
      budgets.update(pdb.metadata.namespace, pdb.metadata.name!, { ...pdb, status }, { subresource: 'status' });
      return;
    } catch (e) {
      if (!isConflict(e)) throw e;
      if (attempt >= EVICTION_ATTEMPTS) {
        throw new StatusError(
          504,
          StatusReason.Timeout,
          `Timeout: couldn't update PodDisruptionBudget "${pdb.metadata.name}" due to conflicts`,
          {
            retryAfterSeconds: 10,
          },
        );
      }
      pdb = budgets.get(pdb.metadata.namespace, pdb.metadata.name!);
    }
  }
}

export function evictPod(registry: Registry, namespace: string, name: string, opts: EvictOptions): EvictionAnswer {
  const pods = registry.store<StoredPod>('pods');
  const budgets = registry.store<Pdb>('poddisruptionbudgets', 'policy');
  const now = registry.options.clock.now();
  const { deleteOptions: options, dryRun } = opts;
  const callerPinned = !!options.preconditions?.resourceVersion;
  const success = { code: 201, status: { ...successStatus(), code: 201 } };

  let pod: StoredPod;
  // Pods that may skip their budgets: deleted at once, retried on a conflict unless the caller pinned a version.
  for (let attempt = 1; ; attempt++) {
    pod = pods.get(namespace, name); // 404 when missing
    if (!canIgnoreBudgets(pod)) break;
    const deleteOptions = shouldPinResourceVersion(pod) && !callerPinned ? pinned(options, pod.metadata.resourceVersion) : options;
    try {
      markAndDelete(pods, pod, deleteOptions, dryRun, now);
      return success;
    } catch (e) {
      if (!isConflict(e) || callerPinned || attempt >= EVICTION_ATTEMPTS) throw e;
    }
  }

  const verdict = budgetVerdict(pod, budgetsCoveringPod(pod, budgets.all(namespace)));
  if (verdict.kind === 'multiple') {
    return {
      code: 500,
      status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: MULTIPLE_BUDGETS_MESSAGE, code: 500 },
    };
  }
  if (verdict.kind === 'decrement') spendDisruption(budgets, verdict.pdb, name, dryRun, now);
  if (verdict.kind !== 'unhealthy') {
    markAndDelete(pods, pod, options, dryRun, now);
    return success;
  }
  // An unhealthy pod let go without spending a disruption: only while it is still that unready pod.
  try {
    markAndDelete(pods, pod, pinned(options, pod.metadata.resourceVersion), dryRun, now);
  } catch (e) {
    if (isConflict(e) && !callerPinned) throw budgetStillProcessing(verdict.pdb.metadata.name!);
    throw e;
  }
  return success;
}

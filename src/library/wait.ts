/**
 * Waiting helpers of the library: poll a condition, or the pods of a namespace, until it holds.
 * They read the registry directly (no HTTP). With a manual clock nothing moves on its own:
 * advance the clock first, then wait.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseSelector } from '../apimachinery/labels.js';
import type { Registry } from '../registry/registry.js';
import { isPodReady } from '../resources/pods/conditions.js';
import type { StoredPod } from '../resources/stored.js';

export interface WaitOptions {
  /** Give up after this long (default 10,000 ms). */
  timeoutMs?: number;
  /** Pause between attempts (default 10 ms). */
  intervalMs?: number;
}

/**
 * Calls `fn` until it returns something other than false/undefined without throwing, and returns
 * that; on timeout throws the last error (prefixed) so an assertion's diff is kept.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<Exclude<T, false | undefined>> {
  const { timeoutMs = 10_000, intervalMs = 10 } = opts;
  const started = Date.now();
  for (;;) {
    let failure: unknown;
    try {
      const value = await fn();
      if (value !== false && value !== undefined) return value as Exclude<T, false | undefined>;
      failure = new Error('the condition did not hold');
    } catch (err) {
      failure = err;
    }
    if (Date.now() - started >= timeoutMs) {
      const prefix = `waitFor: still failing after ${Date.now() - started} ms: `;
      if (failure instanceof Error) {
        failure.message = prefix + failure.message;
        throw failure;
      }
      throw new Error(prefix + String(failure));
    }
    await sleep(intervalMs);
  }
}

export interface PodQuery extends WaitOptions {
  /** Default: every namespace. */
  namespace?: string;
  /** A label selector, as kubectl takes it (`app=web,tier!=db`). */
  labelSelector?: string;
  /** How many pods must match (default: at least one). */
  count?: number;
  /** Every matching pod must be in this phase (e.g. Running). */
  phase?: string;
  /** Every matching pod must have Ready=True (or, with false, not). */
  ready?: boolean;
}

/** The pods the query selects (namespace and labels only). */
export function listPods(registry: Registry, q: Pick<PodQuery, 'namespace' | 'labelSelector'> = {}): StoredPod[] {
  const selector = q.labelSelector ? parseSelector(q.labelSelector) : undefined;
  return registry
    .store<StoredPod>('pods')
    .all(q.namespace)
    .filter((p) => !selector || selector.matches(p.metadata.labels));
}

/** Resolves with the selected pods once there are `count` of them (or any) and each is as asked. */
export async function waitForPods(registry: Registry, q: PodQuery = {}): Promise<StoredPod[]> {
  return waitFor(() => {
    const pods = listPods(registry, q);
    const want = q.count;
    if (want === undefined ? pods.length === 0 : pods.length !== want) {
      throw new Error(`${pods.length} pod(s) match, want ${want ?? 'at least 1'}`);
    }
    const off = pods.filter(
      (p) => (q.phase !== undefined && p.status?.phase !== q.phase) || (q.ready !== undefined && isPodReady(p) !== q.ready),
    );
    if (off.length)
      throw new Error(
        `pods not yet as asked: ${off.map((p) => `${p.metadata.namespace}/${p.metadata.name} (${p.status?.phase ?? 'no phase'}${isPodReady(p) ? ', ready' : ''})`).join(', ')}`,
      );
    return pods;
  }, q);
}

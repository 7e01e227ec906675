/**
 * A level-triggered controller: watches map changes to keys, a queue de-duplicates them, and
 * reconcile(key) re-reads the world and converges it (controller-runtime's shape).
 */
import type { ChangeEvent } from '../../registry/watch-hub.js';
import type { CachedView } from './cache.js';

export interface ReconcileResult {
  requeueAfterMs?: number;
  /**
   * Pace this key as if the reconcile had cost this long (when it cost less): a pass that looked
   * only at what changed in something large is not re-run more often than a pass over all of it
   * would be (the manager's pacing), so what it saves is saved, not spent on more passes.
   */
  paceAsMs?: number;
}

export interface WatchSpec {
  resource: string;
  group?: string;
  /** The keys a change should queue (an empty list ignores it). */
  keys(event: ChangeEvent): string[];
}

export interface Controller {
  name: string;
  /**
   * Resources the controller reads from the cache (tracked before it starts); `view: 'metadata'`
   * when it reads only their type and metadata (no managedFields), which lets the cache keep less.
   */
  caches: { resource: string; group?: string; view?: CachedView }[];
  watches: WatchSpec[];
  /** Keys to reconcile at start (the "initial list"). */
  initialKeys(): string[];
  reconcile(key: string): ReconcileResult | void | Promise<ReconcileResult | void>;
  /** Called once the caches are filled, before the first reconcile. */
  setup?(): void;
  /**
   * How long it may work through its queue in one turn of the event loop (default 4 ms). Heartbeats
   * get more: a kubelet renews its Lease on a timer of its own, whatever else the process is doing,
   * and thousands of cheap renewals must not wait behind slower controllers' turns.
   */
  turnBudgetMs?: number;
}

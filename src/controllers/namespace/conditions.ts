/**
 * The status conditions the namespace controller keeps on a Terminating namespace (upstream's
 * namespaceConditionUpdater): every type is always present, False with an "ok" text unless a
 * problem makes it True.
 */
import { rfc3339 } from '../../apimachinery/object.js';
import type { NamespaceCondition } from '../../resources/schemas.js';

const TYPES: [type: string, okReason: string, okMessage: string][] = [
  ['NamespaceDeletionDiscoveryFailure', 'ResourcesDiscovered', 'All resources successfully discovered'],
  ['NamespaceDeletionGroupVersionParsingFailure', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  ['NamespaceDeletionContentFailure', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  ['NamespaceContentRemaining', 'ContentRemoved', 'All content successfully removed'],
  ['NamespaceFinalizersRemaining', 'ContentRemoved', 'All content successfully removed'],
];

export interface ContentTotals {
  /** `resource.group` → instances still stored. */
  remaining: Map<string, number>;
  /** finalizer → instances still carrying it. */
  finalizers: Map<string, number>;
  /** Delete failures, one message each. */
  errors: string[];
}

function problems(totals: ContentTotals): Map<string, Required<Pick<NamespaceCondition, 'reason' | 'message'>>> {
  const out = new Map<string, Required<Pick<NamespaceCondition, 'reason' | 'message'>>>();
  if (totals.errors.length) {
    const msgs = [...totals.errors].sort();
    out.set('NamespaceDeletionContentFailure', {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
    });
  }
  const remaining = [...totals.remaining]
    .filter(([, n]) => n > 0)
    .map(([gr, n]) => `${gr} has ${n} resource instances`)
    .sort();
  if (remaining.length)
    out.set('NamespaceContentRemaining', {
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${remaining.join(', ')}`,
    });
  const finalizers = [...totals.finalizers]
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${f} in ${n} resource instances`)
    .sort();
  if (finalizers.length)
    out.set('NamespaceFinalizersRemaining', {
      reason: 'SomeFinalizerRemain',
      message: `Some finalizers are remaining: ${finalizers.join(', ')}`,
    });
  return out;
}

/**
 * The conditions after this pass, given the current ones; undefined when nothing changed. The
 * transition time moves only when a condition's status flips.
 */
export function nextConditions(
  current: NamespaceCondition[] | undefined,
  totals: ContentTotals,
  now: number,
): NamespaceCondition[] | undefined {
  const out = (current ?? []).map((c) => ({ ...c }));
  const bad = problems(totals);
  let changed = false;
  for (const [type, okReason, okMessage] of TYPES) {
    const problem = bad.get(type);
    const want = problem ? { status: 'True' as const, ...problem } : { status: 'False' as const, reason: okReason, message: okMessage };
    const old = out.find((c) => c.type === type);
    if (!old) {
      out.push({ type, status: want.status, lastTransitionTime: rfc3339(now), reason: want.reason, message: want.message });
      changed = true;
    } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
      if (old.status !== want.status) old.lastTransitionTime = rfc3339(now);
      Object.assign(old, want);
      changed = true;
    }
  }
  return changed ? out : undefined;
}

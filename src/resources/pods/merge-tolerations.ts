/**
 * Upstream's tolerations.MergeTolerations (pkg/util/tolerations), which the RuntimeClass admission
 * plugin merges a class's tolerations into a pod's with: both lists in order, each toleration left
 * out when another one kept, or a later different one, tolerates every taint it does.
 */
import { str, type Obj } from '../../apimachinery/json-fields.js';

/** Go's *int64 tolerationSeconds: undefined when unset. */
const seconds = (t: Obj): number | undefined => (typeof t.tolerationSeconds === 'number' ? t.tolerationSeconds : undefined);

/** apiequality.Semantic.DeepEqual of two tolerations: absent strings are Go's "". */
function sameToleration(a: Obj, b: Obj): boolean {
  return (
    str(a.key) === str(b.key) &&
    str(a.operator) === str(b.operator) &&
    str(a.value) === str(b.value) &&
    str(a.effect) === str(b.effect) &&
    seconds(a) === seconds(b)
  );
}

/** Whether `wider` tolerates every taint `t` tolerates (isSuperset). */
function tolerates(wider: Obj, t: Obj): boolean {
  if (sameToleration(wider, t)) return true;
  // An empty key with operator Exists matches every key.
  if (str(t.key) !== str(wider.key) && (str(wider.key) !== '' || str(wider.operator) !== 'Exists')) return false;
  // An empty effect matches every effect.
  if (str(t.effect) !== str(wider.effect) && str(wider.effect) !== '') return false;
  const limit = seconds(wider);
  if (str(wider.effect) === 'NoExecute' && limit !== undefined) {
    const own = seconds(t);
    if (own === undefined || own > limit) return false;
  }
  switch (str(wider.operator)) {
    case '':
    case 'Equal':
      return str(t.operator) === 'Equal' && str(t.value) === str(wider.value);
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** `first` then `second`, without the tolerations another one kept (or a later different one) covers. */
export function mergeTolerations(first: readonly Obj[], second: readonly Obj[]): Obj[] {
  const all = [...first, ...second];
  const merged: Obj[] = [];
  all.forEach((t, i) => {
    if (merged.some((kept) => tolerates(kept, t))) return;
    // Of two equal tolerations the first is kept.
    if (all.slice(i + 1).some((later) => !sameToleration(t, later) && tolerates(later, t))) return;
    merged.push(t);
  });
  return merged;
}

/**
 * The two ways Go prints a *metav1.LabelSelector, which depend on who prints it:
 *
 * - a field error (ErrorBody) follows the pointer first; LabelSelector's String() has a pointer
 *   receiver, so the struct it reaches has no String() and prints with %#v:
 *   `v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
 * - %v of the pointer itself (an event message) calls the generated String():
 *   `&LabelSelector{MatchLabels:map[string]string{app: x,},MatchExpressions:[]LabelSelectorRequirement{},}`.
 */
import type { BadValue } from './field-errors.js';
import { goStringMap } from './field-errors.js';
import { goQuote } from './go-quote.js';
import type { Obj } from './json-fields.js';
import { GO_NULL, asObj, list, str, strMap } from './json-fields.js';

/** %#v of a []string: nil when absent, else each item quoted. */
function goStrings(values: unknown): string {
  if (values == null) return '[]string(nil)';
  return `[]string{${list(values)
    .map((v) => goQuote(str(v)))
    .join(', ')}}`;
}

/** %#v of a []metav1.LabelSelectorRequirement (nil when absent, `{}` when empty). */
function goRequirements(exprs: unknown): string {
  if (exprs == null) return '[]v1.LabelSelectorRequirement(nil)';
  const items = list(exprs).map((e) => {
    const r = asObj(e) ?? {};
    return `v1.LabelSelectorRequirement{Key:${goQuote(str(r.key))}, Operator:${goQuote(str(r.operator))}, Values:${goStrings(r.values)}}`;
  });
  return `[]v1.LabelSelectorRequirement{${items.join(', ')}}`;
}

/** %#v of the metav1.LabelSelector a non-nil pointer reaches. */
export function goLabelSelectorStruct(sel: Obj): string {
  return `v1.LabelSelector{MatchLabels:${goStringMap(strMap(sel.matchLabels)).go}, MatchExpressions:${goRequirements(sel.matchExpressions)}}`;
}

/** A *metav1.LabelSelector as a field error's bad value: "null" when nil, else %#v of the struct. */
export function goLabelSelectorValue(sel: unknown): BadValue {
  const s = asObj(sel);
  return s ? { go: goLabelSelectorStruct(s) } : GO_NULL;
}

/** The generated String() of a *metav1.LabelSelector (what %v prints): `nil` when nil. */
export function goLabelSelectorString(sel: unknown): string {
  const s = asObj(sel);
  if (!s) return 'nil';
  const labels = strMap(s.matchLabels) ?? {};
  const labelText = Object.keys(labels)
    .sort()
    .map((k) => `${k}: ${labels[k]},`)
    .join('');
  const exprText = list(s.matchExpressions)
    .map((e) => {
      const r = asObj(e) ?? {};
      const values = list(r.values)
        .map((v) => str(v))
        .join(' ');
      return `LabelSelectorRequirement{Key:${str(r.key)},Operator:${str(r.operator)},Values:[${values}],},`;
    })
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labelText}},MatchExpressions:[]LabelSelectorRequirement{${exprText}},}`;
}

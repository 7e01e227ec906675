/**
 * validateNodeTaints (pkg/apis/core/validation), shared by spec.taints and the taints annotation
 * (validation-annotations.ts).
 */
import type { BadValue, FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { duplicate, invalidValue } from '../../apimachinery/field-errors.js';
import { isValidLabelValue } from '../../apimachinery/validation/names.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { objList, str, unsetPtr } from '../../apimachinery/json-fields.js';
import { validateLabelName, validateTaintEffect } from '../pods/validation-scheduling.js';
import { goQuote } from '../../apimachinery/go-quote.js';

/** Go's %#v of an internal core.Taint, the value of a duplicate-taint error. */
function goTaint(t: Obj): BadValue {
  const added = unsetPtr(t.timeAdded) ? '(*v1.Time)(nil)' : '(*v1.Time)(0xc000b1e2a0)';
  return {
    go: `core.Taint{Key:${goQuote(str(t.key))}, Value:${goQuote(str(t.value))}, Effect:${goQuote(str(t.effect))}, TimeAdded:${added}}`,
  };
}

/** validateNodeTaints: key, value, effect, and unique by key and effect. */
export function validateNodeTaints(taints: unknown, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objList(taints).forEach((t, i) => {
    const at = fld.index(i);
    const key = str(t.key);
    const value = str(t.value);
    const effect = str(t.effect);
    errs.push(...validateLabelName(key, at.child('key')));
    const msgs = isValidLabelValue(value);
    if (msgs.length) errs.push(invalidValue(at.child('value'), value, msgs.join(';')));
    errs.push(...validateTaintEffect(effect, false, at.child('effect')));
    const id = `${effect}\u0000${key}`;
    if (seen.has(id)) {
      errs.push({ ...duplicate(at, goTaint(t)), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    seen.add(id);
  });
  return errs;
}

/** ValidateConditions for metav1.Condition lists (apimachinery's meta/v1 validation). */
import { duplicate, invalidValue, notSupported, required, tooLong, type FieldError, type FieldPath } from '../field-errors.js';
import type { Condition } from '../schemas/condition.js';
import { byteLength, isQualifiedName } from './names.js';

const STATUSES = ['False', 'True', 'Unknown'];
const REASON_RE = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const REASON_MSG =
  "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'";
const MAX_REASON = 1024;
const MAX_MESSAGE = 32 * 1024;

function validateCondition(c: Condition, fld: FieldPath): FieldError[] {
  const errs = isQualifiedName(c.type ?? '').map((msg) => invalidValue(fld.child('type'), c.type ?? '', msg));
  if (!STATUSES.includes(c.status)) errs.push(notSupported(fld.child('status'), c.status ?? '', STATUSES));
  if ((c.observedGeneration ?? 0) < 0) {
    errs.push(invalidValue(fld.child('observedGeneration'), c.observedGeneration, 'must be greater than or equal to zero'));
  }
  if (!c.lastTransitionTime) errs.push(required(fld.child('lastTransitionTime'), 'must be set'));
  const reason = c.reason ?? '';
  if (!reason) errs.push(required(fld.child('reason'), 'must be set'));
  else {
    if (!REASON_RE.test(reason)) errs.push(invalidValue(fld.child('reason'), reason, REASON_MSG));
    if (byteLength(reason) > MAX_REASON) errs.push(tooLong(fld.child('reason'), MAX_REASON));
  }
  if (byteLength(c.message ?? '') > MAX_MESSAGE) errs.push(tooLong(fld.child('message'), MAX_MESSAGE));
  return errs;
}

export function validateConditions(conditions: readonly Condition[] | undefined, fld: FieldPath): FieldError[] {
  const seen = new Set<string>();
  return (conditions ?? []).flatMap((c, i) => {
    const at = fld.index(i);
    const errs: FieldError[] = [];
    if (seen.has(c.type)) errs.push(duplicate(at.child('type'), c.type));
    seen.add(c.type);
    return errs.concat(validateCondition(c, at));
  });
}

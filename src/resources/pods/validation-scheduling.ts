/**
 * Scheduling-related PodSpec validation: tolerations, taint effects and affinity
 * (pkg/apis/core/validation: ValidateTolerations, validateTaintEffect, validateAffinity).
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { forbiddenField, invalidValue, notSupported, required } from '../../apimachinery/field-errors.js';
import { validateLabelSelector } from '../../apimachinery/validation/object-meta.js';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue } from '../../apimachinery/validation/names.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, objList, str } from '../../apimachinery/json-fields.js';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** unversionedvalidation.ValidateLabelName: one error per problem of the qualified name. */
export function validateLabelName(name: string, fld: FieldPath): FieldError[] {
  return isQualifiedName(name).map((msg) => invalidValue(fld, name, msg));
}

/** validateTaintEffect: empty allowed only for tolerations. */
export function validateTaintEffect(effect: string, allowEmpty: boolean, fld: FieldPath): FieldError[] {
  if (!allowEmpty && effect === '') return [required(fld)];
  if (TAINT_EFFECTS.includes(effect)) return [];
  return [notSupported(fld, effect, TAINT_EFFECTS)];
}

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(tolerations).forEach((t, i) => {
    const at = fld.index(i);
    const key = str(t.key);
    const operator = str(t.operator);
    const value = str(t.value);
    const effect = str(t.effect);
    if (key !== '') errs.push(...validateLabelName(key, at.child('key')));
    if (key === '' && operator !== 'Exists') {
      errs.push(
        invalidValue(
          at.child('operator'),
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
      errs.push(invalidValue(at.child('effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length) errs.push(invalidValue(at.child('operator'), value, msgs.join(';')));
    } else if (operator === 'Exists') {
      if (value !== '') errs.push(invalidValue(at.child('operator'), value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(at.child('operator'), operator, ['Equal', 'Exists']));
    }
    if (effect !== '') errs.push(...validateTaintEffect(effect, true, at.child('effect')));
  });
  return errs;
}

/** ValidateNodeSelectorRequirement (label expressions of a node selector term). */
function validateNodeSelectorRequirement(rq: Obj, allowInvalidValues: boolean, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = list(rq.values).map((v) => str(v));
  const operator = str(rq.operator);
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(fld.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0)
        errs.push(forbiddenField(fld.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(required(fld.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalidValue(fld.child('operator'), operator, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(str(rq.key), fld.child('key')));
  if (!allowInvalidValues) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalidValue(fld.child('values').index(i), v, msg));
    });
  }
  return errs;
}

/** ValidateNodeFieldSelectorRequirement: only metadata.name, with exactly one value for In/NotIn. */
function validateNodeFieldSelectorRequirement(rq: Obj, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = list(rq.values).map((v) => str(v));
  const operator = str(rq.operator);
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length !== 1) {
      errs.push(required(fld.child('values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    }
  } else {
    errs.push(invalidValue(fld.child('operator'), operator, 'not a valid selector operator'));
  }
  const key = str(rq.key);
  if (key !== 'metadata.name') {
    errs.push(invalidValue(fld.child('key'), key, 'not a valid field selector key'));
  } else {
    values.forEach((v, i) => {
      for (const msg of isDns1123Subdomain(v)) errs.push(invalidValue(fld.child('values').index(i), v, msg));
    });
  }
  return errs;
}

function validateNodeSelectorTerm(term: Obj, allowInvalidValues: boolean, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(term.matchExpressions).forEach((rq, j) =>
    errs.push(...validateNodeSelectorRequirement(rq, allowInvalidValues, fld.child('matchExpressions').index(j))),
  );
  objList(term.matchFields).forEach((rq, j) => errs.push(...validateNodeFieldSelectorRequirement(rq, fld.child('matchFields').index(j))));
  return errs;
}

function validateNodeAffinity(na: Obj, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const requiredSel = asObj(na.requiredDuringSchedulingIgnoredDuringExecution);
  if (requiredSel) {
    const termsPath = fld.child('requiredDuringSchedulingIgnoredDuringExecution').child('nodeSelectorTerms');
    const terms = objList(requiredSel.nodeSelectorTerms);
    if (terms.length === 0) errs.push(required(termsPath, 'must have at least one node selector term'));
    else terms.forEach((term, i) => errs.push(...validateNodeSelectorTerm(term, false, termsPath.index(i))));
  }
  objList(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
    const at = fld.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
    const weight = typeof term.weight === 'number' ? term.weight : 0;
    if (weight <= 0 || weight > 100) errs.push(invalidValue(at.child('weight'), weight, 'must be in the range 1-100'));
    // Preferred terms may carry invalid label values (they can still match on a one-node cluster).
    errs.push(...validateNodeSelectorTerm(asObj(term.preference) ?? {}, true, at.child('preference')));
  });
  return errs;
}

function validatePodAffinityTerm(term: Obj, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(asObj(term.labelSelector), fld.child('labelSelector')));
  errs.push(...validateLabelSelector(asObj(term.namespaceSelector), fld.child('namespaceSelector')));
  for (const ns of list(term.namespaces).map((n) => str(n))) {
    for (const msg of isDns1123Label(ns)) errs.push(invalidValue(fld.child('namespace'), ns, msg));
  }
  const topologyKey = str(term.topologyKey);
  if (topologyKey === '') errs.push(required(fld.child('topologyKey'), 'can not be empty'));
  return errs.concat(validateLabelName(topologyKey, fld.child('topologyKey')));
}

function validatePodAffinityKind(pa: Obj, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, i) =>
    errs.push(...validatePodAffinityTerm(term, fld.child('requiredDuringSchedulingIgnoredDuringExecution').index(i))),
  );
  objList(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((wt, j) => {
    const at = fld.child('preferredDuringSchedulingIgnoredDuringExecution').index(j);
    const weight = typeof wt.weight === 'number' ? wt.weight : 0;
    if (weight <= 0 || weight > 100) errs.push(invalidValue(at.child('weight'), weight, 'must be in the range 1-100'));
    errs.push(...validatePodAffinityTerm(asObj(wt.podAffinityTerm) ?? {}, at.child('podAffinityTerm')));
  });
  return errs;
}

/** validateAffinity. */
export function validateAffinity(affinity: unknown, fld: FieldPath): FieldError[] {
  const a = asObj(affinity);
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = asObj(a.nodeAffinity);
  if (na) errs.push(...validateNodeAffinity(na, fld.child('nodeAffinity')));
  const pa = asObj(a.podAffinity);
  if (pa) errs.push(...validatePodAffinityKind(pa, fld.child('podAffinity')));
  const paa = asObj(a.podAntiAffinity);
  if (paa) errs.push(...validatePodAffinityKind(paa, fld.child('podAntiAffinity')));
  return errs;
}

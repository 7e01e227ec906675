/**
 * Topology spread constraints and host aliases (pkg/apis/core/validation:
 * validateTopologySpreadConstraints with ValidateMaxSkew, ValidateTopologyKey,
 * ValidateWhenUnsatisfiable, ValidateSpreadConstraintNotRepeat, validateMinDomains,
 * validateNodeInclusionPolicy, validateMatchLabelKeysInTopologySpread; ValidateHostAliases).
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { duplicate, forbiddenField, invalidValue, notSupported, required } from '../../apimachinery/field-errors.js';
import type { LabelSelector } from '../../apimachinery/labels.js';
import { validateIPForLegacyField } from '../../apimachinery/validation/ip.js';
import { isDns1123Subdomain } from '../../apimachinery/validation/names.js';
import { validateLabelSelector } from '../../apimachinery/validation/object-meta.js';
import { asObj, list, num, objList, str, unsetPtr } from '../../apimachinery/json-fields.js';
import { validateLabelName } from './validation-scheduling.js';

const SCHEDULE_ACTIONS = ['DoNotSchedule', 'ScheduleAnyway'];
const NODE_INCLUSION_POLICIES = ['Honor', 'Ignore'];
const NOT_POSITIVE = 'must be greater than zero';

function validateNodeInclusionPolicy(value: unknown, fld: FieldPath): FieldError[] {
  if (unsetPtr(value)) return [];
  const policy = str(value);
  return NODE_INCLUSION_POLICIES.includes(policy) ? [] : [notSupported(fld, policy, NODE_INCLUSION_POLICIES)];
}

function validateMatchLabelKeys(keys: unknown, selector: LabelSelector | undefined, fld: FieldPath): FieldError[] {
  const labelKeys = list(keys).map((k) => str(k));
  if (labelKeys.length === 0) return [];
  const errs: FieldError[] = [];
  const selectorKeys = new Set<string>();
  if (selector) {
    for (const k of Object.keys(selector.matchLabels ?? {})) selectorKeys.add(k);
    for (const e of selector.matchExpressions ?? []) selectorKeys.add(e.key ?? '');
  } else {
    errs.push(forbiddenField(fld, 'must not be specified when labelSelector is not set'));
  }
  labelKeys.forEach((key, i) => {
    errs.push(...validateLabelName(key, fld.index(i)));
    if (selectorKeys.has(key)) errs.push(invalidValue(fld.index(i), key, 'exists in both matchLabelKeys and labelSelector'));
  });
  return errs;
}

/** validateTopologySpreadConstraints (labelSelector validated strictly, as on create). */
export function validateTopologySpreadConstraints(constraints: unknown, fld: FieldPath): FieldError[] {
  const all = objList(constraints);
  const errs: FieldError[] = [];
  all.forEach((c, i) => {
    const at = fld.index(i);
    const maxSkew = num(c.maxSkew) ?? 0;
    if (maxSkew <= 0) errs.push(invalidValue(at.child('maxSkew'), maxSkew, NOT_POSITIVE));
    const key = str(c.topologyKey);
    if (key === '') errs.push(required(at.child('topologyKey'), 'can not be empty'));
    const action = str(c.whenUnsatisfiable);
    if (!SCHEDULE_ACTIONS.includes(action)) errs.push(notSupported(at.child('whenUnsatisfiable'), action, SCHEDULE_ACTIONS));
    if (all.slice(i + 1).some((o) => str(o.topologyKey) === key && str(o.whenUnsatisfiable) === action)) {
      errs.push(duplicate(at.child('{topologyKey, whenUnsatisfiable}'), `{${key}, ${action}}`));
    }
    if (!unsetPtr(c.minDomains)) {
      const minDomains = num(c.minDomains) ?? 0;
      if (minDomains <= 0) errs.push(invalidValue(at.child('minDomains'), minDomains, NOT_POSITIVE));
      if (action !== 'DoNotSchedule') {
        errs.push(
          invalidValue(at.child('minDomains'), minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`),
        );
      }
    }
    errs.push(...validateNodeInclusionPolicy(c.nodeAffinityPolicy, at.child('nodeAffinityPolicy')));
    errs.push(...validateNodeInclusionPolicy(c.nodeTaintsPolicy, at.child('nodeTaintsPolicy')));
    const selector = asObj(c.labelSelector) as LabelSelector | undefined;
    errs.push(...validateMatchLabelKeys(c.matchLabelKeys, selector, at.child('matchLabelKeys')));
    errs.push(...validateLabelSelector(selector, at.child('labelSelector')));
  });
  return errs;
}

/** ValidateHostAliases: each ip is an IP address, each hostname a DNS subdomain. */
export function validateHostAliases(aliases: unknown, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(aliases).forEach((a, i) => {
    errs.push(...validateIPForLegacyField(fld.index(i).child('ip'), str(a.ip)));
    list(a.hostnames).forEach((h, j) => {
      const name = str(h);
      for (const msg of isDns1123Subdomain(name)) errs.push(invalidValue(fld.index(i).child('hostnames').index(j), name, msg));
    });
  });
  return errs;
}

/**
 * policy/v1 PodDisruptionBudget validation (pkg/apis/policy/validation: ValidatePodDisruptionBudget,
 * ValidatePodDisruptionBudgetStatusUpdate). ObjectMeta is validated by the store; the spec may change.
 */
import { invalidValue, notSupported, path, type FieldError, type FieldPath } from '../../apimachinery/field-errors.js';
import { notMoreThan100Percent, validatePositiveIntOrPercent } from '../../apimachinery/int-or-percent.js';
import { validateConditions } from '../../apimachinery/validation/conditions.js';
import { validateLabelSelector } from '../../apimachinery/validation/object-meta.js';
import type { Stored } from '../../apimachinery/object.js';
import type { PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus } from './schema.js';

export const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];
/** Go prints a non-nil pointer inside %#v as its address; any stable made-up address will do. */
const FAKE_POINTER = '0xc000a3c0f0';

/** Go's %#v of the internal spec, the value upstream reports when both bounds are set. */
function goSpec(spec: PodDisruptionBudgetSpec): { go: string } {
  const ptr = (v: unknown) => (v === undefined || v === null ? 'nil' : FAKE_POINTER);
  return {
    go:
      `policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(${ptr(spec.minAvailable)}), ` +
      `Selector:(*v1.LabelSelector)(${ptr(spec.selector)}), MaxUnavailable:(*intstr.IntOrString)(${ptr(spec.maxUnavailable)}), ` +
      `UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(${ptr(spec.unhealthyPodEvictionPolicy)})}`,
  };
}

function intOrPercentBound(v: unknown, fld: FieldPath): FieldError[] {
  if (v === undefined || v === null) return [];
  return [...validatePositiveIntOrPercent(v, fld), ...notMoreThan100Percent(v, fld)];
}

/** ValidatePodDisruptionBudgetSpec. */
function validateSpec(spec: PodDisruptionBudgetSpec, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) {
    errs.push(invalidValue(fld, goSpec(spec), 'minAvailable and maxUnavailable cannot be both set'));
  }
  errs.push(...intOrPercentBound(spec.minAvailable, fld.child('minAvailable')));
  errs.push(...intOrPercentBound(spec.maxUnavailable, fld.child('maxUnavailable')));
  errs.push(...validateLabelSelector(spec.selector, fld.child('selector')));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy != null && !UNHEALTHY_POD_EVICTION_POLICIES.includes(policy)) {
    errs.push(notSupported(fld.child('unhealthyPodEvictionPolicy'), policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return errs;
}

export function validatePodDisruptionBudget(pdb: Stored<PodDisruptionBudget>): FieldError[] {
  return validateSpec(pdb.spec ?? {}, path('spec'));
}

/** ValidatePodDisruptionBudgetStatusUpdate (policy/v1: the counters may not be negative). */
export function validatePodDisruptionBudgetStatus(status: PodDisruptionBudgetStatus | undefined): FieldError[] {
  const fld = path('status');
  const errs = validateConditions(status?.conditions, fld.child('conditions'));
  for (const k of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const) {
    const n = status?.[k] ?? 0;
    if (n < 0) errs.push(invalidValue(fld.child(k), n, 'must be greater than or equal to 0'));
  }
  return errs;
}

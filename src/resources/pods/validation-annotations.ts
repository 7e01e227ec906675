/**
 * Pod-specific annotations (pkg/apis/core/validation: ValidatePodSpecificAnnotations,
 * ValidatePodSpecificAnnotationUpdates; helper.GetDeletionCostFromPodAnnotations); the tolerations
 * annotation has its own file.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { forbiddenField, invalidValue } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { str, strMap } from '../../apimachinery/json-fields.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { APPARMOR_CONTAINER_PREFIX, validateAppArmorAnnotations, validateSeccompAnnotations } from './validation-profiles.js';
import { TOLERATIONS_ANNOTATION, validateTolerationsAnnotation } from './validation-tolerations-annotation.js';

export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
export const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';
const MIN_INT32 = -2147483648;
const MAX_INT32 = 2147483647;

/** GetDeletionCostFromPodAnnotations succeeds: absent, or a decimal int32 without '+' or leading zeros. */
export function validDeletionCost(annotations: Record<string, string>): boolean {
  if (!(DELETION_COST_ANNOTATION in annotations)) return true;
  const value = annotations[DELETION_COST_ANNOTATION];
  if (!/^(0|[1-9][0-9]*|-[0-9]+)$/.test(value)) return false;
  const n = Number(value);
  return n >= MIN_INT32 && n <= MAX_INT32;
}

/** A pod's annotations (none: an empty map). */
export const annotationsOf = (pod: KubeObject): Record<string, string> => strMap(pod.metadata?.annotations) ?? {};

export interface PodAnnotationOptions {
  /** The old pod already had an unparsable deletion cost (AllowInvalidPodDeletionCost). */
  allowInvalidDeletionCost?: boolean;
}

/** ValidatePodSpecificAnnotations. */
export function validatePodSpecificAnnotations(
  annotations: Record<string, string>,
  spec: Obj,
  fld: FieldPath,
  opts: PodAnnotationOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  if (MIRROR_POD_ANNOTATION in annotations && str(spec.nodeName) === '') {
    errs.push(
      invalidValue(
        fld.key(MIRROR_POD_ANNOTATION),
        annotations[MIRROR_POD_ANNOTATION],
        'must set spec.nodeName if mirror pod annotation is set',
      ),
    );
  }
  const tolerations = annotations[TOLERATIONS_ANNOTATION];
  if (tolerations) errs.push(...validateTolerationsAnnotation(tolerations, fld));
  if (!opts.allowInvalidDeletionCost && !validDeletionCost(annotations)) {
    errs.push(invalidValue(fld.key(DELETION_COST_ANNOTATION), annotations[DELETION_COST_ANNOTATION], 'must be a 32bit integer'));
  }
  errs.push(...validateSeccompAnnotations(annotations, fld));
  errs.push(...validateAppArmorAnnotations(annotations, spec, fld));
  return errs;
}

/** ValidatePodSpecificAnnotationUpdates: AppArmor and mirror annotations can be neither added, changed nor removed. */
export function validatePodSpecificAnnotationUpdates(
  annotations: Record<string, string>,
  oldAnnotations: Record<string, string>,
  spec: Obj,
  fld: FieldPath,
  opts: PodAnnotationOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, oldValue] of Object.entries(oldAnnotations)) {
    if (key in annotations && annotations[key] === oldValue) continue;
    if (key.startsWith(APPARMOR_CONTAINER_PREFIX)) errs.push(forbiddenField(fld.key(key), 'may not remove or update AppArmor annotations'));
    if (key === MIRROR_POD_ANNOTATION) errs.push(forbiddenField(fld.key(key), 'may not remove or update mirror pod annotation'));
  }
  for (const key of Object.keys(annotations)) {
    if (key in oldAnnotations) continue;
    if (key.startsWith(APPARMOR_CONTAINER_PREFIX)) errs.push(forbiddenField(fld.key(key), 'may not add AppArmor annotations'));
    if (key === MIRROR_POD_ANNOTATION) errs.push(forbiddenField(fld.key(key), 'may not add mirror pod annotation'));
  }
  return errs.concat(validatePodSpecificAnnotations(annotations, spec, fld, opts));
}

/**
 * The alpha tolerations annotation (pkg/apis/core/validation: ValidateTolerationsInPodAnnotations;
 * helper.GetTolerationsFromPodAnnotations), still checked by 1.33's ValidatePodSpecificAnnotations
 * though nothing reads it: a non-empty value must decode (encoding/json) into []core.Toleration,
 * and the tolerations it holds must be valid ones.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { invalidValue } from '../../apimachinery/field-errors.js';
import { decodeGoList, goString, goStruct, unmarshalGo } from '../../apimachinery/go-json-decode.js';
import { validateTolerations } from './validation-scheduling.js';

export const TOLERATIONS_ANNOTATION = 'scheduler.alpha.kubernetes.io/tolerations';

const TOLERATION = goStruct('core.Toleration', 'Toleration', {
  key: goString(),
  operator: goString('core.TolerationOperator'),
  value: goString(),
  effect: goString('core.TaintEffect'),
  tolerationSeconds: { kind: 'int64', goType: 'int64' },
});

/** ValidateTolerationsInPodAnnotations, for a non-empty annotation; `fld` is the annotations' path. */
export function validateTolerationsAnnotation(value: string, fld: FieldPath): FieldError[] {
  // GetTolerationsFromPodAnnotations: the tolerations, or encoding/json's error text.
  const tolerations = unmarshalGo(value, (parsed) => decodeGoList(TOLERATION, parsed));
  if ('error' in tolerations) return [invalidValue(fld, TOLERATIONS_ANNOTATION, tolerations.error)];
  // The list is named as a child of the annotations (a dot, not a [key]), as upstream does.
  return validateTolerations(tolerations.value, fld.child(TOLERATIONS_ANNOTATION));
}

/**
 * ValidateNodeSpecificAnnotations (pkg/apis/core/validation), which kube-apiserver 1.33 runs in
 * ValidateNode and ValidateNodeUpdate (so on node creates, updates and nodes/status writes): two
 * alpha annotations nothing reads any more must still decode (encoding/json) and hold valid data.
 * - `scheduler.alpha.kubernetes.io/taints`: []core.Taint (helper.GetTaintsFromNodeAnnotations),
 *   each taint checked as spec.taints are (validateNodeTaints).
 * - `scheduler.alpha.kubernetes.io/preferAvoidPods`: a v1.AvoidPods (GetAvoidPodsFromNodeAnnotations),
 *   each entry naming a pod controller (validatePreferAvoidPodsEntry).
 * A decoding error is reported at the annotations with the key as the value, as upstream does.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { invalidValue, required } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { decodeGoList, goMismatch, goString, goStruct, unmarshalGo, type GoField } from '../../apimachinery/go-json-decode.js';
import { validateNodeTaints } from './validation-taints.js';

export const TAINTS_ANNOTATION = 'scheduler.alpha.kubernetes.io/taints';
export const PREFER_AVOID_PODS_ANNOTATION = 'scheduler.alpha.kubernetes.io/preferAvoidPods';

const TIME: GoField = { kind: 'time', goType: 'string' };
const BOOL: GoField = { kind: 'bool', goType: 'bool' };

const TAINT = goStruct('core.Taint', 'Taint', {
  key: goString(),
  value: goString(),
  effect: goString('core.TaintEffect'),
  timeAdded: TIME,
});

const OWNER_REFERENCE = goStruct('v1.OwnerReference', 'OwnerReference', {
  apiVersion: goString(),
  kind: goString(),
  name: goString(),
  uid: goString('types.UID'),
  controller: BOOL,
  blockOwnerDeletion: BOOL,
});

const POD_SIGNATURE = goStruct('v1.PodSignature', 'PodSignature', { podController: { kind: 'struct', struct: OWNER_REFERENCE } });

const PREFER_AVOID_PODS_ENTRY = goStruct('v1.PreferAvoidPodsEntry', 'PreferAvoidPodsEntry', {
  podSignature: { kind: 'struct', struct: POD_SIGNATURE },
  evictionTime: TIME,
  reason: goString(),
  message: goString(),
});

/** ValidateTaintsInNodeAnnotations, for a non-empty annotation. */
function validateTaintsAnnotation(value: string, fld: FieldPath): FieldError[] {
  const taints = unmarshalGo(value, (parsed) => decodeGoList(TAINT, parsed));
  if ('error' in taints) return [invalidValue(fld, TAINTS_ANNOTATION, taints.error)];
  return validateNodeTaints(taints.value, fld.child(TAINTS_ANNOTATION));
}

/** ValidateAvoidPodsInNodeAnnotations, for a non-empty annotation. */
function validateAvoidPodsAnnotation(value: string, fld: FieldPath): FieldError[] {
  const entries = unmarshalGo(value, (parsed) => {
    const avoid = parsed === null ? {} : parsed;
    if (typeof avoid !== 'object' || Array.isArray(avoid)) throw goMismatch(avoid, 'v1.AvoidPods');
    const list = Object.entries(avoid as Obj).find(([k]) => k.toLowerCase() === 'preferavoidpods')?.[1] ?? null;
    return decodeGoList(PREFER_AVOID_PODS_ENTRY, list, { struct: 'AvoidPods', fields: ['preferAvoidPods'] });
  });
  if ('error' in entries) return [invalidValue(fld.child('AvoidPods'), PREFER_AVOID_PODS_ANNOTATION, entries.error)];
  const errs: FieldError[] = [];
  entries.value.forEach((entry, i) => {
    const signature = fld.child(PREFER_AVOID_PODS_ANNOTATION).index(i).child('PodSignature');
    const controller = (entry.podSignature as Obj | undefined)?.podController as Obj | undefined;
    if (!controller) errs.push(required(signature));
    // Upstream dereferences podController.controller unchecked: an entry without it makes the
    // apiserver panic (a 500); here it passes.
    else if (controller.controller === false) {
      errs.push(invalidValue(signature.child('PodController').child('Controller'), false, 'must point to a controller'));
    }
  });
  return errs;
}

/** ValidateNodeSpecificAnnotations: `fld` is metadata.annotations. */
export function validateNodeSpecificAnnotations(annotations: Record<string, string> | undefined, fld: FieldPath): FieldError[] {
  if (!annotations) return [];
  const errs: FieldError[] = [];
  const taints = annotations[TAINTS_ANNOTATION];
  if (taints) errs.push(...validateTaintsAnnotation(taints, fld));
  const avoid = annotations[PREFER_AVOID_PODS_ANNOTATION];
  if (avoid) errs.push(...validateAvoidPodsAnnotation(avoid, fld));
  return errs;
}

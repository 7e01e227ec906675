/**
 * core/v1 Namespace validation beyond ObjectMeta (ValidateNamespace, ValidateNamespaceStatusUpdate,
 * ValidateNamespaceFinalizeUpdate).
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { invalidValue, path } from '../../apimachinery/field-errors.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { isQualifiedName } from '../../apimachinery/validation/names.js';
import { validateKubeFinalizerName } from '../../apimachinery/validation/object-meta.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, str } from '../../apimachinery/json-fields.js';

/** The namespace's validateFinalizerName: the generic check (a qualified name), then the built-in kinds' (a standard name). */
function validateFinalizerName(name: string, fld: FieldPath): FieldError[] {
  return [...isQualifiedName(name).map((msg) => invalidValue(fld, name, msg)), ...validateKubeFinalizerName(name, fld)];
}

const finalizersOf = (ns: KubeObject): string[] => list(asObj((ns as Obj).spec)?.finalizers).map((f) => str(f));

/** ValidateNamespace (without ObjectMeta). Upstream reports every spec finalizer at `spec.finalizers`, unindexed. */
export function validateNamespace(ns: KubeObject): FieldError[] {
  return finalizersOf(ns).flatMap((f) => validateFinalizerName(f, path('spec', 'finalizers')));
}

/** ValidateNamespaceFinalizeUpdate (the /finalize subresource): indexed finalizer paths. */
export function validateNamespaceFinalizeUpdate(ns: KubeObject): FieldError[] {
  return finalizersOf(ns).flatMap((f, i) => validateFinalizerName(f, path('spec', 'finalizers').index(i)));
}

/** ValidateNamespaceStatusUpdate (without ObjectMeta): the phase must agree with deletionTimestamp. */
export function validateNamespaceStatusUpdate(ns: KubeObject): FieldError[] {
  const phase = str(asObj((ns as Obj).status)?.phase);
  const fld = path('status', 'Phase');
  if (!ns.metadata?.deletionTimestamp) {
    return phase === 'Active' ? [] : [invalidValue(fld, phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  }
  return phase === 'Terminating' ? [] : [invalidValue(fld, phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
}

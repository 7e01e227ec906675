/**
 * The alpha tolerations annotation (pkg/apis/core/validation: ValidateTolerationsInPodAnnotations;
 * helper.GetTolerationsFromPodAnnotations), still checked by 1.33's ValidatePodSpecificAnnotations
 * though nothing reads it: a non-empty value must decode (encoding/json) into []core.Toleration,
 * and the tolerations it holds must be valid ones.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { invalidValue } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { JsonSyntaxError, parseGoJson } from '../../apimachinery/json-scan.js';
import { validateTolerations } from './validation-scheduling.js';

export const TOLERATIONS_ANNOTATION = 'scheduler.alpha.kubernetes.io/tolerations';

/** core.Toleration's fields: JSON name and the Go type an error names. */
const TOLERATION_FIELDS: Record<string, string> = {
  key: 'string',
  operator: 'core.TolerationOperator',
  value: 'string',
  effect: 'core.TaintEffect',
  tolerationSeconds: 'int64',
};
/** encoding/json matches object keys to fields without regard to case. */
const FIELD_BY_LOWER = new Map(Object.keys(TOLERATION_FIELDS).map((name) => [name.toLowerCase(), name]));

class TypeMismatch extends Error {}

/** How encoding/json names a JSON value in an UnmarshalTypeError. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string, number
}

/**
 * One field's value as Go stores it. A number that is no int64 is named with its text (`number 1.5`);
 * JSON.parse has already normalised that text, so `1.0` reads as an integer here.
 */
function decodeField(name: string, value: unknown): unknown {
  const goType = TOLERATION_FIELDS[name];
  const mismatch = (what: string) =>
    new TypeMismatch(`json: cannot unmarshal ${what} into Go struct field Toleration.${name} of type ${goType}`);
  if (goType === 'int64') {
    if (typeof value !== 'number') throw mismatch(jsonKind(value));
    if (!Number.isSafeInteger(value)) throw mismatch(`number ${String(value)}`);
    return value;
  }
  if (typeof value !== 'string') throw mismatch(jsonKind(value));
  return value;
}

/** One list item as a core.Toleration (null is the zero toleration; unknown keys are ignored). */
function decodeToleration(item: unknown): Obj {
  if (item === null) return {};
  if (typeof item !== 'object' || Array.isArray(item)) {
    throw new TypeMismatch(`json: cannot unmarshal ${jsonKind(item)} into Go value of type core.Toleration`);
  }
  const toleration: Obj = {};
  for (const [key, value] of Object.entries(item as Obj)) {
    const name = FIELD_BY_LOWER.get(key.toLowerCase());
    if (name === undefined || value === null) continue;
    toleration[name] = decodeField(name, value);
  }
  return toleration;
}

/** GetTolerationsFromPodAnnotations: the tolerations, or encoding/json's error text. */
function decodeTolerations(value: string): Obj[] | string {
  try {
    const parsed = parseGoJson(Buffer.from(value, 'utf8'));
    if (parsed === null) return [];
    if (!Array.isArray(parsed)) return `json: cannot unmarshal ${jsonKind(parsed)} into Go value of type []core.Toleration`;
    return parsed.map(decodeToleration);
  } catch (e) {
    if (e instanceof JsonSyntaxError || e instanceof TypeMismatch) return e.message;
    throw e;
  }
}

/** ValidateTolerationsInPodAnnotations, for a non-empty annotation; `fld` is the annotations' path. */
export function validateTolerationsAnnotation(value: string, fld: FieldPath): FieldError[] {
  const tolerations = decodeTolerations(value);
  if (typeof tolerations === 'string') return [invalidValue(fld, TOLERATIONS_ANNOTATION, tolerations)];
  // The list is named as a child of the annotations (a dot, not a [key]), as upstream does.
  return validateTolerations(tolerations, fld.child(TOLERATIONS_ANNOTATION));
}

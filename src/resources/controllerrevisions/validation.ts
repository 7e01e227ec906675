/**
 * apps/v1 ControllerRevision validation (ValidateControllerRevision,
 * ValidateControllerRevisionUpdate) without ObjectMeta, which the store validates.
 */
import type { BadValue, FieldError } from '../../apimachinery/field-errors.js';
import { immutable, invalidValue, path, required } from '../../apimachinery/field-errors.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { deepEqual } from '../../apimachinery/object.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { num } from '../../apimachinery/json-fields.js';
import type { ObjectMetaChecks } from '../../registry/resource-definition.js';

const dataOf = (cr: KubeObject): unknown => (cr as Obj).data;

/**
 * How the internal Data (a *runtime.Unknown holding the raw JSON) prints through its String():
 * the raw bytes as Go prints a []byte.
 */
function goRawData(data: unknown): BadValue {
  const raw = [...Buffer.from(JSON.stringify(data) ?? 'null', 'utf8')].join(' ');
  return { go: `&Unknown{TypeMeta:TypeMeta{APIVersion:,Kind:,},Raw:*[${raw}],ContentEncoding:,ContentType:application/json,}` };
}

export function validateControllerRevision(cr: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = dataOf(cr);
  if (data === undefined || data === null) errs.push(required(path('data'), 'data is mandatory'));
  const revision = num((cr as Obj).revision) ?? 0;
  if (revision < 0) errs.push(invalidValue(path('revision'), revision, 'must be greater than or equal to 0'));
  return errs;
}

/** ValidateControllerRevisionUpdate: ObjectMetaUpdate, ValidateControllerRevision (ObjectMeta first); data is immutable, revision may change. */
export function validateControllerRevisionUpdate(cr: KubeObject, old: KubeObject, meta: ObjectMetaChecks): FieldError[] {
  const errs = [...meta.update(), ...meta.create(), ...validateControllerRevision(cr)];
  const data = dataOf(cr);
  // Upstream compares the raw JSON bytes; on our decoded JSON that is structural equality.
  if (!deepEqual(data ?? null, dataOf(old) ?? null)) {
    errs.push(immutable(path('data'), data == null ? { go: '"null"' } : goRawData(data)));
  }
  return errs;
}

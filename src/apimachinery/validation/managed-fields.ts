/**
 * The field manager rules of k8s.io/apimachinery/pkg/apis/meta/v1/validation: ValidateFieldManager
 * (the `?fieldManager=` of a write, and each managedFields entry's manager) and ValidateManagedFields,
 * which both of the ObjectMeta validations run on metadata.managedFields.
 */
import { invalidValue, tooLong, type FieldError, type FieldPath } from '../field-errors.js';

const FIELD_MANAGER_MAX_LENGTH = 128;
/** MaxSubresourceNameLength. */
const SUBRESOURCE_MAX_LENGTH = 256;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const printable = (ch: string) => ch === ' ' || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch);

/** ValidateFieldManager: at most 128 bytes, every character printable (its position a byte offset, as Go's range gives). */
export function validateFieldManager(manager: string, fld: FieldPath | string): FieldError[] {
  const errors: FieldError[] = [];
  if (Buffer.byteLength(manager, 'utf8') > FIELD_MANAGER_MAX_LENGTH) errors.push(tooLong(fld, FIELD_MANAGER_MAX_LENGTH));
  let offset = 0;
  for (const ch of manager) {
    if (!printable(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errors.push(invalidValue(fld, manager, `invalid character U+${code} (at position ${offset})`));
    }
    offset += Buffer.byteLength(ch, 'utf8');
  }
  return errors;
}

/** The fields of a managedFields entry this validation reads (whatever a client sent). */
interface EntryFields {
  manager?: unknown;
  operation?: unknown;
  fieldsType?: unknown;
  subresource?: unknown;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** ValidateManagedFields: each entry's operation, fieldsType, manager and subresource. */
export function validateManagedFields(entries: readonly unknown[] | undefined, fld: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  (entries ?? []).forEach((raw, i) => {
    const entry = (raw ?? {}) as EntryFields;
    const at = fld.index(i);
    const operation = text(entry.operation);
    if (operation !== 'Apply' && operation !== 'Update') {
      errors.push(invalidValue(at.child('operation'), operation, 'must be `Apply` or `Update`'));
    }
    const fieldsType = text(entry.fieldsType);
    if (fieldsType && fieldsType !== 'FieldsV1') errors.push(invalidValue(at.child('fieldsType'), fieldsType, 'must be `FieldsV1`'));
    errors.push(...validateFieldManager(text(entry.manager), at.child('manager')));
    if (Buffer.byteLength(text(entry.subresource), 'utf8') > SUBRESOURCE_MAX_LENGTH) {
      errors.push(tooLong(at.child('subresource'), SUBRESOURCE_MAX_LENGTH));
    }
  });
  return errors;
}

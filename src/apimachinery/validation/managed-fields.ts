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

/** Printable ASCII throughout, as nearly every manager is: then no character needs a closer look. */
function printableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** ValidateFieldManager: at most 128 bytes, every character printable (its position a byte offset, as Go's range gives). */
export function validateFieldManager(manager: string, fld: FieldPath | string): FieldError[] {
  if (manager.length <= FIELD_MANAGER_MAX_LENGTH && printableAscii(manager)) return [];
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

/** An entry nothing below would fault (a subresource of up to 85 UTF-16 units is within 256 bytes). */
function validEntry(entry: EntryFields): boolean {
  const manager = text(entry.manager);
  const subresource = text(entry.subresource);
  return (
    (entry.operation === 'Apply' || entry.operation === 'Update') &&
    (entry.fieldsType === undefined || entry.fieldsType === '' || entry.fieldsType === 'FieldsV1') &&
    manager.length <= FIELD_MANAGER_MAX_LENGTH &&
    printableAscii(manager) &&
    (subresource.length <= 85 || Buffer.byteLength(subresource, 'utf8') <= SUBRESOURCE_MAX_LENGTH)
  );
}

/** ValidateManagedFields: each entry's operation, fieldsType, manager and subresource. */
export function validateManagedFields(entries: readonly unknown[] | undefined, fld: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  (entries ?? []).forEach((raw, i) => {
    const entry = (raw ?? {}) as EntryFields;
    // Every write checks every entry (twice on an update): the common valid one costs no paths.
    if (validEntry(entry)) return;
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

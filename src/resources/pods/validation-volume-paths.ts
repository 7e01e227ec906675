/**
 * The relative-path rules of volume items, projections and mounts (validatePathNoBacksteps,
 * validateLocalDescendingPath, ValidateLocalNonReservedPath).
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { invalidValue } from '../../apimachinery/field-errors.js';

/** validatePathNoBacksteps. */
export function validatePathNoBacksteps(p: string, fld: FieldPath): FieldError[] {
  return p.split('/').includes('..') ? [invalidValue(fld, p, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative, no '..' element. */
export function validateLocalDescendingPath(p: string, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(invalidValue(fld, p, 'must be a relative path'));
  return errs.concat(validatePathNoBacksteps(p, fld));
}

/** ValidateLocalNonReservedPath: a local descending path that does not start with '..'. */
export function validateLocalNonReservedPath(p: string, fld: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(p, fld);
  if (p.startsWith('..') && !p.startsWith('../')) errs.push(invalidValue(fld, p, "must not start with '..'"));
  return errs;
}

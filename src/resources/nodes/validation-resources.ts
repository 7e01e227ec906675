/**
 * ValidateNodeResources (kube-apiserver 1.33): each quantity of status.capacity and
 * status.allocatable is checked as ValidateResourceQuantityValue checks it (not negative; whole
 * for integer resources: pods and the like, extended resources). Resource names are not checked.
 * Node status writes are frequent (kubelet heartbeats), so the common case (a non-negative whole
 * number, maybe with a multiplier suffix) is recognised without parsing the quantity.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { path } from '../../apimachinery/field-errors.js';
import { asObj } from '../../apimachinery/json-fields.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { validateResourceQuantityValue } from '../pods/validation-resources.js';

/** Suffixes that keep a whole number whole (no milli or smaller, no exponent). */
const WHOLE_SUFFIXES = new Set(['', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);

/** Whether a quantity is certainly non-negative and whole: digits, then a multiplier suffix or none. */
function isPlainWholeQuantity(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0;
  if (typeof value !== 'string') return false;
  let digits = 0;
  while (digits < value.length && value.charCodeAt(digits) >= 48 && value.charCodeAt(digits) <= 57) digits++;
  return digits > 0 && WHOLE_SUFFIXES.has(value.slice(digits));
}

function validateResourceList(list: unknown, fld: FieldPath): FieldError[] {
  const resources = asObj(list);
  if (!resources) return [];
  let errs: FieldError[] | undefined;
  for (const [name, value] of Object.entries(resources)) {
    if (isPlainWholeQuantity(value)) continue;
    const found = validateResourceQuantityValue(name, value, fld.child(name));
    if (found.length > 0) (errs ??= []).push(...found);
  }
  return errs ?? [];
}

/** ValidateNodeResources: the quantities of status.capacity, then of status.allocatable. */
export function validateNodeResources(node: KubeObject): FieldError[] {
  const status = asObj((node as { status?: unknown }).status);
  if (!status) return [];
  const capacity = validateResourceList(status.capacity, path('status', 'capacity'));
  const allocatable = validateResourceList(status.allocatable, path('status', 'allocatable'));
  return capacity.length === 0 ? allocatable : capacity.concat(allocatable);
}

/**
 * ValidateIPAddress and ValidateIPAddressUpdate (pkg/apis/networking/validation): the name is the
 * address in its canonical form (ValidateIPAddressName, by IsValidIP), the parentRef is required,
 * its group a DNS subdomain when set, its resource and name required and, like its namespace,
 * valid path segments; an update keeps the parentRef. The rest of the metadata is checked by the
 * store (the core ObjectMeta rules).
 */
import { immutable, invalidValue, path, required, type BadValue, type FieldError } from '../../apimachinery/field-errors.js';
import { goQuote } from '../../apimachinery/go-quote.js';
import { validateIP } from '../../apimachinery/validation/ip.js';
import { isDns1123Subdomain, nameIsPathSegment, type NameValidator } from '../../apimachinery/validation/names.js';
import type { IPAddress, ParentReference } from './schema.js';
import type { ObjectMetaChecks } from '../../registry/resource-definition.js';

const PARENT_REF = path('spec', 'parentRef');

/** ValidateIPAddressName: IsValidIP's details; a generateName prefix is judged the same way. */
export const nameIsCanonicalIP: NameValidator = (name) => validateIP(path('metadata', 'name'), name).map((e) => e.detail ?? '');

export function validateIPAddress(ip: IPAddress): FieldError[] {
  const ref = ip.spec?.parentRef;
  if (!ref) return [required(PARENT_REF)];
  const errs: FieldError[] = [];
  const group = ref.group ?? '';
  // The core group (Services') is empty, so only a set group is checked.
  if (group) for (const msg of isDns1123Subdomain(group)) errs.push(invalidValue(PARENT_REF.child('group'), group, msg));
  for (const key of ['resource', 'name'] as const) {
    const value = ref[key] ?? '';
    if (!value) errs.push(required(PARENT_REF.child(key)));
    else for (const msg of nameIsPathSegment(value, false)) errs.push(invalidValue(PARENT_REF.child(key), value, msg));
  }
  const namespace = ref.namespace ?? '';
  if (namespace)
    for (const msg of nameIsPathSegment(namespace, false)) errs.push(invalidValue(PARENT_REF.child('namespace'), namespace, msg));
  return errs;
}

/**
 * The strategy's ValidateUpdate: ValidateIPAddress (ObjectMeta first), then ValidateIPAddressUpdate
 * (ObjectMetaUpdate, and the parentRef as it was, compared as Go's DeepEqual compares the pointers' structs).
 */
export function validateIPAddressUpdate(ip: IPAddress, old: IPAddress, meta: ObjectMetaChecks): FieldError[] {
  const errs = [...meta.create(), ...validateIPAddress(ip), ...meta.update()];
  const ref = ip.spec?.parentRef;
  if (!sameRef(ref, old.spec?.parentRef)) errs.push(immutable(PARENT_REF, goRef(ref)));
  return errs;
}

const FIELDS = ['group', 'resource', 'namespace', 'name'] as const;

function sameRef(a: ParentReference | undefined, b: ParentReference | undefined): boolean {
  if (!a || !b) return !a && !b;
  return FIELDS.every((k) => (a[k] ?? '') === (b[k] ?? ''));
}

/** %#v of the internal ParentReference a pointer leads to; a nil one prints "null". */
function goRef(ref: ParentReference | undefined): BadValue {
  if (!ref) return null;
  const fields = FIELDS.map((k) => `${k[0].toUpperCase()}${k.slice(1)}:${goQuote(ref[k] ?? '')}`);
  return { go: `networking.ParentReference{${fields.join(', ')}}` };
}

/**
 * A CRD schema's defaults must be values of their own schema (apiextensions-apiserver's
 * defaulting.ValidateDefaults): each `default` is validated against the node it sits on, as a
 * custom resource is (ValidateCustomResource with the `default` field as the root path), so a
 * `default: 5` on a string is `….default: Invalid value: "integer": . in body must be of type
 * string: "integer"`. Only for a structural schema: upstream checks defaults after structure.
 */
import type { FieldError } from '../field-errors.js';
import { isPlainObject } from '../object.js';
import type { JSONSchemaProps } from './types.js';
import { validateValue } from './validate.js';

function check(s: JSONSchemaProps, at: string, errs: FieldError[]): void {
  if (s.default !== undefined) {
    const root = `${at}.default`;
    // go-openapi names the value's own root '.', and ValidateCustomResource adds other names as one child.
    for (const e of validateValue(s.default, s)) errs.push({ ...e, field: e.field ? `${root}.${e.field}` : root });
  }
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    if (isPlainObject(prop)) check(prop, `${at}.properties[${name}]`, errs);
  }
  if (isPlainObject(s.additionalProperties)) check(s.additionalProperties, `${at}.additionalProperties`, errs);
  if (isPlainObject(s.items)) check(s.items, `${at}.items`, errs);
}

/** The errors of the defaults in a version's `openAPIV3Schema` at `at`. */
export function validateDefaults(schema: JSONSchemaProps, at: string): FieldError[] {
  const errs: FieldError[] = [];
  check(schema, at, errs);
  return errs;
}

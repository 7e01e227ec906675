/**
 * Whether a CRD's OpenAPI v3 schema is structural, with apiextensions-apiserver's messages: every
 * specified node has a type (unless int-or-string or preserve-unknown-fields), the root is an
 * object, properties and additionalProperties do not meet, int-or-string is not typed, and the
 * root's metadata only restricts name and generateName. Paths are written as upstream writes them
 * (`….openAPIV3Schema.properties[spec].type`).
 */
import { forbiddenField, invalidValue, required, type FieldError } from '../field-errors.js';
import { isPlainObject } from '../object.js';
import { compileRegexp } from '../re2.js';
import type { JSONSchemaProps } from './types.js';

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

function check(s: JSONSchemaProps, at: string, errs: FieldError[], root: boolean): void {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (!s.type) {
    if (!intOrString && !preserve)
      errs.push(required(`${at}.type`, root ? 'must not be empty at the root' : 'must not be empty for specified object fields'));
  } else if (!TYPES.includes(s.type)) {
    errs.push(invalidValue(`${at}.type`, s.type, `must be one of ${TYPES.map((t) => JSON.stringify(t)).join(', ')}`));
  }
  if (root && s.type && s.type !== 'object') errs.push(invalidValue(`${at}.type`, s.type, 'must be object at the root'));
  if (intOrString && s.type) errs.push(invalidValue(`${at}.type`, s.type, 'must be empty if x-kubernetes-int-or-string is true'));
  if (s.properties && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    errs.push(forbiddenField(`${at}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.type === 'array' && !s.items) errs.push(required(`${at}.items`, 'must be specified'));
  if (s.pattern !== undefined) {
    try {
      compileRegexp(s.pattern);
    } catch (e) {
      errs.push(invalidValue(`${at}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${(e as Error).message}`));
    }
  }
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) {
    errs.push(invalidValue(`${at}.x-kubernetes-list-type`, listType, 'must be one of "atomic", "set", "map"'));
  }
  if (listType === 'map' && !s['x-kubernetes-list-map-keys']?.length) {
    errs.push(required(`${at}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
  }
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    if (isPlainObject(prop)) check(prop, `${at}.properties[${name}]`, errs, false);
  }
  if (isPlainObject(s.additionalProperties)) check(s.additionalProperties, `${at}.additionalProperties`, errs, false);
  if (isPlainObject(s.items)) check(s.items, `${at}.items`, errs, false);
}

/** The root's `metadata` may only restrict `name` and `generateName` (with type string). */
function checkMetadata(s: JSONSchemaProps, at: string, errs: FieldError[]): void {
  const meta = s.properties?.metadata;
  if (!isPlainObject(meta)) return;
  const metaAt = `${at}.properties[metadata]`;
  if (meta.type && meta.type !== 'object') errs.push(invalidValue(`${metaAt}.type`, meta.type, 'must be object'));
  for (const name of Object.keys(meta.properties ?? {})) {
    if (name !== 'name' && name !== 'generateName') errs.push(forbiddenField(`${metaAt}.properties[${name}]`, 'must not be specified'));
  }
}

/** The structural-schema errors of a version's `openAPIV3Schema` at `at`. */
export function validateStructural(schema: JSONSchemaProps, at: string): FieldError[] {
  const errs: FieldError[] = [];
  check(schema, at, errs, true);
  checkMetadata(schema, at, errs);
  return errs;
}

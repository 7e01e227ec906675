/**
 * Structural defaulting (apiextensions-apiserver's structuraldefaulting.Default): every property
 * that is absent and whose schema has a `default` gets a copy of it, at any depth, in objects,
 * list items and map values. Changes `value` in place.
 */
import { deepClone, isPlainObject } from '../object.js';
import { additionalSchema, type JSONSchemaProps } from './types.js';

export function applyDefaults(value: unknown, schema: JSONSchemaProps): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applyDefaults(item, schema.items);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (!Object.hasOwn(value, key) && prop.default !== undefined) value[key] = deepClone(prop.default);
    if (Object.hasOwn(value, key)) applyDefaults(value[key], prop);
  }
  const extra = additionalSchema(schema);
  if (extra) for (const v of Object.values(value)) applyDefaults(v, extra);
}

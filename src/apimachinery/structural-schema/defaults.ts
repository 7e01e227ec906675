/**
 * Structural defaulting (apiextensions-apiserver's structuraldefaulting.Default): every property
 * that is absent or null where its schema is not nullable, and whose schema has a `default`, gets
 * a copy of it, at any depth, in objects, list items and map values (which get it for a
 * non-nullable null too). Changes `value` in place.
 */
import { deepClone, isPlainObject } from '../object.js';
import { additionalSchema, type JSONSchemaProps } from './types.js';

export function applyDefaults(value: unknown, schema: JSONSchemaProps): void {
  if (Array.isArray(value)) {
    if (!schema.items) return;
    value.forEach((item, i) => {
      if (nonNullableNull(item, schema.items!) && schema.items!.default !== undefined) value[i] = deepClone(schema.items!.default);
      applyDefaults(value[i], schema.items!);
    });
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if ((!Object.hasOwn(value, key) || nonNullableNull(value[key], prop)) && prop.default !== undefined)
      value[key] = deepClone(prop.default);
    if (Object.hasOwn(value, key)) applyDefaults(value[key], prop);
  }
  const extra = additionalSchema(schema);
  if (!extra) return;
  for (const [key, v] of Object.entries(value)) {
    if (schema.properties && Object.hasOwn(schema.properties, key)) continue;
    if (nonNullableNull(v, extra) && extra.default !== undefined) value[key] = deepClone(extra.default);
    applyDefaults(value[key], extra);
  }
}

/** A null where the schema does not allow one (structuraldefaulting's isNonNullableNull). */
const nonNullableNull = (v: unknown, s: JSONSchemaProps) => v === null && s.nullable !== true;

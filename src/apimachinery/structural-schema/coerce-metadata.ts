/**
 * The metadata of a custom resource in a request, as apiextensions-apiserver decodes it
 * (schema/objectmeta GetObjectMeta with dropMalformedFields): a custom resource is unstructured
 * JSON, but its metadata must read as an ObjectMeta. When it does not, each field that does not
 * decode on its own (labels with a number for a value, a name that is not a string…) is dropped
 * and the rest kept, instead of failing the request.
 */
import type { TSchema } from '@sinclair/typebox';
import { isPlainObject } from '../object.js';
import { decodeError, prune } from '../prune.js';
import { propertyOf } from '../schema-walk.js';

/** `obj` with the metadata fields that do not decode into ObjectMeta left out (a new object when any is). */
export function dropMalformedMetadata<T>(obj: T, kindSchema: TSchema): T {
  if (!isPlainObject(obj) || !isPlainObject(obj.metadata)) return obj;
  const metaSchema = propertyOf(kindSchema, 'metadata');
  if (!metaSchema || !decodeError(prune(obj.metadata, metaSchema))) return obj;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj.metadata)) {
    if (!decodeError(prune({ [key]: value }, metaSchema))) kept[key] = value;
  }
  return { ...obj, metadata: kept };
}

/**
 * The fields Go always writes (no pointer, not omitempty) of the upstream struct an object schema
 * describes, with the zero each is written as when unset: what decoding into the Go struct and
 * encoding it again adds to an object (`creationTimestamp: null` in a template's metadata,
 * `resources: {}`, `numberMisscheduled: 0`). A schema of no upstream struct (a custom resource's)
 * has none.
 */
import type { TSchema } from '@sinclair/typebox';
import { goStruct } from './managed-fields/go-zero-values.js';
import type { GoStruct } from './managed-fields/go-zero-values.js';
import { deepClone, isPlainObject } from './object.js';
import { goMessageOf } from './schema-walk.js';

const bySchema = new WeakMap<TSchema, ReadonlyMap<string, unknown> | null>();

/** The always-written fields of the schema's struct and their zeros; undefined when it has none. */
export function goZerosOf(schema: TSchema): ReadonlyMap<string, unknown> | undefined {
  let zeros = bySchema.get(schema);
  if (zeros === undefined) {
    const message = goMessageOf(schema);
    const found = message === undefined ? undefined : goStruct(message)?.zeros;
    bySchema.set(schema, (zeros = found && found.size > 0 ? found : null));
  }
  return zeros ?? undefined;
}

/** A zero to put into an object: struct zeros are shared and frozen, so each place gets its own copy. */
export const zeroCopy = (zero: unknown): unknown => (isPlainObject(zero) ? deepClone(zero) : zero);

/** The upstream Go struct an object schema describes; undefined for a schema of none (a custom resource's). */
export function goStructOf(schema: TSchema): GoStruct | undefined {
  const message = goMessageOf(schema);
  return message === undefined ? undefined : goStruct(message);
}

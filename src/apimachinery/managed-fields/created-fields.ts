/**
 * The fields a create sets, by the created object's shape. A create's field set (compare of the
 * kind's zero with the new object) depends on the object's keys, on which values are objects,
 * lists, empty or null, on the items of its lists (their keys name them) and on whether a scalar is
 * the Go zero of its field, never on any other scalar value: the pods of one template, differing in
 * name, uid, timestamps and label values, share one set and one FieldsV1 encoding. `shapeKey`
 * writes what the set may depend on; the encoding is computed once per key, and every object of
 * that shape holds that one encoding. Stored objects are never changed in place (the controllers'
 * cache only swaps a part for an equal one), so sharing it is safe, and the cache then knows it at
 * once instead of comparing a copy per object.
 */
import type { TSchema } from '@sinclair/typebox';
import { isEmptyMap, isPlainObject } from '../object.js';
import { atomOf, fieldSchema } from './schema-atoms.js';
import type { FieldSet } from './field-set.js';
import { encodeFieldsV1, type FieldsV1 } from './fields-v1.js';
import { scalarZeros } from './go-zero-values.js';

/** Shapes remembered per table before it starts afresh (objects of many shapes: a cache that stops paying). */
const MAX_SHAPES = 512;

/**
 * The object's shape as a string: keys as they are; scalars as their type, unless they are some
 * field's Go zero (then as they are); granular lists as their whole JSON (item keys are values);
 * an atomic value (a list, struct or map the schema makes one leaf) as whether it is empty, the only
 * thing about it a create's set depends on (its content is one field, however it is made): the pods
 * of a DaemonSet, pinned each to its node by an atomic node selector, share one shape.
 */
export function shapeKey(value: unknown, schema?: TSchema): string {
  const zeros = scalarZeros();
  // Pieces joined once at the end: one flat string (a concatenation kept as a table key keeps every piece).
  const out: string[] = [];
  const walk = (v: unknown, s: TSchema | undefined): void => {
    const atom = s ? atomOf(s) : undefined;
    if (Array.isArray(v)) {
      if (atom?.kind === 'list' && atom.type === 'atomic') return void out.push(v.length ? '[+]' : '[]');
      return void out.push(JSON.stringify(v));
    }
    if (isPlainObject(v)) {
      if ((atom?.kind === 'struct' || atom?.kind === 'map') && atom.atomic) return void out.push(isEmptyMap(v) ? '{}' : '{+}');
      out.push('{');
      for (const key in v) {
        const child = v[key];
        if (child === undefined) continue;
        // A key with no quote or backslash is written as is between quotes: no JSON.stringify per key.
        out.push(key.includes('"') || key.includes('\\') ? JSON.stringify(key) : `"${key}"`, ':');
        walk(child, atom ? fieldSchema(atom, key) : undefined);
        out.push(',');
      }
      return void out.push('}');
    }
    if (zeros.has(v)) return void out.push(JSON.stringify(v) ?? 'u');
    out.push(typeof v === 'string' ? 's' : typeof v === 'number' ? 'n' : typeof v === 'boolean' ? 'b' : (JSON.stringify(v) ?? 'u'));
  };
  walk(value, schema);
  return out.join('');
}

/** A table of the encodings creates recorded, by shape; `compute` gives the set of an object not seen yet. */
export class CreatedFieldsMemo {
  private readonly shapes = new Map<string, FieldsV1 | null>();

  /** @param schema the kind's schema: the shapes of its objects are read along it */
  constructor(private readonly schema?: TSchema) {}

  /** The FieldsV1 of the fields a create of `obj` sets (shared by every object of its shape: read only), or undefined when it sets none. */
  encoded(obj: unknown, compute: () => FieldSet | undefined): FieldsV1 | undefined {
    const key = shapeKey(obj, this.schema);
    let found = this.shapes.get(key);
    if (found === undefined) {
      const set = compute();
      found = set && !set.empty() ? encodeFieldsV1(set) : null;
      if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
      this.shapes.set(key, found);
    }
    return found ?? undefined;
  }
}

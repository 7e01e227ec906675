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
import { atomOf, fieldSchema, type Atom } from './schema-atoms.js';
import type { FieldSet } from './field-set.js';
import { encodeFieldsV1, type FieldsV1 } from './fields-v1.js';
import { scalarZeros } from './go-zero-values.js';

/** Shapes remembered per table before it starts afresh (objects of many shapes: a cache that stops paying). */
const MAX_SHAPES = 512;

/** What shapeKey reads of one schema node, found once: its atom, and per field met its node and how it is written. */
interface ShapeNode {
  readonly atom: Atom | undefined;
  fields: Map<string, ShapeField> | undefined;
}

interface ShapeField {
  readonly node: ShapeNode;
  /** The key as the shape writes it: quoted (written as is when it needs no escape), then a colon. */
  readonly head: string;
}

/** Field names remembered per node (a map's keys are values: labels, annotations, data) before it starts afresh. */
const MAX_FIELDS = 256;

const shapeNodes = new WeakMap<TSchema, ShapeNode>();
const UNTYPED_NODE: ShapeNode = { atom: undefined, fields: undefined };

function shapeNodeOf(schema: TSchema | undefined): ShapeNode {
  if (!schema) return UNTYPED_NODE;
  let node = shapeNodes.get(schema);
  if (!node) shapeNodes.set(schema, (node = { atom: atomOf(schema), fields: undefined }));
  return node;
}

function shapeField(node: ShapeNode, key: string): ShapeField {
  const fields = (node.fields ??= new Map<string, ShapeField>());
  let field = fields.get(key);
  if (!field) {
    if (fields.size >= MAX_FIELDS) fields.clear();
    const quoted = key.includes('"') || key.includes('\\') ? JSON.stringify(key) : `"${key}"`;
    fields.set(key, (field = { node: node.atom ? shapeNodeOf(fieldSchema(node.atom, key)) : UNTYPED_NODE, head: `${quoted}:` }));
  }
  return field;
}

/**
 * The object's shape as a string: keys as they are; scalars as their type, unless they are some
 * field's Go zero (then as they are); granular lists as their whole JSON (item keys are values);
 * an atomic value (a list, struct or map the schema makes one leaf) as whether it is empty, the only
 * thing about it a create's set depends on (its content is one field, however it is made): the pods
 * of a DaemonSet, pinned each to its node by an atomic node selector, share one shape. Written by
 * concatenation (three times as fast as pieces joined): a key kept in a table is flattened first.
 */
export function shapeKey(value: unknown, schema?: TSchema): string {
  const zeros = scalarZeros();
  let out = '';
  const walk = (v: unknown, node: ShapeNode): void => {
    const atom = node.atom;
    if (Array.isArray(v)) {
      if (atom?.kind === 'list' && atom.type === 'atomic') return void (out += v.length ? '[+]' : '[]');
      return void (out += JSON.stringify(v));
    }
    if (isPlainObject(v)) {
      if ((atom?.kind === 'struct' || atom?.kind === 'map') && atom.atomic) return void (out += isEmptyMap(v) ? '{}' : '{+}');
      out += '{';
      for (const key in v) {
        const child = v[key];
        if (child === undefined) continue;
        const field = shapeField(node, key);
        out += field.head;
        walk(child, field.node);
        out += ',';
      }
      return void (out += '}');
    }
    if (zeros.has(v)) return void (out += JSON.stringify(v) ?? 'u');
    out += typeof v === 'string' ? 's' : typeof v === 'number' ? 'n' : typeof v === 'boolean' ? 'b' : (JSON.stringify(v) ?? 'u');
  };
  walk(value, shapeNodeOf(schema));
  return out;
}

/** `text` as one flat string, the same characters (lone surrogates too): a concatenation kept as a table key would keep every piece it was made of. */
const flat = (text: string) => JSON.parse(JSON.stringify(text)) as string;

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
      this.shapes.set(flat(key), found);
    }
    return found ?? undefined;
  }
}

/**
 * The fields a create sets, by the created object's shape. A create's field set (compare of the
 * kind's zero with the new object) depends on the object's keys, on which values are objects,
 * lists, empty or null, on the items of its lists (their keys name them) and on whether a scalar is
 * the Go zero of its field, never on any other scalar value: the pods of one template, differing in
 * name, uid, timestamps and label values, share one set and one FieldsV1 encoding. The shape walk
 * writes what the set may depend on; the encoding is computed once per shape, and every object of
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
import { hashText } from '../text-hash.js';

/** Shapes remembered per table before it starts afresh (objects of many shapes: a cache that stops paying). */
const MAX_SHAPES = 512;

/** What the shape walk reads of one schema node, found once: its atom, and per field met its node and how it is written. */
interface ShapeNode {
  readonly atom: Atom | undefined;
  fields: Map<string, ShapeField> | undefined;
}

interface ShapeField {
  readonly node: ShapeNode;
  /** The key as the shape writes it: quoted (written as is when it needs no escape), then a colon. */
  readonly head: string;
  /** The head's hash, found once. */
  readonly hash: number;
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
    const head = flat(`${quoted}:`);
    fields.set(key, (field = { node: node.atom ? shapeNodeOf(fieldSchema(node.atom, key)) : UNTYPED_NODE, head, hash: hashText(head) }));
  }
  return field;
}

/** A token the walk writes, with its hash found once. */
interface Token {
  readonly text: string;
  readonly hash: number;
}

const token = (text: string): Token => ({ text, hash: hashText(text) });
const OPEN = token('{');
const CLOSE = token('}');
const COMMA = token(',');
const ATOMIC_EMPTY_LIST = token('[]');
const ATOMIC_LIST = token('[+]');
const ATOMIC_EMPTY_MAP = token('{}');
const ATOMIC_MAP = token('{+}');
const STRING = token('s');
const NUMBER = token('n');
const BOOLEAN = token('b');
/** Go zero scalars as they are written (a handful: '', 0, false, null, a few enum zeros). */
const zeroTokens = new Map<unknown, Token>();

/**
 * The shape of the object walked last: its first `length` tokens (the list is reused from walk to
 * walk, never shortened, which would give up its storage: a shape found again allocates nothing)
 * and the hash of their sequence.
 */
const walked = { tokens: [] as string[], length: 0, hash: 0 };

function put(text: string, hash: number): void {
  walked.tokens[walked.length++] = text;
  // Kept within a small integer: no number box per token.
  walked.hash = (Math.imul(walked.hash ^ hash, 0x9e3779b1) ^ (walked.hash >>> 15)) & 0x3fffffff;
}

/**
 * The object's shape: keys as they are; scalars as their type, unless they are some field's Go
 * zero (then as they are); granular lists as their whole JSON (item keys are values); an atomic
 * value (a list, struct or map the schema makes one leaf) as whether it is empty, the only thing
 * about it a create's set depends on (its content is one field, however it is made): the pods of a
 * DaemonSet, pinned each to its node by an atomic node selector, share one shape. Written as tokens
 * into `walked`, not as one concatenated text (sixty pieces of garbage per object).
 */
function walk(v: unknown, node: ShapeNode, zeros: ReadonlySet<unknown>): void {
  const atom = node.atom;
  if (Array.isArray(v)) {
    if (atom?.kind === 'list' && atom.type === 'atomic') {
      const t = v.length ? ATOMIC_LIST : ATOMIC_EMPTY_LIST;
      return put(t.text, t.hash);
    }
    const json = JSON.stringify(v);
    return put(json, hashText(json));
  }
  if (isPlainObject(v)) {
    if ((atom?.kind === 'struct' || atom?.kind === 'map') && atom.atomic) {
      const t = isEmptyMap(v) ? ATOMIC_EMPTY_MAP : ATOMIC_MAP;
      return put(t.text, t.hash);
    }
    put(OPEN.text, OPEN.hash);
    for (const key in v) {
      const child = v[key];
      if (child === undefined) continue;
      const field = shapeField(node, key);
      put(field.head, field.hash);
      walk(child, field.node, zeros);
      put(COMMA.text, COMMA.hash);
    }
    return put(CLOSE.text, CLOSE.hash);
  }
  if (zeros.has(v)) {
    let t = zeroTokens.get(v);
    if (!t) zeroTokens.set(v, (t = token(JSON.stringify(v) ?? 'u')));
    return put(t.text, t.hash);
  }
  const t = typeof v === 'string' ? STRING : typeof v === 'number' ? NUMBER : typeof v === 'boolean' ? BOOLEAN : undefined;
  if (t) return put(t.text, t.hash);
  const json = JSON.stringify(v) ?? 'u';
  put(json, hashText(json));
}

function walkShape(value: unknown, schema: TSchema | undefined): void {
  walked.length = 0;
  walked.hash = 0;
  walk(value, shapeNodeOf(schema), scalarZeros());
}

/** The object's shape as one string (its tokens joined): two objects of one shape have the same. */
export function shapeKey(value: unknown, schema?: TSchema): string {
  walkShape(value, schema);
  return walked.tokens.slice(0, walked.length).join('');
}

/** The hash the table finds the object's shape by (shapes of one hash are told apart token by token). */
export function shapeHash(value: unknown, schema?: TSchema): number {
  walkShape(value, schema);
  return walked.hash;
}

/** `text` as one flat string, the same characters (lone surrogates too): a concatenation kept in a table would keep every piece it was made of. */
const flat = (text: string) => JSON.parse(JSON.stringify(text)) as string;

/** A shape remembered: its tokens, its encoding (null: the create sets nothing), the next of its hash. */
interface Shape {
  readonly tokens: readonly string[];
  readonly encoded: FieldsV1 | null;
  next: Shape | undefined;
}

/** Whether the shape walked last is `shape`: token by token (most are the same strings, compared by reference). */
function isWalked(shape: Shape): boolean {
  const { tokens, length } = walked;
  if (shape.tokens.length !== length) return false;
  for (let i = 0; i < length; i++) if (shape.tokens[i] !== tokens[i]) return false;
  return true;
}

/** A table of the encodings creates recorded, by shape; `compute` gives the set of an object not seen yet. */
export class CreatedFieldsMemo {
  /** Shapes by the hash of their tokens; shapes of one hash are chained. */
  private readonly shapes = new Map<number, Shape>();
  private count = 0;

  /** @param schema the kind's schema: the shapes of its objects are read along it */
  constructor(private readonly schema?: TSchema) {}

  /** The FieldsV1 of the fields a create of `obj` sets (shared by every object of its shape: read only), or undefined when it sets none. */
  encoded(obj: unknown, compute: () => FieldSet | undefined): FieldsV1 | undefined {
    const hash = shapeHash(obj, this.schema);
    const first = this.shapes.get(hash);
    for (let shape = first; shape; shape = shape.next) if (isWalked(shape)) return shape.encoded ?? undefined;
    const tokens = walked.tokens.slice(0, walked.length);
    const set = compute();
    const encoded = set && !set.empty() ? encodeFieldsV1(set) : null;
    if (this.count >= MAX_SHAPES) {
      this.shapes.clear();
      this.count = 0;
    }
    this.shapes.set(hash, { tokens, encoded, next: this.shapes.get(hash) });
    this.count++;
    return encoded ?? undefined;
  }
}

/**
 * How structured-merge-diff sees a schema node: a scalar, a struct or map (granular unless atomic),
 * a list (atomic, a set of scalars, or a map keyed by fields), or untyped (deduced from the value:
 * maps granular, lists atomic). Read from the kind's one schema: the x-kubernetes-list-type,
 * -list-map-keys and -map-type extensions, with upstream's fallback from the strategic-merge
 * metadata (a merge strategy with a key is a map list, without one a set; else atomic).
 */
import type { TSchema } from '@sinclair/typebox';
import { isPlainObject } from '../object.js';
import { itemsOf, mapValueOf, propertyOf, shapeOf } from '../schema-walk.js';
import { X } from '../schemas/extensions.js';
import { keyElement, singleKeyElement, valueElement, type PathElement } from './path-element.js';

export type Atom =
  | { kind: 'scalar' }
  | { kind: 'untyped' }
  | { kind: 'struct'; atomic: boolean; schema: TSchema }
  | { kind: 'map'; atomic: boolean; value: TSchema | undefined }
  | { kind: 'list'; type: 'atomic' | 'set' | 'map'; keys: string[]; item: TSchema | undefined };

type Node = TSchema & Record<string, unknown>;

const atoms = new WeakMap<TSchema, Atom>();

function atomOfSchema(schema: TSchema): Atom {
  const s = schema as Node;
  const atomic = s[X.mapType] === 'atomic';
  switch (shapeOf(schema)) {
    case 'object':
      return { kind: 'struct', atomic, schema };
    case 'map':
      return { kind: 'map', atomic, value: mapValueOf(schema) };
    case 'open':
      return { kind: 'untyped' };
    case 'list': {
      const item = itemsOf(schema);
      let type = s[X.listType] as 'atomic' | 'set' | 'map' | undefined;
      let keys = Array.isArray(s[X.listMapKeys]) ? (s[X.listMapKeys] as string[]) : [];
      if (!type) {
        const strategy = typeof s[X.patchStrategy] === 'string' ? (s[X.patchStrategy] as string) : '';
        const mergeKey: unknown = s[X.patchMergeKey];
        if (strategy.split(',').includes('merge')) {
          type = typeof mergeKey === 'string' ? 'map' : 'set';
          if (typeof mergeKey === 'string') keys = [mergeKey];
        } else type = 'atomic';
      }
      return { kind: 'list', type, keys, item };
    }
    default:
      return { kind: 'scalar' };
  }
}

const UNTYPED: Atom = Object.freeze({ kind: 'untyped' });

/** The atom of a schema node (cached), or of an untyped value by its shape. */
export function atomOf(schema: TSchema | undefined): Atom {
  if (!schema) return UNTYPED;
  let a = atoms.get(schema);
  if (!a) atoms.set(schema, (a = atomOfSchema(schema)));
  return a;
}

/** The schema of a struct field or map value named `key` (undefined: untyped). */
export function fieldSchema(atom: Atom, key: string): TSchema | undefined {
  if (atom.kind === 'struct') return propertyOf(atom.schema, key);
  if (atom.kind === 'map') return atom.value;
  return undefined;
}

/** Whether the atom is walked into for this value (granular maps and structs, set and map lists). */
export function isGranular(atom: Atom, value: unknown): boolean {
  if (atom.kind === 'struct' || atom.kind === 'map') return !atom.atomic && isPlainObject(value);
  if (atom.kind === 'list') return atom.type !== 'atomic' && Array.isArray(value);
  if (atom.kind === 'untyped') return isPlainObject(value);
  return false;
}

/** Whether an entry `key` of a map-like atom is a member in a field set whatever its value (a map key, not a struct field). */
export function isMapKey(atom: Atom, key: string): boolean {
  return atom.kind === 'map' || atom.kind === 'untyped' || (atom.kind === 'struct' && !propertyOf(atom.schema, key));
}

/** The path element naming a list item: its key fields for a map list, its value for a set. */
export function itemElement(atom: Atom & { kind: 'list' }, item: unknown, index: number): PathElement {
  if (atom.type === 'set') return valueElement(item);
  if (atom.type === 'map' && isPlainObject(item)) {
    if (atom.keys.length === 1) {
      const value = item[atom.keys[0]];
      if (value !== undefined) return singleKeyElement(atom.keys[0], value);
    }
    const fields: Record<string, unknown> = {};
    for (const k of atom.keys) if (item[k] !== undefined) fields[k] = item[k];
    if (Object.keys(fields).length) return keyElement(fields);
  }
  return `i:${index}`;
}

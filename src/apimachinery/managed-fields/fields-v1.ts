/**
 * The FieldsV1 encoding of a field set (fieldpath.Set ToJSON / FromJSON): a JSON object whose keys
 * are path elements in upstream's order; `{}` under an element marks a member, `".": {}` first
 * marks an element that is both a member and the parent of further members.
 */
import { isPlainObject } from '../object.js';
import { FieldSet } from './field-set.js';
import { comparePathElements, isPathElement } from './path-element.js';

export type FieldsV1 = Record<string, unknown>;

function emit(set: FieldSet, self: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  if (self && (set.members.size || set.children.size)) out['.'] = {};
  const keys = new Set([...set.members, ...set.children.keys()]);
  for (const pe of [...keys].sort(comparePathElements)) {
    const child = set.children.get(pe);
    const member = set.members.has(pe);
    out[pe] = child && !child.empty() ? emit(child, member) : {};
  }
  return out;
}

/** The encoded set, keys in upstream's order (JSON.stringify keeps insertion order for these keys). */
export function encodeFieldsV1(set: FieldSet): FieldsV1 {
  return emit(set, false);
}

/** Reads a FieldsV1 object; keys that are no path element are skipped, as upstream skips them. */
export function decodeFieldsV1(value: unknown): FieldSet {
  const set = new FieldSet();
  if (!isPlainObject(value)) return set;
  for (const [key, sub] of Object.entries(value)) {
    if (!isPathElement(key)) continue;
    const inner = isPlainObject(sub) ? sub : {};
    const subKeys = Object.keys(inner).filter(isPathElement);
    if (!subKeys.length || Object.prototype.hasOwnProperty.call(inner, '.')) set.members.add(key);
    if (subKeys.length) {
      const child = decodeFieldsV1(inner);
      if (!child.empty()) set.children.set(key, child);
    }
  }
  return set;
}

/** `set` ∩ the set `encoded` holds, read from the encoding along `set` only (no full decode). */
export function intersectEncoded(set: FieldSet, encoded: unknown): FieldSet {
  const out = new FieldSet();
  if (!isPlainObject(encoded)) return out;
  for (const pe of set.members) {
    const sub = encoded[pe];
    if (!isPlainObject(sub)) continue;
    const hasPaths = Object.keys(sub).some(isPathElement);
    if (!hasPaths || Object.prototype.hasOwnProperty.call(sub, '.')) out.members.add(pe);
  }
  for (const [pe, child] of set.children) {
    const sub = encoded[pe];
    if (!isPlainObject(sub)) continue;
    const i = intersectEncoded(child, sub);
    if (!i.empty()) out.children.set(pe, i);
  }
  return out;
}

/** Whether every path of `set` is in the set `encoded` holds, read from the encoding along `set` only. */
export function containsEncoded(set: FieldSet, encoded: unknown): boolean {
  if (!isPlainObject(encoded)) return set.empty();
  for (const pe of set.members) {
    const sub = encoded[pe];
    if (!isPlainObject(sub)) return false;
    if (Object.keys(sub).some(isPathElement) && !Object.prototype.hasOwnProperty.call(sub, '.')) return false;
  }
  for (const [pe, child] of set.children) if (!containsEncoded(child, encoded[pe])) return false;
  return true;
}

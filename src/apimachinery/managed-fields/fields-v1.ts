/**
 * The FieldsV1 encoding of a field set (fieldpath.Set ToJSON / FromJSON): a JSON object whose keys
 * are path elements in upstream's order; `{}` under an element marks a member, `".": {}` first
 * marks an element that is both a member and the parent of further members.
 */
import { isEmptyMap, isPlainObject } from '../object.js';
import { FieldSet } from './field-set.js';
import { boundedMemo } from '../bounded-memo.js';
import { hashText } from '../text-hash.js';
import { comparePathElements, isPathElement, type PathElement } from './path-element.js';

export type FieldsV1 = Record<string, unknown>;

/** Lists this long or shorter are sorted in place by insertion (Array.prototype.sort allocates a copy to work in). */
const SHORT_LIST = 16;

/** The set's elements at its top level (members and parents of members), in upstream's order. */
function sortedKeys(set: FieldSet): PathElement[] {
  let keys: PathElement[];
  if (!set.children.size) keys = [...set.members];
  else if (!set.members.size) keys = [...set.children.keys()];
  else {
    keys = [...set.members];
    for (const pe of set.children.keys()) if (!set.members.has(pe)) keys.push(pe);
  }
  if (keys.length > SHORT_LIST) return keys.sort(comparePathElements);
  for (let i = 1; i < keys.length; i++) {
    const pe = keys[i];
    let j = i - 1;
    for (; j >= 0 && comparePathElements(keys[j], pe) > 0; j--) keys[j + 1] = keys[j];
    keys[j + 1] = pe;
  }
  return keys;
}

/**
 * The `{}` of every leaf (and `.` mark) emit writes: one frozen object, as encodings are never
 * changed in place; a write's new encoding then allocates only its inner objects.
 */
const LEAF: FieldsV1 = Object.freeze({});

function emit(set: FieldSet, self: boolean): FieldsV1 {
  if (set.encodedAs?.member === self) return set.encodedAs.value;
  const out: FieldsV1 = {};
  if (self && (set.members.size || set.children.size)) out['.'] = LEAF;
  for (const pe of sortedKeys(set)) {
    const child = set.children.get(pe);
    out[pe] = child && !child.empty() ? emit(child, set.members.has(pe)) : LEAF;
  }
  return out;
}

/**
 * A hash of the set's encoding, or undefined when a part of the set keeps one (emit shares that
 * part). Independent of the order elements were added in (a sum over them), so no sorting.
 */
export function encodingHash(set: FieldSet, self = false): number | undefined {
  if (set.encodedAs) return undefined;
  let sum = self && (set.members.size || set.children.size) ? 1 : 0;
  for (const pe of set.members) {
    const child = set.children.get(pe);
    const inner = child && !child.empty() ? encodingHash(child, true) : 0;
    if (inner === undefined) return undefined;
    sum = (sum + Math.imul(hashText(pe) ^ inner, 0x9e3779b1)) | 0;
  }
  for (const [pe, child] of set.children) {
    if (set.members.has(pe)) continue;
    const inner = child.empty() ? 0 : encodingHash(child, false);
    if (inner === undefined) return undefined;
    sum = (sum + Math.imul(hashText(pe) ^ inner, 0x9e3779b1)) | 0;
  }
  return Math.imul(sum ^ (sum >>> 16), 0x85ebca6b) | 0;
}

/** Whether `encoded` is what emit writes for the set: the same elements, members and children. */
function isEncodingOf(set: FieldSet, self: boolean, encoded: FieldsV1): boolean {
  let elements = 0;
  let dot = false;
  for (const key in encoded) {
    if (key === '.') {
      dot = true;
      continue;
    }
    elements++;
    const member = set.members.has(key);
    const child = set.children.get(key);
    if (!member && !child) return false;
    const inner = encoded[key] as FieldsV1;
    if (child && !child.empty()) {
      if (!isEncodingOf(child, member, inner)) return false;
    } else if (!isEmptyMap(inner)) return false;
  }
  let expected = set.members.size;
  for (const pe of set.children.keys()) if (!set.members.has(pe)) expected++;
  return elements === expected && dot === (self && expected > 0);
}

/** An encoding remembered, and the next of its hash. */
interface KnownEncoding {
  readonly value: FieldsV1;
  readonly next: KnownEncoding | undefined;
}

/** Encodings remembered before the table starts afresh. */
const MAX_ENCODINGS = 4096;

/**
 * Encodings of sets read from no encoding (a new manager's fields, a create's) by their hash, made
 * once: the managers of alike objects (the kubelet's first status of each pod of a DaemonSet) record
 * the same fields, and hold one encoding. Encodings are never changed in place (stored objects are
 * read only), so sharing one is safe.
 */
const knownEncodings = new Map<number, KnownEncoding>();

/** The encoded set, keys in upstream's order (JSON.stringify keeps insertion order for these keys). */
export function encodeFieldsV1(set: FieldSet): FieldsV1 {
  const hash = encodingHash(set, false);
  if (hash === undefined) return emit(set, false);
  for (let known = knownEncodings.get(hash); known; known = known.next) if (isEncodingOf(set, false, known.value)) return known.value;
  const value = emit(set, false);
  if (knownEncodings.size >= MAX_ENCODINGS) knownEncodings.clear();
  knownEncodings.set(hash, { value, next: knownEncodings.get(hash) });
  return value;
}

/**
 * Reads a FieldsV1 object; keys that are no path element are skipped, as upstream skips them.
 * A part already in upstream's form (its keys in order, `.` first, every leaf `{}`) is remembered
 * by the set read from it, so encoding that set again costs nothing (FieldSet.encodedAs).
 */
export function decodeFieldsV1(value: unknown): FieldSet {
  if (!isPlainObject(value)) return decode(value, false);
  return decodedEncoding(value);
}

/**
 * Sets by the encoding read, decoded once: the objects of one shape share an encoding (the
 * controller's create of every pod of a DaemonSet, the kubelet's first status), and each write to
 * one of them that extends a manager's set reads it. A set is never changed once built, so sharing
 * it is safe; bounded (by identity), as encodings of single objects come and go.
 */
const decodedEncoding = boundedMemo((value: Record<string, unknown>) => decode(value, false), 1024);

function decode(value: unknown, member: boolean): FieldSet {
  const set = new FieldSet();
  if (!isPlainObject(value)) return set;
  let inForm = true;
  let previous: string | undefined;
  for (const key in value) {
    const sub = value[key];
    if (key === '.' && previous === undefined && member && isEmptyMap(sub)) continue;
    if (!isPathElement(key)) {
      inForm = false;
      continue;
    }
    if (previous !== undefined && comparePathElements(previous, key) >= 0) inForm = false;
    previous = key;
    const inner = isPlainObject(sub) ? sub : {};
    if (!isPlainObject(sub)) inForm = false;
    let subKeys = false;
    for (const k in inner) if (isPathElement(k)) subKeys = true;
    const isMember = !subKeys || Object.prototype.hasOwnProperty.call(inner, '.');
    if (isMember) set.addMember(key);
    if (subKeys) {
      const child = decode(inner, isMember);
      if (!child.empty()) set.setChild(key, child);
      if (child.encodedAs?.value !== inner) inForm = false;
    } else if (!isEmptyMap(inner)) inForm = false;
  }
  // `.` is written only for a member with members below it.
  if (member && set.members.size + set.children.size > 0 && !Object.prototype.hasOwnProperty.call(value, '.')) inForm = false;
  if (inForm) set.encodedAs = { member, value };
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
    if (!hasPaths || Object.prototype.hasOwnProperty.call(sub, '.')) out.addMember(pe);
  }
  for (const [pe, child] of set.children) {
    const sub = encoded[pe];
    if (!isPlainObject(sub)) continue;
    const i = intersectEncoded(child, sub);
    if (!i.empty()) out.setChild(pe, i);
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

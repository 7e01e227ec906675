/**
 * The list half of the strategic merge patch: merging lists by merge key or as sets of scalars,
 * the `$patch: delete|replace` list items, parallel deletion lists, and the element order rules
 * (patch order, then the live order) that kube-apiserver applies after a merge.
 */
import { goTypeName, goValue } from './go-format.js';
import { isPlainObject } from './object.js';
import { errBadArgType, errBadPatchType, errNoListOfLists, errNoMergeKey, internal, MAP_TYPE } from './patch-error.js';

export type JsonMap = Record<string, unknown>;
export const DIRECTIVE = '$patch';

/** 'map' for lists of objects, else the Go type of the scalars. */
export type ElementKind = string;

/** The common element type of the given lists (sliceElementType). */
export function sliceElementKind(...lists: unknown[][]): ElementKind {
  let prev: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      if (v === null || v === undefined) throw internal('list elements may not be null');
      const current = Array.isArray(v) ? 'slice' : isPlainObject(v) ? 'map' : goTypeName(v);
      if (prev === undefined) {
        prev = current;
        if (prev === 'slice') throw errNoListOfLists();
      } else if (prev !== current) {
        throw internal(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (prev === undefined) throw internal('no elements in any of the given slices');
  return prev;
}

function keyValue(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind !== 'map') return item;
  return isPlainObject(item) ? item[mergeKey] : undefined;
}

/** Position of `value` in `list` (by merge key for maps), or -1. */
export function indexIn(list: unknown[], value: unknown, mergeKey: string, kind: ElementKind): number {
  const wanted = keyValue(value, mergeKey, kind);
  for (let i = 0; i < list.length; i++) if (keyValue(list[i], mergeKey, kind) === wanted) return i;
  return -1;
}

export function findByKey(list: unknown[], key: string, value: unknown): { item: JsonMap; index: number } | undefined {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isPlainObject(v)) throw internal(`value for key ${i} is not a map.`);
    if (Object.prototype.hasOwnProperty.call(v, key) && v[key] === value) return { item: v, index: i };
  }
  return undefined;
}

export function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isPlainObject(item)) throw errBadArgType(MAP_TYPE, item);
      if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

/** Items carrying `$patch: delete` go last; everything else keeps its place. */
export function extractToDeleteItems(list: unknown[]): { keep: unknown[]; remove: unknown[] } {
  const keep: unknown[] = [];
  const remove: unknown[] = [];
  for (const v of list) {
    if (!isPlainObject(v)) throw errBadArgType(MAP_TYPE, v);
    if (Object.prototype.hasOwnProperty.call(v, DIRECTIVE) && v[DIRECTIVE] === 'delete') remove.push(v);
    else keep.push(v);
  }
  return { keep, remove };
}

/**
 * Go's sort.SliceStable with the upstream comparator (items missing from `order` compare as
 * "less"): an insertion sort, which is what Go runs for lists of up to 20 elements.
 */
function stableSortByOrder(list: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const out = list.slice();
  const less = (a: unknown, b: unknown): boolean => {
    const ia = indexIn(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j], out[j - 1]); j--) [out[j], out[j - 1]] = [out[j - 1], out[j]];
  }
  return out;
}

export function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let list = toSort;
  let remove: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order);
    ({ keep: list, remove } = extractToDeleteItems(toSort));
  }
  return [...stableSortByOrder(list, order, mergeKey, kind), ...remove];
}

/** Interleaves server-only items (left) into patch items (right), keeping both relative orders. */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** The final order: patch items in patch order, server-only items in live order, interleaved. */
export function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

export function partitionPrimitives(list: unknown[], by: unknown[]): { inPatch: unknown[]; serverOnly: unknown[] } {
  const present = new Set(by);
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) (present.has(v) ? inPatch : serverOnly).push(v);
  return { inPatch, serverOnly };
}

export function partitionMaps(list: unknown[], by: unknown[], mergeKey: string): { inPatch: unknown[]; serverOnly: unknown[] } {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    if (!isPlainObject(v)) throw errBadArgType(MAP_TYPE, v);
    if (!Object.prototype.hasOwnProperty.call(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (findByKey(by, mergeKey, v[mergeKey]) ? inPatch : serverOnly).push(v);
  }
  return { inPatch, serverOnly };
}

/** Removes later duplicates the way upstream does: the last element moves into the hole. */
export function deduplicateScalars(input: unknown[]): unknown[] {
  const s = input.slice();
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const gone = new Set(toDelete);
  return current.filter((v) => !gone.has(v));
}

/** Applies `$patch: delete` items and notes `$patch: replace`; returns the original and the plain patch items. */
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): { original: unknown[]; patch: unknown[] } {
  const plain: unknown[] = [];
  let replace = false;
  let orig = original;
  for (const v of patch) {
    const item = v as JsonMap;
    if (!Object.prototype.hasOwnProperty.call(item, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      const value = item[mergeKey];
      for (let hit = findByKey(orig, mergeKey, value); hit; hit = findByKey(orig, mergeKey, value)) {
        orig = [...orig.slice(0, hit.index), ...orig.slice(hit.index + 1)];
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw internal('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  return replace ? { original: plain, patch: [] } : { original: orig, patch: plain };
}

export type MergeMapFn = (original: JsonMap, patch: JsonMap) => JsonMap;

/**
 * mergeSlice: scalars are unioned (or removed, for a `$deleteFromPrimitiveList` list); maps are
 * merged by merge key with `mergeItem`, new ones appended; then the upstream order rules apply.
 */
export function mergeSlice(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  isDeleteList: boolean,
  mergeItem: MergeMapFn,
  itemKind = 'struct',
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  let merged: unknown[];
  let orig = original;
  let plainPatch = patch;
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw internal(`cannot merge lists without merge key for type ${itemKind}`);
    ({ original: orig, patch: plainPatch } = mergeSliceWithSpecialElements(original, patch, mergeKey));
    merged = orig.slice();
    for (const v of plainPatch) {
      const item = v as JsonMap;
      if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      const hit = findByKey(merged, mergeKey, item[mergeKey]);
      if (hit) merged[hit.index] = mergeItem(hit.item, item);
      else merged.push(v);
    }
  }
  const parts = mergeKey ? partitionMaps(merged, plainPatch, mergeKey) : partitionPrimitives(merged, plainPatch);
  return normalizeElementOrder(parts.inPatch, parts.serverOnly, plainPatch, orig, mergeKey, kind);
}

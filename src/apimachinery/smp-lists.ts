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

/** Each key's first position in `order` (by merge key for maps), found once: the sorts ask it for every comparison. */
function orderIndex(order: unknown[], mergeKey: string, kind: ElementKind): Map<unknown, number> {
  const index = new Map<unknown, number>();
  for (let i = 0; i < order.length; i++) {
    const key = keyValue(order[i], mergeKey, kind);
    if (!index.has(key)) index.set(key, i);
  }
  return index;
}

/**
 * Go's sort.SliceStable (sort/zsortfunc.go: insertion sorts of blocks of 20, then SymMerge rounds)
 * with the upstream comparator, items missing from `order` comparing as "less". That comparator is
 * no ordering, so the result depends on the algorithm: it is Go's, step for step, in O(n log² n)
 * comparisons of O(1) each (an insertion sort of the whole list, looking each key up in `order`, was cubic).
 */
function stableSortByOrder(list: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const out = list.slice();
  const index = orderIndex(order, mergeKey, kind);
  const at = out.map((v) => index.get(keyValue(v, mergeKey, kind)) ?? -1);
  const less = (i: number, j: number): boolean => (at[i] >= 0 && at[j] >= 0 ? at[i] < at[j] : true);
  const swap = (i: number, j: number): void => {
    [out[i], out[j]] = [out[j], out[i]];
    [at[i], at[j]] = [at[j], at[i]];
  };
  goStableSort(out.length, less, swap);
  return out;
}

/** Go's stable_func: insertion-sorted blocks of 20 merged pairwise with symMerge. */
function goStableSort(n: number, less: (i: number, j: number) => boolean, swap: (i: number, j: number) => void): void {
  const insertionSort = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && less(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, count: number) => {
    for (let i = 0; i < count; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number) => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (less(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!less(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const total = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = total - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = total - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!less(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = total - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
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
  const index = orderIndex(serverOrder, mergeKey, kind);
  const position = (v: unknown) => index.get(keyValue(v, mergeKey, kind)) ?? -1;
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = position(left[i]);
      const ri = position(right[j]);
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
  // findByKey over `by` for each item, with one set of its keys when every item of `by` is a map (it cannot throw then).
  const keys = by.every(isPlainObject) ? new Set(by.filter((b) => Object.hasOwn(b, mergeKey)).map((b) => b[mergeKey])) : undefined;
  for (const v of list) {
    if (!isPlainObject(v)) throw errBadArgType(MAP_TYPE, v);
    if (!Object.prototype.hasOwnProperty.call(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    const found = keys ? keys.has(v[mergeKey]) : findByKey(by, mergeKey, v[mergeKey]) !== undefined;
    (found ? inPatch : serverOnly).push(v);
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
  // The merge keys of `$patch: delete` items: every original item with one of them goes, in one
  // pass at the end (every item is a map here: mergeSlice checked the element kinds).
  let deleted: Set<unknown> | undefined;
  for (const v of patch) {
    const item = v as JsonMap;
    if (!Object.prototype.hasOwnProperty.call(item, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      (deleted ??= new Set()).add(item[mergeKey]);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw internal('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  if (replace) return { original: plain, patch: [] };
  const orig = deleted
    ? original.filter((o) => !(Object.hasOwn(o as JsonMap, mergeKey) && deleted.has((o as JsonMap)[mergeKey])))
    : original;
  return { original: orig, patch: plain };
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
    // findByKey(merged, …) for each patch item, as one map of first positions (every item is a map here).
    const positions = new Map<unknown, number>();
    merged.forEach((m, i) => {
      const item = m as JsonMap;
      if (Object.hasOwn(item, mergeKey) && !positions.has(item[mergeKey])) positions.set(item[mergeKey], i);
    });
    for (const v of plainPatch) {
      const item = v as JsonMap;
      if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      const at = positions.get(item[mergeKey]);
      if (at !== undefined) merged[at] = mergeItem(merged[at] as JsonMap, item);
      else {
        positions.set(item[mergeKey], merged.length);
        merged.push(v);
      }
    }
  }
  const parts = mergeKey ? partitionMaps(merged, plainPatch, mergeKey) : partitionPrimitives(merged, plainPatch);
  return normalizeElementOrder(parts.inPatch, parts.serverOnly, plainPatch, orig, mergeKey, kind);
}

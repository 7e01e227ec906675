/**
 * Strategic merge patch, applied as kube-apiserver applies it (StrategicMergeMapPatch): maps merge
 * recursively and `null` deletes; lists whose field says `patchStrategy: merge` are merged (by
 * merge key for objects, as sets for scalars), every other list is replaced; and the directives
 * `$patch: replace|delete`, `$retainKeys`, `$setElementOrder/<list>`,
 * `$deleteFromPrimitiveList/<list>` are honoured and never stored. Field metadata comes from a
 * PatchMetaLookup (schema-walk.ts), so the engine knows nothing about Kubernetes kinds.
 *
 * Like upstream, the patch is consumed: directive keys are deleted from it as they are applied.
 * Callers that print the patch afterwards (strict-validation errors do) see what upstream prints.
 */
import { goValue } from './go-format.js';
import { isPlainObject } from './object.js';
import {
  errBadArgType,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errNoMergeKey,
  errPatchContentNotMatchRetainKeys,
  errUnknownField,
  internal,
  MAP_TYPE,
  SLICE_TYPE,
} from './patch-error.js';
import type { FieldPatchMeta, PatchMetaLookup } from './schema-walk.js';
import {
  DIRECTIVE,
  extractToDeleteItems,
  mergeSlice,
  normalizeElementOrder,
  partitionMaps,
  partitionPrimitives,
  sliceElementKind,
  type JsonMap,
} from './smp-lists.js';

export type { PatchMetaLookup } from './schema-walk.js';

const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Applies `patch` to `original` and returns the result. Both are consumed (reused in the result
 * and edited in place); pass copies when the inputs are needed afterwards. Throws PatchError.
 */
export function strategicMergePatch(original: JsonMap, patch: JsonMap, meta: PatchMetaLookup): JsonMap {
  return mergeMap(original, patch, [], meta);
}

/** (retainKeys, strategy) from the field's strategies, as extractRetainKeysPatchStrategy. */
function strategyOf(m: FieldPatchMeta): string {
  const s = m.strategies ?? [];
  if (s.length === 0) return '';
  if (s.length === 1) return s[0] === 'retainKeys' ? '' : s[0];
  if (s.length === 2) {
    if (s[0] === 'retainKeys') return s[1];
    if (s[1] === 'retainKeys') return s[0];
  }
  throw internal(`unexpected patch strategy: [${s.join(' ')}]`);
}

function lookup(meta: PatchMetaLookup, path: readonly string[]): FieldPatchMeta {
  const m = meta(path);
  if (m.known === false) throw errUnknownField(m.parent ?? '', path[path.length - 1] ?? '');
  return m;
}

/** The original list key of `$prefix/<key>`; the prefix must be followed by a slash. */
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST ? errBadPatchFormatForPrimitiveList() : errBadPatchFormatForSetElementOrderList();
  }
  return key.slice(slash + 1);
}

function mergeMap(original: JsonMap | undefined, patch: JsonMap, path: string[], meta: PatchMetaLookup): JsonMap {
  if (has(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      delete patch[DIRECTIVE];
      return patch;
    }
    if (directive === 'delete') return {};
    throw errBadPatchType(directive, patch);
  }
  const target = original ?? {};
  applyRetainKeys(target, patch);
  mergeOrderedLists(target, patch, path, meta);
  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete target[key];
      continue;
    }
    if (!has(target, key)) {
      // A deletion list for a list the object lacks deletes nothing (it is not added as the list).
      if (!isDeleteList) target[key] = patchV;
      continue;
    }
    const current = target[key];
    const bothMaps = isPlainObject(current) && isPlainObject(patchV);
    const bothLists = Array.isArray(current) && Array.isArray(patchV);
    if (!bothMaps && !bothLists) {
      if (sameGoType(current, patchV)) lookup(meta, [...path, key]);
      target[key] = patchV;
      continue;
    }
    const fieldMeta = lookup(meta, [...path, key]);
    const strategy = strategyOf(fieldMeta);
    if (bothMaps) {
      target[key] = strategy === 'replace' ? patchV : mergeMap(current, patchV, [...path, key], meta);
    } else {
      target[key] = mergeList(current as unknown[], patchV as unknown[], [...path, key], fieldMeta, strategy, isDeleteList, meta);
    }
  }
  return target;
}

/** Scalars of the same Go type still make upstream look the field up (and fail when it is unknown). */
function sameGoType(a: unknown, b: unknown): boolean {
  if (a === null || b === null || isPlainObject(a) || isPlainObject(b) || Array.isArray(a) || Array.isArray(b)) return false;
  if (typeof a !== typeof b) return false;
  return typeof a !== 'number' || Number.isSafeInteger(a) === Number.isSafeInteger(b);
}

function mergeList(
  current: unknown[],
  patch: unknown[],
  path: string[],
  fieldMeta: FieldPatchMeta,
  strategy: string,
  isDeleteList: boolean,
  meta: PatchMetaLookup,
): unknown[] {
  if (strategy !== 'merge') return patch;
  return mergeSlice(current, patch, fieldMeta.mergeKey ?? '', isDeleteList, (o, p) => mergeMap(o, p, path, meta), fieldMeta.itemKind);
}

/** `$retainKeys`: drop original fields not listed; every patched field must be listed. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!has(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw errPatchContentNotMatchRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/**
 * `$setElementOrder/<list>`: merges the list (if the patch has it) and orders the result:
 * patched items as the directive lists them, server-only items where they were.
 */
function mergeOrderedLists(original: JsonMap, patch: JsonMap, path: string[], meta: PatchMetaLookup): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType(SLICE_TYPE, order);
    const listKey = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = has(original, listKey);
    const foundPatch = has(patch, listKey);
    const originalList = original[listKey];
    const patchList = patch[listKey];
    if (foundOriginal && !Array.isArray(originalList)) throw errBadArgType(SLICE_TYPE, originalList);
    if (foundPatch && !Array.isArray(patchList)) throw errBadArgType(SLICE_TYPE, patchList);
    const origValue = (foundOriginal ? originalList : []) as unknown[];
    const patchValue = (foundPatch ? patchList : []) as unknown[];
    const fieldMeta = lookup(meta, [...path, listKey]);
    const strategy = strategyOf(fieldMeta);
    const mergeKey = fieldMeta.mergeKey ?? '';
    validatePatchWithSetOrderList(patchValue, order, mergeKey);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = origValue;
    else if (!foundOriginal && foundPatch) merged = patchValue;
    else if (foundOriginal && foundPatch) merged = mergeList(origValue, patchValue, [...path, listKey], fieldMeta, strategy, false, meta);
    else continue;
    const parts = mergeKey ? partitionMaps(merged, order, mergeKey) : partitionPrimitives(merged, order);
    const kind = sliceElementKind(origValue, patchValue);
    original[listKey] = normalizeElementOrder(parts.inPatch, parts.serverOnly, order, origValue, mergeKey, kind);
    delete patch[listKey];
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isPlainObject(left)) throw errBadArgType(MAP_TYPE, left);
  if (!isPlainObject(right)) throw errBadArgType(MAP_TYPE, right);
  if (!has(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!has(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** The patch list must follow the relative order of the `$setElementOrder` list. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList).keep : patchList;
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < order.length) {
    const item = nonDelete[p];
    if (isPlainObject(item) && has(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= order.length) {
    throw internal(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goValue(order)}\n`);
  }
}

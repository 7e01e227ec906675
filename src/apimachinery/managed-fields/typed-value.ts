/**
 * The value operations of structured-merge-diff over plain JSON objects and a schema: the field set
 * an object sets (ToFieldSet), the comparison of two versions (Compare: added, modified, removed
 * paths), the merge of an applied configuration into a live object (Merge) and the removal of
 * paths (RemoveItems).
 */
import type { TSchema } from '@sinclair/typebox';
import { deepEqual, isEmptyContainer, isEmptyMap, isPlainObject } from '../object.js';
import { FieldSet } from './field-set.js';
import { atomOf, fieldSchema, isGranular, isMapKey, itemElement, type Atom } from './schema-atoms.js';
import { fieldElement, type PathElement } from './path-element.js';
import { goStruct, type GoStruct } from './go-zero-values.js';

type JsonMap = Record<string, unknown>;
type ListAtom = Atom & { kind: 'list' };

const EMPTY: JsonMap = Object.freeze({});

/** The paths `value` sets: leaves, list items, empty maps, map keys and atomic values. */
export function toFieldSet(value: unknown, schema: TSchema | undefined): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, s: TSchema | undefined, node: FieldSet) => {
    const atom = atomOf(s);
    if (!isGranular(atom, v)) return;
    if (atom.kind === 'list') {
      const items = v as unknown[];
      items.forEach((item, i) => {
        const pe = itemElement(atom, item, i);
        node.addMember(pe);
        walkChild(item, atom.item, node, pe);
      });
      return;
    }
    for (const [key, child] of Object.entries(v as JsonMap)) {
      if (child === undefined) continue;
      const pe = fieldElement(key);
      const cs = fieldSchema(atom, key);
      const catom = atomOf(cs);
      if (child === null || isEmptyMap(child) || isMapKey(atom, key) || !isGranular(catom, child)) node.addMember(pe);
      walkChild(child, cs, node, pe);
    }
  };
  const walkChild = (v: unknown, s: TSchema | undefined, node: FieldSet, pe: PathElement) => {
    if (!isGranular(atomOf(s), v)) return;
    const sub = new FieldSet();
    walk(v, s, sub);
    if (!sub.empty()) node.setChild(pe, sub);
  };
  walk(value, schema, set);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

const NO_ITEMS: readonly unknown[] = Object.freeze([]);

/** The path element of each item of a granular list. */
function elementsOf(atom: ListAtom, list: readonly unknown[]): PathElement[] {
  const out = new Array<PathElement>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = itemElement(atom, list[i], i);
  return out;
}

/** How samePlaces names an item: its path element, or a scalar standing for it; undefined when it cannot say. */
type ItemName = (atom: ListAtom, item: unknown) => unknown;

/** An item named by the path element it is (the lists compared are lists of path elements). */
const elementName: ItemName = (_atom, pe) => pe;

/**
 * An item named without spelling its path element, when a scalar does: the value of the one key
 * field of a map list's item, or a set's item itself.
 */
const identityName: ItemName = (atom, item) => {
  const v = atom.type === 'set' ? item : atom.keys.length === 1 && isPlainObject(item) ? item[atom.keys[0]] : undefined;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
};

/**
 * Whether two lists name the same items in the same places, none twice (`name` says what names an
 * item). A long list is left to the general walk, which keeps the first of duplicates.
 */
function samePlaces(atom: ListAtom, a: readonly unknown[], b: readonly unknown[], name: ItemName): boolean {
  if (a.length !== b.length || a.length > 16) return false;
  for (let i = 0; i < a.length; i++) {
    const n = name(atom, a[i]);
    if (n === undefined || n !== name(atom, b[i])) return false;
    for (let j = 0; j < i; j++) if (name(atom, a[j]) === n) return false;
  }
  return true;
}

/** Items of a granular list by their path elements, in order (the first of duplicates). */
function indexItems(elements: readonly PathElement[], list: readonly unknown[]): Map<PathElement, unknown> {
  const byPe = new Map<PathElement, unknown>();
  for (let i = 0; i < list.length; i++) if (!byPe.has(elements[i])) byPe.set(elements[i], list[i]);
  return byPe;
}

/** Whether an atom has items to walk: granular structs, maps and lists (atomic ones are leaves). */
const hasItems = (atom: Atom) =>
  atom.kind === 'list' ? atom.type !== 'atomic' : (atom.kind === 'struct' || atom.kind === 'map') && !atom.atomic;

/**
 * Whether a pair of values is compared as one leaf (scalars, atomic values, empty containers, shape
 * changes). A null struct, map or list (a Go nil slice or map) is an empty one that is set: its
 * items are walked against the other side's, and it is neither added nor removed.
 */
function isLeafPair(atom: Atom, lhs: unknown, rhs: unknown, nullIsEmpty = true): boolean {
  const nullable = nullIsEmpty && hasItems(atom);
  const gl = lhs === undefined || (lhs === null && nullable) || isGranular(atom, lhs);
  const gr = rhs === undefined || (rhs === null && nullable) || isGranular(atom, rhs);
  if (!gl || !gr) return true;
  return emptyOf(lhs) && emptyOf(rhs);
}

/** An absent, null or empty container. */
function emptyOf(v: unknown): boolean {
  return v === undefined || v === null || isEmptyContainer(v);
}

/**
 * Whether a struct field's value is an empty omitempty slice or map, which upstream's typed object
 * does not have (runtime.DefaultUnstructuredConverter leaves out an empty omitempty field): seen as
 * unset. A slice or map Go always writes keeps its empty value; an empty struct is a value.
 */
function omitted(go: GoStruct, atom: Atom, key: string, v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  let fields = omittable.get(atom);
  if (!fields) omittable.set(atom, (fields = new Map<string, boolean>()));
  let can = fields.get(key);
  if (can === undefined) {
    const kind = atomOf(fieldSchema(atom, key)).kind;
    fields.set(key, (can = !go.zeros.has(key) && (kind === 'list' || kind === 'map')));
  }
  return can && isEmptyContainer(v);
}

/** Per struct atom, whether each field met is an omitempty slice or map (omitted's question, answered once). */
const omittable = new WeakMap<Atom, Map<string, boolean>>();

/**
 * typed.Compare: what changed from `lhs` to `rhs`. With `message` (a built-in kind's upstream
 * message) both sides are seen as upstream's Go structs have them: an always-written field that is
 * unset is its Go zero (go-zero-values.ts), so it is neither added nor removed. `skipTop`: top-level
 * fields left out on both sides (as if neither had them), not walked.
 */
export function compare(
  lhs: unknown,
  rhs: unknown,
  schema: TSchema | undefined,
  message?: string,
  skipTop?: ReadonlySet<string>,
): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  // One path stack for the whole walk: a field's step is its bare name (isField marks it), so the
  // `f:` elements are spelled only for the paths that go into a set. The walk allocates no
  // closure, tuple or string per value: it runs for every field of every write.
  const path: string[] = [];
  const isField: boolean[] = [];
  // Per result set, the subsets along the current path (index i: the one below the first i steps;
  // 0: the set itself), made when a member first goes below them: an insert adds one member to the
  // deepest of them instead of spelling its whole path and walking it down from the top.
  const added: (FieldSet | undefined)[] = [c.added];
  const modified: (FieldSet | undefined)[] = [c.modified];
  const removed: (FieldSet | undefined)[] = [c.removed];
  const element = (i: number): PathElement => (isField[i] ? fieldElement(path[i]) : path[i]);
  const enter = (step: string, field: boolean) => {
    isField[path.length] = field;
    path.push(step);
    // A new step: the subsets kept below the step it replaces are another path's.
    added[path.length] = modified[path.length] = removed[path.length] = undefined;
  };
  /** Adds the current path to the set whose subsets `along` holds (the empty path is no member, as upstream). */
  const insertHere = (along: (FieldSet | undefined)[]) => {
    const last = path.length - 1;
    if (last < 0) return;
    let i = last;
    while (along[i] === undefined) i--;
    for (; i < last; i++) along[i + 1] = along[i]!.child(element(i));
    along[last]!.addMember(element(last));
  };
  // `msg`: the Go struct of this value; `itemsMsg`: that of its items or map values.
  const walk = (l: unknown, r: unknown, s: TSchema | undefined, msg: string | undefined, itemsMsg: string | undefined): void => {
    const atom = atomOf(s);
    if (isLeafPair(atom, l, r)) {
      if (l === undefined) insertHere(added);
      else if (r === undefined) insertHere(removed);
      else if (!deepEqual(l, r)) insertHere(modified);
      return;
    }
    if (atom.kind === 'list') {
      const la = (l as unknown[] | undefined) ?? NO_ITEMS;
      const ra = (r as unknown[] | undefined) ?? NO_ITEMS;
      const known = samePlaces(atom, la, ra, identityName);
      const lpe = known ? undefined : elementsOf(atom, la);
      const rpe = known ? undefined : elementsOf(atom, ra);
      if (known || samePlaces(atom, lpe!, rpe!, elementName)) {
        // The usual case: the same items in the same places; an item kept as it was needs no walk
        // (and its path element is spelled only for one that changed).
        for (let i = 0; i < la.length; i++) {
          if (la[i] === ra[i]) continue;
          enter(lpe ? lpe[i] : itemElement(atom, la[i], i), false);
          walk(la[i], ra[i], atom.item, itemsMsg, undefined);
          path.pop();
        }
      } else {
        const li = indexItems(lpe!, la);
        const ri = indexItems(rpe!, ra);
        for (const [pe, item] of li) {
          enter(pe, false);
          walk(item, ri.get(pe), atom.item, itemsMsg, undefined);
          path.pop();
        }
        for (const [pe, item] of ri) {
          if (li.has(pe)) continue;
          enter(pe, false);
          walk(undefined, item, atom.item, itemsMsg, undefined);
          path.pop();
        }
      }
    } else {
      const lm = (l as JsonMap | undefined) ?? EMPTY;
      const rm = (r as JsonMap | undefined) ?? EMPTY;
      const go = atom.kind === 'struct' && msg !== undefined ? goStruct(msg) : undefined;
      // What Go always writes is on both sides (an existing struct's unset one is its zero).
      const zeros = go?.zeros;
      const lz = l === undefined ? undefined : zeros;
      const rz = r === undefined ? undefined : zeros;
      const skip = path.length === 0 ? skipTop : undefined;
      for (const key in lm) {
        if (skip?.has(key)) continue;
        const l0 = lm[key];
        const r0 = rm[key];
        // The same value on both sides (shared by a writer that copied only what it changed): no walk.
        if (l0 === r0 && l0 !== undefined) continue;
        const lv = go && omitted(go, atom, key, l0) ? undefined : l0;
        const given = go && omitted(go, atom, key, r0) ? undefined : r0;
        const rv = given === undefined ? rz?.get(key) : given;
        if (lv === undefined && rv === undefined) continue;
        // Equal values (shared by reference when a writer copied only what it changed) need no walk.
        if (lv === rv) continue;
        field(atom, go, itemsMsg, key, lv, rv);
      }
      for (const key in rm) {
        const rv = rm[key];
        if (lm[key] !== undefined || rv === undefined || skip?.has(key) || (go && omitted(go, atom, key, rv))) continue;
        const lv = lz?.get(key);
        if (lv === rv) continue;
        field(atom, go, itemsMsg, key, lv, rv);
      }
      // A struct added or removed whole has its unset always-written fields as zeros too.
      const whole = l === undefined ? rz : r === undefined ? lz : undefined;
      const present = l === undefined ? rm : lm;
      if (whole) {
        for (const [key, zero] of whole) {
          if (present[key] !== undefined || skip?.has(key)) continue;
          field(atom, go, itemsMsg, key, l === undefined ? undefined : zero, l === undefined ? zero : undefined);
        }
      }
    }
    if (l === undefined) insertHere(added);
    else if (r === undefined) insertHere(removed);
  };
  /** Walks one field of a struct or map: its schema, and its Go message (a struct field's, or a map's values'). */
  const field = (atom: Atom, go: GoStruct | undefined, itemsMsg: string | undefined, key: string, lv: unknown, rv: unknown): void => {
    let msg: string | undefined;
    let items: string | undefined;
    if (go) {
      const f = go.field(key);
      if (f?.items) items = f.message;
      else if (f) msg = f.message;
    } else if (atom.kind === 'map') msg = itemsMsg;
    enter(key, true);
    walk(lv, rv, fieldSchema(atom, key), msg, items);
    path.pop();
  };
  walk(lhs, rhs, schema, message, undefined);
  return c;
}

export function isSame(c: Comparison): boolean {
  return c.added.empty() && c.modified.empty() && c.removed.empty();
}

/** The merged list's order (upstream's mergingWalker.visitListItems): live items keep their places around the applied ones. */
function mergeList(atom: ListAtom, lhs: unknown[], rhs: unknown[], merge: (l: unknown, r: unknown) => unknown): unknown[] {
  // Each side's items by path element, and those elements in order (a Map keeps its insertion order).
  const lm = indexItems(elementsOf(atom, lhs), lhs);
  const rm = indexItems(elementsOf(atom, rhs), rhs);
  const lo = [...lm.keys()];
  const ro = [...rm.keys()];
  const shared = ro.filter((pe) => lm.has(pe));
  let nextShared = 0;
  const done = new Set<PathElement>();
  const out: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < lo.length || r < ro.length) {
    if (l < lo.length && r < ro.length) {
      const pe = lo[l];
      if (pe === ro[r]) {
        done.add(pe);
        out.push(merge(lm.get(pe), rm.get(pe)));
        l++;
        r++;
        nextShared++;
        continue;
      }
      if (rm.has(pe) && nextShared < shared.length && shared[nextShared] !== pe) {
        l++;
        continue;
      }
    }
    if (l < lo.length) {
      const pe = lo[l];
      if (!rm.has(pe)) {
        out.push(lm.get(pe));
        l++;
        continue;
      } else if (done.has(pe)) l++;
    }
    if (r < ro.length) {
      const pe = ro[r];
      done.add(pe);
      out.push(merge(lm.get(pe), rm.get(pe)));
      r++;
      if (nextShared < shared.length && shared[nextShared] === pe) nextShared++;
    }
  }
  return out;
}

/** typed.Merge: `rhs` (an applied configuration) merged into `lhs` (the live object). */
export function merge(lhs: unknown, rhs: unknown, schema: TSchema | undefined): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined) return rhs;
  const atom = atomOf(schema);
  // A null stays a leaf here: merging into or from one replaces the value, as it always did.
  if (isLeafPair(atom, lhs, rhs, false)) return rhs;
  if (atom.kind === 'list') return mergeList(atom, lhs as unknown[], rhs as unknown[], (l, r) => merge(l, r, atom.item));
  const out: JsonMap = { ...(lhs as JsonMap) };
  for (const [key, rv] of Object.entries(rhs as JsonMap)) out[key] = merge(out[key], rv, fieldSchema(atom, key));
  return out;
}

/** typed.RemoveItems: `value` without the members of `set` (a member removes its whole value). */
export function removeItems(value: unknown, set: FieldSet, schema: TSchema | undefined): unknown {
  const atom = atomOf(schema);
  if (!isGranular(atom, value)) return value;
  if (atom.kind === 'list') {
    const out: unknown[] = [];
    (value as unknown[]).forEach((item, i) => {
      const pe = itemElement(atom, item, i);
      if (set.members.has(pe)) return;
      const sub = set.children.get(pe);
      out.push(sub ? removeItems(item, sub, atom.item) : item);
    });
    return out;
  }
  const out: JsonMap = {};
  for (const [key, v] of Object.entries(value as JsonMap)) {
    const pe = fieldElement(key);
    if (set.members.has(pe)) continue;
    const sub = set.children.get(pe);
    out[key] = sub ? removeItems(v, sub, fieldSchema(atom, key)) : v;
  }
  return out;
}

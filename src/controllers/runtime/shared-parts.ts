/**
 * Hash-consing for the controllers' cache: equal parts of cached objects become one shared value.
 * Pods of one DaemonSet repeat the same tolerations, volumes' sources, container fields and
 * field-ownership sets (managedFields), nodes the same capacity and images; each would otherwise
 * be a copy of its own in every object and revision. Parts are swapped in place for an equal
 * one seen before, so the object's content, key order included, stays exactly what was stored.
 * A new object's parts go through a table of the parts met (hashed), after a comparison with the
 * object created before it like it (shareLike); an update's changed parts are only compared with
 * the same places of the version before and of the object updated last (shareAlike): most of what
 * sharing finds for an update, without hashing or a table entry. (A create needs the table: the
 * pods of several DaemonSets on one node repeat that node's affinity and host IP, which the pod
 * created before it, on another node, does not have.)
 * Cached objects are read-only already (the cache hands out shared objects); sharing extends that
 * across objects. The table forgets: two generations, the older dropped when the newer fills, so
 * parts of objects long gone are not kept (a part still in use moves to the newer generation when
 * met again).
 */

import { isEmptyMap } from '../../apimachinery/object.js';
import { FNV_OFFSET, hashText } from '../../apimachinery/text-hash.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Part = Json[] | { [key: string]: Json };

/**
 * A part's hash as kept (in the tables, between calls): 30 bits, a small integer V8 holds unboxed.
 * A full 32-bit one would be a heap number as a table key or a returned value, allocated and
 * looked up as a double.
 */
const SMALL = 0x3fffffff;
/** What visit() gives a map without keys. */
const EMPTY_MAP_HASH = FNV_OFFSET & SMALL;

function hashLeaf(v: Json): number {
  if (typeof v === 'string') return hashText(v, FNV_OFFSET ^ 1);
  if (typeof v === 'number') return hashText(String(v), FNV_OFFSET ^ 2);
  if (typeof v === 'boolean') return v ? FNV_OFFSET ^ 3 : FNV_OFFSET ^ 4;
  return FNV_OFFSET ^ 5; // null (and undefined, never stored)
}

/**
 * Whether `b` has exactly the keys of `a`, in the same order; asked once the values matched, so
 * that an unequal pair costs no list of keys (one list when they match).
 */
function sameKeyOrder(a: object, b: object, count: number): boolean {
  const keys = Object.keys(a);
  if (keys.length !== count) return false;
  let i = 0;
  for (const key in b) if (keys[i++] !== key) return false;
  return i === count;
}

/** Equal JSON, key order included (what sharing one part for another must keep). */
function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let n = 0;
  for (const key in a) {
    n++;
    if (!Object.hasOwn(b, key) || !sameJson(a[key], b[key])) return false;
  }
  return sameKeyOrder(b, a, n);
}

/** Same keys in the same order, each value identical (the parts below are shared already). */
function sameShallow(a: Part, b: Part): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let n = 0;
  for (const key in a) {
    n++;
    if (a[key] !== b[key] || !Object.hasOwn(b, key)) return false;
  }
  return sameKeyOrder(b, a, n);
}

const PREV = 1;
const LAST = 2;
const BOTH = PREV | LAST;

function isMap(v: Json | undefined): v is { [key: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export class SharedParts {
  private young = new Map<number, Part>();
  private old = new Map<number, Part>();
  /** The hash of each shared part of either generation: met again (an object's unchanged part), it is not walked. */
  private youngHashes = new Map<Part, number>();
  private oldHashes = new Map<Part, number>();
  /**
   * Strings met in parts, by their content: each object's copy of an equal string (a default, an
   * image, a node's name in every pod on it) becomes one string, kept once instead of in every
   * object (with every piece of it, for one a writer built by concatenation). Two generations, as the parts.
   */
  private youngStrings = new Map<string, string>();
  private oldStrings = new Map<string, string>();
  private readonly emptyMap: Part = {};
  /** The hash of the part shareChild returned last. */
  private childHash = 0;
  /** What the part adopt returned last equals: PREV, LAST, both or neither. */
  private adopted = 0;

  /** @param generation how many parts the newer generation holds before the older is dropped */
  constructor(private readonly generation = 65_536) {}

  /** Shares the parts of `obj` (changed in place, content unchanged); returns it. */
  share<T extends object>(obj: T): T {
    this.visitRoot(obj as Part, undefined);
    return obj;
  }

  /**
   * Shares the parts of a new object (changed in place, content unchanged) like `share`, comparing
   * them first with `like`'s at the same places (`like`: a shared object made the same way, the pod
   * created before it under the same generateName): a part equal to its shared counterpart becomes that
   * part after a plain comparison, without hashing it and looking each of its parts up.
   */
  shareLike<T extends object>(obj: T, like: object): T {
    this.visitRoot(obj as Part, like as Part);
    return obj;
  }

  /**
   * Shares the changed parts of an update (changed in place, content unchanged) by comparing, not
   * hashing: a part equal to the one at the same place of `previous` (the version it replaces) or
   * of `last` (the object of its kind updated last: a kubelet's or a controller's writes come in
   * waves of alike objects) becomes that part. Parts equal to neither stay as they are and are not
   * remembered: an update's new parts are mostly its object's own (a pod's IP, its container's ID, a
   * Lease's renew time), which no later object will equal.
   */
  shareAlike<T extends object>(obj: T, previous: object, last?: object): T {
    this.adopt(obj as Part, previous as Part, last as Part | undefined);
    return obj;
  }

  /** How many parts the table remembers (both generations). */
  size(): number {
    return this.young.size + this.old.size;
  }

  /**
   * `part` with its nested parts replaced by their equals at the same places of `prev` and `last`
   * (bottom up, one walk); `part` itself is replaced when it equals one of them whole. Sets
   * `adopted` to what it is equal to: bit 1 `prev`'s part, bit 2 `last`'s.
   */
  private adopt(part: Part, prev: Json | undefined, last: Json | undefined): Part {
    if (part === prev) {
      this.adopted = part === last ? BOTH : PREV;
      return part;
    }
    if (part === last) {
      this.adopted = LAST;
      return part;
    }
    let eq = BOTH;
    if (Array.isArray(part)) {
      const p = Array.isArray(prev) ? prev : undefined;
      const l = Array.isArray(last) ? last : undefined;
      if (p === undefined || p.length !== part.length) eq &= ~PREV;
      if (l === undefined || l.length !== part.length) eq &= ~LAST;
      for (let i = 0; i < part.length; i++) {
        part[i] = this.adoptChild(part[i], p?.[i], l?.[i]);
        eq &= this.adopted;
      }
    } else {
      const p = isMap(prev) ? prev : undefined;
      const l = isMap(last) ? last : undefined;
      if (p === undefined) eq &= ~PREV;
      if (l === undefined) eq &= ~LAST;
      let n = 0;
      for (const key in part) {
        n++;
        part[key] = this.adoptChild(part[key], p?.[key], l?.[key]);
        eq &= this.adopted;
      }
      // Equal values (an absent key reads undefined, which no stored part holds): equal when the keys are too.
      if (eq & PREV && !sameKeyOrder(p!, part, n)) eq &= ~PREV;
      if (eq & LAST && !sameKeyOrder(l!, part, n)) eq &= ~LAST;
    }
    this.adopted = eq;
    return eq & PREV ? (prev as Part) : eq & LAST ? (last as Part) : part;
  }

  /** One value inside a part adopt walks: a nested part adopted in turn; a scalar compared (an equal string of a neighbour stands for it). */
  private adoptChild(v: Json, prev: Json | undefined, last: Json | undefined): Json {
    if (v !== null && typeof v === 'object') return this.adopt(v, prev, last);
    this.adopted = (v === prev ? PREV : 0) | (v === last ? LAST : 0);
    return typeof v !== 'string' ? v : v === prev ? prev : v === last ? last : v;
  }

  /**
   * A new object's own values: each shared as any part is (its nested parts through the table), but
   * none of them remembered in the table itself. An object's values are what makes it that object (a
   * pod's metadata holds its name and uid, its spec its node, its status its IP): no other object's
   * will equal them, and in the table they would only be kept alive, with the versions they belong
   * to, after the object moved on. One equal to the similar object's at the same place is taken.
   */
  private visitRoot(obj: Part, like: Json | undefined): void {
    if (Array.isArray(obj)) return void this.visit(obj, like);
    const likeFields = isMap(like) ? like : undefined;
    for (const key in obj) {
      const v = obj[key];
      if (v !== null && typeof v === 'object') obj[key] = this.shareValue(v, likeFields?.[key]);
      else if (typeof v === 'string') obj[key] = this.sharedString(v);
    }
  }

  /** One of a new object's own values (visitRoot): `like`'s when equal, else itself with its parts shared. */
  private shareValue(v: Part, like: Json | undefined): Part {
    if (isEmptyMap(v)) return this.emptyMap;
    if (like !== undefined && like !== null && typeof like === 'object' && like !== v && sameJson(v, like)) return like;
    this.visit(v, like);
    return v;
  }

  /** Replaces each nested part by its shared equal; returns the part's hash. `like`: the shared part at the same place of a similar object. */
  private visit(part: Part, like?: Json): number {
    let h = FNV_OFFSET;
    if (Array.isArray(part)) {
      h ^= 6;
      const likeItems = Array.isArray(like) ? like : undefined;
      for (let i = 0; i < part.length; i++) {
        const v = part[i];
        if (v !== null && typeof v === 'object') {
          part[i] = this.shareChild(v, likeItems?.[i]);
          h = Math.imul(h ^ this.childHash, 16777619);
        } else {
          // Always stored: equal strings compare equal, so whether it is another one cannot be told.
          if (typeof v === 'string') part[i] = this.sharedString(v);
          h = Math.imul(h ^ hashLeaf(v), 16777619);
        }
      }
      return h & SMALL;
    }
    const likeFields = like !== null && typeof like === 'object' && !Array.isArray(like) ? like : undefined;
    for (const key in part) {
      const v = part[key];
      h = hashText(key, h);
      if (v !== null && typeof v === 'object') {
        part[key] = this.shareChild(v, likeFields?.[key]);
        h = Math.imul(h ^ this.childHash, 16777619);
      } else {
        if (typeof v === 'string') part[key] = this.sharedString(v);
        h = Math.imul(h ^ hashLeaf(v), 16777619);
      }
    }
    return h & SMALL;
  }

  /** The one string of `s`'s content (`s` itself when it is the first met). */
  private sharedString(s: string): string {
    const young = this.youngStrings.get(s);
    if (young !== undefined) return young;
    const shared = this.oldStrings.get(s) ?? s;
    if (this.youngStrings.size >= this.generation) {
      this.oldStrings = this.youngStrings;
      this.youngStrings = new Map();
    }
    this.youngStrings.set(shared, shared);
    return shared;
  }

  /**
   * The shared equal of a nested part; its hash is left in `childHash`. The empty map, the most
   * common part of all (every leaf of a managedFields entry's fieldsV1), is one value without a lookup;
   * a shared part met again (kept by an update, or shared by another object) is known by its identity.
   */
  private shareChild(v: Part, like?: Json): Part {
    if (isEmptyMap(v)) {
      this.childHash = EMPTY_MAP_HASH;
      return this.emptyMap;
    }
    const known = this.youngHashes.get(v);
    if (known !== undefined) {
      this.childHash = known;
      return v;
    }
    if (like !== undefined && like !== null && typeof like === 'object' && like !== v) {
      // A shared counterpart (its hash known) equal to this part stands for it: compared, not hashed.
      const young = this.youngHashes.get(like);
      const likeHash = young ?? this.oldHashes.get(like);
      if (likeHash !== undefined && sameJson(v, like)) {
        this.childHash = likeHash;
        return young !== undefined ? like : this.lookup(likeHash, like);
      }
    }
    const h = this.oldHashes.get(v) ?? this.visit(v, like);
    this.childHash = h;
    return this.lookup(h, v);
  }

  /** The shared part equal to `part` (whose own parts are shared already), or `part` as the new shared one. */
  private lookup(h: number, part: Part): Part {
    const young = this.young.get(h);
    if (young !== undefined) return young === part || sameShallow(young, part) ? young : part;
    const old = this.old.get(h);
    const shared = old !== undefined && sameShallow(old, part) ? old : part;
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
      this.oldHashes = this.youngHashes;
      this.youngHashes = new Map();
    }
    this.young.set(h, shared);
    this.youngHashes.set(shared, h);
    return shared;
  }
}

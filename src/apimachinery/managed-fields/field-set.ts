/**
 * A set of field paths (fieldpath.Set): at each level the elements that are members themselves and
 * the elements with members below them. A path may be both (a list item and its fields). Sets are
 * immutable once built (only the builders in this folder insert into a set they just made), so the
 * operations share the parts they leave unchanged, and return an operand itself when it is the answer.
 */
import { comparePathElements, type PathElement } from './path-element.js';

export class FieldSet {
  // Made on first insert: most sets a write builds (a comparison's removed paths, an intersection
  // with a manager that owns none of them, a leaf's children) stay empty, and a Set and a Map per
  // set were most of what field ownership allocated.
  #members: Set<PathElement> | undefined;
  #children: Map<PathElement, FieldSet> | undefined;
  /**
   * The FieldsV1 this set was read from, when that was already in upstream's form (fields-v1.ts):
   * encoding the set again, as a member of its parent (`member`) or not, gives it back unchanged.
   */
  encodedAs?: { member: boolean; value: Record<string, unknown> };

  /** The elements that are members at this level (read only: `addMember` adds one). */
  get members(): ReadonlySet<PathElement> {
    return this.#members ?? NO_MEMBERS;
  }

  /** The subsets below the elements with members under them (read only: `setChild` sets one). */
  get children(): ReadonlyMap<PathElement, FieldSet> {
    return this.#children ?? NO_CHILDREN;
  }

  /** Only for a set being built (sets are immutable once shared). */
  addMember(pe: PathElement): void {
    (this.#members ??= new Set()).add(pe);
  }

  /** Only for a set being built (sets are immutable once shared). */
  setChild(pe: PathElement, child: FieldSet): void {
    (this.#children ??= new Map()).set(pe, child);
  }

  static of(...paths: PathElement[][]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path (the empty path is no member, as upstream). */
  insert(path: readonly PathElement[]): void {
    if (!path.length) return;
    let parent = path.length > 1 ? this.child(path[0]) : this;
    for (let i = 1; i < path.length - 1; i++) parent = parent.child(path[i]);
    parent.addMember(path[path.length - 1]);
  }

  /** The subset below `pe`, created when missing. */
  child(pe: PathElement): FieldSet {
    let c = this.#children?.get(pe);
    if (!c) this.setChild(pe, (c = new FieldSet()));
    return c;
  }

  has(path: readonly PathElement[]): boolean {
    if (!path.length) return false;
    const parent = path.slice(0, -1).reduce<FieldSet | undefined>((node, pe) => node?.children.get(pe), this);
    return !!parent && parent.members.has(path[path.length - 1]);
  }

  empty(): boolean {
    if (this.members.size) return false;
    for (const c of this.children.values()) if (!c.empty()) return false;
    return true;
  }

  /** Every member path, members of a level before its children, each level in upstream's order. */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (s: FieldSet, prefix: PathElement[]) => {
      for (const pe of [...s.members].sort(comparePathElements)) out.push([...prefix, pe]);
      for (const pe of [...s.children.keys()].sort(comparePathElements)) walk(s.children.get(pe)!, [...prefix, pe]);
    };
    walk(this, []);
    return out;
  }

  /**
   * The union; when one operand holds the other, that operand itself (so the subsets it shares keep
   * the encoding they were read with: a manager rewriting fields it mostly owns already re-encodes
   * only what it added).
   */
  union(other: FieldSet): FieldSet {
    if (other === this || other.empty()) return this;
    if (this.empty()) return other;
    let thisHolds = true;
    let otherHolds = true;
    for (const m of other.members) if (!this.members.has(m)) thisHolds = false;
    for (const m of this.members) if (!other.members.has(m)) otherHolds = false;
    const children: [PathElement, FieldSet][] = [];
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      const u = o ? c.union(o) : c;
      if (u !== c) thisHolds = false;
      if (u !== o) otherHolds = false;
      children.push([pe, u]);
    }
    for (const [pe, o] of other.children) {
      if (this.children.has(pe)) continue;
      thisHolds = false;
      children.push([pe, o]);
    }
    if (thisHolds) return this;
    if (otherHolds) return other;
    const out = new FieldSet();
    for (const m of this.members) out.addMember(m);
    for (const m of other.members) out.addMember(m);
    for (const [pe, c] of children) out.setChild(pe, c);
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.addMember(m);
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      if (!o) continue;
      const i = c.intersection(o);
      if (!i.empty()) out.setChild(pe, i);
    }
    return out;
  }

  difference(other: FieldSet): FieldSet {
    if (other.members.size === 0 && other.children.size === 0) return this;
    return this.rebuild(this.membersWithout(other), (pe, c) => {
      const o = other.children.get(pe);
      return o ? c.difference(o) : c;
    });
  }

  /** RecursiveDifference: this set without the members of `other` and everything under them. */
  recursiveDifference(other: FieldSet): FieldSet {
    if (other.members.size === 0 && other.children.size === 0) return this;
    return this.rebuild(this.membersWithout(other), (pe, c) => {
      if (other.members.has(pe)) return EMPTY;
      const o = other.children.get(pe);
      return o ? c.recursiveDifference(o) : c;
    });
  }

  /** A new set holding this one's members that `other` has not, or undefined when `other` has none of them. */
  private membersWithout(other: FieldSet): FieldSet | undefined {
    if (other.members.size === 0) return undefined;
    let dropped = false;
    for (const m of this.members) if (other.members.has(m)) dropped = true;
    if (!dropped) return undefined;
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.addMember(m);
    return out;
  }

  /**
   * The children of this set passed through `child` (an unchanged child is the same set, shared);
   * `out`, when a member was dropped already, holds the kept members. Sets are never changed once
   * built, so a result that equals this set is this set.
   */
  private rebuild(out: FieldSet | undefined, child: (pe: PathElement, c: FieldSet) => FieldSet): FieldSet {
    for (const [pe, c] of this.children) {
      const d = child(pe, c);
      if (!out) {
        if (d === c) continue;
        out = new FieldSet();
        for (const m of this.members) out.addMember(m);
        for (const [p, kept] of this.children) {
          if (p === pe) break;
          out.setChild(p, kept);
        }
      }
      if (!d.empty()) out.setChild(pe, d);
    }
    return out ?? this;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).empty() && other.difference(this).empty();
  }
}

const EMPTY = new FieldSet();
const NO_MEMBERS: ReadonlySet<PathElement> = new Set();
const NO_CHILDREN: ReadonlyMap<PathElement, FieldSet> = new Map();

/**
 * A set of field paths (fieldpath.Set): at each level the elements that are members themselves and
 * the elements with members below them. A path may be both (a list item and its fields). Sets are
 * immutable once built by the helpers here; the operations return new sets and share nothing.
 */
import { comparePathElements, type PathElement } from './path-element.js';

export class FieldSet {
  readonly members = new Set<PathElement>();
  readonly children = new Map<PathElement, FieldSet>();

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
    parent.members.add(path[path.length - 1]);
  }

  /** The subset below `pe`, created when missing. */
  child(pe: PathElement): FieldSet {
    let c = this.children.get(pe);
    if (!c) this.children.set(pe, (c = new FieldSet()));
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

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const m of other.members) out.members.add(m);
    for (const [pe, c] of this.children) out.children.set(pe, c.union(other.children.get(pe) ?? EMPTY));
    for (const [pe, c] of other.children) if (!this.children.has(pe)) out.children.set(pe, c.union(EMPTY));
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      if (!o) continue;
      const i = c.intersection(o);
      if (!i.empty()) out.children.set(pe, i);
    }
    return out;
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const d = c.difference(other.children.get(pe) ?? EMPTY);
      if (!d.empty()) out.children.set(pe, d);
    }
    return out;
  }

  /** RecursiveDifference: this set without the members of `other` and everything under them. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      if (other.members.has(pe)) continue;
      const o = other.children.get(pe);
      const d = o ? c.recursiveDifference(o) : c.union(EMPTY);
      if (!d.empty()) out.children.set(pe, d);
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).empty() && other.difference(this).empty();
  }
}

const EMPTY = new FieldSet();

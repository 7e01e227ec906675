/**
 * The field manager's two operations (structured-merge-diff's Updater with kube-apiserver's
 * wrappers): an Update takes ownership of what it changed from every other manager and merges into
 * its own entry; an Apply merges the configuration, removes what the applier applied before and no
 * longer applies (unless someone else owns it), and refuses to change another manager's fields
 * without `force`. Both leave out the metadata the server owns (name, uid, resourceVersion, …), the
 * fields the write's strategy resets (`reset`), and cap Update entries at ten (older ones merged into
 * `ancient-changes`).
 */
import type { TSchema } from '@sinclair/typebox';
import { deepEqual } from '../object.js';
import { FieldSet } from './field-set.js';
import {
  conflictError,
  managerIdentifier,
  retimed,
  seconds,
  setManager,
  type Conflict,
  type Managers,
  type ManagerState,
} from './managers.js';
import { containsEncoded, intersectEncoded } from './fields-v1.js';
import { compare, isSame, merge, removeItems, toFieldSet, type Comparison } from './typed-value.js';

const MAX_UPDATE_MANAGERS = 10;

/** The paths stripMeta removes from every manager's set. */
const STRIPPED = FieldSet.of(
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (n) => ['f:metadata', `f:${n}`],
  ),
);

/** The comparison without the fields the write's strategy resets (upstream's FilterFields of the reset fields). */
function withoutReset(c: Comparison, reset: FieldSet): Comparison {
  if (reset.empty()) return c;
  return {
    added: c.added.recursiveDifference(reset),
    modified: c.modified.recursiveDifference(reset),
    removed: c.removed.recursiveDifference(reset),
  };
}

/** Per reset set, its top-level fields reset as a whole (`status` of a main resource, `spec` of /status): not walked at all. */
const resetTops = new WeakMap<FieldSet, ReadonlySet<string>>();

function resetTop(reset: FieldSet): ReadonlySet<string> | undefined {
  if (!reset.members.size) return undefined;
  let names = resetTops.get(reset);
  if (!names) {
    names = new Set([...reset.members].filter((pe) => pe.startsWith('f:')).map((pe) => pe.slice(2)));
    resetTops.set(reset, names);
  }
  return names;
}

/** compare() of two versions as a write of `ctx` sees them: without the fields it resets. */
function compareForWrite(live: unknown, next: unknown, ctx: Pick<WriteContext, 'schema' | 'reset' | 'message'>): Comparison {
  return withoutReset(compare(live, next, ctx.schema, ctx.message, resetTop(ctx.reset)), ctx.reset);
}

export interface WriteContext {
  schema: TSchema | undefined;
  manager: string;
  apiVersion: string;
  subresource?: string;
  /** The paths the write's strategy resets (GetResetFields): no manager gets them from this write. */
  reset: FieldSet;
  /** RFC 3339 time of the write. */
  now: string;
  /** The upstream message of a built-in kind: its Go zeros are part of what a write compares. */
  message?: string;
}

const withoutStripped = (set: FieldSet) => set.difference(STRIPPED);

/** The paths a comparison added or modified. */
const changedOf = (c: Comparison) => c.modified.union(c.added);

/**
 * Takes a comparison's `changed` (changedOf) and removed paths away from every manager but `self`;
 * with `conflicts` collects what others owned of them.
 */
function takeOwnership(managers: Managers, self: string, changed: FieldSet, c: Comparison, conflicts?: Conflict[]): void {
  const gone = (m: ManagerState, s: FieldSet) => (m.encoded ? intersectEncoded(s, m.encoded) : s.intersection(m.set));
  // Replacing or removing entries while iterating the Map is safe: none is added.
  for (const [id, m] of managers) {
    if (id === self) continue;
    const owned = gone(m, changed);
    const removed = gone(m, c.removed);
    if (owned.empty() && removed.empty()) continue;
    if (conflicts) for (const path of owned.paths()) conflicts.push({ manager: id, path });
    setManager(managers, id, { ...m, set: m.set.difference(owned).difference(removed) });
  }
}

/** capManagersManager: more than ten Update entries merge the oldest into `ancient-changes`, per apiVersion. */
function capUpdateManagers(managers: Managers): void {
  let count = 0;
  for (const m of managers.values()) if (m.operation === 'Update') count++;
  if (count <= MAX_UPDATE_MANAGERS) return;
  const updaters = [...managers].filter(([, m]) => m.operation === 'Update');
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [id, m] of updaters) {
    if (length <= MAX_UPDATE_MANAGERS) break;
    const bucket = managerIdentifier({ manager: 'ancient-changes', operation: 'Update', apiVersion: m.apiVersion });
    const first = firstOfVersion.get(m.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, id);
      continue;
    }
    if (!managers.has(bucket)) {
      const f = managers.get(first)!;
      managers.delete(first);
      managers.set(bucket, { ...f, set: f.set, manager: 'ancient-changes', encoded: undefined });
    }
    const b = managers.get(bucket)!;
    managers.delete(id);
    managers.set(bucket, { ...b, set: b.set.union(m.set), time: m.time, encoded: undefined });
    length--;
  }
}

/**
 * An Update from `live` to `next`: returns the managers after it, or undefined when the write
 * changes nothing (the entries and their times then stay as they were; `managers`, read only when
 * needed, is not even decoded).
 */
export function recordUpdate(managers: () => Managers, live: unknown, next: unknown, ctx: WriteContext): Managers | undefined {
  const c = compareForWrite(live, next, ctx);
  if (isSame(c)) return undefined;
  const out: Managers = new Map(managers());
  const self = managerIdentifier({ manager: ctx.manager, operation: 'Update', apiVersion: ctx.apiVersion, subresource: ctx.subresource });
  const changed = changedOf(c);
  const taken = withoutStripped(changed);
  // A manager rewriting only fields it owns already (a controller's status): its set stays as it
  // is, so its encoding is kept and only its time moves; nothing is decoded or encoded for it.
  const mine = out.get(self);
  if (mine?.encoded && !taken.empty() && containsEncoded(taken, mine.encoded) && intersectEncoded(c.removed, mine.encoded).empty()) {
    takeOwnership(out, self, changed, c);
    out.set(self, retimed(mine, ctx.now));
    capUpdateManagers(out);
    return out;
  }
  takeOwnership(out, '', changed, c);
  if (!taken.empty()) {
    const previous = out.get(self)?.set;
    setManager(out, self, {
      manager: ctx.manager,
      operation: 'Update',
      apiVersion: ctx.apiVersion,
      ...(ctx.subresource ? { subresource: ctx.subresource } : {}),
      time: ctx.now,
      set: previous ? taken.union(previous) : taken,
    });
  }
  capUpdateManagers(out);
  return out;
}

/**
 * The set an Update that creates `next` gives its manager (recordUpdate from nothing, with no
 * managers before it), or undefined when it sets nothing a manager owns.
 */
export function createdFields(next: unknown, ctx: Pick<WriteContext, 'schema' | 'reset' | 'message'>): FieldSet | undefined {
  const c = compareForWrite({}, next, ctx);
  if (isSame(c)) return undefined;
  const taken = withoutStripped(changedOf(c));
  return taken.empty() ? undefined : taken;
}

export interface ApplyResult {
  /** The object with the configuration applied; `live` itself when the apply changes no field. */
  object: unknown;
  managers: Managers;
}

/** An Apply of `config` to `live` (undefined when the apply creates). Throws the 409 on conflicts unless `force`. */
export function recordApply(
  managers: Managers,
  live: unknown,
  config: unknown,
  ctx: WriteContext & { force: boolean; allowedConflicts?: FieldSet },
): ApplyResult {
  const self = managerIdentifier({ manager: ctx.manager, operation: 'Apply', apiVersion: ctx.apiVersion, subresource: ctx.subresource });
  const out: Managers = new Map(managers);
  const last = out.get(self);
  const applied = toFieldSet(config, ctx.schema).recursiveDifference(ctx.reset);
  const state = {
    manager: ctx.manager,
    operation: 'Apply' as const,
    apiVersion: ctx.apiVersion,
    ...(ctx.subresource ? { subresource: ctx.subresource } : {}),
    ...(last?.time ? { time: last.time } : {}),
    set: applied,
  };
  out.set(self, state);
  let merged = merge(live, config, ctx.schema);
  if (last && !last.set.empty()) {
    let owned = new FieldSet();
    for (const m of out.values()) owned = owned.union(m.set);
    // Fields the previous apply owned that no manager owns now; the merged object's own field set,
    // costly to build, is needed only when there is any (usually there is none).
    const unowned = last.set.difference(owned);
    const gone = unowned.empty() ? unowned : unowned.intersection(toFieldSet(merged, ctx.schema));
    if (!gone.empty()) merged = removeItems(merged, gone, ctx.schema);
  }
  // Upstream's live object of an apply that creates is the kind's zero.
  const before = live === undefined && ctx.message ? {} : live;
  const c = compareForWrite(before, merged, ctx);
  const conflicts: Conflict[] = [];
  takeOwnership(out, self, changedOf(c), c, conflicts);
  const foreign = conflicts.filter((x) => !withoutStripped(FieldSet.of(x.path)).empty());
  // Conflicts a caller may forgive (kubectl's fields from its last-applied annotation) pass only when all of them are.
  const refused = foreign.filter((x) => !ctx.allowedConflicts?.has(x.path));
  if (refused.length && !ctx.force) throw conflictError(refused);
  const changed = live === undefined || !deepEqual(live, merged);
  setManager(out, self, { ...state, set: withoutStripped(applied), ...(changed ? { time: ctx.now } : {}) });
  if (last && !changed && out.get(self) && last.set.equals(out.get(self)!.set)) out.set(self, last);
  return { object: changed ? merged : live, managers: out };
}

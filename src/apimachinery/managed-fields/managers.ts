/**
 * metadata.managedFields as the field manager keeps it: entries decoded into field sets keyed by
 * upstream's manager identifier (the entry's JSON without time and fields; without apiVersion for
 * appliers), and encoded back sorted (operation, time, manager, subresource, apiVersion). An entry
 * whose set did not change keeps its encoded fieldsV1 as it was.
 */
import { boundedMemo } from '../bounded-memo.js';
import { StatusError, StatusReason } from '../status.js';
import { decodeFieldsV1, encodeFieldsV1, type FieldsV1 } from './fields-v1.js';
import type { FieldSet } from './field-set.js';
import { pathString, type PathElement } from './path-element.js';

export type Operation = 'Apply' | 'Update';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldsV1;
  subresource?: string;
}

export interface ManagerState {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
  /** The encoded set as read, while `set` is the set it decodes to. */
  encoded?: FieldsV1;
}

/** Field sets by manager identifier, in the order read. */
export type Managers = Map<string, ManagerState>;

/** The JSON of an identifier's parts (the apiVersion only of an Update, the subresource when there is one). */
function identifierText(manager: string, operation: string, apiVersion: string, subresource: string): string {
  const id: Record<string, string> = { manager, operation };
  if (operation === 'Update') id.apiVersion = apiVersion;
  if (subresource) id.subresource = subresource;
  return JSON.stringify(id);
}

/**
 * Every write names a few managers, the same ones again and again: their identifiers are kept, by
 * the parts joined with NUL (names sent by clients are endless: the table starts afresh when full).
 */
const identifierOfParts = boundedMemo((key: string) => {
  const [manager, operation, apiVersion, subresource] = key.split('\0');
  return identifierText(manager, operation, apiVersion, subresource);
}, 1024);

/** BuildManagerIdentifier: the JSON of the entry without fieldsType, fieldsV1, time (and apiVersion for Apply). */
export function managerIdentifier(m: { manager: string; operation: Operation; apiVersion: string; subresource?: string }): string {
  const apiVersion = m.operation === 'Update' ? m.apiVersion : '';
  const subresource = m.subresource ?? '';
  // A part holding a NUL would make the joined key ambiguous: made directly then.
  if (m.manager.includes('\0') || apiVersion.includes('\0') || subresource.includes('\0'))
    return identifierText(m.manager, m.operation, apiVersion, subresource);
  return identifierOfParts(`${m.manager}\0${m.operation}\0${apiVersion}\0${subresource}`);
}

/**
 * A manager's state from its encoded set, decoded on first use (a write usually touches one or two
 * managers' sets only). `set` is an accessor of the class, not an own property: a copy made by
 * spreading one must name `set` itself (`{ ...m, set: m.set }`).
 */
class EncodedManagerState implements ManagerState {
  subresource?: string;
  time?: string;
  /** The entry it was read from, written again as it is while it says what encoding it would (see `sameEntry`). */
  entry?: ManagedFieldsEntry;
  #decoded: FieldSet | undefined;

  constructor(
    readonly encoded: FieldsV1,
    public manager: string,
    public operation: Operation,
    public apiVersion: string,
  ) {}

  get set(): FieldSet {
    return (this.#decoded ??= decodeFieldsV1(this.encoded));
  }
}

/** DecodeManagedFields; throws on an entry upstream refuses (bad operation, no apiVersion, fieldsType not FieldsV1). */
export function decodeManagers(entries: readonly ManagedFieldsEntry[] | undefined): Managers {
  const managers: Managers = new Map();
  (entries ?? []).forEach((e, i) => {
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (e.fieldsType !== 'FieldsV1')
      throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType ?? '')} in managed fields entry ${i}`);
    const state = new EncodedManagerState(e.fieldsV1 ?? {}, e.manager ?? '', e.operation, e.apiVersion);
    if (e.subresource) state.subresource = e.subresource;
    if (e.time) state.time = e.time;
    state.entry = e;
    const id = managerIdentifier(state);
    if (managers.has(id)) throw new Error(`duplicate entries for manager ${id}`);
    managers.set(id, state);
  });
  return managers;
}

/** Upstream's isResetManagedFields: `[]` or `[{}]` asks for the managed fields to be cleared. */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && entries[0] !== null && typeof entries[0] === 'object' && Object.keys(entries[0] as object).length === 0;
}

/** An entry's time in whole seconds (upstream compares managedFields times at that precision); 0 when unset. */
export const seconds = (t: string | undefined) => (t ? parsedSeconds(t) : 0);

/** The last time read and its seconds: the entries of a write, and writes of one second, mostly carry the same time. */
const lastParsed = { text: '', seconds: 0 };

function parsedSeconds(t: string): number {
  if (t !== lastParsed.text) {
    lastParsed.seconds = Math.floor(Date.parse(t) / 1000);
    lastParsed.text = t;
  }
  return lastParsed.seconds;
}
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `2006-01-02T15:04:05Z`, as the server writes every time: such texts sort as their instants do. */
const CANONICAL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** Two entries' times in whole seconds, earlier first; the texts themselves when both are in the server's form (no date parsed). */
function compareTimes(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a !== undefined && b !== undefined && CANONICAL_TIME.test(a) && CANONICAL_TIME.test(b)) return cmp(a, b);
  return seconds(a) - seconds(b);
}

/** Whether `o` has a key of its own (Object.keys(o).length > 0, without the list). */
function hasOwnKeys(o: object): boolean {
  for (const key in o) if (Object.prototype.hasOwnProperty.call(o, key)) return true;
  return false;
}

/** The entries to store, sorted as upstream's sortEncodedManagedFields; undefined when none. */
export function encodeManagers(managers: Managers): ManagedFieldsEntry[] | undefined {
  const list = [...managers.values()].filter((m) => (m.encoded ? hasOwnKeys(m.encoded) : !m.set.empty()));
  if (!list.length) return undefined;
  list.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      compareTimes(p.time, q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.subresource ?? '', q.subresource ?? '') ||
      cmp(p.apiVersion, q.apiVersion),
  );
  return list.map((m) => {
    if (m instanceof EncodedManagerState && m.entry && sameEntry(m.entry, m)) return m.entry;
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.encoded ?? encodeFieldsV1(m.set);
    if (m.subresource) e.subresource = m.subresource;
    return e;
  });
}

/** The keys of an encoded entry, in the order encodeManagers writes them. */
const ENTRY_KEYS = ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource'] as const;

/**
 * Whether `e` is what encodeManagers writes for `m` (its values, nothing else, keys in order): then
 * the stored entry itself is written again, and the write's later steps (the canonical order, the
 * controllers' cache) know it unchanged by its identity instead of walking a copy.
 */
function sameEntry(e: ManagedFieldsEntry, m: EncodedManagerState): boolean {
  if (e.fieldsType !== 'FieldsV1' || e.fieldsV1 !== m.encoded || e.manager !== m.manager || e.operation !== m.operation) return false;
  if (e.apiVersion !== m.apiVersion || e.time !== m.time || e.subresource !== m.subresource) return false;
  let next = 0;
  for (const key in e) {
    while (next < ENTRY_KEYS.length && ENTRY_KEYS[next] !== key) next++;
    if (next === ENTRY_KEYS.length) return false;
    next++;
  }
  return true;
}

/** The same entry at another time, its encoding kept and its set still decoded only on first use. */
export function retimed(m: ManagerState, time: string): ManagerState {
  if (!m.encoded) return { ...m, time };
  const state = new EncodedManagerState(m.encoded, m.manager, m.operation, m.apiVersion);
  if (m.subresource) state.subresource = m.subresource;
  state.time = time;
  return state;
}

/** Replaces a manager's set (dropping its stale encoding); an empty set removes the manager. */
export function setManager(managers: Managers, id: string, state: Omit<ManagerState, 'encoded'>): void {
  if (state.set.empty()) return void managers.delete(id);
  const { encoded: _stale, ...fresh } = state as ManagerState;
  managers.set(id, fresh);
}

export interface Conflict {
  manager: string;
  path: PathElement[];
}

/** printManager: `"m"`, `"m" with subresource "status"`, and ` using v1` for Update entries. */
function printManager(id: string): string {
  const m = JSON.parse(id) as { manager: string; operation: string; apiVersion?: string; subresource?: string };
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion ?? ''}`;
  return s;
}

/** The 409 of a conflicting apply (NewConflictError): one cause per field, managers sorted. */
export function conflictError(conflicts: Conflict[]): StatusError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${pathString(conflicts[0].path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), pathString(c.path)]);
    const lines: string[] = [];
    for (const id of [...byManager.keys()].sort(cmp)) {
      lines.push(`conflicts with ${printManager(id)}:`);
      for (const p of byManager.get(id)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(409, StatusReason.Conflict, message, { causes });
}

/**
 * The object field ownership compares, as kube-apiserver's field manager sees it: upstream decodes
 * every write into its Go struct, and Go writes the fields that are no pointer and not omitempty
 * (and every struct, omitempty or not) even when unset, as their zero (`resources: {}`,
 * `creationTimestamp: null`, `containers: null`, `numberMisscheduled: 0`). So a field set's `.`
 * marks and an update's changed paths depend on them. Which fields those are is generated from the
 * vendored Go structs into proto/descriptor.json (`goJson`, by scripts/protobuf-update.ts); this
 * file reads that table for the comparison (typed-value.ts), which sees an unset always-written field
 * as its zero without copying either object, and for the encoding, which writes them (go-zeros.ts).
 */
import { join } from 'node:path';
import { isPlainObject } from '../object.js';
import { packagePath } from '../package-root.js';
import { readGoJsonTable } from './go-json-table.js';

/** The vendored upstream files and the descriptor derived from them (beside src/ and dist/). */
export const PROTO_DIR = packagePath('proto');
export const DESCRIPTOR_FILE = join(PROTO_DIR, 'descriptor.json');

/** One field of a Go struct as its JSON shows it (the descriptor's `goJson` entries). */
export interface GoJsonField {
  /** The message the field's objects are (its items for a list, its values for a map). */
  message?: string;
  container?: 'list' | 'map';
  /** Always written: its JSON when unset (`{}` on a message field: that message's zero). */
  zero?: unknown;
  /** An embedded struct whose fields Go's JSON inlines into the enclosing object. */
  inline?: true;
}

interface Field {
  name: string;
  message: string | undefined;
  container: 'list' | 'map' | undefined;
  /** Whether the field is always written; `zero` is then its value when unset. */
  always: boolean;
  zero: unknown;
}

interface Message {
  fields: Field[];
}

/** The descriptor's `goJson` table, read on the first comparison. */
let raw: Record<string, Record<string, GoJsonField>> | undefined;
/** Messages flattened so far: each on its first use (a start writes only a few kinds). */
const messages = new Map<string, Message | undefined>();
const zeros = new Map<string, Record<string, unknown>>();

function rawTable(): Record<string, Record<string, GoJsonField>> {
  return (raw ??= readGoJsonTable());
}

function flatten(table: Record<string, Record<string, GoJsonField>>, name: string): Field[] {
  return Object.entries(table[name] ?? {}).flatMap(([json, f]): Field[] =>
    f.inline ? flatten(table, f.message!) : [{ name: json, message: f.message, container: f.container, always: 'zero' in f, zero: f.zero }],
  );
}

function messageOf(name: string): Message | undefined {
  if (messages.has(name)) return messages.get(name);
  const table = rawTable();
  let message: Message | undefined;
  if (Object.hasOwn(table, name)) {
    const fields = flatten(table, name);
    message = { fields };
  }
  messages.set(name, message);
  return message;
}

/** The zero of a message as Go writes it (shared and frozen: callers never change it). */
function zeroOf(name: string): Record<string, unknown> {
  let z = zeros.get(name);
  if (!z) {
    z = {};
    for (const f of messageOf(name)?.fields ?? []) if (f.always) z[f.name] = zeroValue(f);
    zeros.set(name, Object.freeze(z));
  }
  return z;
}

function zeroValue(f: Field): unknown {
  return f.message !== undefined && !f.container && isPlainObject(f.zero) ? zeroOf(f.message) : f.zero;
}

/** What compare needs of one Go struct: the fields Go always writes, and each field's message. */
export interface GoStruct {
  /** The always-written fields' zeros by name (a struct's zero is its message's zero, itself filled). */
  zeros: ReadonlyMap<string, unknown>;
  /** A field's message: of its value (`items` false) or of its items or map values (`items` true). */
  field(name: string): { message: string; items: boolean } | undefined;
}

const structs = new Map<string, GoStruct | null>();

/** The Go struct of an upstream message, or undefined for a message the descriptor does not describe. */
export function goStruct(message: string): GoStruct | undefined {
  let s = structs.get(message);
  if (s === undefined) {
    const m = messageOf(message);
    if (m) {
      // What field() answers, made once per field (it is asked for every field of every write compared).
      const fields = new Map<string, { message: string; items: boolean }>();
      for (const f of m.fields) if (f.message !== undefined) fields.set(f.name, { message: f.message, items: f.container !== undefined });
      s = { zeros: new Map(m.fields.filter((f) => f.always).map((f) => [f.name, zeroValue(f)])), field: (name) => fields.get(name) };
    } else s = null;
    structs.set(message, s);
  }
  return s ?? undefined;
}

let scalarZeroSet: ReadonlySet<unknown> | undefined;

/**
 * Every scalar (string, number, boolean, null) that is the zero of some always-written field: a
 * scalar not among them can never compare equal to a Go zero, so which one it is does not change
 * what a comparison finds (created-fields.ts relies on it).
 */
export function scalarZeros(): ReadonlySet<unknown> {
  if (!scalarZeroSet) {
    const set = new Set<unknown>([null]);
    for (const fields of Object.values(rawTable()))
      for (const f of Object.values(fields)) if ('zero' in f && (f.zero === null || typeof f.zero !== 'object')) set.add(f.zero);
    scalarZeroSet = set;
  }
  return scalarZeroSet;
}

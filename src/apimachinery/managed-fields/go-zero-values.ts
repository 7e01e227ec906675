/**
 * The object field ownership compares, as kube-apiserver's field manager sees it: upstream decodes
 * every write into its Go struct, and Go writes the fields that are no pointer and not omitempty
 * (and every struct, omitempty or not) even when unset, as their zero (`resources: {}`,
 * `creationTimestamp: null`, `containers: null`, `numberMisscheduled: 0`). So a field set's `.`
 * marks and an update's changed paths depend on them. Which fields those are is generated from the
 * vendored Go structs into proto/descriptor.json (`goJson`, by scripts/protobuf-update.ts); this
 * file reads that table and adds the zeros to a JSON object, copying only what it changes.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPlainObject } from '../object.js';

/** The vendored upstream files and the descriptor derived from them (beside src/ and dist/). */
export const PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'proto');
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
  byName: Map<string, Field>;
}

let table: Map<string, Message> | undefined;
const zeros = new Map<string, Record<string, unknown>>();

function load(): Map<string, Message> {
  const file = JSON.parse(readFileSync(DESCRIPTOR_FILE, 'utf8')) as { goJson: Record<string, Record<string, GoJsonField>> };
  const raw = file.goJson;
  const out = new Map<string, Message>();
  const flatten = (name: string): Field[] =>
    Object.entries(raw[name] ?? {}).flatMap(([json, f]): Field[] =>
      f.inline ? flatten(f.message!) : [{ name: json, message: f.message, container: f.container, always: 'zero' in f, zero: f.zero }],
    );
  for (const name of Object.keys(raw)) {
    const fields = flatten(name);
    out.set(name, { fields, byName: new Map(fields.map((f) => [f.name, f])) });
  }
  return out;
}

function messageOf(name: string): Message | undefined {
  return (table ??= load()).get(name);
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

/**
 * `value` (an object of message `message`) with Go's zeros added where unset. Objects that need no
 * zero come back as they are, so parts two versions share stay shared; `memo` (one per comparison)
 * makes a part shared by both versions come back as one filled object too.
 */
export function withGoZeros(value: unknown, message: string, memo = new Map<object, unknown>()): unknown {
  if (!isPlainObject(value)) return value;
  const m = messageOf(message);
  if (!m) return value;
  const known = memo.get(value);
  if (known !== undefined) return known;
  let out: Record<string, unknown> | undefined;
  const set = (k: string, v: unknown) => ((out ??= { ...value })[k] = v);
  for (const f of m.fields) {
    const v = value[f.name];
    if (v === undefined || v === null) {
      if (f.always && v === undefined) set(f.name, zeroValue(f));
      continue;
    }
    if (f.message === undefined) continue;
    const filled = fillContainer(v, f, memo);
    if (filled !== v) set(f.name, filled);
  }
  const result = out ?? value;
  memo.set(value, result);
  return result;
}

function fillContainer(v: unknown, f: Field, memo: Map<object, unknown>): unknown {
  const message = f.message!;
  if (f.container === 'list') {
    if (!Array.isArray(v)) return v;
    const items = v as unknown[];
    let out: unknown[] | undefined;
    items.forEach((item, i) => {
      const filled = withGoZeros(item, message, memo);
      if (filled !== item) (out ??= [...items])[i] = filled;
    });
    return out ?? items;
  }
  if (f.container === 'map') {
    if (!isPlainObject(v)) return v;
    let out: Record<string, unknown> | undefined;
    for (const [k, item] of Object.entries(v)) {
      const filled = withGoZeros(item, message, memo);
      if (filled !== item) (out ??= { ...v })[k] = filled;
    }
    return out ?? v;
  }
  return withGoZeros(v, message, memo);
}

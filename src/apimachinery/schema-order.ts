/**
 * Go's field order for a value of a schema, as encoding/json writes a typed object: struct fields
 * in declaration order (the schema's property order), map keys sorted, open values (RawExtension,
 * FieldsV1, preserve-unknown) as they are. Fields the schema does not know stay after the known
 * ones, as they were. A value already in that order comes back as the same reference, so ordering
 * an object that is already right allocates nothing.
 */
import type { TSchema } from '@sinclair/typebox';
import { itemsOf, mapValueOf, propertyNames, propertyOf, shapeOf } from './schema-walk.js';

type Plan =
  | { shape: 'object'; names: string[]; index: Map<string, number>; schema: TSchema }
  | { shape: 'map'; value: TSchema | undefined }
  | { shape: 'list'; item: TSchema | undefined }
  | { shape: 'leaf' };

const LEAF: Plan = { shape: 'leaf' };
const plans = new WeakMap<TSchema, Plan>();

/** The plan of one schema node, made on first use (children are planned when first reached). */
function planOf(schema: TSchema): Plan {
  let plan = plans.get(schema);
  if (plan) return plan;
  switch (shapeOf(schema)) {
    case 'object': {
      const names = propertyNames(schema);
      plan = { shape: 'object', names, index: new Map(names.map((n, i) => [n, i])), schema };
      break;
    }
    case 'map':
      plan = { shape: 'map', value: mapValueOf(schema) };
      break;
    case 'list':
      plan = { shape: 'list', item: itemsOf(schema) };
      break;
    default:
      plan = LEAF;
  }
  plans.set(schema, plan);
  return plan;
}

function ordered(value: unknown, schema: TSchema | undefined): unknown {
  if (schema === undefined || value === null || typeof value !== 'object') return value;
  const plan = planOf(schema);
  switch (plan.shape) {
    case 'object':
      return Array.isArray(value) ? value : orderedStruct(value as Record<string, unknown>, plan);
    case 'map':
      return Array.isArray(value) ? value : orderedMap(value as Record<string, unknown>, plan.value);
    case 'list':
      return Array.isArray(value) && plan.item ? orderedList(value, plan.item) : value;
    default:
      return value;
  }
}

function orderedList(list: unknown[], item: TSchema): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    const o = ordered(v, item);
    if (o !== v) (out ??= list.slice())[i] = o;
  }
  return out ?? list;
}

function orderedStruct(obj: Record<string, unknown>, plan: Extract<Plan, { shape: 'object' }>): Record<string, unknown> {
  const keys = Object.keys(obj);
  const unknownRank = plan.names.length;
  let inOrder = true;
  let last = -1;
  let changed: Record<string, unknown> | undefined;
  for (const k of keys) {
    const rank = plan.index.get(k) ?? unknownRank;
    if (rank < last) inOrder = false;
    last = rank;
    if (rank === unknownRank) continue;
    const v = obj[k];
    if (v === null || typeof v !== 'object') continue;
    const o = ordered(v, propertyOf(plan.schema, k));
    if (o !== v) (changed ??= {})[k] = o;
  }
  if (inOrder && !changed) return obj;
  const out: Record<string, unknown> = {};
  for (const name of plan.names) {
    if (!Object.prototype.hasOwnProperty.call(obj, name) || obj[name] === undefined) continue;
    out[name] = changed && Object.prototype.hasOwnProperty.call(changed, name) ? changed[name] : obj[name];
  }
  for (const k of keys) if (!plan.index.has(k) && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function orderedMap(map: Record<string, unknown>, valueSchema: TSchema | undefined): Record<string, unknown> {
  const keys = Object.keys(map);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      sorted = false;
      break;
    }
  }
  let changed: Record<string, unknown> | undefined;
  if (valueSchema && planOf(valueSchema) !== LEAF) {
    for (const k of keys) {
      const v = map[k];
      const o = ordered(v, valueSchema);
      if (o !== v) (changed ??= {})[k] = o;
    }
  }
  if (sorted && !changed) return map;
  const out: Record<string, unknown> = {};
  for (const k of sorted ? keys : keys.slice().sort()) {
    if (map[k] === undefined) continue;
    out[k] = changed && Object.prototype.hasOwnProperty.call(changed, k) ? changed[k] : map[k];
  }
  return out;
}

/**
 * `value` with every nested object's fields in Go's order for `schema` (see above); `value` itself
 * is never modified, and parts already in order are shared, not copied.
 */
export function inSchemaOrder<T>(value: T, schema: TSchema): T {
  return ordered(value, schema) as T;
}

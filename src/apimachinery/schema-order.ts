/**
 * A value of a schema as encoding/json writes the typed object: struct fields in declaration order
 * (the schema's property order), map keys sorted, open values (RawExtension, FieldsV1,
 * preserve-unknown) as they are; and the fields Go always writes (no pointer, not omitempty: a
 * value-typed metav1.Time such as a template's `creationTimestamp`, `lastProbeTime`, a struct such
 * as `resources`) present, as their zero when unset (`null`, `{}`, `0`), as the apiserver answers
 * any object it decoded. Fields the schema does not know stay after the known ones, as they were.
 * A value already in that form comes back as the same reference, so ordering an object that is
 * already right allocates nothing.
 */
import type { TSchema } from '@sinclair/typebox';
import { goStructOf, goZerosOf, zeroCopy } from './go-zeros.js';
import { isEmptyContainer } from './object.js';
import { itemsOf, mapValueOf, propertyNames, propertyOf, shapeOf } from './schema-walk.js';

/** How to order the values of one schema node; child plans are made when first reached. */
type Plan = StructPlan | ListPlan | MapPlan | undefined;

interface StructPlan {
  shape: 'object';
  names: string[];
  /** Field name → its position in `names`. */
  rank: Map<string, number>;
  fields: (TSchema | undefined)[];
  plans: (Plan | null)[];
  /** The fields Go always writes that the schema knows, with their zeros. */
  zeros: [string, unknown][];
  /** By rank: an omitempty slice or map of the Go struct, left out when empty. */
  omitEmpty: boolean[];
}

interface ListPlan {
  shape: 'list';
  item: Plan;
}

interface MapPlan {
  shape: 'map';
  value: Plan;
}

/** Each schema's plan, made once: schemas never change, so every app in the process shares it. */
const plans = new WeakMap<TSchema, Plan | null>();

/** undefined: nothing to order inside (scalars, open values). */
function planOf(schema: TSchema | undefined): Plan {
  if (!schema) return undefined;
  const known = plans.get(schema);
  if (known !== undefined) return known ?? undefined;
  let plan: Plan;
  switch (shapeOf(schema)) {
    case 'object': {
      const names = propertyNames(schema);
      plan = {
        shape: 'object',
        names,
        rank: new Map(names.map((n, i) => [n, i])),
        fields: names.map((n) => propertyOf(schema, n)),
        plans: names.map(() => null),
        zeros: alwaysWritten(schema, names),
        omitEmpty: omittedWhenEmpty(schema, names),
      };
      break;
    }
    case 'list':
      // Set before planning the items, so a schema that contains itself ends.
      plans.set(schema, (plan = { shape: 'list', item: undefined }));
      plan.item = planOf(itemsOf(schema));
      return plan;
    case 'map':
      plans.set(schema, (plan = { shape: 'map', value: undefined }));
      plan.value = planOf(mapValueOf(schema));
      return plan;
    default:
      plan = undefined;
  }
  plans.set(schema, plan ?? null);
  return plan;
}

/** The always-written fields of the Go struct a schema describes that the schema knows, with their zeros. */
function alwaysWritten(schema: TSchema, names: string[]): [string, unknown][] {
  const zeros = goZerosOf(schema);
  return zeros ? names.filter((n) => zeros.has(n)).map((n) => [n, zeros.get(n)]) : [];
}

/**
 * Which fields are omitempty slices or maps of the Go struct a schema describes: every slice or
 * map it does not always write (one is never a pointer in the API types). None for a schema of no
 * upstream struct (a custom resource's keeps its empty values).
 */
function omittedWhenEmpty(schema: TSchema, names: string[]): boolean[] {
  const struct = goStructOf(schema);
  return names.map((n) => {
    const shape = struct && !struct.zeros.has(n) ? shapeOf(propertyOf(schema, n)!) : undefined;
    return shape === 'list' || shape === 'map';
  });
}

function fieldPlan(plan: StructPlan, i: number): Plan {
  let p = plan.plans[i];
  if (p === null) plan.plans[i] = p = planOf(plan.fields[i]);
  return p;
}

/** `known`: the value at the same place in a value known to be in order (a part it shares is in order already). */
function ordered(value: unknown, plan: Plan, known: unknown): unknown {
  if (plan === undefined || value === null || typeof value !== 'object' || value === known) return value;
  const k = known !== null && typeof known === 'object' ? (known as Record<string, unknown>) : undefined;
  if (plan.shape === 'list') return Array.isArray(value) && plan.item ? orderedList(value, plan.item, k) : value;
  if (Array.isArray(value)) return value;
  return plan.shape === 'object'
    ? orderedStruct(value as Record<string, unknown>, plan, k)
    : orderedMap(value as Record<string, unknown>, plan.value, k);
}

function orderedList(list: unknown[], item: NonNullable<Plan>, known: Record<string, unknown> | undefined): unknown[] {
  const knownItems = Array.isArray(known) ? (known as unknown[]) : undefined;
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    const o = ordered(v, item, knownItems?.[i]);
    if (o !== v) (out ??= list.slice())[i] = o;
  }
  return out ?? list;
}

function orderedStruct(
  obj: Record<string, unknown>,
  plan: StructPlan,
  known: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const unknownRank = plan.names.length;
  let inOrder = true;
  let last = -1;
  let changed: Map<string, unknown> | undefined;
  for (const k in obj) {
    const rank = plan.rank.get(k) ?? unknownRank;
    if (rank < last) inOrder = false;
    last = rank;
    const v = obj[k];
    if (rank === unknownRank || v === null || typeof v !== 'object') continue;
    // Written as encoding/json writes the struct: an empty omitempty slice or map not at all.
    if (plan.omitEmpty[rank] && isEmptyContainer(v)) {
      (changed ??= new Map()).set(k, undefined);
      continue;
    }
    const o = ordered(v, fieldPlan(plan, rank), known?.[k]);
    if (o !== v) (changed ??= new Map()).set(k, o);
  }
  const zeros = plan.zeros;
  for (let i = 0; i < zeros.length; i++)
    if (obj[zeros[i][0]] === undefined) (changed ??= new Map()).set(zeros[i][0], zeroCopy(zeros[i][1]));
  if (inOrder && !changed) return obj;
  const out: Record<string, unknown> = {};
  for (const name of plan.names) {
    if (changed?.has(name)) {
      const o = changed.get(name);
      if (o !== undefined) out[name] = o;
    } else if (Object.prototype.hasOwnProperty.call(obj, name) && obj[name] !== undefined) out[name] = obj[name];
  }
  for (const k in obj) if (!plan.rank.has(k) && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function orderedMap(map: Record<string, unknown>, value: Plan, known: Record<string, unknown> | undefined): Record<string, unknown> {
  let sorted = true;
  let previous: string | undefined;
  let changed: Map<string, unknown> | undefined;
  for (const k in map) {
    if (previous !== undefined && previous > k) sorted = false;
    previous = k;
    if (value === undefined) continue;
    const v = map[k];
    const o = ordered(v, value, known?.[k]);
    if (o !== v) (changed ??= new Map()).set(k, o);
  }
  if (sorted && !changed) return map;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(map);
  for (const k of sorted ? keys : keys.sort()) {
    if (map[k] === undefined) continue;
    out[k] = changed?.has(k) ? changed.get(k) : map[k];
  }
  return out;
}

/**
 * `value` with every nested object's fields in Go's order for `schema` (see above); `value` itself
 * is never modified, and parts already in order are shared, not copied. `inOrder`: a value known to
 * be in that order already (the previous version of an object, as stored): the parts `value` shares
 * with it at the same place are not walked.
 */
export function inSchemaOrder<T>(value: T, schema: TSchema, inOrder?: unknown): T {
  return ordered(value, planOf(schema), inOrder) as T;
}

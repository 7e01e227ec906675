/**
 * Small builders for the Kubernetes flavour of JSON Schema: OpenAPI formats, the x-kubernetes-*
 * vendor extensions (list/map semantics, strategic-merge keys, int-or-string, GVK) and a few
 * shorthands, so that the resource schemas read like the upstream Go structs.
 *
 * IntOrString and Quantity are single schemas without a union: they carry
 * `x-kubernetes-int-or-string: true` (as CRD structural schemas do) and a custom TypeBox kind that is
 * registered below, so `Value.Check` accepts a string or a number for them.
 */
import {
  FormatRegistry,
  Kind,
  Type,
  TypeRegistry,
  type SchemaOptions,
  type TArray,
  type TBoolean,
  type TInteger,
  type TRecord,
  type TSchema,
  type TString,
  type TUnknown,
  type TUnsafe,
} from '@sinclair/typebox';

export const INT_OR_STRING_KIND = 'KubeIntOrString';
export const QUANTITY_KIND = 'KubeQuantity';

if (!TypeRegistry.Has(INT_OR_STRING_KIND)) {
  TypeRegistry.Set(INT_OR_STRING_KIND, (_schema, value) => typeof value === 'string' || Number.isInteger(value));
}
if (!TypeRegistry.Has(QUANTITY_KIND)) {
  TypeRegistry.Set(QUANTITY_KIND, (_schema, value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)));
}

/** RFC 3339 date-time, with optional fractional seconds (MicroTime) and a zone (Z or ±hh:mm). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => RFC3339.test(v));

/** Vendor extension names, in one place for the pruner, the merge code and the OpenAPI generator. */
export const X = {
  intOrString: 'x-kubernetes-int-or-string',
  preserveUnknownFields: 'x-kubernetes-preserve-unknown-fields',
  patchStrategy: 'x-kubernetes-patch-strategy',
  patchMergeKey: 'x-kubernetes-patch-merge-key',
  listType: 'x-kubernetes-list-type',
  listMapKeys: 'x-kubernetes-list-map-keys',
  mapType: 'x-kubernetes-map-type',
  gvk: 'x-kubernetes-group-version-kind',
  unions: 'x-kubernetes-unions',
} as const;

export type ListType = 'atomic' | 'set' | 'map';
export type PatchStrategy = 'merge' | 'merge,retainKeys' | 'retainKeys';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** An integer or a string (intstr.IntOrString): ports by number or name, percentages. */
export function intOrString(description: string): TUnsafe<number | string> {
  return Type.Unsafe<number | string>({ [Kind]: INT_OR_STRING_KIND, [X.intOrString]: true, format: 'int-or-string', description });
}

/** A resource quantity such as "100m", "200Mi" or a plain number (resource.Quantity). */
export function quantity(description: string): TUnsafe<number | string> {
  return Type.Unsafe<number | string>({ [Kind]: QUANTITY_KIND, [X.intOrString]: true, format: 'quantity', description });
}

export function int32(description: string, options: SchemaOptions = {}): TInteger {
  return Type.Integer({ format: 'int32', ...options, description });
}

export function int64(description: string, options: SchemaOptions = {}): TInteger {
  return Type.Integer({ format: 'int64', ...options, description });
}

/**
 * The Go type a date-time field decodes as, `Time` or `MicroTime`: both are `format: date-time` in
 * the OpenAPI documents, but the apiserver parses and prints them with different layouts. A symbol,
 * so the published schemas do not show it.
 */
export const TIME_LAYOUT = Symbol.for('kubemock.timeLayout');

/** metav1.Time: an RFC 3339 timestamp with second precision. */
export function time(description: string): TString {
  return Object.assign(Type.String({ format: 'date-time', description }), { [TIME_LAYOUT]: 'Time' as const });
}

/** metav1.MicroTime: an RFC 3339 timestamp with microsecond precision. */
export function microTime(description: string): TString {
  return Object.assign(Type.String({ format: 'date-time', description }), { [TIME_LAYOUT]: 'MicroTime' as const });
}

export function str(description: string, options: SchemaOptions = {}): TString {
  return Type.String({ ...options, description });
}

export function bool(description: string): TBoolean {
  return Type.Boolean({ description });
}

/** A map of strings to strings (labels, annotations, selectors …); `mapType` as upstream sets it. */
export function stringMap(description: string, mapType?: 'atomic' | 'granular'): TRecord<TString, TString> {
  return Type.Record(Type.String(), Type.String(), { description, ...(mapType ? { [X.mapType]: mapType } : {}) });
}

/** A ResourceList: resource name to quantity. */
export function resourceList(description: string): TRecord<TString, TUnsafe<number | string>> {
  return Type.Record(Type.String(), quantity('Amount of the named resource.'), { description });
}

/** An object whose content is not described (RawExtension, FieldsV1): kept as is by the pruner. */
export function openObject(description: string, options: SchemaOptions = {}): TRecord<TString, TUnknown> {
  return Type.Record(Type.String(), Type.Unknown(), { ...options, description, [X.preserveUnknownFields]: true });
}

const fieldCopies = new WeakSet<object>();
const namedOriginals = new Map<string, TSchema>();

/**
 * Uses a named schema as the value of a field: a shallow copy carrying the field's own description.
 * The `$id` (and so the identity for generators) stays that of the named type, and the named schema
 * itself stays known by it (see namedOriginal).
 */
export function field<T extends TSchema>(schema: T, description: string): T {
  if (typeof schema.$id === 'string' && !fieldCopies.has(schema) && !namedOriginals.has(schema.$id)) namedOriginals.set(schema.$id, schema);
  const copy = { ...schema, description };
  fieldCopies.add(copy);
  return copy;
}

/** The named schema `field()` copies of `$id` were made from, with the type's own description. */
export function namedOriginal(id: string): TSchema | undefined {
  return namedOriginals.get(id);
}

export interface ListOptions {
  listType?: ListType;
  listMapKeys?: string[];
  patchStrategy?: PatchStrategy;
  patchMergeKey?: string;
}

export function list<T extends TSchema>(item: T, description: string, options: ListOptions = {}): TArray<T> {
  const ext: Record<string, unknown> = {};
  if (options.listType) ext[X.listType] = options.listType;
  if (options.listMapKeys) ext[X.listMapKeys] = options.listMapKeys;
  if (options.patchStrategy) ext[X.patchStrategy] = options.patchStrategy;
  if (options.patchMergeKey) ext[X.patchMergeKey] = options.patchMergeKey;
  return Type.Array(item, { description, ...ext });
}

/**
 * A list merged by key in strategic merge patch (`patchStrategy:"merge" patchMergeKey:key`), which is
 * also a `listType=map` keyed by `mapKeys` (default: the merge key) unless told otherwise.
 */
export function mergeList<T extends TSchema>(
  item: T,
  key: string,
  description: string,
  options: { mapKeys?: string[]; listType?: ListType; strategy?: PatchStrategy } = {},
): TArray<T> {
  const listType = options.listType ?? 'map';
  return list(item, description, {
    listType,
    listMapKeys: listType === 'map' ? (options.mapKeys ?? [key]) : undefined,
    patchStrategy: options.strategy ?? 'merge',
    patchMergeKey: key,
  });
}

/** A list replaced as a whole on merge (`listType=atomic`). */
export function atomicList<T extends TSchema>(item: T, description: string): TArray<T> {
  return list(item, description, { listType: 'atomic' });
}

/** A list of objects identified by the given keys (`listType=map`), without a strategic merge key. */
export function mapList<T extends TSchema>(item: T, keys: string[], description: string): TArray<T> {
  return list(item, description, { listType: 'map', listMapKeys: keys });
}

/** A list of unique scalars (`listType=set`). */
export function setList<T extends TSchema>(item: T, description: string, patchStrategy?: PatchStrategy): TArray<T> {
  return list(item, description, { listType: 'set', patchStrategy });
}

/** Schema options for a top-level kind: `x-kubernetes-group-version-kind`. */
export function gvk(group: string, version: string, kind: string): { [X.gvk]: GroupVersionKind[] } {
  return { [X.gvk]: [{ group, version, kind }] };
}

/** Schema options for a struct that is replaced as a whole on merge (`+structType=atomic`). */
export const atomicStruct = { [X.mapType]: 'atomic' } as const;

/** Schema options for a discriminated union such as SeccompProfile (`+union`). */
export function union(discriminator: string, fields: Record<string, string>): Record<string, unknown> {
  return { [X.unions]: [{ discriminator, 'fields-to-discriminateBy': fields }] };
}

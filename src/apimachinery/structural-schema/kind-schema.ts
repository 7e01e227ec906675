/**
 * A custom resource's kind schema, made from its CRD's structural schema, in the form the rest of
 * kubemock reads kinds' schemas (the TypeBox/JSON-Schema shapes of schema-walk.ts): maps as
 * `patternProperties`, an object without properties as one that keeps none, and every object's
 * properties sorted by name. Sorted because a custom resource is an unstructured map upstream,
 * which Go's encoder writes with sorted keys; the schema order is the order bodies are written in.
 * `metadata` is ObjectMeta; `apiVersion` and `kind` are added if the CRD left them out.
 */
import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import { ObjectMetaSchema } from '../schemas/meta.js';
import { X } from '../schemas/extensions.js';
import { isPlainObject } from '../object.js';
import { additionalSchema, type JSONSchemaProps } from './types.js';

/** Keywords copied as they are (for OpenAPI and `kubectl explain`); structure is rebuilt below. */
const REBUILT = new Set([
  'properties',
  'additionalProperties',
  'items',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  '$id',
  '$schema',
  '$ref',
  'definitions',
]);

const byName = <V>(entries: [string, V][]) => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function node(s: JSONSchemaProps): TSchema {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (!REBUILT.has(k) && v !== undefined) out[k] = v;
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return out as TSchema;
  const extra = additionalSchema(s);
  if (s.type === 'object' || s.properties) {
    out.type = 'object';
    if (extra && !s.properties) out.patternProperties = { '^(.*)$': node(extra) };
    else if (s['x-kubernetes-embedded-resource']) out.properties = embedded(s.properties ?? {});
    else out.properties = Object.fromEntries(byName(Object.entries(s.properties ?? {})).map(([k, v]) => [k, node(v)]));
  }
  if (s.type === 'array' && isPlainObject(s.items)) out.items = node(s.items);
  return out as TSchema;
}

/** An embedded object (x-kubernetes-embedded-resource): TypeMeta and ObjectMeta besides its own fields. */
function embedded(props: Record<string, JSONSchemaProps>): Record<string, TSchema> {
  const merged: Record<string, TSchema> = { apiVersion: Type.String(), kind: Type.String() };
  for (const [k, v] of Object.entries(props)) merged[k] = node(v);
  merged.metadata = sortedObjectMeta();
  return Object.fromEntries(byName(Object.entries(merged)));
}

let objectMeta: TSchema | undefined;

/** ObjectMeta with its fields (and those of its parts) in name order, keeping its `$id` for OpenAPI. */
function sortedObjectMeta(): TSchema {
  return (objectMeta ??= sortedCopy(ObjectMetaSchema));
}

function sortedCopy(s: TSchema): TSchema {
  const out: Record<string | symbol, unknown> = { ...s };
  if (isPlainObject(s.properties)) {
    out.properties = Object.fromEntries(
      byName(Object.entries(s.properties as Record<string, TSchema>)).map(([k, v]) => [k, sortedCopy(v)]),
    );
  }
  if (isPlainObject(s.items)) out.items = sortedCopy(s.items as TSchema);
  return out as unknown as TSchema;
}

export interface KindIdentity {
  group: string;
  version: string;
  kind: string;
}

/** The OpenAPI definition name upstream gives a custom kind: the group reversed, then version and kind. */
export function customKindId(id: KindIdentity): string {
  return `${id.group.split('.').reverse().join('.')}.${id.version}.${id.kind}`;
}

/** The schema of a custom kind from its CRD's `openAPIV3Schema` (absent: only TypeMeta and ObjectMeta). */
export function customKindSchema(root: JSONSchemaProps | undefined, id: KindIdentity): TObject {
  const top = node({ ...(root ?? {}), type: 'object', 'x-kubernetes-preserve-unknown-fields': undefined }) as Record<string, unknown>;
  const props = { ...((top.properties as Record<string, TSchema> | undefined) ?? {}) };
  props.apiVersion ??= Type.String({
    description:
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
  });
  props.kind ??= Type.String({ description: 'Kind is a string value representing the REST resource this object represents.' });
  props.metadata = { ...sortedObjectMeta(), description: 'Standard object metadata.' };
  const preserve = root?.['x-kubernetes-preserve-unknown-fields'] === true;
  return {
    ...top,
    ...(preserve ? { [X.preserveUnknownFields]: true } : {}),
    type: 'object',
    properties: Object.fromEntries(byName(Object.entries(props))),
    $id: customKindId(id),
    [X.gvk]: [{ group: id.group, version: id.version, kind: id.kind }],
  } as unknown as TObject;
}

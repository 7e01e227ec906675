/**
 * Reading the TypeBox schemas the way the apiserver reads its Go structs: which fields an object
 * has, which values are maps, lists or open (x-kubernetes-preserve-unknown-fields), and the
 * strategic-merge metadata of a field (x-kubernetes-patch-strategy / -merge-key, list types).
 * The pruner and the strategic merge patch both walk schemas through this module only.
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { TIME_LAYOUT, X, type ListType } from './schemas/extensions.js';
import type { TimeLayout } from './go-time.js';

/** What a schema node holds. `open` keeps anything (RawExtension, FieldsV1, preserve-unknown). */
export type Shape = 'object' | 'map' | 'list' | 'scalar' | 'open';

type Node = TSchema & Record<string, unknown>;

export function shapeOf(schema: TSchema): Shape {
  const s = schema as Node;
  if (s[X.preserveUnknownFields] === true) return 'open';
  const kind = s[Kind];
  if (kind === 'Unknown' || kind === 'Any') return 'open';
  if (s.type === 'array') return 'list';
  if (s.type === 'object' || kind === 'Object' || kind === 'Record') {
    if (s.properties && typeof s.properties === 'object') return 'object';
    if (s.patternProperties && typeof s.patternProperties === 'object') return 'map';
    return 'open';
  }
  return 'scalar';
}

/** A schema that takes any JSON and decodes it as plain data (Go's interface{}), not kept raw. */
export function isUntyped(schema: TSchema): boolean {
  const s = schema as Node;
  return s[Kind] === 'Unknown' && s[X.preserveUnknownFields] !== true;
}

/** The schema of field `name` of an object schema; undefined when the object has no such field. */
export function propertyOf(schema: TSchema, name: string): TSchema | undefined {
  const props = (schema as Node).properties as Record<string, TSchema> | undefined;
  return props && Object.prototype.hasOwnProperty.call(props, name) ? props[name] : undefined;
}

/** The property names of an object schema, in declaration order (the order Go structs print). */
export function propertyNames(schema: TSchema): string[] {
  const props = (schema as Node).properties as Record<string, TSchema> | undefined;
  return props ? Object.keys(props) : [];
}

/** The value schema of a map (Type.Record). */
export function mapValueOf(schema: TSchema): TSchema | undefined {
  const pattern = (schema as Node).patternProperties as Record<string, TSchema> | undefined;
  if (!pattern) return undefined;
  const first = Object.keys(pattern)[0];
  return first === undefined ? undefined : pattern[first];
}

/**
 * The upstream Go struct (its protobuf message name, as proto/descriptor.json names it) an object
 * schema describes: its $id `io.k8s.api.core.v1.Container` is message `k8s.io.api.core.v1.Container`;
 * a protobuf package has no `-` (`io.k8s.apiextensions-apiserver.…` is `k8s.io.apiextensions_apiserver.…`).
 */
export function goMessageOf(schema: TSchema): string | undefined {
  const id = schema.$id;
  return typeof id === 'string' && id.startsWith('io.k8s.') ? `k8s.io.${id.slice('io.k8s.'.length).replaceAll('-', '_')}` : undefined;
}

/** The Go time type a string field decodes as (metav1.Time or MicroTime); undefined for other strings. */
export function timeLayoutOf(schema: TSchema): TimeLayout | undefined {
  return (schema as unknown as Record<symbol, TimeLayout | undefined>)[TIME_LAYOUT];
}

export function itemsOf(schema: TSchema): TSchema | undefined {
  return (schema as Node).items as TSchema | undefined;
}

/** `io.k8s.api.core.v1.PodSpec` → `PodSpec`: the Go struct name upstream messages print. */
export function structName(schema: TSchema | undefined): string {
  const id = schema?.$id;
  if (typeof id !== 'string' || !id) return '';
  const dot = id.lastIndexOf('.');
  return dot >= 0 ? id.slice(dot + 1) : id;
}

/** Whether a scalar schema is an int-or-string / quantity (x-kubernetes-int-or-string). */
export function isIntOrString(schema: TSchema): boolean {
  return (schema as Node)[X.intOrString] === true;
}

/** The JSON type a scalar schema declares ('string', 'integer', 'number', 'boolean'), if any. */
export function scalarType(schema: TSchema): string | undefined {
  const t: unknown = (schema as Node).type;
  return typeof t === 'string' ? t : undefined;
}

/** Strategic-merge metadata of one field, as forkedjson.LookupPatchMetadata reads struct tags. */
export interface FieldPatchMeta {
  /** False when the field is not declared where a struct is expected (upstream: "unable to find api field"). */
  known?: boolean;
  /** What the field holds. */
  shape?: Shape;
  /** x-kubernetes-patch-strategy, split on commas: merge, replace, retainKeys. */
  strategies?: string[];
  mergeKey?: string;
  listType?: ListType;
  listMapKeys?: string[];
  /** Go struct name of the object the field belongs to (for error texts). */
  parent?: string;
  /** Go kind of list elements for the "cannot merge lists without merge key" text. */
  itemKind?: string;
}

/**
 * Answers for a path of field names (map keys included; list items are transparent, so
 * `spec.containers.ports` is the ports field of a container) the metadata of the field at its end.
 */
export type PatchMetaLookup = (path: readonly string[]) => FieldPatchMeta;

/** Descends from `schema` through the given field names; undefined when a name is not declared. */
export function schemaAt(root: TSchema, path: readonly string[]): { schema?: TSchema; parent?: TSchema; open: boolean } {
  let node: TSchema | undefined = root;
  let parent: TSchema | undefined;
  for (const seg of path) {
    while (node && shapeOf(node) === 'list') node = itemsOf(node);
    if (!node) return { open: false };
    const shape = shapeOf(node);
    if (shape === 'open') return { open: true, parent: node };
    parent = node;
    if (shape === 'map') node = mapValueOf(node);
    else if (shape === 'object') node = propertyOf(node, seg);
    else return { open: false, parent };
    if (!node) return { open: false, parent };
  }
  return { schema: node, parent, open: false };
}

function goKind(schema: TSchema | undefined): string {
  if (!schema) return 'interface';
  switch (shapeOf(schema)) {
    case 'object':
      return 'struct';
    case 'map':
    case 'open':
      return 'map';
    case 'list':
      return 'slice';
    default:
      return scalarType(schema) === 'integer' ? 'int64' : scalarType(schema) === 'boolean' ? 'bool' : 'string';
  }
}

/** The lookup the strategic merge patch uses, backed by a kind's schema. */
export function patchMetaFromSchema(root: TSchema): PatchMetaLookup {
  return (path) => {
    const found = schemaAt(root, path);
    if (found.open) return { known: true, shape: 'open' };
    const parent = structName(found.parent);
    if (!found.schema) return { known: false, parent };
    const s = found.schema as Node;
    const strategy: unknown = s[X.patchStrategy];
    const meta: FieldPatchMeta = { known: true, shape: shapeOf(found.schema), parent };
    if (typeof strategy === 'string' && strategy) meta.strategies = strategy.split(',');
    if (typeof s[X.patchMergeKey] === 'string') meta.mergeKey = s[X.patchMergeKey] as string;
    if (typeof s[X.listType] === 'string') meta.listType = s[X.listType] as ListType;
    if (Array.isArray(s[X.listMapKeys])) meta.listMapKeys = s[X.listMapKeys] as string[];
    if (meta.shape === 'list') meta.itemKind = goKind(itemsOf(found.schema));
    return meta;
  };
}

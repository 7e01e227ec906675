/**
 * The CEL type of a structural schema node, as kube-apiserver declares `self` for a rule
 * (k8s.io/apiserver/pkg/cel/common SchemaDeclType): objects with properties as objects with those
 * fields (names escaped the CEL way), maps (additionalProperties) as map(string, value), arrays as
 * lists, strings of format byte, duration, date and date-time as bytes, durations and timestamps,
 * int-or-string as dyn; a node without a type (preserve-unknown-fields alone) is not exposed. A resource root and an
 * embedded resource also see apiVersion, kind and metadata with only name and generateName.
 */
import { additionalSchema, type JSONSchemaProps } from '../structural-schema/types.js';

export type CelSchemaType =
  /** `name`: the type's name in cel-go's messages, once a rule's compilation named it (namedTypes). */
  | { kind: 'object'; fields: Map<string, { name: string; type: CelSchemaType }>; name?: string }
  /** `key`: the key type of a map a rule builds (a schema's maps have string keys, as when absent). */
  | { kind: 'map'; value: CelSchemaType; key?: CelSchemaType }
  | { kind: 'list'; elem: CelSchemaType }
  | { kind: 'optional'; value: CelSchemaType }
  | { kind: 'int' | 'double' | 'string' | 'bool' | 'bytes' | 'duration' }
  /** `format`: the string format it is read from (a field's value; absent for a timestamp a rule makes). */
  | { kind: 'timestamp'; format?: 'date' | 'date-time' }
  /** `declared`: cel-go's type here is dyn for certain (an int-or-string); without it, dyn may stand for a type this code does not tell. */
  | { kind: 'dyn'; declared?: true };

export const DYN: CelSchemaType = { kind: 'dyn' };
/** x-kubernetes-int-or-string, which upstream declares as CEL's dyn. */
const INT_OR_STRING: CelSchemaType = { kind: 'dyn', declared: true };
const STRING: CelSchemaType = { kind: 'string' };

/** CEL's reserved words: a property so named is reachable as `__name__`. */
const RESERVED = new Set(
  'true false null in as break const continue else for function if import let loop package namespace return var void while'.split(' '),
);

/** A property name as a CEL field name (undefined when it cannot be one), as upstream's cel.Escape. */
export function escapeName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[A-Za-z_.\-/][A-Za-z0-9_.\-/]*$/.test(name)) return undefined;
  return name.replace(/__|\.|-|\//g, (m) => ({ __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' })[m]!);
}

/** The fields a resource root (or embedded resource) adds: TypeMeta and the visible part of ObjectMeta. */
function withResourceFields(fields: Map<string, { name: string; type: CelSchemaType }>): void {
  fields.set('apiVersion', { name: 'apiVersion', type: STRING });
  fields.set('kind', { name: 'kind', type: STRING });
  const meta = new Map([
    ['name', { name: 'name', type: STRING }],
    ['generateName', { name: 'generateName', type: STRING }],
  ]);
  fields.set('metadata', { name: 'metadata', type: { kind: 'object', fields: meta } });
}

/**
 * The CEL type of `s`; `resourceRoot` for the root of a custom resource or an embedded resource.
 * A node upstream does not expose to CEL (declaredType: undefined) is dyn here, for a rule on it.
 */
export function celTypeOf(s: JSONSchemaProps, resourceRoot = s['x-kubernetes-embedded-resource'] === true): CelSchemaType {
  return declaredType(s, resourceRoot) ?? DYN;
}

/**
 * The CEL type of `s`, or undefined where upstream's SchemaDeclType gives none (a node without a
 * type that is not int-or-string, x-kubernetes-preserve-unknown-fields alone included; a list or
 * map of such nodes): such a property is no field of its object. An object with
 * x-kubernetes-preserve-unknown-fields is still an object of its declared properties only, none
 * when it declares none, so a rule reaching for any other field does not compile (`undefined
 * field 'foo'`); its value still holds them (values.ts).
 */
function declaredType(s: JSONSchemaProps, resourceRoot: boolean): CelSchemaType | undefined {
  if (s['x-kubernetes-int-or-string']) return INT_OR_STRING;
  if (s.type === 'array') {
    const elem = s.items ? declaredType(s.items, s.items['x-kubernetes-embedded-resource'] === true) : undefined;
    return elem && { kind: 'list', elem };
  }
  const extra = additionalSchema(s);
  if (s.type === 'object' || resourceRoot) {
    if (extra && !s.properties) {
      const value = declaredType(extra, extra['x-kubernetes-embedded-resource'] === true);
      return value && { kind: 'map', value };
    }
    const fields = new Map<string, { name: string; type: CelSchemaType }>();
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const escaped = escapeName(name);
      const type = declaredType(prop, prop['x-kubernetes-embedded-resource'] === true);
      if (escaped !== undefined && type) fields.set(escaped, { name, type });
    }
    if (resourceRoot) withResourceFields(fields);
    return { kind: 'object', fields };
  }
  switch (s.type) {
    case 'integer':
      return { kind: 'int' };
    case 'number':
      return { kind: 'double' };
    case 'boolean':
      return { kind: 'bool' };
    case 'string':
      return stringType(s.format);
    default:
      return undefined;
  }
}

/** A string with format byte is bytes, with duration a duration, with date or date-time a timestamp. */
function stringType(format: string | undefined): CelSchemaType {
  switch (format) {
    case 'byte':
      return { kind: 'bytes' };
    case 'duration':
      return { kind: 'duration' };
    case 'date':
    case 'date-time':
      return { kind: 'timestamp', format };
    default:
      return STRING;
  }
}

/** The name cel-go prints for a type in its messages (`int`, `list(string)`, `map(string, int)`). */
export function typeName(t: CelSchemaType): string {
  switch (t.kind) {
    case 'list':
      return `list(${typeName(t.elem)})`;
    case 'map':
      return `map(${t.key ? typeName(t.key) : 'string'}, ${typeName(t.value)})`;
    case 'optional':
      return `optional_type(${typeName(t.value)})`;
    case 'object':
      return t.name ?? 'object';
    case 'timestamp':
      return 'google.protobuf.Timestamp';
    case 'duration':
      return 'google.protobuf.Duration';
    default:
      return t.kind;
  }
}

/**
 * `t` with its objects named as apiextensions names them when it compiles a node's rules
 * (DeclType.MaybeAssignTypeName): the node's own type `name`, a field's type `<parent>.<field>`
 * (the escaped name), a list's element `<list>.@idx` and a map's value `<map>.@elem`.
 */
export function namedTypes(t: CelSchemaType, name: string): CelSchemaType {
  switch (t.kind) {
    case 'object': {
      const own = t.name ?? name;
      const fields = new Map([...t.fields].map(([escaped, f]) => [escaped, { ...f, type: namedTypes(f.type, `${own}.${escaped}`) }]));
      return { ...t, fields, name: own };
    }
    case 'list':
      return { kind: 'list', elem: namedTypes(t.elem, `${name}.@idx`) };
    case 'map':
      return { ...t, value: namedTypes(t.value, `${name}.@elem`) };
    default:
      return t;
  }
}

/** The placeholder name upstream gives a rule's `self` type (generateUniqueSelfTypeName): `selfType` and the clock's nanoseconds. */
export const uniqueSelfTypeName = (): string => `selfType${process.hrtime.bigint() % 1_000_000_000n}`;

/**
 * Turns the TypeBox schemas of the served kinds into named OpenAPI schema definitions, the way the
 * Kubernetes documents spell them:
 *
 * - every sub-schema carrying an `$id` (e.g. `io.k8s.api.core.v1.PodSpec`) becomes one definition and
 *   is replaced where it is used by a reference; a field with its own description (made by `field()`)
 *   becomes `allOf: [{$ref}]` beside that description, as upstream writes it;
 * - IntOrString and Quantity fields (`x-kubernetes-int-or-string`) refer to the shared
 *   `intstr.IntOrString` / `resource.Quantity` definitions;
 * - maps (`Type.Record`, i.e. `patternProperties`) become `additionalProperties`; maps of anything
 *   (RawExtension, FieldsV1) stay a plain `type: object`;
 * - TypeBox internals (`$id`, symbols, `const`) are dropped; `x-kubernetes-*` extensions are kept.
 *
 * References are written in the OpenAPI v3 form (`#/components/schemas/<name>`); the Swagger 2.0
 * writer (v2.ts) rewrites them. Pure: no Fastify, no I/O.
 */
import type { TSchema } from '@sinclair/typebox';

export type JsonSchema = { [key: string]: unknown };

export const V3_REF_PREFIX = '#/components/schemas/';

export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** Definitions not written with TypeBox: the two scalar types that accept a number or a string. */
const SCALARS: Record<string, JsonSchema> = {
  [INT_OR_STRING]: {
    description: 'A value that is either a 32-bit integer or a string, such as a port number or a port name, or a percentage.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
  [QUANTITY]: {
    description:
      'A fixed-point amount with an optional unit suffix, such as "500m" (millicores), "128Mi" or "1.5Gi"; a plain number is read as the base unit.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
};

/** Keywords handled below rather than copied. */
const STRUCTURAL = new Set([
  '$id',
  '$schema',
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'const',
]);

type Position = 'property' | 'element';

function isEmptySchema(s: unknown): boolean {
  return typeof s === 'object' && s !== null && Object.keys(s).length === 0;
}

/** A plain JSON copy (drops symbols, functions and undefined). */
function jsonCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export class DefinitionCollector {
  /** Definitions by name, in the order they were met. */
  readonly definitions = new Map<string, JsonSchema>();

  /**
   * @param canonical the original named schemas by `$id`, so that a type's own description is known
   *   even when every use of it is a `field()` copy with the field's description.
   */
  constructor(private readonly canonical: ReadonlyMap<string, TSchema> = new Map()) {}

  /** Adds a named schema and everything it refers to; returns its definition name. */
  add(schema: TSchema): string {
    const name = schema.$id;
    if (typeof name !== 'string' || name === '') throw new Error('DefinitionCollector.add: the schema has no $id');
    if (!this.definitions.has(name)) {
      const placeholder: JsonSchema = {};
      this.definitions.set(name, placeholder); // breaks cycles; filled in below
      Object.assign(placeholder, this.body(this.canonical.get(name) ?? schema));
    }
    return name;
  }

  /** The definitions, sorted by name. */
  sorted(): Record<string, JsonSchema> {
    return Object.fromEntries([...this.definitions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private addScalar(name: string): string {
    if (!this.definitions.has(name)) this.definitions.set(name, jsonCopy(SCALARS[name]));
    return name;
  }

  /** The definition a schema stands for, if it is a named or a scalar type. */
  private namedOf(s: TSchema): string | undefined {
    if (typeof s.$id === 'string' && s.$id !== '') return this.add(s);
    if (s['x-kubernetes-int-or-string'] === true) return this.addScalar(s.format === 'quantity' ? QUANTITY : INT_OR_STRING);
    return undefined;
  }

  /** A schema used as a property, an array element or a map value. */
  private child(s: TSchema, position: Position): JsonSchema {
    const name = this.namedOf(s);
    if (name === undefined) return this.body(s);
    const ref = { $ref: V3_REF_PREFIX + name };
    if (position === 'element' && name in SCALARS) return ref; // map values such as ResourceList's quantities
    const own = typeof s.description === 'string' ? s.description : undefined;
    const typeDescription = this.definitions.get(name)?.description;
    if (own !== undefined && own !== typeDescription) return { allOf: [ref], description: own };
    // Same text as the type: a sibling description keeps `explain` from printing it twice.
    if (position === 'property' && own !== undefined) return { ...ref, description: own };
    return ref;
  }

  /** The schema itself, with its named parts replaced by references. */
  private body(s: TSchema): JsonSchema {
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(s)) {
      if (!STRUCTURAL.has(key) && value !== undefined) out[key] = jsonCopy(value);
    }
    if ('const' in s) out.enum = [jsonCopy(s.const)];
    if (s.properties && typeof s.properties === 'object') {
      const props: Record<string, JsonSchema> = {};
      for (const [name, prop] of Object.entries(s.properties as Record<string, TSchema>)) props[name] = this.child(prop, 'property');
      if (Object.keys(props).length > 0) out.properties = props;
    }
    const mapValue = this.mapValueOf(s);
    if (mapValue) out.additionalProperties = this.child(mapValue, 'element');
    if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) out.items = this.child(s.items as TSchema, 'element');
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = s[key] as TSchema[] | undefined;
      if (Array.isArray(list)) out[key] = list.map((item) => this.child(item, 'element'));
    }
    return out;
  }

  /** The value schema of a map; undefined for non-maps and for maps of arbitrary values. */
  private mapValueOf(s: TSchema): TSchema | undefined {
    let value: unknown = s.additionalProperties;
    if (s.patternProperties && typeof s.patternProperties === 'object') {
      const values = Object.values(s.patternProperties as Record<string, unknown>);
      if (values.length === 1) value = values[0];
    }
    if (typeof value !== 'object' || value === null || isEmptySchema(value)) return undefined;
    return value as TSchema;
  }
}

/** Every `$ref` target name (under `prefix`) found anywhere in `value`. */
export function referencedNames(value: unknown, prefix: string, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedNames(item, prefix, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && item.startsWith(prefix)) into.add(item.slice(prefix.length));
      else referencedNames(item, prefix, into);
    }
  }
  return into;
}

/** The definitions reachable from `start` (names), following references between definitions; sorted. */
export function closure(all: Record<string, JsonSchema>, start: Iterable<string>, prefix: string): Record<string, JsonSchema> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    const schema = all[name];
    if (!schema) throw new Error(`openapi: reference to an unknown definition ${name}`);
    seen.add(name);
    for (const next of referencedNames(schema, prefix)) if (!seen.has(next)) queue.push(next);
  }
  return Object.fromEntries([...seen].sort().map((name) => [name, all[name]]));
}

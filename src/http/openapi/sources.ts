/**
 * Where the OpenAPI generator reads its schemas: the served kinds' schemas by apiVersion/kind, and
 * every named (`$id`) schema reachable from the definitions' schemas, each in its original form so
 * that a type's own description is known even where it is only used through `field()` copies.
 */
import type { TSchema } from '@sinclair/typebox';
import * as meta from '../../apimachinery/schemas/meta.js';
import { namedOriginal } from '../../apimachinery/schemas/extensions.js';
import { resources } from '../../resources/index.js';
import { schemaFor } from '../../resources/schemas.js';
import { servedDefinitions } from '../../registry/served-versions.js';
import { extraSchemas } from './extra-schemas.js';

export interface SchemaSource {
  /** The schema of "<apiVersion>/<Kind>" (kinds and lists), if served. */
  schemaFor(apiVersion: string, kind: string): TSchema | undefined;
  /** Original named schemas by `$id`. */
  named: ReadonlyMap<string, TSchema>;
  /** Named schemas every document may refer to (Status, DeleteOptions, Patch, WatchEvent, discovery). */
  extras: TSchema[];
}

const CHILD_KEYS = ['items', 'additionalProperties', 'not'] as const;
const LIST_KEYS = ['allOf', 'anyOf', 'oneOf'] as const;

function isSchema(value: unknown): value is TSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schemas directly inside one: properties, map values, items, alternatives. */
function childrenOf(s: TSchema): TSchema[] {
  const out: TSchema[] = [];
  for (const key of ['properties', 'patternProperties'] as const) {
    const map = s[key] as Record<string, unknown> | undefined;
    if (isSchema(map)) for (const v of Object.values(map)) if (isSchema(v)) out.push(v);
  }
  for (const key of CHILD_KEYS) if (isSchema(s[key])) out.push(s[key]);
  for (const key of LIST_KEYS) if (Array.isArray(s[key])) for (const v of s[key] as unknown[]) if (isSchema(v)) out.push(v);
  return out;
}

/** Every named schema reachable from `roots`, by `$id`: the original of each where one is known, else its first use. */
function namedSchemasFrom(roots: Iterable<TSchema>): Map<string, TSchema> {
  const named = new Map<string, TSchema>();
  const seen = new Set<TSchema>();
  const visit = (s: TSchema): void => {
    if (seen.has(s)) return;
    seen.add(s);
    const id = s.$id;
    if (typeof id === 'string' && id !== '' && !named.has(id)) {
      const original = namedOriginal(id) ?? s;
      named.set(id, original);
      if (original !== s) visit(original);
    }
    for (const child of childrenOf(s)) visit(child);
  };
  for (const root of roots) visit(root);
  return named;
}

/** The schemas kubemock serves (src/resources). */
export function defaultSchemaSource(): SchemaSource {
  const extras = [meta.StatusSchema, meta.DeleteOptionsSchema, ...extraSchemas];
  const kinds = servedDefinitions(resources).flatMap((def) => [def.schema, def.listSchema]);
  return { schemaFor, named: namedSchemasFrom([...kinds, ...extras]), extras };
}

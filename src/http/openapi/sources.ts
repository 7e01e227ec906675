/**
 * Where the OpenAPI generator reads its schemas: the kind and list schemas by apiVersion/kind, and
 * the original of every named (`$id`) schema, so a type's own description is known even where it is
 * only used through `field()` copies. A schema module that is not listed here still works: its types
 * then take the description of their first use.
 */
import type { TSchema } from '@sinclair/typebox';
import * as meta from '../../apimachinery/schemas/meta.js';
import * as controllerRevision from '../../resources/apps-schemas/controllerrevision.js';
import * as daemonSet from '../../resources/apps-schemas/daemonset.js';
import * as container from '../../resources/core-schemas/container.js';
import * as event from '../../resources/core-schemas/event.js';
import * as eventsV1 from '../../resources/events-schemas/event.js';
import * as namespace from '../../resources/core-schemas/namespace.js';
import * as node from '../../resources/core-schemas/node.js';
import * as podSpec from '../../resources/core-schemas/pod-spec.js';
import * as pod from '../../resources/core-schemas/pod.js';
import * as volume from '../../resources/core-schemas/volume.js';
import { kindSchemas, listSchemas, schemaFor } from '../../resources/schemas.js';
import { extraSchemas } from './extra-schemas.js';

export interface SchemaSource {
  /** The schema of "<apiVersion>/<Kind>" (kinds and lists), if served. */
  schemaFor(apiVersion: string, kind: string): TSchema | undefined;
  /** Original named schemas by `$id`. */
  named: ReadonlyMap<string, TSchema>;
  /** Named schemas every document may refer to (Status, DeleteOptions, Patch, WatchEvent, discovery). */
  extras: TSchema[];
}

const MODULES: Record<string, unknown>[] = [meta, container, podSpec, volume, pod, node, namespace, event, eventsV1, daemonSet, controllerRevision];

function isNamed(value: unknown): value is TSchema {
  return typeof value === 'object' && value !== null && typeof (value as { $id?: unknown }).$id === 'string';
}

/** The schemas kubemock serves (src/resources). */
export function defaultSchemaSource(): SchemaSource {
  const named = new Map<string, TSchema>();
  const put = (schema: TSchema) => {
    if (!named.has(schema.$id!)) named.set(schema.$id!, schema);
  };
  for (const mod of MODULES) for (const value of Object.values(mod)) if (isNamed(value)) put(value);
  for (const schema of [...Object.values(kindSchemas), ...Object.values(listSchemas), ...extraSchemas]) put(schema);
  return { schemaFor, named, extras: [meta.StatusSchema, meta.DeleteOptionsSchema, ...extraSchemas] };
}

/**
 * Decoding a POST / PUT body as kube-apiserver decodes it into its typed struct: syntax errors,
 * type errors and (under Strict / Warn) unknown and duplicate fields, worded as upstream; then
 * the object pruned to its schema.
 */
import type { TSchema } from '@sinclair/typebox';
import { badRequest } from '../apimachinery/status.js';
import type { KubeObject } from '../apimachinery/object.js';
import { hasDuplicateKeys } from '../apimachinery/json-scan.js';
import { pathsKeepTextOrder, prune, scanJson, unknownFieldFindings, type PruneResult } from '../apimachinery/prune.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { checkBody } from '../registry/type-meta.js';
import { decodeObjectBody, mediaType } from './content.js';
import { toStored } from './conversion.js';
import { addWarnings, type WriteQuery } from './field-validation.js';
import type { HandlerContext } from './handlers/context.js';

/** `DaemonSet in version "v1" cannot be handled as a DaemonSet: <why>` (400). */
export function cannotBeHandled(def: ResourceDefinition, why: string) {
  return badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${why}`);
}

/**
 * The strict-decoding findings of a body, in document order (none under Ignore). Prune's walk has
 * found the unknown fields already; the raw text is scanned again only when it repeats a key (or
 * names a field like an array index, which JS objects reorder), as the scan then answers differently.
 */
function strictFindings(c: HandlerContext, schema: TSchema, value: unknown, pruned: PruneResult, q: WriteQuery): string[] {
  if (q.fieldValidation === 'Ignore') return [];
  const ct = mediaType(c.request.headers['content-type']);
  if (ct !== 'application/json' && ct !== '') return unknownFieldFindings(value, pruned.unknown);
  const raw = c.request.body as Buffer;
  if (hasDuplicateKeys(raw, value) || !pathsKeepTextOrder(pruned.unknown)) return scanJson(raw, schema).strict;
  return unknownFieldFindings(value, pruned.unknown);
}

/**
 * The request body of a create or update as the object to store: decoded, checked against the
 * kind, pruned, in the stored form; unknown fields fail (Strict) or become warnings (Warn).
 */
export function decodeWriteObject(c: HandlerContext, q: WriteQuery): KubeObject {
  const def = c.store.def;
  const value = decodeObjectBody(c.request.headers['content-type'], c.request.body, def.kind) ?? {};
  const schema = def.schema;
  if (!schema) return toStored(def, checkBody(def, value));
  const pruned = prune(value, schema);
  // A custom resource is decoded as unstructured JSON: its schema's types are checked by validation (422).
  if (pruned.typeError && !def.unstructured) throw cannotBeHandled(def, pruned.typeError);
  const strict = strictFindings(c, schema, value, pruned, q);
  const obj = checkBody(def, pruned.value);
  if (strict.length && q.fieldValidation === 'Strict') throw cannotBeHandled(def, `strict decoding error: ${strict.join(', ')}`);
  addWarnings(c.reply, strict);
  return toStored(def, obj);
}

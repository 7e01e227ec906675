/**
 * Decoding a POST / PUT body as kube-apiserver decodes it into its typed struct: syntax errors,
 * type errors and (under Strict / Warn) unknown and duplicate fields, worded as upstream; then
 * the object pruned to its schema.
 */
import type { TSchema } from '@sinclair/typebox';
import { badRequest, StatusError, StatusReason } from '../apimachinery/status.js';
import { isPlainObject, type KubeObject } from '../apimachinery/object.js';
import { hasDuplicateKeys, unknownFieldQuote } from '../apimachinery/json-scan.js';
import { firstFloatOverflow, floatOverflowError } from '../apimachinery/json-numbers.js';
import { decodeError, pathsKeepTextOrder, prune, scanJson, unknownFieldFindings, type PruneResult } from '../apimachinery/prune.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { checkBody, checkCustomResourceTypeMeta, checkKind } from '../registry/type-meta.js';
import { decodeObjectBody, jsonBodyNumbers, mediaType } from './content.js';
import { dropMalformedMetadata } from '../apimachinery/structural-schema/coerce-metadata.js';
import { toStored } from './conversion.js';
import { PROTOBUF_MEDIA_TYPE } from './protobuf/decode.js';
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
  const quote = unknownFieldQuote(c.store.def.unstructured);
  if (ct !== 'application/json' && ct !== '') return unknownFieldFindings(value, pruned.unknown, quote);
  const raw = c.request.body as Buffer;
  if (hasDuplicateKeys(raw, value) || !pathsKeepTextOrder(pruned.unknown)) return scanJson(raw, schema, quote).strict;
  return unknownFieldFindings(value, pruned.unknown, quote);
}

/**
 * A custom resource has no protobuf message. Upstream's CRD handler lists protobuf among its media
 * types only for meta.k8s.io answers; its decoder cannot fill an unstructured object (with the
 * default field validation it has none at all), so a protobuf body is refused here as a media type
 * outside the handler's standard ones (JSON and YAML), worded as upstream's negotiation words it.
 */
function refuseProtobuf(c: HandlerContext, def: ResourceDefinition): void {
  if (!def.unstructured || mediaType(c.request.headers['content-type']) !== PROTOBUF_MEDIA_TYPE) return;
  throw new StatusError(
    415,
    StatusReason.UnsupportedMediaType,
    'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
  );
}

/**
 * The request body of a create or update as the object to store: decoded, checked against the
 * kind, pruned, in the stored form; unknown fields fail (Strict) or become warnings (Warn).
 */
export function decodeWriteObject(c: HandlerContext, q: WriteQuery): KubeObject {
  const def = c.store.def;
  refuseProtobuf(c, def);
  const value = decodeObjectBody(c.request.headers['content-type'], c.request.body, def.kind) ?? {};
  const numbers = jsonBodyNumbers(c.request.headers['content-type'], c.request.body);
  // A custom resource is decoded as unstructured JSON, where only a number past float64 fails;
  // its schema's types are checked by validation (422).
  const overflow = def.unstructured ? firstFloatOverflow(numbers) : undefined;
  if (overflow !== undefined) throw cannotBeHandled(def, floatOverflowError(overflow));
  // The body's own kind decides what it decodes into, before any field of it is read.
  if (isPlainObject(value)) checkKind(def, value, c.request.body);
  // A custom resource of another kind decodes; the CRD's validator refuses it after decoding.
  const given =
    isPlainObject(value) && def.unstructured ? { apiVersion: value.apiVersion, kind: value.kind, metadata: value.metadata } : undefined;
  const schema = def.schema;
  if (!schema) {
    if (given) checkCustomResourceTypeMeta(def, given);
    return toStored(def, checkBody(def, value));
  }
  const pruned = prune(value, schema, { goZeros: true, unstructured: def.unstructured === true, ...(numbers && { numbers }) });
  const decodeFailure = decodeError(pruned);
  if (decodeFailure && !def.unstructured) throw cannotBeHandled(def, decodeFailure);
  const strict = strictFindings(c, schema, value, pruned, q);
  // A custom resource's metadata that does not read as ObjectMeta loses the fields that do not (upstream's coercion).
  const obj = checkBody(def, def.unstructured ? dropMalformedMetadata(pruned.value, schema) : pruned.value);
  if (strict.length && q.fieldValidation === 'Strict') throw cannotBeHandled(def, `strict decoding error: ${strict.join(', ')}`);
  if (given) checkCustomResourceTypeMeta(def, given);
  addWarnings(c.reply, strict);
  return toStored(def, obj);
}

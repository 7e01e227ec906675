/**
 * PATCH bodies, decoded and applied as kube-apiserver's patch handler does for each content type:
 * JSON patch (RFC 6902), JSON merge patch (RFC 7386), strategic merge patch, and the apply patch
 * of server-side apply (a minimal one: merged like a strategic merge patch, no managedFields).
 * Every patched object is pruned to its schema; unknown and duplicate fields are reported under
 * the request's fieldValidation directive with upstream's texts and codes.
 *
 * Numbers: every patch is first decoded into interface{} (the strict check of JSON and merge
 * patches, the patch map of a strategic merge patch), where a number past float64 fails (400).
 * JSON and merge patches then keep each number's text (json.RawMessage) into the patched object,
 * so `1e2` still fails an int field there (and a JSON patch's `test` of `1.0` does not match a
 * `1`, as raw bytes are compared); a strategic merge patch's numbers are float64 values that the
 * unstructured converter casts to int fields, so `1e2` and `80.0` are accepted.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { goValue } from '../apimachinery/go-format.js';
import { applyJsonPatch, JsonPatchError, type JsonPatchOperation } from '../apimachinery/json-patch.js';
import { applyMergePatch } from '../apimachinery/merge-patch.js';
import { deepClone, isPlainObject, type KubeObject } from '../apimachinery/object.js';
import { dropMalformedMetadata } from '../apimachinery/structural-schema/coerce-metadata.js';
import { decodeError, jsonKind, parseGoJson, prune, scanJson, strictPath } from '../apimachinery/prune.js';
import { unknownFieldQuote } from '../apimachinery/json-scan.js';
import {
  firstFloatOverflow,
  hasTokenUnder,
  floatOverflowError,
  numberTokens,
  markNumbers,
  stringifyWithNumbers,
  unmarkNumbers,
  type NumberTokens,
} from '../apimachinery/json-numbers.js';
import { patchMetaFromSchema } from '../apimachinery/schema-walk.js';
import { strategicMergePatch } from '../apimachinery/strategic-merge-patch.js';
import { badRequest, StatusError, StatusReason } from '../apimachinery/status.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { checkCustomResourceTypeMeta, patchedKindFailure } from '../registry/type-meta.js';
import type { PatchType } from './content.js';
import type { WriteQuery } from './field-validation.js';
import { invalidPatch, unprocessable, withPatchErrors } from './patch-errors.js';

export interface PatchTarget {
  def: ResourceDefinition;
  schema?: TSchema;
  query: WriteQuery;
  /** Receives warnings (possibly more than once, when a write is retried). */
  warn(texts: string[]): void;
}

/** A decoded patch: turns the current object into the desired one, or throws a StatusError. */
export interface PreparedPatch {
  apply(current: KubeObject): KubeObject;
}

const MAX_JSON_PATCH_OPERATIONS = 10000;
const MAP_GO_TYPE = 'map[string]interface {}';

/** The shape kube-apiserver strictly decodes a JSON patch into (handlers.jsonPatchOp). */
const JSON_PATCH_OPS = Type.Array(
  Type.Object(
    {
      op: Type.Optional(Type.String()),
      path: Type.Optional(Type.String()),
      from: Type.Optional(Type.String()),
      value: Type.Optional(Type.Unknown()),
    },
    { $id: 'handlers.jsonPatchOp' },
  ),
);

const strictMode = (q: WriteQuery) => q.fieldValidation !== 'Ignore';

/** Where a JSON patch's numbers decode into interface{}: the operations' values (jsonPatchOp.Value). */
const JSON_PATCH_VALUE = /^\/\d+\/value(?:\/|$)/;

/**
 * Fails with the 400 of a patch holding a number past float64 where its type first decodes it into
 * interface{}: a JSON patch's operation values and a merge patch only under Warn and Strict (their
 * strict check, `error decoding patch: …`), a strategic merge patch always (its patch map).
 */
export function checkPatchNumbers(type: 'json' | 'merge' | 'strategic', numbers: NumberTokens | undefined, strict: boolean): void {
  if (!numbers || (!strict && type !== 'strategic')) return;
  if (type === 'json') {
    const token = firstFloatOverflow(numbers, JSON_PATCH_VALUE);
    if (token !== undefined)
      throw badRequest(
        `error decoding patch: json: cannot unmarshal number ${token} into Go struct field jsonPatchOp.value of type float64`,
      );
    return;
  }
  const token = firstFloatOverflow(numbers);
  if (token !== undefined) throw badRequest(`${type === 'merge' ? 'error decoding patch: ' : ''}${floatOverflowError(token)}`);
}

/**
 * Marks the numbers of a JSON patch's operation values that JSON.parse did not keep as written
 * (markNumbers), so that they reach the patched object as their text; whether there were any.
 */
export function markJsonPatchNumbers(ops: unknown, numbers: NumberTokens | undefined): boolean {
  if (!numbers || !hasTokenUnder(numbers, JSON_PATCH_VALUE)) return false;
  markNumbers(ops, numbers, JSON_PATCH_VALUE);
  return true;
}

/** Parses the body, failing with `<prefix><Go syntax error>` as a 400. */
function parseOr400(raw: Buffer, prefix: string): unknown {
  try {
    return parseGoJson(raw);
  } catch (e) {
    throw badRequest(`${prefix}${(e as Error).message}`);
  }
}

/**
 * A JSON patch's operations, its strict findings, and whether some operation's value holds a number
 * JSON.parse did not keep as written: that number is marked (markNumbers) to travel as its text.
 */
function decodeJsonPatch(raw: Buffer, q: WriteQuery): { ops: JsonPatchOperation[]; strict: string[]; marked: boolean } {
  const strict = strictMode(q);
  const prefix = strict ? 'error decoding patch: ' : '';
  const ops = parseOr400(raw, prefix) ?? [];
  const numbers = numberTokens(raw); // a valid text only
  let findings: string[] = [];
  if (strict) {
    const checked = prune(ops, JSON_PATCH_OPS);
    if (checked.typeError) throw badRequest(`${prefix}${checked.typeError}`);
    checkPatchNumbers('json', numbers, strict);
    findings = scanJson(raw, JSON_PATCH_OPS).strict.map((s) => `json patch ${s}`);
  } else if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${jsonKind(ops)} into Go value of type jsonpatch.Patch`);
  } else {
    const bad: unknown = ops.find((op) => op !== null && !isPlainObject(op));
    if (bad !== undefined) throw badRequest(`json: cannot unmarshal ${jsonKind(bad)} into Go value of type jsonpatch.Operation`);
  }
  const list = ops as JsonPatchOperation[];
  if (list.length > MAX_JSON_PATCH_OPERATIONS) {
    const why = `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${list.length}`;
    throw new StatusError(413, StatusReason.RequestEntityTooLarge, `Request entity too large: ${why}`);
  }
  const marked = markJsonPatchNumbers(list, numbers);
  return { ops: list, strict: findings, marked };
}

/**
 * Merge and strategic patches are maps; `null` is an empty one for SMP and "Invalid JSON Patch" for
 * merge. With the numbers JSON.parse did not keep as written.
 */
function decodeMapPatch(
  raw: Buffer,
  q: WriteQuery,
  type: 'merge' | 'strategic',
): { patch: Record<string, unknown>; strict: string[]; numbers?: NumberTokens } {
  const strict = strictMode(q);
  const prefix = type === 'merge' && strict ? 'error decoding patch: ' : '';
  let patch: unknown;
  try {
    patch = parseGoJson(raw);
  } catch (e) {
    throw badRequest(type === 'merge' && !strict ? 'Invalid JSON Patch' : `${prefix}${(e as Error).message}`);
  }
  if (patch !== null && !isPlainObject(patch))
    throw badRequest(`${prefix}json: cannot unmarshal ${jsonKind(patch)} into Go value of type ${MAP_GO_TYPE}`);
  if (patch === null && type === 'merge') throw badRequest('Invalid JSON Patch');
  const numbers = numberTokens(raw);
  checkPatchNumbers(type, numbers, strict);
  return { patch: patch ?? {}, strict: strict ? scanJson(raw).strict : [], ...(numbers && { numbers }) };
}

/**
 * Decodes the patched object: prunes it, and reports unknown fields (after `strict`, the findings
 * in the patch text) as upstream does for patches: 422 `"" is invalid: patch: …` under Strict.
 * `numbers` are the texts of the patched object's numbers that JSON.parse did not keep (merge patch).
 */
function finish(
  target: PatchTarget,
  patched: unknown,
  strict: string[],
  shown: () => string,
  numbers?: NumberTokens,
  decodesKind = true,
): KubeObject {
  if (!isPlainObject(patched))
    throw invalidPatch(shown(), `json: cannot unmarshal ${jsonKind(patched)} into Go value of type ${MAP_GO_TYPE}`);
  // A custom resource decodes into interface{}: a number past float64 (left by an unchecked merge patch) fails.
  const overflow = target.def.unstructured ? firstFloatOverflow(numbers) : undefined;
  if (overflow !== undefined) throw invalidPatch(shown(), floatOverflowError(overflow));
  const kindFailure = decodesKind ? patchedKindFailure(target.def, patched, shown) : undefined;
  if (kindFailure !== undefined) throw invalidPatch(shown(), kindFailure);
  // The CRD validator's kind and apiVersion check, which strict decoding comes before.
  const typeMeta = () => {
    if (decodesKind && target.def.unstructured) checkCustomResourceTypeMeta(target.def, patched);
  };
  if (!target.schema) {
    typeMeta();
    return patched as KubeObject;
  }
  const pruned = prune(patched, target.schema, {
    goZeros: true,
    unstructured: target.def.unstructured === true,
    ...(numbers && { numbers }),
  });
  const decodeFailure = decodeError(pruned);
  if (decodeFailure && !target.def.unstructured) throw invalidPatch(shown(), decodeFailure);
  const quote = unknownFieldQuote(target.def.unstructured);
  const findings = [...new Set([...strict, ...pruned.unknown.map((p) => `unknown field ${quote(strictPath(p))}`)])];
  if (findings.length && target.query.fieldValidation === 'Strict')
    throw invalidPatch(shown(), `strict decoding error: ${findings.join(', ')}`);
  typeMeta();
  if (findings.length && target.query.fieldValidation === 'Warn') target.warn(findings);
  return (target.def.unstructured ? dropMalformedMetadata(pruned.value, target.schema) : pruned.value) as KubeObject;
}

function jsonPatch(raw: Buffer, target: PatchTarget): PreparedPatch {
  const { ops, strict, marked } = decodeJsonPatch(raw, target.query);
  return {
    apply(current) {
      let patched: unknown;
      try {
        patched = applyJsonPatch(current, ops);
      } catch (e) {
        if (e instanceof JsonPatchError) throw unprocessable();
        throw e;
      }
      // The operations' numbers land wherever the operations put them, as written.
      const numbers = marked ? unmarkNumbers(patched) : undefined;
      return finish(target, patched, strict, () => stringifyWithNumbers(patched, numbers), numbers);
    },
  };
}

function mergePatch(raw: Buffer, target: PatchTarget): PreparedPatch {
  const { patch, strict, numbers } = decodeMapPatch(raw, target.query, 'merge');
  return {
    apply(current) {
      // The patch's numbers land where they stood in the patch, as written.
      const patched = applyMergePatch(current, patch);
      return finish(target, patched, strict, () => stringifyWithNumbers(patched, numbers), numbers);
    },
  };
}

function strategicPatch(raw: Buffer, target: PatchTarget): PreparedPatch {
  const { patch, strict } = decodeMapPatch(raw, target.query, 'strategic');
  const meta = target.schema ? patchMetaFromSchema(target.schema) : () => ({});
  return {
    apply(current) {
      const consumed = deepClone(patch);
      const patched = withPatchErrors(() => strategicMergePatch(deepClone(current) as Record<string, unknown>, consumed, meta));
      // Decoded field by field into the versioned type (FromUnstructured): its kind is not read.
      return finish(target, patched, strict, () => goValue(consumed), undefined, false);
    },
  };
}

/** Custom resources take no strategic merge patch: upstream's 415 with the patch types they do take. */
function unsupportedPatchType(): StatusError {
  const accepted = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
  return new StatusError(
    415,
    StatusReason.UnsupportedMediaType,
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

/** Decodes a PATCH body of the given type; decoding errors are thrown here, once. */
export function preparePatch(type: Exclude<PatchType, 'apply'>, raw: Buffer, target: PatchTarget): PreparedPatch {
  if (type === 'strategic' && target.def.unstructured) throw unsupportedPatchType();
  if (type === 'json') return jsonPatch(raw, target);
  if (type === 'merge') return mergePatch(raw, target);
  return strategicPatch(raw, target);
}

/**
 * The scale subresource of a custom resource (apiextensions-apiserver's ScaleREST): GET answers an
 * autoscaling/v1 Scale read from the CRD's specReplicasPath, statusReplicasPath and
 * labelSelectorPath; PUT and PATCH (JSON, merge or strategic merge, as for any Scale) set the
 * replicas at specReplicasPath through the custom resource's own update rules (validation,
 * generation), with the Scale's resourceVersion as precondition.
 */
import { applyJsonPatch, JsonPatchError, type JsonPatchOperation } from '../../apimachinery/json-patch.js';
import { applyMergePatch } from '../../apimachinery/merge-patch.js';
import { jsonPathValues, simpleFieldPath } from '../../apimachinery/json-path.js';
import { invalidValue, path } from '../../apimachinery/field-errors.js';
import { badRequest, invalid, StatusError } from '../../apimachinery/status.js';
import { isPlainObject, type KubeObject } from '../../apimachinery/object.js';
import { decodeError, parseGoJson, prune } from '../../apimachinery/prune.js';
import { numberTokens, stringifyWithNumbers, unmarkNumbers, type NumberTokens } from '../../apimachinery/json-numbers.js';
import type { ScalePaths } from '../../registry/resource-definition.js';
import { decodeObjectBody, decodePatchBody, jsonBodyNumbers } from '../content.js';
import { isScaleBody, patchedScaleFailure, SCALE_UPDATE_DECODE_FAILURE } from '../../registry/type-meta.js';
import { parseWriteQuery, type WriteQuery } from '../field-validation.js';
import { invalidPatch } from '../patch-errors.js';
import { checkPatchNumbers, markJsonPatchNumbers } from '../patch-body.js';
import { ScaleSchema } from './scale-schema.js';
import { sendObject } from '../reply.js';
import type { HandlerContext } from '../handlers/context.js';

interface Scale {
  kind: 'Scale';
  apiVersion: 'autoscaling/v1';
  metadata: Record<string, unknown>;
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

const METHOD_NOT_ALLOWED = 'the server does not allow this method on the requested resource';

function integerAt(obj: KubeObject, jsonPath: string): number {
  const [v] = jsonPathValues(obj, jsonPath);
  return typeof v === 'number' ? v : 0;
}

export function scaleOf(obj: KubeObject, paths: ScalePaths): Scale {
  const m = obj.metadata;
  const metadata: Record<string, unknown> = { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion };
  metadata.creationTimestamp = m.creationTimestamp;
  const status: Scale['status'] = { replicas: integerAt(obj, paths.statusReplicasPath) };
  if (paths.labelSelectorPath) {
    const [selector] = jsonPathValues(obj, paths.labelSelectorPath);
    if (typeof selector === 'string' && selector) status.selector = selector;
  }
  const spec: Scale['spec'] = {};
  const replicas = integerAt(obj, paths.specReplicasPath);
  if (replicas) spec.replicas = replicas;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>,
    spec,
    status,
  };
}

/** Sets the desired replicas at a simple field path, creating the objects on the way. */
function setReplicas(obj: KubeObject, jsonPath: string, replicas: number): void {
  const fields = simpleFieldPath(jsonPath) ?? [];
  let node: Record<string, unknown> = obj;
  for (const f of fields.slice(0, -1)) {
    if (!isPlainObject(node[f])) node[f] = {};
    node = node[f] as Record<string, unknown>;
  }
  node[fields[fields.length - 1]] = replicas;
}

/** A Scale as Go decodes it into autoscaling.Scale (numbers from their text, where JSON.parse lost it): its error, or the Scale. */
function decodeScale(value: unknown, numbers: NumberTokens | undefined): { error?: string; scale?: Scale } {
  const pruned = prune(value, ScaleSchema, numbers && { numbers });
  const error = decodeError(pruned);
  return error === undefined ? { scale: pruned.value as Scale } : { error };
}

/** The Scale a write asks for, from the current one. */
function requestedScale(c: HandlerContext, current: Scale, q: WriteQuery): Scale {
  const ct = c.request.headers['content-type'];
  if (c.info.verb === 'update') {
    const body = decodeObjectBody(ct, c.request.body, 'Scale');
    if (!isPlainObject(body)) throw badRequest('the body of a Scale update must be an object');
    // Another kind, or a Scale that does not decode: upstream cannot name the failure (type-meta.ts).
    if (!isScaleBody(body)) throw badRequest(SCALE_UPDATE_DECODE_FAILURE);
    const { error, scale } = decodeScale(body, jsonBodyNumbers(ct, c.request.body));
    if (error !== undefined) throw badRequest(SCALE_UPDATE_DECODE_FAILURE);
    return scale!;
  }
  const { type, raw } = decodePatchBody(ct, c.request.body);
  if (type === 'apply') throw new StatusError(415, 'UnsupportedMediaType', 'apply patches of the scale subresource are not supported');
  let patch: unknown;
  try {
    patch = parseGoJson(raw);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  // Every patch is decoded into interface{} first (see patch-body.ts): a number past float64 fails
  // there; JSON and merge patches carry their numbers' text into the patched Scale.
  const numbers = numberTokens(raw);
  checkPatchNumbers(type, numbers, q.fieldValidation !== 'Ignore');
  let kept = type === 'merge' ? numbers : undefined;
  let patched: unknown;
  if (type === 'json') {
    const marked = markJsonPatchNumbers(patch, numbers);
    try {
      patched = applyJsonPatch(current, patch as JsonPatchOperation[]);
    } catch (e) {
      if (e instanceof JsonPatchError) throw new StatusError(422, 'Invalid', e.message);
      throw e;
    }
    if (marked) kept = unmarkNumbers(patched);
  } else patched = applyMergePatch(current, patch);
  // The patched Scale is decoded as a typed object: what does not decode is the 422 `patch: Invalid value`.
  const kindFailure = isPlainObject(patched) ? patchedScaleFailure(patched, () => stringifyWithNumbers(patched, kept)) : undefined;
  if (kindFailure !== undefined) throw invalidPatch(stringifyWithNumbers(patched, kept), kindFailure);
  const { error, scale } = decodeScale(patched, kept);
  if (error !== undefined) throw invalidPatch(stringifyWithNumbers(patched, kept), error);
  return scale!;
}

export function customResourceScale(c: HandlerContext): void {
  const paths = c.store.def.scale!;
  const { namespace, name } = c.info;
  if (!name) throw new StatusError(405, 'MethodNotAllowed', METHOD_NOT_ALLOWED);
  if (c.info.verb === 'get') return void sendObject(c.reply, 200, scaleOf(c.store.get(namespace, name), paths), c.format);
  if (c.info.verb !== 'update' && c.info.verb !== 'patch') throw new StatusError(405, 'MethodNotAllowed', METHOD_NOT_ALLOWED);
  const q = parseWriteQuery(c.rawQuery, c.info.verb === 'update' ? 'UpdateOptions' : 'PatchOptions');
  const kind = { group: 'autoscaling', kind: 'Scale' };
  const result = c.store.patch(
    namespace,
    name,
    (current) => {
      const wanted = requestedScale(c, scaleOf(current, paths), q);
      const replicas = wanted.spec?.replicas ?? 0;
      if (!Number.isInteger(replicas) || replicas < 0) {
        throw invalid(kind, name, [invalidValue(path('spec', 'replicas'), replicas, 'must be greater than or equal to 0')]);
      }
      const rv = wanted.metadata?.resourceVersion;
      if (typeof rv === 'string' && rv) current.metadata.resourceVersion = rv;
      setReplicas(current, paths.specReplicasPath, replicas);
      return current;
    },
    {
      dryRun: q.dryRun,
      subresource: 'scale',
      subresourceStrategy: { validateUpdate: (obj, old, meta) => c.store.def.strategy.validateUpdate?.(obj, old, meta) ?? [] },
    },
  );
  sendObject(c.reply, 200, scaleOf(result.object, paths), c.format);
}

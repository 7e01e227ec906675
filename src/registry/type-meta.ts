/** Checks that a request body is the kind the URL names, and fills in what it left out. */
import { badRequest } from '../apimachinery/status.js';
import { isPlainObject, type KubeObject } from '../apimachinery/object.js';
import { apiVersionOf, type ResourceDefinition } from './resource-definition.js';

/** A body's apiVersion and kind, where it gives them, are the ones the URL expects (400 otherwise). */
export function checkTypeMeta(body: Record<string, unknown>, apiVersion: string, kind: string): void {
  if (body.apiVersion !== undefined && body.apiVersion !== '' && body.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`);
  }
  if (body.kind !== undefined && body.kind !== '' && body.kind !== kind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${kind})`);
  }
}

export function checkBody(def: ResourceDefinition, body: unknown): KubeObject {
  if (!isPlainObject(body)) throw badRequest(`Object '${def.kind}' is not a JSON object`);
  const expected = apiVersionOf(def);
  checkTypeMeta(body, expected, def.kind);
  if (body.metadata === undefined || body.metadata === null) body.metadata = {};
  if (!isPlainObject(body.metadata)) throw badRequest(`metadata of ${def.kind} must be an object`);
  body.apiVersion = expected;
  body.kind = def.kind;
  return body as KubeObject;
}

/** Namespace from the URL wins; a different one in the body is a 400, as upstream. */
export function checkNamespace(def: ResourceDefinition, obj: KubeObject, urlNamespace: string | undefined): void {
  if (!def.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  const given = obj.metadata.namespace;
  if (given && urlNamespace && given !== urlNamespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = urlNamespace ?? given;
}

export function checkName(obj: KubeObject, urlName: string): void {
  const given = obj.metadata.name;
  if (given && given !== urlName) {
    throw badRequest(`the name of the object (${given}) does not match the name on the URL (${urlName})`);
  }
  obj.metadata.name = urlName;
}

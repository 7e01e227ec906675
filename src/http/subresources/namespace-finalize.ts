/**
 * `PUT /api/v1/namespaces/{name}/finalize`: the write that changes only `spec.finalizers` (the
 * namespace controller removes `kubernetes` here once the namespace is empty). When the list ends
 * up empty on a namespace being deleted, the store removes the namespace.
 */
import { StatusError } from '../../apimachinery/status.js';
import { isPlainObject, type KubeObject } from '../../apimachinery/object.js';
import { checkBody, checkKind, checkName } from '../../registry/type-meta.js';
import { finalizeWriteOptions } from '../../resources/namespaces/finalize.js';
import { decodeObjectBody } from '../content.js';
import { renderObject } from '../representation.js';
import type { HandlerContext } from '../handlers/context.js';
import { parseWriteQuery } from '../field-validation.js';

export function namespaceFinalize(c: HandlerContext): void {
  if (c.info.verb !== 'update' || !c.info.name) {
    throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
  const body = decodeObjectBody(c.request.headers['content-type'], c.request.body);
  if (isPlainObject(body)) checkKind(c.store.def, body, c.request.body);
  const obj: KubeObject = checkBody(c.store.def, body);
  checkName(obj, c.info.name);
  delete obj.metadata.namespace;
  const result = c.store.update(undefined, c.info.name, obj, finalizeWriteOptions(parseWriteQuery(c.rawQuery, 'UpdateOptions').dryRun));
  renderObject(c, 200, result.json);
}

/**
 * POST of a create-only, never-stored kind (ResourceDefinition.virtual): the body is decoded as any
 * create body is, and the kind computes the answer (with the requester and the authorizer at hand).
 * Nothing is stored, so dryRun changes nothing.
 */
import { StatusError } from '../../apimachinery/status.js';
import { checkBody, checkKind } from '../../registry/type-meta.js';
import { isPlainObject } from '../../apimachinery/object.js';
import { decodeObjectBody } from '../content.js';
import type { Authorizer } from '../../apimachinery/authorization.js';
import { parseWriteQuery } from '../field-validation.js';
import { sendObject } from '../reply.js';
import type { HandlerContext } from './context.js';

const METHOD_NOT_ALLOWED = 'the server does not allow this method on the requested resource';

/** The verbs a virtual kind refuses: 405 on the collection, as upstream registers POST only. */
export function refuseVirtual(): never {
  throw new StatusError(405, 'MethodNotAllowed', METHOD_NOT_ALLOWED);
}

export function createVirtual(c: HandlerContext, authorizer: Authorizer): void {
  const def = c.store.def;
  parseWriteQuery(c.rawQuery, 'CreateOptions');
  const decoded = decodeObjectBody(c.request.headers['content-type'], c.request.body, def.kind) ?? {};
  if (isPlainObject(decoded)) checkKind(def, decoded, c.request.body);
  const body = checkBody(def, decoded);
  sendObject(
    c.reply,
    201,
    def.virtual!.create(body, c.info.namespace, { user: c.request.user, now: c.registry.options.clock.now(), authorizer }),
    c.format,
  );
}

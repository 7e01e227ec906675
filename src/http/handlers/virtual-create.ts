/**
 * POST of a create-only, never-stored kind (ResourceDefinition.virtual): the body is decoded as any
 * create body is, unless it comes in one of the kind's opaque media types (then it is not read at
 * all), and the kind computes the answer. Nothing is stored, so dryRun changes nothing.
 */
import { StatusError } from '../../apimachinery/status.js';
import { checkBody } from '../../registry/type-meta.js';
import { decodeObjectBody, mediaType } from '../content.js';
import { parseWriteQuery } from '../field-validation.js';
import { sendObject } from '../reply.js';
import type { HandlerContext } from './context.js';

const METHOD_NOT_ALLOWED = 'the server does not allow this method on the requested resource';

/** The verbs a virtual kind refuses: 405 on the collection, as upstream registers POST only. */
export function refuseVirtual(): never {
  throw new StatusError(405, 'MethodNotAllowed', METHOD_NOT_ALLOWED);
}

export function createVirtual(c: HandlerContext): void {
  const def = c.store.def;
  const virtual = def.virtual!;
  parseWriteQuery(c.rawQuery, 'CreateOptions');
  const contentType = c.request.headers['content-type'];
  const opaque = virtual.opaqueMediaTypes?.includes(mediaType(contentType)) ?? false;
  const body = opaque ? undefined : checkBody(def, decodeObjectBody(contentType, c.request.body, def.kind) ?? {});
  sendObject(c.reply, 201, virtual.create(body, c.info.namespace, { user: c.request.user, now: c.registry.options.clock.now() }), c.format);
}

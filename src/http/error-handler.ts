/** The one place where failures become Status responses. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  StatusError,
  badRequest,
  internalError,
  pathNotFound,
  requestEntityTooLarge,
  unsupportedMediaType,
  type Status,
} from '../apimachinery/status.js';
import { stringifyGo } from '../apimachinery/go-json.js';
import { sendRaw } from './reply.js';

function fromFastify(error: FastifyError): StatusError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return requestEntityTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(String(error.message));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest(error.message);
    default:
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
        return new StatusError(error.statusCode, 'BadRequest', error.message);
      return undefined;
  }
}

/**
 * A stack overflow: a value nested deeper than one of this server's recursive steps follows (a
 * patch merge, a schema walk, YAML output). Go's decoders read up to 10,000 levels and its stacks
 * grow; here the request is refused as malformed instead of answered with a 500. Nothing was
 * written: every recursive step of a write runs before the store's transaction.
 */
function tooDeep(error: unknown): StatusError | undefined {
  if (!(error instanceof RangeError) || error.message !== 'Maximum call stack size exceeded') return undefined;
  return badRequest('the object nests values deeper than this server can follow');
}

export function sendStatus(reply: FastifyReply, status: Status): void {
  const code = status.code ?? 500;
  if (code === 429 && status.details?.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(status.details.retryAfterSeconds));
  // As kube-apiserver writes it: `application/json`, without the charset Fastify adds to a string.
  sendRaw(reply, code, stringifyGo(status));
}

/**
 * The router's own errors, as Status objects. A URL it cannot decode (`%A`, `%zz`, an escape that
 * is not UTF-8) is a 400: Go's url.ParseRequestURI names the bad escape (`invalid URL escape
 * "%A"`); percent escapes that are valid but not UTF-8 Go would take as bytes, which this server
 * cannot route. A route parameter past the router's length limit is its 414.
 */
export function badUrl(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code !== 'FST_ERR_BAD_URL') {
    sendStatus(reply, (fromFastify(error) ?? badRequest(error.message)).status);
    return;
  }
  const url = request.raw.url ?? '';
  const escape = /%(?![0-9A-Fa-f]{2})/.exec(url);
  const message = escape ? `invalid URL escape ${JSON.stringify(url.slice(escape.index, escape.index + 3))}` : error.message;
  sendStatus(reply, badRequest(message).status);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let status: StatusError | undefined = error instanceof StatusError ? error : (tooDeep(error) ?? fromFastify(error));
    if (!status) {
      request.log.error({ err: error }, 'unexpected error');
      status = internalError(error.message);
    }
    sendStatus(reply, status.status);
  });
  app.setNotFoundHandler((_request, reply) => sendStatus(reply, pathNotFound().status));
}

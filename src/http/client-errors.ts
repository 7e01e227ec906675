/**
 * Requests Node's HTTP parser rejects before Fastify sees them (headers too large, a malformed
 * request line or header, a request that took too long to arrive), answered as a Kubernetes
 * Status with `Connection: close`, and connections closed so that the client reads the last
 * response: the write side ends after it, what the client still sends is read and dropped, and the
 * socket is destroyed once the client is done or after a short delay (Go's net/http closes the
 * same way, with a half close and a wait, so that unread request bytes do not turn the close into a
 * reset that discards the response).
 */
import type { Socket } from 'node:net';
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import { StatusError, badRequest, requestHeaderFieldsTooLarge } from '../apimachinery/status.js';
import { stringifyGo } from '../apimachinery/go-json.js';

/** How long a closing connection keeps reading what the client still sends. */
export const LINGER_MS = 500;

interface ParserError extends Error {
  code?: string;
  reason?: string;
}

/** The Status for an error of the HTTP parser (or of the request timeout). */
export function clientErrorStatus(err: ParserError): StatusError {
  if (err.code === 'HPE_HEADER_OVERFLOW') return requestHeaderFieldsTooLarge();
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new StatusError(408, '', 'Request Timeout');
  const detail = err.reason ?? err.code;
  return badRequest(detail ? `malformed HTTP request: ${detail}` : 'malformed HTTP request');
}

/** The whole HTTP response for a Status, closing the connection. */
export function closingStatusResponse(error: StatusError): string {
  const body = stringifyGo(error.status);
  return (
    `HTTP/1.1 ${error.code} ${STATUS_CODES[error.code] ?? 'Error'}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

const answered = new WeakSet<Socket>();

/** Fastify's clientErrorHandler: one Status answer per connection, then a lingering close. */
export function answerClientError(err: ParserError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  if (socket.writable) socket.write(closingStatusResponse(clientErrorStatus(err)));
  lingeringClose(socket);
}

/**
 * Ends the connection after what is written, reading and dropping what the client still sends
 * (the body of `request` when one is under way), and destroys it when the client has closed too,
 * or after `ms`.
 */
export function lingeringClose(socket: Socket, request?: IncomingMessage, ms = LINGER_MS): void {
  if (socket.destroyed) return;
  let sent = socket.writableFinished;
  let clientDone = socket.readableEnded;
  const destroy = (): void => {
    socket.destroy();
  };
  const timer = setTimeout(destroy, ms);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.once('finish', () => {
    sent = true;
    if (clientDone) destroy();
  });
  socket.once('end', () => {
    clientDone = true;
    if (sent) destroy();
  });
  if (sent && clientDone) return destroy();
  // The parser may be reading the socket natively: the body it still parses flows out of the request.
  if (request && !request.complete) {
    request.removeAllListeners('data');
    request.on('data', () => {});
    request.resume();
  }
  socket.on('data', () => {});
  socket.resume();
  // After the server stopped reading for a body no one consumed, the socket's stream still counts a
  // read as under way, so resume() alone never restarts the handle (Node's own req._dump() is stuck
  // the same way): ask the socket for a read directly.
  (socket as unknown as { _read(size: number): void })._read(0);
  socket.end();
}

/**
 * Makes the HTTP server's own closes linger as well (a response with `Connection: close`, such as
 * a 413 sent before the body was read): Node closes such a connection with `destroySoon`, which
 * resets it while request bytes are still unread.
 */
export function lingerOnServerClose(server: Server): void {
  const requests = new WeakMap<Socket, IncomingMessage>();
  server.on('request', (req: IncomingMessage) => requests.set(req.socket, req));
  server.on('connection', (socket: Socket) => {
    socket.destroySoon = () => lingeringClose(socket, requests.get(socket));
  });
}

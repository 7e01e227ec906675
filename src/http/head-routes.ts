/**
 * HEAD on every GET route, as Go's net/http answers it (the GET's status and headers, no body).
 * Fastify's own way (exposeHeadRoutes) registers a second route per GET, with its own context, hooks
 * and matcher, which is a third of the start-up cost of registering routes. Here a GET route takes
 * HEAD itself instead: Fastify sets Content-Length from the payload as for the GET, and Node's HTTP
 * server sends no body for a HEAD. A route that wants Fastify's twin instead says so with `exposeHeadRoute: true`
 * (the resource routes take HEAD too, but answer it with kube-apiserver's 405: routes/resources.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RouteOptions } from 'fastify';

/** Fastify options: no generated HEAD twins (registerHeadWithGet answers HEAD instead). */
export const HEAD_TWINS_OFF = { exposeHeadRoutes: false } as const;

function withHead(method: RouteOptions['method']): HTTPMethods[] | undefined {
  const methods = (Array.isArray(method) ? method : [method]).map((m) => m.toUpperCase());
  if (!methods.includes('GET') || methods.includes('HEAD')) return undefined;
  return [...methods, 'HEAD'];
}

/**
 * An empty HEAD answer (a redirect) says Content-Length 0, as a GET's does and Fastify's twin did; not a 204's or 304's,
 * which carry no length (Fastify leaves HEAD's length to the route, which here is the GET's).
 */
function emptyHeadLength(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (err: null, payload: unknown) => void,
): void {
  const code = reply.statusCode;
  if (payload == null && request.method === 'HEAD' && code >= 200 && code !== 204 && code !== 304) reply.header('content-length', '0');
  done(null, payload);
}

/** Every GET route registered after this (in this instance and its plugins) answers HEAD too. */
export function registerHeadWithGet(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.exposeHeadRoute === true) return;
    const methods = withHead(route.method);
    if (!methods) return;
    route.method = methods;
    const onSend = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...onSend, emptyHeadLength];
  });
}

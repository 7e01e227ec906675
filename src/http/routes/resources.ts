/**
 * Every resource URL (`/api/v1/…`, `/apis/{group}/{version}/…`) goes through one dispatcher that
 * reads the URL as kube-apiserver does and calls the verb's handler with the kind's store.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { methodNotSupported, notFound, pathNotFound, StatusError } from '../../apimachinery/status.js';
import type { Registry } from '../../registry/registry.js';
import type { Authorizer } from '../../apimachinery/authorization.js';
import type { ResourceStore } from '../../registry/store.js';
import { negotiate } from '../content.js';
import { parseRequestInfo, type RequestInfo } from '../request-info.js';
import { firstValues, parseQueryBool, type RawQuery } from '../../apimachinery/query-params.js';
import type { HandlerContext } from '../handlers/context.js';
import { getObject, listObjects } from '../handlers/read.js';
import { createObject, patchObject, updateObject } from '../handlers/write.js';
import { deleteCollection, deleteObject } from '../handlers/delete.js';
import { watchObjects } from '../handlers/watch.js';
import { createVirtual, refuseVirtual } from '../handlers/virtual-create.js';
import type { WatchRegistry, WatchSettings } from '../watch-registry.js';
import type { WatchFanOut } from '../watch-fan-out.js';
import { addWarnings } from '../field-validation.js';
import { deprecationWarningOf } from '../../registry/resource-definition.js';
import { customResourceScale } from '../subresources/custom-resource-scale.js';
import type { ApiServerMetrics } from '../../apimachinery/metrics/apiserver.js';

export interface ResourceRoutesOptions {
  registry: Registry;
  watches: WatchRegistry;
  watchSettings: WatchSettings;
  /** Where the app's watch streams hold frames until they can be sent (one per app). */
  watchFanOut: WatchFanOut;
  /** Handlers for subresources other than status (pods/log, pods/binding…), keyed `resource/sub`. */
  subresources?: Map<string, (c: HandlerContext) => void | Promise<void>>;
  /** What access reviews (create-only kinds) and a PUT or apply that creates (create-on-update) ask. */
  authorizer: Authorizer;
  /** Where watches count the events they send (apiserver_watch_events_total). */
  metrics?: ApiServerMetrics;
}

const METHOD_NOT_ALLOWED = 'the server does not allow this method on the requested resource';

function handlerFor(info: RequestInfo, store: ResourceStore, opts: ResourceRoutesOptions): (c: HandlerContext) => void | Promise<void> {
  const sub = info.subresource;
  if (store.def.virtual) {
    // Create-only kinds that are never stored: only POST on the collection exists.
    if (info.name || sub) throw pathNotFound();
    return info.verb === 'create' ? (c) => createVirtual(c, opts.authorizer) : refuseVirtual;
  }
  if (sub === 'scale' && store.def.scale) return customResourceScale;
  if (sub && sub !== 'status') {
    const h = opts.subresources?.get(`${info.resource}/${sub}`);
    if (!h) throw pathNotFound();
    return h;
  }
  switch (info.verb) {
    case 'get':
      return getObject;
    case 'list':
      return listObjects;
    case 'watch':
      return (c) =>
        watchObjects(
          c,
          opts.watches,
          opts.watchSettings,
          opts.watchFanOut,
          opts.metrics?.watchEventCell(info.group, info.version, store.def.kind),
        );
    case 'create':
      if (info.name) throw new StatusError(405, 'MethodNotAllowed', METHOD_NOT_ALLOWED);
      return createObject;
    case 'update':
      if (!info.name) throw new StatusError(405, 'MethodNotAllowed', METHOD_NOT_ALLOWED);
      return (c) => updateObject(c, opts.authorizer);
    case 'patch':
      if (!info.name) throw new StatusError(405, 'MethodNotAllowed', METHOD_NOT_ALLOWED);
      return (c) => patchObject(c, opts.authorizer);
    case 'delete':
      return deleteObject;
    case 'deletecollection':
      return deleteCollection;
  }
}

export async function resourceRoutes(app: FastifyInstance, opts: ResourceRoutesOptions): Promise<void> {
  const { registry } = opts;
  const dispatch = async (request: FastifyRequest, reply: FastifyReply) => {
    const rawQuery = (request.query ?? {}) as RawQuery;
    const query = firstValues(rawQuery);
    const info = parseRequestInfo(request.method, request.url, parseQueryBool(rawQuery.watch));
    if (!info) throw pathNotFound();
    const store = registry.lookup(info.group, info.version, info.resource);
    if (!store) throw pathNotFound();
    request.apiRequestInfo = info;
    if (info.subresource === 'status') {
      if (!store.def.statusStrategy) throw pathNotFound();
      if (!info.name || !['get', 'update', 'patch'].includes(info.verb)) throw methodNotSupported(store.gr, info.verb);
    }
    if (store.def.namespaced === false && info.namespace !== undefined && info.resource !== 'namespaces') throw pathNotFound();
    if (store.def.namespaced && info.name && info.namespace === undefined) throw notFound(store.gr, info.name);
    // Across all namespaces a namespaced kind is only listed and watched: upstream registers no other verb there.
    if (store.def.namespaced && !info.name && info.namespace === undefined && info.verb !== 'list' && info.verb !== 'watch') {
      throw new StatusError(405, 'MethodNotAllowed', METHOD_NOT_ALLOWED);
    }
    if (request.method === 'HEAD') {
      // kube-apiserver routes a resource URL's GET only (HEAD is a route of the proxy subresources alone): its router
      // answers HEAD on a path it has a route for with 405 (Go keeps the Status's length and drops its body), and
      // on a path it has none for with 404. So a HEAD never starts a list, a get or a watch's endless stream.
      handlerFor(info, store, opts); // throws the 404 of a path with no route
      throw new StatusError(405, 'MethodNotAllowed', METHOD_NOT_ALLOWED, {});
    }
    const deprecation = deprecationWarningOf(store.def);
    if (deprecation !== undefined) addWarnings(reply, [deprecation]);
    const format = negotiate(request.headers.accept, true);
    await handlerFor(info, store, opts)({ request, reply, info, store, registry, format, query, rawQuery });
    return reply;
  };
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
  // HEAD joins GET here (head-routes.ts), and dispatch answers it.
  app.route({ method: [...methods], url: '/api/*', handler: dispatch });
  app.route({ method: [...methods], url: '/apis/*', handler: dispatch });
}

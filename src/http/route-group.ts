/**
 * Many paths served through one Fastify route: a table of its own (find-my-way, the router Fastify
 * itself uses, so paths, parameters, decoding and query strings match alike) behind one route per
 * mount URL (`/prefix` and `/prefix/*`). Each Fastify route costs a start about a tenth of a
 * millisecond or more (its context, its hooks, its matchers compiled with `new Function`); the
 * table is built on the group's first request (its matchers are compiled then), so a start pays
 * for its paths only a list; a request pays one more look-up. A path the table does not
 * have, or not for this method, gets the server's 404, as an unrouted request does. A HEAD is
 * answered by the GET path: the mount routes take HEAD as every GET route does (head-routes.ts).
 */
import Router from 'find-my-way';
import { errorCodes, type FastifyInstance, type FastifyReply, type FastifyRequest, type HTTPMethods } from 'fastify';
import type { RawQuery } from '../apimachinery/query-params.js';

/** A request as a table's path sees it: its parameters by name (`*` for a wildcard's rest), its query. */
export type GroupRequest = FastifyRequest<{ Params: Record<string, string>; Querystring: RawQuery }>;

export type GroupHandler = (request: GroupRequest, reply: FastifyReply) => Promise<unknown>;

type GroupMethod = 'GET' | 'POST' | 'DELETE';

const noop = () => undefined;

/** A parameter past the length limit (Fastify's router's too, 100) is the same 414 error as from Fastify's router. */
function tooLong(path: string): never {
  throw new errorCodes.FST_ERR_MAX_PARAM_LENGTH(path);
}

export class RouteGroup {
  private readonly paths: { method: GroupMethod; path: string; handler: GroupHandler }[] = [];
  private table?: Router.Instance<Router.HTTPVersion.V1>;
  private readonly methods = new Set<GroupMethod>();

  get(path: string, handler: GroupHandler): this {
    return this.on('GET', path, handler);
  }

  post(path: string, handler: GroupHandler): this {
    return this.on('POST', path, handler);
  }

  delete(path: string, handler: GroupHandler): this {
    return this.on('DELETE', path, handler);
  }

  /** Serves the table's paths at these URLs of `app` (each covering some of them: a path, or a prefix's wildcard). */
  mount(app: FastifyInstance, urls: string[]): void {
    const method: HTTPMethods[] = [...this.methods];
    const handler = (request: FastifyRequest, reply: FastifyReply) => this.dispatch(request, reply);
    for (const url of urls) app.route({ method, url, handler });
  }

  private on(method: GroupMethod, path: string, handler: GroupHandler): this {
    if (this.table) throw new Error(`route group: ${method} ${path} added after its first request`);
    this.methods.add(method);
    this.paths.push({ method, path, handler });
    return this;
  }

  private built(): Router.Instance<Router.HTTPVersion.V1> {
    if (this.table) return this.table;
    const table = Router({ onMaxParamLength: tooLong });
    for (const { method, path, handler } of this.paths) table.on(method, path, noop, { handler });
    return (this.table = table);
  }

  private dispatch(request: FastifyRequest, reply: FastifyReply): unknown {
    const found = this.built().find(request.method === 'HEAD' ? 'GET' : (request.method as GroupMethod), request.url);
    if (!found) {
      reply.callNotFound();
      return reply;
    }
    // The router's own error (a parameter too long): its handler throws it.
    if (found.store === null) return found.handler(request.raw, reply.raw, {}, null, {});
    request.params = found.params;
    return (found.store as { handler: GroupHandler }).handler(request as GroupRequest, reply);
  }
}

/**
 * Adds a plugin's root-level paths (`/version`, `/metrics`…) to the caller's group, which the
 * caller mounts at `/*` once every plugin's are in; or, for a plugin registered alone (a test's
 * server), to a group of its own mounted at `/*` here.
 */
export function addRootPaths(app: FastifyInstance, shared: RouteGroup | undefined, add: (paths: RouteGroup) => void): void {
  const paths = shared ?? new RouteGroup();
  add(paths);
  if (!shared) paths.mount(app, ['/*']);
}

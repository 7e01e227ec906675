/**
 * The dashboard at /kubemock/ui/: static files from the top-level ui/ folder (plain ES modules, no
 * build step). The page reads the cluster through the Kubernetes API (list, then watch) and acts
 * through it and the control API, as any other client; nothing here feeds it privately.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { packagePath } from '../../apimachinery/package-root.js';
import { registerErrorHandling } from '../error-handler.js';
import { DASHBOARD_PATH } from './dashboard-path.js';

/**
 * Whether a request is for the dashboard's own files (by the route it matched, so no path trick
 * reaches another route): static files with no cluster data, which load without credentials as a
 * dashboard's login page does; the page then sends the bearer token it was given.
 */
export function isDashboardFile(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const route = request.routeOptions.url;
  return route !== undefined && (route === DASHBOARD_PATH.slice(0, -1) || route.startsWith(DASHBOARD_PATH));
}

/** ui/ beside src/ (run with tsx) and dist/ (the built package). */
export const UI_DIR = packagePath('ui');

/** Headers of the files' answer that belong to its own connection, not to the reply that carries it on. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

/**
 * @fastify/static serving ui/, in an instance of its own made on the first dashboard request: it
 * and what it loads (glob, send, the MIME database) cost every start tens of milliseconds, for a
 * page most runs never open. Errors and 404s are the same Status answers as the server's.
 */
async function fileServer(log: FastifyInstance['log']): Promise<FastifyInstance> {
  const { default: fastifyStatic } = await import('@fastify/static');
  const files = Fastify({ loggerInstance: log, logController: new LogController({ disableRequestLogging: true }) });
  registerErrorHandling(files);
  await files.register(fastifyStatic, {
    root: UI_DIR,
    prefix: DASHBOARD_PATH,
    // The page changes with the server it comes with; a browser asks again rather than keep a stale copy.
    cacheControl: false,
    etag: true,
    lastModified: true,
  });
  await files.ready();
  return files;
}

async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  // The page's module URLs are relative, so the bare path must end in a slash before they resolve.
  app.get(DASHBOARD_PATH.slice(0, -1), async (_request, reply) => reply.redirect(DASHBOARD_PATH, 301));
  let files: Promise<FastifyInstance> | undefined;
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    files ??= fileServer(app.log);
    // The file server answers the same method, URL and headers (conditional and range requests included).
    const answer = await (await files).inject({ method: request.method as 'GET' | 'HEAD', url: request.url, headers: request.headers });
    for (const [name, value] of Object.entries(answer.headers))
      if (value !== undefined && !HOP_HEADERS.has(name.toLowerCase())) reply.header(name, value);
    return reply.code(answer.statusCode).send(answer.rawPayload);
  };
  // The routes @fastify/static declares with its prefix; isDashboardFile matches them by their URL.
  // HEAD is its own (not GET's generated twin, which would answer Content-Length 0 for the empty body).
  app.route({ method: ['GET', 'HEAD'], url: `${DASHBOARD_PATH}*`, exposeHeadRoute: false, handler: serve });
}

export const dashboard = fp(dashboardRoutes, { name: 'kubemock-dashboard' });

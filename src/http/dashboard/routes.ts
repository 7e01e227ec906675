/**
 * The dashboard at /kubemock/ui/: static files from the top-level ui/ folder (plain ES modules, no
 * build step). The page reads the cluster through the Kubernetes API (list, then watch) and acts
 * through it and the control API, as any other client; nothing here feeds it privately.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { packagePath } from '../../apimachinery/package-root.js';
import { CONTROL_PREFIX } from '../control/request-facts.js';

/** The dashboard's path; main.ts prints it at start. */
export const DASHBOARD_PATH = `${CONTROL_PREFIX}ui/`;

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

async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  // The page's module URLs are relative, so the bare path must end in a slash before they resolve.
  app.get(DASHBOARD_PATH.slice(0, -1), async (_request, reply) => reply.redirect(DASHBOARD_PATH, 301));
  await app.register(fastifyStatic, {
    root: UI_DIR,
    prefix: DASHBOARD_PATH,
    // The page changes with the server it comes with; a browser asks again rather than keep a stale copy.
    cacheControl: false,
    etag: true,
    lastModified: true,
  });
}

export const dashboard = fp(dashboardRoutes, { name: 'kubemock-dashboard' });

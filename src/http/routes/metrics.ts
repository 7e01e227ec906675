/**
 * `GET /metrics`: the app's metrics in Prometheus' text format, as kube-apiserver serves them
 * (`kubectl get --raw /metrics`). Like every non-resource path it is authorized as `get` on the URL.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { addRootPaths, type RouteGroup } from '../route-group.js';

export async function metricsRoutes(app: FastifyInstance, opts: { registry: Registry; rootPaths?: RouteGroup }): Promise<void> {
  addRootPaths(app, opts.rootPaths, (paths) =>
    paths.get('/metrics', async (_request, reply) => {
      const text = await opts.registry.metrics();
      return reply.code(200).header('content-type', opts.registry.contentType).send(text);
    }),
  );
}

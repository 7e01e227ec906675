/**
 * Keeps `default/kubernetes` Endpoints and EndpointSlice on the API server's address once it
 * listens (as kube-apiserver re-reconciles them): after the `kubernetes` Service appears, or after
 * someone changed or deleted them.
 */
import type { ChangeEvent } from '../../registry/watch-hub.js';
import { isApiServerEndpoints } from '../../resources/endpoints/api-server.js';
import type { ControllerContext } from '../context.js';
import type { Controller } from '../runtime/controller.js';
import { syncApiServerEndpoints } from './sync.js';

const KEY = 'default/kubernetes';
const keys = (ev: ChangeEvent) => (isApiServerEndpoints({ namespace: ev.namespace, name: ev.name }) ? [KEY] : []);

export function apiServerEndpointsController(ctx: ControllerContext): Controller {
  return {
    name: 'apiserver-endpoint-reconciler',
    caches: [],
    watches: [
      { resource: 'services', keys },
      { resource: 'endpoints', keys },
      { resource: 'endpointslices', group: 'discovery.k8s.io', keys },
    ],
    initialKeys: () => [KEY],
    reconcile() {
      const advertised = ctx.apiServer?.advertised;
      if (advertised) syncApiServerEndpoints(ctx.registry, advertised);
    },
  };
}

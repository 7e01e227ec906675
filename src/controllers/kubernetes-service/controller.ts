/**
 * The `kubernetes` Service's keeper (kube-apiserver's kubernetesservice controller): recreates
 * default/kubernetes when it is deleted and puts its ports back when they are changed. Level
 * triggered on that one Service; writes nothing while it is as it should be.
 */
import type { ChangeEvent } from '../../registry/watch-hub.js';
import {
  DEFAULT_API_SERVER_PORT,
  KUBERNETES_SERVICE_NAME,
  KUBERNETES_SERVICE_NAMESPACE,
  ensureKubernetesService,
} from '../../resources/services/kubernetes-service.js';
import type { StoredService } from '../../resources/stored.js';
import type { ControllerContext } from '../context.js';
import type { Controller } from '../runtime/controller.js';

const KEY = `${KUBERNETES_SERVICE_NAMESPACE}/${KUBERNETES_SERVICE_NAME}`;
/** How soon a write that lost (a namespace being deleted, a race) is tried again. */
const RETRY_MS = 1_000;

export function kubernetesServiceController(ctx: ControllerContext): Controller {
  const store = ctx.registry.store<StoredService>('services');
  const keys = (ev: ChangeEvent) => (ev.namespace === KUBERNETES_SERVICE_NAMESPACE && ev.name === KUBERNETES_SERVICE_NAME ? [KEY] : []);
  return {
    name: 'kubernetes-service-controller',
    caches: [],
    watches: [{ resource: 'services', keys }],
    initialKeys: () => [KEY],
    reconcile() {
      const port = ctx.apiServer?.advertised?.port ?? DEFAULT_API_SERVER_PORT;
      if (!ensureKubernetesService(store, ctx.registry.serviceNetwork, port)) return { requeueAfterMs: RETRY_MS };
    },
  };
}

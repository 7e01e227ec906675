/**
 * The default ServiceCIDR's keeper (kube-apiserver's kubernetes-service-cidr-controller after its
 * start): recreates `kubernetes` from --service-cluster-ip-range when it is gone and marks it Ready
 * when it has no Ready condition. Level triggered on that one ServiceCIDR; writes nothing while it
 * is as it should be.
 */
import type { ChangeEvent } from '../../registry/watch-hub.js';
import { ensureDefaultServiceCIDR } from '../../resources/servicecidrs/default-servicecidr.js';
import { DEFAULT_SERVICE_CIDR_NAME, type StoredServiceCIDR } from '../../resources/servicecidrs/readiness.js';
import type { ControllerContext } from '../context.js';
import type { Controller } from '../runtime/controller.js';
import { isWriteRace } from '../runtime/write-races.js';

/** How soon a write that lost a race is tried again (the upstream controller syncs every 10 s). */
const RETRY_MS = 1_000;
const GROUP = 'networking.k8s.io';

export function defaultServiceCIDRController(ctx: ControllerContext): Controller {
  const store = ctx.registry.store<StoredServiceCIDR>('servicecidrs', GROUP);
  const keys = (ev: ChangeEvent) => (ev.name === DEFAULT_SERVICE_CIDR_NAME ? [DEFAULT_SERVICE_CIDR_NAME] : []);
  return {
    name: 'kubernetes-service-cidr-controller',
    caches: [],
    watches: [{ resource: 'servicecidrs', group: GROUP, keys }],
    initialKeys: () => [DEFAULT_SERVICE_CIDR_NAME],
    reconcile() {
      try {
        ensureDefaultServiceCIDR(store, ctx.registry.serviceNetwork, ctx.clock.now());
      } catch (e) {
        if (!isWriteRace(e)) throw e;
        return { requeueAfterMs: RETRY_MS };
      }
    },
  };
}

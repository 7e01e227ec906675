/**
 * The default ServiceCIDR's keeper (kube-apiserver's kubernetes-service-cidr-controller after its
 * start): recreates `kubernetes` from --service-cluster-ip-range when it is gone and marks it Ready
 * when it has no Ready condition. Level triggered on that one ServiceCIDR; writes nothing while it
 * is as it should be. One whose CIDRs differ from the flag (a database made with another
 * --service-cluster-ip-range) is not changed: as upstream's syncStatus does, the first sight of it
 * is logged and told in a Warning event (KubernetesDefaultServiceCIDRInconsistent), and so is a
 * Ready False condition on a matching one, once each for the controller's life.
 */
import type { ChangeEvent } from '../../registry/watch-hub.js';
import { ensureDefaultServiceCIDR, type DefaultServiceCIDRFinding } from '../../resources/servicecidrs/default-servicecidr.js';
import { DEFAULT_SERVICE_CIDR_NAME, type StoredServiceCIDR } from '../../resources/servicecidrs/readiness.js';
import type { ControllerContext } from '../context.js';
import type { Controller } from '../runtime/controller.js';
import { isWriteRace } from '../runtime/write-races.js';

/** How soon a write that lost a race is tried again (the upstream controller syncs every 10 s). */
const RETRY_MS = 1_000;
const GROUP = 'networking.k8s.io';
const NAME = 'kubernetes-service-cidr-controller';

/** Go's %v (and %s) of a []string. */
const goList = (items: readonly string[]) => `[${items.join(' ')}]`;

export function defaultServiceCIDRController(ctx: ControllerContext): Controller {
  const store = ctx.registry.store<StoredServiceCIDR>('servicecidrs', GROUP);
  const keys = (ev: ChangeEvent) => (ev.name === DEFAULT_SERVICE_CIDR_NAME ? [DEFAULT_SERVICE_CIDR_NAME] : []);
  // reportedMismatchedCIDRs and reportedNotReadyCondition: each told once.
  const reported = new Set<DefaultServiceCIDRFinding['kind']>();

  function report(finding: DefaultServiceCIDRFinding): void {
    if (reported.has(finding.kind)) return;
    reported.add(finding.kind);
    const source = { component: NAME };
    if (finding.kind === 'inconsistent') {
      const [stored, flags] = [goList(finding.stored), goList(finding.flags)];
      ctx.log.info(
        { serviceCIDR: DEFAULT_SERVICE_CIDR_NAME, stored: finding.stored, flags: finding.flags },
        `Inconsistent ServiceCIDR status for ${DEFAULT_SERVICE_CIDR_NAME}, controller configuration: ${flags}, ServiceCIDR configuration: ${stored}. Configure the flags to match current ServiceCIDR or manually delete it.`,
      );
      const message = `The default ServiceCIDR ${stored} does not match the controller flag configurations ${flags}`;
      ctx.events.record(source, finding.object, 'Warning', 'KubernetesDefaultServiceCIDRInconsistent', message);
      return;
    }
    ctx.log.info(
      { serviceCIDR: DEFAULT_SERVICE_CIDR_NAME, status: 'False', reason: finding.reason, message: finding.message },
      "Default ServiceCIDR condition Ready is False, but controller configuration matches. Please validate your cluster's network configuration.",
    );
    ctx.events.record(source, finding.object, 'Warning', finding.reason, `Configuration matches, but ${finding.message}`);
  }

  return {
    name: NAME,
    caches: [],
    watches: [{ resource: 'servicecidrs', group: GROUP, keys }],
    initialKeys: () => [DEFAULT_SERVICE_CIDR_NAME],
    reconcile() {
      try {
        const finding = ensureDefaultServiceCIDR(store, ctx.registry.serviceNetwork, ctx.clock.now());
        if (finding) report(finding);
      } catch (e) {
        if (!isWriteRace(e)) throw e;
        return { requeueAfterMs: RETRY_MS };
      }
    },
  };
}

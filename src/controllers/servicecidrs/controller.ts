/**
 * The ServiceCIDR controller (kube-controller-manager's service-cidr-controller): keeps the
 * protection finalizer on every ServiceCIDR and its Ready condition True; holds a deleted one,
 * Ready False (Terminating), while Service addresses would be left outside every ServiceCIDR, and
 * lets it go once they are not (plan.ts). A ServiceCIDR is looked at again when it or an
 * overlapping one changes, and when one of the allocator's IPAddresses in it comes or goes.
 */
import type { ChangeEvent } from '../../registry/watch-hub.js';
import { IP_ADDRESSES, type StoredIPAddress } from '../../resources/ipaddresses/managed.js';
import { SERVICE_CIDR_FINALIZER, SERVICE_CIDRS, type StoredServiceCIDR } from '../../resources/servicecidrs/readiness.js';
import { applyReadyCondition, readyConditionIs, type ReadyState } from '../../resources/servicecidrs/ready-condition.js';
import type { ControllerContext } from '../context.js';
import type { Controller, ReconcileResult } from '../runtime/controller.js';
import { isWriteRace } from '../runtime/write-races.js';
import { READY, TERMINATING, cidrsHoldingAddress, hasFinalizer, managedByAllocator, overlapping, planServiceCIDR } from './plan.js';

const GROUP = 'networking.k8s.io';
/** The controller's name, its field manager for the Ready condition. */
const NAME = 'service-cidr-controller';

export function serviceCIDRController(ctx: ControllerContext): Controller {
  const { cache, registry, clock } = ctx;
  const store = registry.store<StoredServiceCIDR>('servicecidrs', GROUP);
  const all = () => cache.list<StoredServiceCIDR>(SERVICE_CIDRS);
  const names = (list: StoredServiceCIDR[]) => list.map((sc) => sc.metadata.name ?? '');

  function setReady(sc: StoredServiceCIDR, want: ReadyState): void {
    if (!readyConditionIs(sc, want)) applyReadyCondition(store, sc.metadata.name!, want, NAME, clock.now());
  }

  function setFinalizer(sc: StoredServiceCIDR, present: boolean): void {
    if (hasFinalizer(sc) === present) return;
    store.patchKnown(sc, (copy) => {
      const rest = (copy.metadata.finalizers ?? []).filter((f) => f !== SERVICE_CIDR_FINALIZER);
      const finalizers = present ? [...rest, SERVICE_CIDR_FINALIZER] : rest;
      if (finalizers.length) copy.metadata.finalizers = finalizers;
      else delete copy.metadata.finalizers;
      return copy;
    });
  }

  function reconcile(name: string): ReconcileResult | void {
    const sc = cache.get<StoredServiceCIDR>(SERVICE_CIDRS, undefined, name);
    if (!sc) return;
    const plan = planServiceCIDR(sc, all(), cache.list<StoredIPAddress>(IP_ADDRESSES), clock.now());
    try {
      switch (plan.action) {
        case 'protect':
          setFinalizer(sc, true);
          setReady(sc, READY);
          return;
        case 'block':
          setReady(sc, TERMINATING);
          return;
        case 'wait':
          return { requeueAfterMs: plan.ms };
        case 'release':
          setFinalizer(sc, false);
          return;
      }
    } catch (e) {
      // A newer ServiceCIDR (409) comes back through the watch; a deleted one (404) needs nothing.
      if (!isWriteRace(e)) throw e;
    }
  }

  const cidrKeys = (ev: ChangeEvent): string[] => {
    const sc = ev.object as StoredServiceCIDR;
    if (ev.type !== 'ADDED') return [ev.name];
    return [...new Set([ev.name, ...names(overlapping(all(), sc))])];
  };
  const addressKeys = (ev: ChangeEvent): string[] => {
    const ip = ev.object as StoredIPAddress;
    if (ev.type === 'MODIFIED' || !managedByAllocator(ip)) return [];
    return names(cidrsHoldingAddress(all(), ev.name));
  };

  return {
    name: NAME,
    caches: [
      { resource: 'servicecidrs', group: GROUP },
      { resource: 'ipaddresses', group: GROUP },
    ],
    watches: [
      { resource: 'servicecidrs', group: GROUP, keys: cidrKeys },
      { resource: 'ipaddresses', group: GROUP, keys: addressKeys },
    ],
    initialKeys: () => names(all()),
    reconcile,
  };
}

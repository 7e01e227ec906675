/**
 * kube-apiserver's IPAddress repair loop (ipallocator-repair-controller, RepairIPAddress in
 * pkg/registry/core/service/ipallocator/controller/repairip.go): recreates a Service's missing or
 * wrong IPAddress, deletes the allocator's IPAddresses whose Service is gone (once past the grace,
 * plan.ts) or holds another address, and warns about cluster IPs outside every ServiceCIDR; its
 * Warnings go through events.k8s.io/v1 (client-go's tools/events recorder, as upstream's do).
 * Level triggered on two kinds of keys, `svc:<namespace>/<name>` and `ip:<address>`; a pass over
 * a correct state writes nothing.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { isStatusError, StatusReason } from '../../apimachinery/status.js';
import type { ChangeEvent } from '../../registry/watch-hub.js';
import { API_SERVER_FIELD_MANAGER } from '../../registry/field-ownership.js';
import { IP_ADDRESSES, serviceIPAddress, type StoredIPAddress } from '../../resources/ipaddresses/managed.js';
import { SERVICE_CIDRS, type StoredServiceCIDR } from '../../resources/servicecidrs/readiness.js';
import { ipFamilyOf } from '../../apimachinery/validation/ip.js';
import type { StoredService } from '../../resources/stored.js';
import type { ControllerContext } from '../context.js';
import type { Controller, ReconcileResult } from '../runtime/controller.js';
import { keyOf, splitObjectKey } from '../runtime/cache.js';
import { cidrsHoldingAddress } from '../servicecidrs/plan.js';
import { clusterIPsOf, planAddressRepair, planServiceRepair, type RepairPlan } from './plan.js';

const GROUP = 'networking.k8s.io';
const IP_REPAIR_NAME = 'ipallocator-repair-controller';
/** The Services by each cluster IP they hold (which Services an IPAddress's change concerns). */
const BY_CLUSTER_IP = 'ipaddress-repair/by-cluster-ip';
/** How soon a repair that lost a race is tried again. */
const RETRY_MS = 1_000;

const svcKey = (namespace: string | undefined, name: string) => `svc:${namespace ?? ''}/${name}`;
const ipKey = (name: string) => `ip:${name}`;
const clusterIPs = (obj: KubeObject | undefined): string[] => (obj ? clusterIPsOf(obj as StoredService) : []);

export function ipAddressRepairController(ctx: ControllerContext): Controller {
  const { cache, registry, clock } = ctx;
  const services = registry.store<StoredService>('services');
  const addresses = registry.store<StoredIPAddress>('ipaddresses', GROUP);
  // kube-apiserver's repair loop records through client-go's events.k8s.io/v1 recorder (written
  // by kube-apiserver's loopback client), not the core/v1 one.
  const recorder = ctx.events.newRecorder(IP_REPAIR_NAME);
  const cachedService = (namespace: string, name: string) => cache.get<StoredService>('services', namespace, name);
  // What decides a deletion is read from storage, not the cache: a Service written a moment ago counts.
  const storedService = (namespace: string, name: string) => services.tryGet(namespace, name);

  /** Records the plan's events, then makes its writes; a lost race is looked at again. */
  function apply(plan: RepairPlan, svc: StoredService | undefined, address: StoredIPAddress | undefined): ReconcileResult | void {
    for (const e of plan.events) {
      const about = e.about === 'service' ? svc : address;
      if (about) recorder.eventf(about, undefined, 'Warning', e.reason, e.action, e.message);
    }
    let retry = false;
    for (const w of plan.writes) {
      try {
        if (w.delete) {
          const uid = address?.metadata.name === w.ip ? address.metadata.uid : undefined;
          addresses.delete(undefined, w.ip, uid ? { preconditions: { uid } } : {}, { fieldManager: API_SERVER_FIELD_MANAGER });
        }
      } catch (e) {
        if (!isStatusError(e) || e.code !== 404) {
          if (!isStatusError(e) || e.code !== 409) throw e;
          retry = true;
          continue;
        }
      }
      if (!w.create || !svc) continue;
      const family = ipFamilyOf(w.ip) === 6 ? 'IPv6' : 'IPv4';
      const object = serviceIPAddress(w.ip, family, svc.metadata.namespace ?? '', svc.metadata.name ?? '');
      try {
        addresses.create(object, { fieldManager: API_SERVER_FIELD_MANAGER });
      } catch (e) {
        if (!(isStatusError(e) && e.status.reason === StatusReason.AlreadyExists)) throw e;
        retry = true;
      }
    }
    if (retry) return { requeueAfterMs: RETRY_MS };
    if (plan.recheckAfterMs !== undefined) return { requeueAfterMs: plan.recheckAfterMs };
  }

  function reconcile(key: string): ReconcileResult | void {
    if (key.startsWith('svc:')) {
      const [namespace, name] = splitObjectKey(key.slice(4));
      const svc = cachedService(namespace ?? '', name);
      if (!svc) return;
      const cidrs = cache.list<StoredServiceCIDR>(SERVICE_CIDRS);
      const plan = planServiceRepair(svc, (ip) => cache.get<StoredIPAddress>(IP_ADDRESSES, undefined, ip), cidrs, cachedService);
      // A recreate deletes the IPAddress it replaces: the one the plan was made from.
      const replaced = plan.writes.find((w) => w.delete);
      const address = replaced ? cache.get<StoredIPAddress>(IP_ADDRESSES, undefined, replaced.ip) : undefined;
      return apply(plan, svc, address);
    }
    const address = cache.get<StoredIPAddress>(IP_ADDRESSES, undefined, key.slice(3));
    if (!address) return;
    return apply(planAddressRepair(address, storedService, clock.now()), undefined, address);
  }

  const serviceKeys = (ev: ChangeEvent): string[] => {
    // The addresses it let go of may now be orphans.
    const released = clusterIPs(ev.previous).filter((ip) => ev.type === 'DELETED' || !clusterIPs(ev.object).includes(ip));
    return [svcKey(ev.namespace, ev.name), ...released.map(ipKey)];
  };
  const addressKeys = (ev: ChangeEvent): string[] => {
    const ip = ev.object as StoredIPAddress;
    const ref = ip.spec?.parentRef;
    const holders = cache.byIndex<StoredService>('services', BY_CLUSTER_IP, ev.name).map((s) => `svc:${keyOf(s)}`);
    const parent = ref?.resource === 'services' && ref.name ? [svcKey(ref.namespace, ref.name)] : [];
    return [...new Set([ipKey(ev.name), ...parent, ...holders])];
  };
  const cidrKeys = (ev: ChangeEvent): string[] => {
    const changed = [ev.object as StoredServiceCIDR, ...(ev.previous ? [ev.previous as StoredServiceCIDR] : [])];
    return cache
      .list<StoredService>('services')
      .filter((s) => clusterIPs(s).some((ip) => cidrsHoldingAddress(changed, ip).length > 0))
      .map((s) => `svc:${keyOf(s)}`);
  };

  return {
    name: IP_REPAIR_NAME,
    caches: [{ resource: 'services' }, { resource: 'ipaddresses', group: GROUP }, { resource: 'servicecidrs', group: GROUP }],
    watches: [
      { resource: 'services', keys: serviceKeys },
      { resource: 'ipaddresses', group: GROUP, keys: addressKeys },
      { resource: 'servicecidrs', group: GROUP, keys: cidrKeys },
    ],
    setup() {
      cache.addIndex('services', BY_CLUSTER_IP, clusterIPs);
    },
    // runOnce: every Service, then every IPAddress.
    initialKeys: () => [
      ...cache.list<StoredService>('services').map((s) => `svc:${keyOf(s)}`),
      ...cache.list<StoredIPAddress>(IP_ADDRESSES).map((ip) => ipKey(ip.metadata.name ?? '')),
    ],
    reconcile,
  };
}

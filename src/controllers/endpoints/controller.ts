/**
 * The endpoints controller (pkg/controller/endpoint): for each Service with a selector, an
 * Endpoints object of the same name holding its pods' addresses (desiredSubsets), labelled as the
 * Service. It writes only when the subsets or labels differ, and deletes the Endpoints with the
 * Service. Services without a selector keep the Endpoints written for them by hand.
 */
import { deepEqual, rfc3339 } from '../../apimachinery/object.js';
import type { Endpoints } from '../../resources/endpoints/schema.js';
import type { Stored } from '../../apimachinery/object.js';
import type { StoredPod, StoredService } from '../../resources/stored.js';
import type { ControllerContext } from '../context.js';
import type { Controller } from '../runtime/controller.js';
import { keyOf, splitObjectKey } from '../runtime/cache.js';
import { desiredEndpointsLabels, desiredSubsets } from './plan.js';
import { selectedPods, selectsPods } from './pod-endpoints.js';
import { servicesOfPodEvent } from './service-keys.js';
import { TRIGGER_TIME_ANNOTATION, TriggerTimeTracker } from './trigger-time.js';
import { ignoringWriteRaces } from '../runtime/write-races.js';

type StoredEndpoints = Stored<Endpoints>;

export function endpointsController(ctx: ControllerContext): Controller {
  const { cache, registry } = ctx;
  const store = registry.store<StoredEndpoints>('endpoints');
  const triggers = new TriggerTimeTracker();

  function reconcile(key: string): void {
    const [namespace, name] = splitObjectKey(key);
    const svc = cache.get<StoredService>('services', namespace, name);
    const current = cache.get<StoredEndpoints>('endpoints', namespace, name);
    if (!svc) {
      triggers.forget(key);
      if (current) ignoringWriteRaces(() => store.delete(namespace, name, { preconditions: { uid: current.metadata.uid } }));
      return;
    }
    if (!selectsPods(svc)) return;
    const pods = selectedPods(svc, cache.list<StoredPod>('pods', namespace));
    const subsets = desiredSubsets(svc, pods);
    const labels = desiredEndpointsLabels(svc);
    const trigger = triggers.compute(key, svc, pods);
    if (current && deepEqual(current.subsets ?? [], subsets) && deepEqual(current.metadata.labels ?? {}, labels)) return;
    const annotations = { ...(current?.metadata.annotations ?? {}) };
    if (trigger !== undefined) annotations[TRIGGER_TIME_ANNOTATION] = rfc3339(trigger);
    else delete annotations[TRIGGER_TIME_ANNOTATION];
    const metadata = { ...(current?.metadata ?? { name, namespace }), labels, annotations };
    const desired: StoredEndpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata, subsets };
    if (!subsets.length) delete desired.subsets;
    if (current) ignoringWriteRaces(() => store.update(namespace, name, desired));
    else ignoringWriteRaces(() => store.create(desired));
  }

  return {
    name: 'endpoints-controller',
    caches: [{ resource: 'services' }, { resource: 'pods' }, { resource: 'endpoints' }],
    watches: [
      { resource: 'services', keys: (ev) => [keyOf(ev.object)] },
      { resource: 'pods', keys: (ev) => servicesOfPodEvent(cache, ev) },
      // Only a deletion (someone removed what we wrote) needs a resync, as upstream's onEndpointsDelete.
      { resource: 'endpoints', keys: (ev) => (ev.type === 'DELETED' ? [keyOf(ev.object)] : []) },
    ],
    initialKeys: () => cache.list<StoredService>('services').map(keyOf),
    reconcile,
  };
}

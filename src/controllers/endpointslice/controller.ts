/**
 * The EndpointSlice controller (pkg/controller/endpointslice): for each Service with a selector
 * (ExternalName aside), the slices planSlices asks for, labelled and owned as upstream; it writes
 * only the differences, and touches only the slices it manages.
 */
import { rfc3339 } from '../../apimachinery/object.js';
import type { StoredNode, StoredPod, StoredService } from '../../resources/stored.js';
import type { ControllerContext } from '../context.js';
import type { Controller, ReconcileResult } from '../runtime/controller.js';
import { keyOf, objectKey, splitObjectKey } from '../runtime/cache.js';
import { selectedPods, selectsPods } from '../endpoints/pod-endpoints.js';
import { servicesOfPodEvent } from '../endpoints/service-keys.js';
import { TRIGGER_TIME_ANNOTATION, TriggerTimeTracker } from '../endpoints/trigger-time.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, planSlices, SERVICE_NAME_LABEL, ZONE_LABEL, type StoredSlice } from './plan.js';
import { ignoringWriteRaces } from '../runtime/write-races.js';
import { resourceKey } from '../../registry/resource-definition.js';
import { indexPodsByNode, podsOnNode } from '../runtime/pod-indexes.js';

const SLICES = resourceKey('discovery.k8s.io', 'endpointslices');
const BY_SERVICE = 'endpointslice:service';
/** How soon a Service whose pods sit on unknown nodes is synced again. */
const MISSING_NODE_RETRY_MS = 1_000;

const managedServiceKey = (slice: StoredSlice): string[] => {
  const labels = slice.metadata.labels ?? {};
  const service = labels[SERVICE_NAME_LABEL];
  return service && labels[MANAGED_BY_LABEL] === CONTROLLER_NAME ? [objectKey(slice.metadata.namespace, service)] : [];
};

export function endpointSliceController(ctx: ControllerContext): Controller {
  const { cache, registry } = ctx;
  const store = registry.store<StoredSlice>('endpointslices', 'discovery.k8s.io');
  const triggers = new TriggerTimeTracker();

  function reconcile(key: string): ReconcileResult | void {
    const [namespace, name] = splitObjectKey(key);
    const svc = cache.get<StoredService>('services', namespace, name);
    if (!svc) {
      // The garbage collector removes the slices the Service owns.
      triggers.forget(key);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !selectsPods(svc)) return;
    const pods = selectedPods(svc, cache.list<StoredPod>('pods', namespace));
    const existing = cache.byIndex<StoredSlice>(SLICES, BY_SERVICE, key);
    const plan = planSlices({ svc, pods, existing, node: (n) => cache.get<StoredNode>('nodes', undefined, n) });
    const trigger = triggers.compute(key, svc, pods);
    const stamp = (slice: StoredSlice): StoredSlice => {
      if (trigger === undefined) return slice;
      return {
        ...slice,
        metadata: { ...slice.metadata, annotations: { ...slice.metadata.annotations, [TRIGGER_TIME_ANNOTATION]: rfc3339(trigger) } },
      };
    };
    for (const slice of plan.create) ignoringWriteRaces(() => store.create(stamp(slice)));
    for (const slice of plan.update) ignoringWriteRaces(() => store.update(namespace, slice.metadata.name!, stamp(slice)));
    for (const slice of plan.delete) {
      ignoringWriteRaces(() => store.delete(namespace, slice.metadata.name!, { preconditions: { uid: slice.metadata.uid } }));
    }
    if (plan.missingNodes) return { requeueAfterMs: MISSING_NODE_RETRY_MS };
  }

  return {
    name: 'endpointslice-controller',
    caches: [
      { resource: 'services' },
      { resource: 'pods' },
      { resource: 'nodes' },
      { resource: 'endpointslices', group: 'discovery.k8s.io' },
    ],
    watches: [
      { resource: 'services', keys: (ev) => [keyOf(ev.object)] },
      { resource: 'pods', keys: (ev) => servicesOfPodEvent(cache, ev) },
      {
        resource: 'nodes',
        // A node coming or going changes which pods count and their zones: every Service with pods on it.
        keys: (ev) => {
          const zone = (n: typeof ev.object | undefined) => n?.metadata.labels?.[ZONE_LABEL];
          if (ev.type === 'MODIFIED' && zone(ev.previous) === zone(ev.object)) return [];
          const keys = new Set<string>();
          for (const pod of podsOnNode(cache, ev.name)) {
            const podEvent = { ...ev, namespace: pod.metadata.namespace ?? '', object: pod, previous: undefined };
            for (const k of servicesOfPodEvent(cache, podEvent)) keys.add(k);
          }
          return [...keys];
        },
      },
      { resource: 'endpointslices', group: 'discovery.k8s.io', keys: (ev) => managedServiceKey(ev.object as StoredSlice) },
    ],
    setup: () => {
      cache.addIndex(SLICES, BY_SERVICE, (s) => managedServiceKey(s as StoredSlice));
      indexPodsByNode(cache);
    },
    initialKeys: () => cache.list<StoredService>('services').map(keyOf),
    reconcile,
  };
}

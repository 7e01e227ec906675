/** Which Services a pod change concerns: those of its namespace whose selector matches it, before or after the change. */
import type { ChangeEvent } from '../../registry/watch-hub.js';
import type { StoredPod, StoredService } from '../../resources/stored.js';
import type { ObjectCache } from '../runtime/cache.js';
import { keyOf } from '../runtime/cache.js';
import { selectedPods, selectsPods } from './pod-endpoints.js';

export function servicesOfPodEvent(cache: ObjectCache, ev: ChangeEvent): string[] {
  const pods = [ev.object, ev.previous].filter((p): p is StoredPod => !!p);
  const keys = new Set<string>();
  for (const svc of cache.list<StoredService>('services', ev.namespace)) {
    if (selectsPods(svc) && selectedPods(svc, pods).length) keys.add(keyOf(svc));
  }
  return [...keys];
}

/**
 * The `endpoints.kubernetes.io/last-change-trigger-time` annotation (upstream TriggerTimeTracker):
 * the earliest change not yet reflected in a Service's endpoints, where a pod's change time is its
 * Ready condition's last transition and the Service's its creation. A pod or Service that did not
 * change since the last sync contributes nothing; undefined when nothing changed.
 */
import { parseRfc3339 } from '../../apimachinery/object.js';
import { podReadyCondition } from '../../resources/pods/conditions.js';
import type { StoredPod, StoredService } from '../../resources/stored.js';

export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  service?: number;
  pods: Map<string, number | undefined>;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** The trigger time (ms) of this sync of the Service at `key`, recording what it saw. */
  compute(key: string, svc: StoredService, pods: StoredPod[]): number | undefined {
    const state: ServiceState = this.states.get(key) ?? { pods: new Map() };
    const next: ServiceState = { service: parseRfc3339(svc.metadata.creationTimestamp), pods: new Map() };
    let min: number | undefined;
    const consider = (t: number | undefined) => {
      if (t !== undefined && (min === undefined || t < min)) min = t;
    };
    for (const pod of pods) {
      const name = pod.metadata.name ?? '';
      const t = parseRfc3339(podReadyCondition(pod)?.lastTransitionTime);
      next.pods.set(name, t);
      if (!state.pods.has(name) || state.pods.get(name) !== t) consider(t);
    }
    if (state.service !== next.service) consider(next.service);
    this.states.set(key, next);
    return min;
  }

  forget(key: string): void {
    this.states.delete(key);
  }
}

/**
 * The pods/binding write (upstream's BindingREST): assigns a pending pod to a node once. The
 * scheduler calls bindPod; the HTTP subresource is a thin wrapper around it.
 */
import { rfc3339 } from '../../apimachinery/object.js';
import { conflict, type GroupResource } from '../../apimachinery/status.js';
import type { Registry } from '../../registry/registry.js';
import type { Strategy } from '../../registry/resource-definition.js';
import type { WriteResult } from '../../registry/store.js';

const BINDING: GroupResource = { group: '', resource: 'pods/binding' };

import type { StoredPod } from '../stored.js';

export interface BindOptions {
  now: number;
  /** Binding.metadata.uid: the pod must still be that pod. */
  uid?: string;
  /** Binding.metadata.annotations, merged into the pod's. */
  annotations?: Record<string, string>;
  dryRun?: boolean;
  /** The pod as the caller's informer has it: written against without reading it back (Store.patchKnown). */
  current?: StoredPod;
}

/** The binding write: only spec.nodeName, annotations and status move; the rest stays as stored. */
function bindingStrategy(annotations: Record<string, string> | undefined): Strategy<StoredPod> {
  return {
    prepareForUpdate(pod, old) {
      pod.spec = { ...old.spec, nodeName: pod.spec?.nodeName };
      if (annotations && Object.keys(annotations).length) pod.metadata.annotations = { ...pod.metadata.annotations, ...annotations };
    },
  };
}

/** Sets spec.nodeName and PodScheduled=True, once; a bound or terminating pod is a 409. */
export function bindPod(registry: Registry, namespace: string, name: string, nodeName: string, opts: BindOptions): WriteResult {
  const store = registry.store<StoredPod>('pods');
  const bind = (pod: StoredPod): StoredPod => {
    if (opts.uid && opts.uid !== pod.metadata.uid) {
      throw conflict(BINDING, name, `Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
    }
    if (pod.metadata.deletionTimestamp) throw conflict(BINDING, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (pod.spec?.nodeName) throw conflict(BINDING, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    pod.spec = { ...pod.spec, nodeName };
    const conditions = (pod.status?.conditions ?? []).slice();
    const i = conditions.findIndex((c) => c.type === 'PodScheduled');
    const prev = i >= 0 ? conditions[i] : undefined;
    const scheduled = {
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: prev?.status === 'True' && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(opts.now),
    };
    if (i >= 0) conditions[i] = scheduled;
    else conditions.push(scheduled);
    pod.status = { ...pod.status, conditions };
    return pod;
  };
  const writeOpts = { subresource: 'binding', subresourceStrategy: bindingStrategy(opts.annotations), dryRun: opts.dryRun };
  return opts.current ? store.patchKnown(opts.current, bind, writeOpts) : store.patch(namespace, name, bind, writeOpts);
}

/**
 * Taint-based eviction (upstream's taint-eviction-controller): a pod on a node with a NoExecute
 * taint it does not tolerate is deleted now; one that tolerates it for tolerationSeconds is
 * deleted once that long has passed since the taint was added; the plan is dropped if the taint
 * goes away first (a TaintManagerEviction event says so, as upstream's cancelWorkWithEvent does).
 */
import { deepEqual, rfc3339, type KubeObject } from '../../apimachinery/object.js';
import type { ControllerContext } from '../context.js';
import { keyOf, splitObjectKey } from '../runtime/cache.js';
import type { Controller } from '../runtime/controller.js';
import type { StoredNode, StoredPod } from '../../resources/stored.js';
import { evictionPlan } from './taint-plan.js';
import { isWriteRace } from '../runtime/write-races.js';
import { indexPodsByNode, podsOnNode } from '../runtime/pod-indexes.js';

const SOURCE = { component: 'taint-eviction-controller' };

/**
 * What the controller's events are about: a bare reference to the pod (kind, namespace, name,
 * apiVersion; no uid or resourceVersion), as upstream builds one from the pod's namespaced name.
 */
const podReference = (namespace: string, name: string): KubeObject => ({ kind: 'Pod', apiVersion: 'v1', metadata: { namespace, name } });

const noExecute = (n: KubeObject | undefined) =>
  JSON.stringify(((n as StoredNode | undefined)?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute'));
const evictable = (p: StoredPod | undefined): p is StoredPod => Boolean(p?.spec?.nodeName && !p.metadata.deletionTimestamp);

/** An update that keeps the pod's node and tolerations changes nothing here (upstream's PodUpdated returns early). */
const sameTarget = (before: StoredPod | undefined, after: StoredPod): boolean =>
  before !== undefined && before.spec?.nodeName === after.spec.nodeName && deepEqual(before.spec?.tolerations, after.spec.tolerations);

export function taintEvictionController(ctx: ControllerContext): Controller {
  const { cache, registry, clock, events } = ctx;
  /** When a pod was first seen on a NoExecute-tainted node, for taints without timeAdded. */
  const firstSeen = new Map<string, number>();

  function evict(pod: StoredPod): void {
    const store = registry.store<StoredPod>('pods');
    const { namespace, name } = pod.metadata;
    events.record(
      SOURCE,
      podReference(namespace!, name!),
      'Normal',
      'TaintManagerEviction',
      `Marking for deletion Pod ${namespace}/${name}`,
    );
    store.patch(
      namespace,
      name!,
      (p) => {
        const target = {
          type: 'DisruptionTarget',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: rfc3339(clock.now()),
          reason: 'DeletionByTaintManager',
          message: 'Taint manager: deleting due to NoExecute taint',
        };
        const conditions = (p.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
        return { ...p, status: { ...p.status, conditions: [...conditions, target] } };
      },
      { subresource: 'status' },
    );
    store.delete(namespace, name!, { preconditions: { uid: pod.metadata.uid } });
    ctx.actions.note(
      'taint-eviction',
      'pod',
      `${namespace}/${name}`,
      `evicted (node ${pod.spec.nodeName} has a NoExecute taint it does not tolerate)`,
    );
  }

  /** A deletion that waited is called off, with the event upstream's cancelWorkWithEvent records. */
  function cancelledWithEvent(namespace: string, name: string): void {
    events.record(
      SOURCE,
      podReference(namespace, name),
      'Normal',
      'TaintManagerEviction',
      `Cancelling deletion of Pod ${namespace}/${name}`,
    );
  }

  return {
    name: 'taint-eviction',
    caches: [{ resource: 'pods' }, { resource: 'nodes' }],
    setup: () => indexPodsByNode(cache),
    watches: [
      {
        resource: 'pods',
        keys: (ev) => {
          const key = keyOf(ev.object);
          // A pod gone while its deletion waited: the wait is called off (upstream cancels the work, with its event).
          if (ev.type === 'DELETED') return firstSeen.has(key) ? [key] : [];
          return evictable(ev.object as StoredPod) && !sameTarget(ev.previous as StoredPod | undefined, ev.object as StoredPod)
            ? [key]
            : [];
        },
      },
      {
        resource: 'nodes',
        keys: (ev) =>
          (ev.type === 'MODIFIED' && noExecute(ev.previous) !== noExecute(ev.object)) || ev.type === 'ADDED'
            ? podsOnNode(cache, ev.name).map(keyOf)
            : [],
      },
    ],
    initialKeys: () => cache.list<StoredPod>('pods').filter(evictable).map(keyOf),
    reconcile(key) {
      const [ns, name] = splitObjectKey(key);
      const pod = cache.get<StoredPod>('pods', ns, name);
      const node = evictable(pod) ? cache.get<StoredNode>('nodes', undefined, pod.spec.nodeName!) : undefined;
      const now = clock.now();
      const plan =
        evictable(pod) && node
          ? evictionPlan(pod.spec?.tolerations, node.spec?.taints, firstSeen.get(key) ?? now)
          : { keep: true as const };
      if ('keep' in plan) {
        // A deletion that was waiting for tolerationSeconds is called off (the taint went, or is tolerated for good).
        // ns! : pods are namespaced, so a pod's key always holds one.
        if (firstSeen.delete(key)) cancelledWithEvent(ns!, name);
        return;
      }
      const waiting = firstSeen.has(key);
      if (!waiting) firstSeen.set(key, now);
      if (plan.evictAt > now) return { requeueAfterMs: plan.evictAt - now };
      firstSeen.delete(key);
      // A taint it does not tolerate at all: a wait under way is called off first, with its event,
      // and the pod goes at once (upstream cancels the work, then adds work due now).
      if (waiting && plan.evictAt === Number.NEGATIVE_INFINITY) cancelledWithEvent(ns!, name);
      try {
        evict(pod!);
      } catch (e) {
        if (!isWriteRace(e)) throw e;
      }
      return undefined;
    },
  };
}

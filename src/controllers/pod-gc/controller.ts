/**
 * Pod garbage collection (upstream podgc): force-deletes (grace 0) pods bound to a node that no
 * longer exists — after a quarantine and a fresh look at storage, marking them Failed with a
 * DisruptionTarget condition first — terminating pods that were never scheduled, and terminating
 * pods on a NotReady node tainted `node.kubernetes.io/out-of-service`.
 */
import type { ChangeEvent } from '../../registry/watch-hub.js';
import type { ControllerContext } from '../context.js';
import type { Controller, ReconcileResult } from '../runtime/controller.js';
import { keyOf, splitObjectKey } from '../runtime/cache.js';
import { withPodCondition, type NewPodCondition } from '../../resources/pods/conditions.js';
import { isNodeReady } from '../../resources/nodes/conditions.js';
import { isPodTerminal } from '../../resources/pods/phase.js';
import type { StoredNode, StoredPod } from '../../resources/stored.js';
import { isWriteRace } from '../runtime/write-races.js';
import { indexPodsByNode, podsOnNode } from '../runtime/pod-indexes.js';

/** How long a missing node stays missing before its pods are collected (upstream: 40 s). */
export const ORPHAN_QUARANTINE_MS = 1_000;
const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

const outOfService = (node: StoredNode) => !!node.spec?.taints?.some((t) => t.key === OUT_OF_SERVICE_TAINT);

export function podGcController(ctx: ControllerContext): Controller {
  const { cache, registry, clock } = ctx;
  const pods = registry.store<StoredPod>('pods');
  const nodes = registry.store<StoredNode>('nodes');
  /** Pod key → when its node was first seen missing. */
  const missingSince = new Map<string, number>();

  /** markFailedAndDeletePodWithCondition: phase Failed (+ condition) unless terminal, then grace 0. */
  function markFailedAndDelete(pod: StoredPod, condition?: NewPodCondition): void {
    const { namespace, name, uid } = pod.metadata;
    try {
      if (!isPodTerminal(pod)) {
        pods.patch(
          namespace,
          name!,
          (current) => {
            if (current.metadata.uid !== uid || isPodTerminal(current)) return current;
            const status = { ...(current.status ?? {}), phase: 'Failed' };
            if (condition) status.conditions = withPodCondition(status.conditions, condition, clock.now());
            return { ...current, status };
          },
          { subresource: 'status' },
        );
      }
      pods.delete(namespace, name!, { gracePeriodSeconds: 0, preconditions: { uid } });
      const node = pod.spec?.nodeName;
      const why = condition
        ? `node ${node} no longer exists`
        : node
          ? `terminating on out-of-service node ${node}`
          : 'terminating, never scheduled';
      ctx.actions.note('pod-gc-controller', 'pod', `${namespace}/${name}`, `force-deleted by pod GC (${why})`);
    } catch (e) {
      if (isWriteRace(e)) return;
      throw e;
    }
  }

  function reconcile(key: string): ReconcileResult | void {
    const [namespace, name] = splitObjectKey(key);
    const pod = cache.get<StoredPod>('pods', namespace, name);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName) {
      missingSince.delete(key);
      if (pod?.metadata.deletionTimestamp) markFailedAndDelete(pod); // terminating, never scheduled
      return;
    }
    const node = cache.get<StoredNode>('nodes', undefined, nodeName);
    if (node) {
      missingSince.delete(key);
      if (pod.metadata.deletionTimestamp && !isNodeReady(node) && outOfService(node)) markFailedAndDelete(pod);
      return;
    }
    const now = clock.now();
    const since = missingSince.get(key) ?? now;
    missingSince.set(key, since);
    if (now - since < ORPHAN_QUARANTINE_MS) return { requeueAfterMs: since + ORPHAN_QUARANTINE_MS - now };
    if (nodes.tryGet(undefined, nodeName)) return; // it came back: the node watch brings us here again
    missingSince.delete(key);
    markFailedAndDelete(pod, {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByPodGC',
      message: 'PodGC: node no longer exists',
    });
  }

  const podKeys = (ev: ChangeEvent): string[] => {
    const pod = ev.object as StoredPod;
    if (ev.type === 'DELETED') {
      missingSince.delete(keyOf(pod));
      return [];
    }
    // What the collector decides on is the pod's node and its deletion mark: an update keeping both (a status write) changes nothing.
    const before = ev.previous as StoredPod | undefined;
    if (before && before.spec?.nodeName === pod.spec?.nodeName && before.metadata.deletionTimestamp === pod.metadata.deletionTimestamp)
      return [];
    return pod.spec?.nodeName || pod.metadata.deletionTimestamp ? [keyOf(pod)] : [];
  };
  const nodeKeys = (ev: ChangeEvent): string[] => {
    if (ev.type === 'MODIFIED' && isNodeReady(ev.object as StoredNode)) return [];
    return podsOnNode(cache, ev.name).map(keyOf);
  };

  return {
    name: 'pod-gc-controller',
    caches: [{ resource: 'pods' }, { resource: 'nodes' }],
    watches: [
      { resource: 'pods', keys: podKeys },
      { resource: 'nodes', keys: nodeKeys },
    ],
    setup: () => indexPodsByNode(cache),
    initialKeys: () =>
      cache
        .list<StoredPod>('pods')
        .filter((p) => p.spec?.nodeName || p.metadata.deletionTimestamp)
        .map(keyOf),
    reconcile,
  };
}

/**
 * Pod garbage collection (upstream podgc): force-deletes (grace 0) pods bound to a node that no
 * longer exists — after a quarantine and a fresh look at storage, marking them Failed with a
 * DisruptionTarget condition first — terminating pods that were never scheduled, and terminating
 * pods on a NotReady node tainted `node.kubernetes.io/out-of-service`.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { StatusError } from '../../apimachinery/status.js';
import type { ChangeEvent } from '../../registry/watch-hub.js';
import type { ControllerContext } from '../context.js';
import type { Controller, ReconcileResult } from '../runtime/controller.js';
import { keyOf, splitObjectKey } from '../runtime/cache.js';
import { withPodCondition, type NewPodCondition, type PodCondition } from '../../resources/pods/conditions.js';

/** How long a missing node stays missing before its pods are collected (upstream: 40 s). */
export const ORPHAN_QUARANTINE_MS = 1_000;
const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';
const BY_NODE = 'podgc:node-name';

interface Pod extends KubeObject {
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: PodCondition[] };
}

interface Node extends KubeObject {
  spec?: { taints?: { key: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const isReady = (node: Node) => node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
const outOfService = (node: Node) => !!node.spec?.taints?.some((t) => t.key === OUT_OF_SERVICE_TAINT);

export function podGcController(ctx: ControllerContext): Controller {
  const { cache, registry, clock } = ctx;
  const pods = registry.store<Pod>('pods');
  const nodes = registry.store<Node>('nodes');
  /** Pod key → when its node was first seen missing. */
  const missingSince = new Map<string, number>();

  /** markFailedAndDeletePodWithCondition: phase Failed (+ condition) unless terminal, then grace 0. */
  function markFailedAndDelete(pod: Pod, condition?: NewPodCondition): void {
    const { namespace, name, uid } = pod.metadata;
    try {
      if (!isTerminal(pod)) {
        pods.patch(namespace, name!, (current) => {
          if (current.metadata.uid !== uid || isTerminal(current)) return current;
          const status = { ...(current.status ?? {}), phase: 'Failed' };
          if (condition) status.conditions = withPodCondition(status.conditions, condition, clock.now());
          return { ...current, status };
        }, { subresource: 'status' });
      }
      pods.delete(namespace, name!, { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (e) {
      if (e instanceof StatusError && (e.code === 404 || e.code === 409)) return;
      throw e;
    }
  }

  function reconcile(key: string): ReconcileResult | void {
    const [namespace, name] = splitObjectKey(key);
    const pod = cache.get<Pod>('pods', namespace, name);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName) {
      missingSince.delete(key);
      if (pod?.metadata.deletionTimestamp) markFailedAndDelete(pod); // terminating, never scheduled
      return;
    }
    const node = cache.get<Node>('nodes', undefined, nodeName);
    if (node) {
      missingSince.delete(key);
      if (pod.metadata.deletionTimestamp && !isReady(node) && outOfService(node)) markFailedAndDelete(pod);
      return;
    }
    const now = clock.now();
    const since = missingSince.get(key) ?? now;
    missingSince.set(key, since);
    if (now - since < ORPHAN_QUARANTINE_MS) return { requeueAfterMs: since + ORPHAN_QUARANTINE_MS - now };
    if (nodes.tryGet(undefined, nodeName)) return; // it came back: the node watch brings us here again
    missingSince.delete(key);
    markFailedAndDelete(pod, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
  }

  const podKeys = (ev: ChangeEvent): string[] => {
    const pod = ev.object as Pod;
    if (ev.type === 'DELETED') {
      missingSince.delete(keyOf(pod));
      return [];
    }
    return pod.spec?.nodeName || pod.metadata.deletionTimestamp ? [keyOf(pod)] : [];
  };
  const nodeKeys = (ev: ChangeEvent): string[] => {
    if (ev.type === 'MODIFIED' && isReady(ev.object)) return [];
    return cache.byIndex<Pod>('pods', BY_NODE, ev.name).map(keyOf);
  };

  return {
    name: 'pod-gc-controller',
    caches: [{ resource: 'pods' }, { resource: 'nodes' }],
    watches: [
      { resource: 'pods', keys: podKeys },
      { resource: 'nodes', keys: nodeKeys },
    ],
    setup: () => cache.addIndex('pods', BY_NODE, (p) => ((p as Pod).spec?.nodeName ? [(p as Pod).spec!.nodeName!] : [])),
    initialKeys: () => cache.list<Pod>('pods').filter((p) => p.spec?.nodeName || p.metadata.deletionTimestamp).map(keyOf),
    reconcile,
  };
}

/**
 * default-scheduler: binds each pending pod that names it (and has no node) to the feasible node
 * with the fewest pods, through the pods/binding logic; when none fits, reports PodScheduled=False
 * (Unschedulable) with the upstream-style message and retries when nodes or pods change.
 */
import { rfc3339 } from '../../apimachinery/object.js';
import { bindPod } from '../../resources/pods/binding.js';
import type { ChangeEvent } from '../../registry/watch-hub.js';
import type { ControllerContext } from '../context.js';
import { keyOf, splitObjectKey } from '../runtime/cache.js';
import type { Controller } from '../runtime/controller.js';
import { AFFINITY_MISMATCH, candidateNodeNames, filterNode, fitErrorMessage, type FilterFailure } from './filter.js';
import type { StoredNode, StoredPod } from '../../resources/stored.js';
import { isPodTerminal } from '../../resources/pods/phase.js';
import { isWriteRace } from '../runtime/write-races.js';
import { allowedPodNumber } from '../scheduling/pod-capacity.js';
import { indexPodsByNode, podsOnNode } from '../runtime/pod-indexes.js';
import { AssumedPods } from './assumed-pods.js';

export const SCHEDULER_NAME = 'default-scheduler';
/** How soon a pod whose binding is on its way is looked at again (its batch commits within the turn). */
const ASSUMED_RECHECK_MS = 100;
/** The longest note an events.k8s.io Event may carry (NoteLengthLimit); longer messages are cut. */
const NOTE_LENGTH_LIMIT = 1024;
const GATED_MESSAGE = 'Scheduling is blocked due to non-empty scheduling gates';

/** A FailedScheduling note: the message, cut to the note limit with ` ...` as kube-scheduler's truncateMessage does. */
export function truncateNote(message: string): string {
  const suffix = ' ...';
  return message.length <= NOTE_LENGTH_LIMIT ? message : message.slice(0, NOTE_LENGTH_LIMIT - suffix.length) + suffix;
}

/** A pod this scheduler must place. */
export function wantsScheduling(p: StoredPod | undefined): p is StoredPod {
  return Boolean(
    p &&
    !p.spec?.nodeName &&
    (p.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME &&
    !p.metadata.deletionTimestamp &&
    !isPodTerminal(p),
  );
}

/** What of a node the filters read; only a change of it can make an unschedulable pod fit. */
const nodeFacts = (n: StoredNode | undefined) =>
  JSON.stringify([n?.metadata.labels ?? {}, n?.spec?.taints ?? [], n?.spec?.unschedulable ?? false, n && allowedPodNumber(n)]);

export function schedulerController(ctx: ControllerContext): Controller {
  const { cache, registry, clock } = ctx;
  // kube-scheduler records through client-go's events.k8s.io/v1 recorder, not the core/v1 one.
  const recorder = ctx.events.newRecorder(SCHEDULER_NAME);
  /** Pods last found unschedulable: retried when something they depend on changes. */
  const waiting = new Set<string>();
  const assumed = new AssumedPods();
  const podsOn = (node: string) => assumed.withAssumed(node, podsOnNode(cache, node)).filter((p) => !isPodTerminal(p));

  function podKeys(ev: ChangeEvent): string[] {
    const pod = ev.object as StoredPod;
    if (ev.type === 'DELETED') waiting.delete(keyOf(pod));
    // The binding has arrived (or the pod is gone): the cache counts it now.
    if (ev.type === 'DELETED' || pod.spec?.nodeName) assumed.forget(keyOf(pod));
    const keys = wantsScheduling(pod) && ev.type !== 'DELETED' ? [keyOf(pod)] : [];
    const prev = ev.previous as StoredPod | undefined;
    // A pod leaving a node (deleted, finished) may free the host ports or the room another pod waits for.
    const freed = prev?.spec?.nodeName && (ev.type === 'DELETED' || (isPodTerminal(pod) && !isPodTerminal(prev)));
    return freed ? [...keys, ...waiting] : keys;
  }

  function setUnschedulable(pod: StoredPod, reason: string, message: string): void {
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (current?.status === 'False' && current.reason === reason && current.message === message) return;
    registry.store<StoredPod>('pods').patch(
      pod.metadata.namespace,
      pod.metadata.name!,
      (p) => {
        const condition = {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: rfc3339(clock.now()),
          reason,
          message,
        };
        const conditions = (p.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
        const prev = p.status?.conditions?.find((c) => c.type === 'PodScheduled') as
          { status?: string; lastTransitionTime?: string } | undefined;
        if (prev?.status === 'False' && prev.lastTransitionTime) condition.lastTransitionTime = prev.lastTransitionTime;
        return { ...p, status: { ...p.status, conditions: [...conditions, condition] } };
      },
      { subresource: 'status', fieldManager: 'kube-scheduler' },
    );
    if (reason === 'Unschedulable') recorder.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', truncateNote(message));
  }

  /** The feasible node with the fewest pods (ties by name), or the failures of every node. */
  function place(pod: StoredPod): { node?: string; failures: FilterFailure[]; total: number } {
    const total = cache.size('nodes');
    const names = candidateNodeNames(pod);
    const nodes = names
      ? [...names].map((n) => cache.get<StoredNode>('nodes', undefined, n)).filter((n): n is StoredNode => Boolean(n))
      : cache.list<StoredNode>('nodes');
    const failures: FilterFailure[] = [];
    let best: { name: string; pods: number } | undefined;
    for (const node of nodes) {
      const name = node.metadata.name!;
      const here = podsOn(name);
      const failure = filterNode(pod, node, here);
      if (failure) failures.push(failure);
      else if (!best || here.length < best.pods || (here.length === best.pods && name < best.name)) best = { name, pods: here.length };
    }
    // Nodes left out by a pinned name did not match the pod's affinity; counted only for the message.
    if (!best) for (let i = nodes.length; i < total; i++) failures.push(AFFINITY_MISMATCH);
    return { node: best?.name, failures, total };
  }

  return {
    name: 'scheduler',
    caches: [{ resource: 'pods' }, { resource: 'nodes' }],
    setup: () => indexPodsByNode(cache),
    watches: [
      { resource: 'pods', keys: podKeys },
      {
        resource: 'nodes',
        keys: (ev) =>
          ev.type === 'MODIFIED' && nodeFacts(ev.previous as StoredNode) === nodeFacts(ev.object as StoredNode) ? [] : [...waiting],
      },
    ],
    initialKeys: () => cache.list<StoredPod>('pods').filter(wantsScheduling).map(keyOf),
    reconcile(key) {
      const [ns, name] = splitObjectKey(key);
      const pod = cache.get<StoredPod>('pods', ns, name);
      if (!wantsScheduling(pod)) {
        waiting.delete(key);
        assumed.forget(key);
        return;
      }
      // Its binding is on its way (a batch not committed yet): looked at again once it is.
      if (assumed.has(key)) return { requeueAfterMs: ASSUMED_RECHECK_MS };
      if (pod.spec?.schedulingGates?.length) {
        setUnschedulable(pod, 'SchedulingGated', GATED_MESSAGE);
        return;
      }
      const { node, failures, total } = place(pod);
      if (!node) {
        waiting.add(key);
        setUnschedulable(pod, 'Unschedulable', fitErrorMessage(total, failures));
        return;
      }
      waiting.delete(key);
      // The binding cycle runs apart from the scheduling one upstream: on etcd the binding joins a
      // batch of writes, the pod counted on its node meanwhile (the scheduler cache's AssumePod);
      // a binding that loses a race is forgotten (ForgetPod) and the pod scheduled again.
      // Assumed before the write: a full batch commits (and tells its writers) inside it.
      assumed.add(key, pod, node);
      let joined: boolean;
      try {
        joined = registry.batched(
          // ns! : pods are namespaced, so a pod's key always holds one
          () => void bindPod(registry, ns!, name, node, { now: clock.now(), uid: pod.metadata.uid, current: pod }),
          {
            committed: () =>
              recorder.eventf(pod, undefined, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${ns}/${name} to ${node}`),
            dropped: () => assumed.forget(key),
          },
        );
      } catch (e) {
        assumed.forget(key);
        if (isWriteRace(e)) return; // deleted or bound meanwhile
        throw e;
      }
      // Committed at once (not etcd): the cache has it bound already.
      if (!joined) {
        assumed.forget(key);
        return;
      }
      return { requeueAfterMs: ASSUMED_RECHECK_MS };
    },
  };
}

/**
 * The DaemonSet controller (syncDaemonSet): claim pods and revisions, keep one pod per eligible
 * node, roll updates within budget, prune history, and write status only when it changed.
 */
import { deepEqual, type KubeObject } from '../../apimachinery/object.js';
import { selectorFromLabelSelector, type Selector } from '../../apimachinery/labels.js';
import { StatusError } from '../../apimachinery/status.js';
import { resourceKey } from '../../registry/resource-definition.js';
import type { ChangeEvent } from '../../registry/watch-hub.js';
import type { ControllerContext } from '../context.js';
import type { Controller, ReconcileResult } from '../runtime/controller.js';
import { keyOf, splitObjectKey } from '../runtime/cache.js';
import { nodeShouldRunDaemonPod } from './eligibility.js';
import { cleanupHistory, constructHistory, HashCollision } from './history.js';
import { planManage, planRollingUpdate, templateGeneration, type Eligibility, type Plan } from './plan.js';
import { newDaemonPod } from './pod-template.js';
import { isPodUpdated, REVISION_HASH_LABEL, revisionHash, targetNodeName, untilAvailableMs } from './pod-state.js';
import { computeStatus } from './status.js';
import { claim, orphanNamespace, ORPHANS_BY_NAMESPACE } from './claim.js';
import { FailedPodBackoff } from './failed-pod-backoff.js';
import { slowStartBatches } from '../runtime/slow-start.js';
import { controllerRefOf } from '../../apimachinery/owner-refs.js';
import { isPodTerminal } from '../../resources/pods/phase.js';
import type { StoredControllerRevision, StoredDaemonSet, StoredNode, StoredPod } from '../../resources/stored.js';
import type { DaemonSetStatus } from '../../resources/schemas.js';

const SOURCE = { component: 'daemonset-controller' };
/** BurstReplicas: at most this many creates (and deletes) per pass. */
const BURST = 250;
const BY_OWNER = 'controller-uid';

/** The pods one pass created and deleted (told at info), and the pods it created. */
interface Tally {
  created: number;
  deleted: number;
  pods?: StoredPod[];
}

/** The cache's names of the DaemonSets and their ControllerRevisions. */
const DAEMONSETS = resourceKey('apps', 'daemonsets');
const REVISIONS = resourceKey('apps', 'controllerrevisions');

function controllerUid(obj: KubeObject): string[] {
  const ref = controllerRefOf(obj);
  return ref ? [ref.uid] : [];
}

export function daemonSetController(ctx: ControllerContext): Controller {
  const { cache, registry, clock } = ctx;
  const pods = registry.store<StoredPod>('pods');
  const revisions = registry.store<StoredControllerRevision>('controllerrevisions', 'apps');
  const daemonSets = registry.store<StoredDaemonSet>('daemonsets', 'apps');
  const backoff = new FailedPodBackoff(clock);
  const selectors = new Map<string, { source: unknown; selector: Selector }>();

  const selectorOf = (ds: StoredDaemonSet): Selector => {
    const cached = selectors.get(ds.metadata.uid!);
    if (cached && cached.source === ds.spec.selector) return cached.selector;
    const selector = selectorFromLabelSelector(ds.spec.selector);
    selectors.set(ds.metadata.uid!, { source: ds.spec.selector, selector });
    return selector;
  };
  const allKeys = () => cache.list<StoredDaemonSet>(DAEMONSETS).map(keyOf);
  /** Owned pods → their DaemonSet; orphans → every DaemonSet in the namespace that selects them. */
  const keysForDependent = (ev: ChangeEvent): string[] => {
    const obj = ev.object;
    const ref = controllerRefOf(obj);
    if (ref) return ref.kind === 'DaemonSet' ? [`${obj.metadata.namespace}/${ref.name}`] : [];
    return cache
      .list<StoredDaemonSet>(DAEMONSETS, obj.metadata.namespace)
      .filter((ds) => safeMatches(ds, obj))
      .map(keyOf);
  };
  const safeMatches = (ds: StoredDaemonSet, obj: KubeObject): boolean => {
    try {
      return selectorOf(ds).matches(obj.metadata.labels);
    } catch {
      return false;
    }
  };

  /** Eligibility per node, remembered while neither the node nor the DaemonSet spec changes. */
  const eligibilityMemo = new WeakMap<StoredNode, { specKey: string; value: Eligibility }>();
  const eligibilityOf = (node: StoredNode, ds: StoredDaemonSet, specKey: string): Eligibility => {
    const memo = eligibilityMemo.get(node);
    if (memo?.specKey === specKey) return memo.value;
    const value = nodeShouldRunDaemonPod(node, ds);
    eligibilityMemo.set(node, { specKey, value });
    return value;
  };

  /** The nodes by name, re-sorted only when a node changed. */
  let sortedNodes: { version: number; nodes: StoredNode[] } | undefined;
  const nodesByName = (): StoredNode[] => {
    const version = cache.version('nodes');
    if (sortedNodes?.version !== version) {
      sortedNodes = { version, nodes: cache.list<StoredNode>('nodes').sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1)) };
    }
    return sortedNodes.nodes;
  };

  /** Eligibility of every node per DaemonSet key, kept while neither the nodes nor its spec (uid/generation) change. */
  const eligibilityMaps = new Map<string, { nodes: StoredNode[]; specKey: string; value: Map<string, Eligibility> }>();
  const eligibilityByNode = (key: string, ds: StoredDaemonSet, nodes: StoredNode[], specKey: string): Map<string, Eligibility> => {
    const memo = eligibilityMaps.get(key);
    if (memo?.nodes === nodes && memo.specKey === specKey) return memo.value;
    const value = new Map<string, Eligibility>(nodes.map((n) => [n.metadata.name!, eligibilityOf(n, ds, specKey)]));
    eligibilityMaps.set(key, { nodes, specKey, value });
    return value;
  };

  /** Creates a pod for a node; false when the create failed (a terminating namespace is no failure, and no event, as upstream). */
  function createOn(ds: StoredDaemonSet, node: string, hash: string, tally: Tally): boolean {
    try {
      const created = pods.create(newDaemonPod(ds, node, hash)).object;
      tally.created++;
      (tally.pods ??= []).push(created as StoredPod);
      ctx.events.record(SOURCE, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      return true;
    } catch (e) {
      if (e instanceof StatusError && e.code === 403) return true;
      ctx.events.record(SOURCE, ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      return false;
    }
  }

  /** Applies a plan (syncNodes): its events, creates in slow-start batches, then deletes; true when it wrote anything. */
  function apply(ds: StoredDaemonSet, plan: Plan, hash: string, tally: Tally): boolean {
    if (!plan.createOn.length && !plan.deletePods.length && !plan.events.length) return false;
    for (const e of plan.events) ctx.events.record(SOURCE, ds, e.type, e.reason, e.message);
    slowStartBatches(plan.createOn.slice(0, BURST), (node) => createOn(ds, node, hash, tally));
    for (const pod of plan.deletePods.slice(0, BURST)) {
      try {
        pods.delete(pod.metadata.namespace, pod.metadata.name!);
        tally.deleted++;
        ctx.events.record(SOURCE, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (e) {
        if (e instanceof StatusError && e.code === 404) continue;
        ctx.events.record(SOURCE, ds, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
      }
    }
    return true;
  }

  /** `all`: every claimed pod (for history); `byNode`: by target node, terminal-and-deleting ones left out. */
  function podsByNode(ds: StoredDaemonSet): { byNode: Map<string, StoredPod[]>; all: StoredPod[] } {
    const owned = cache.byIndex<StoredPod>('pods', BY_OWNER, ds.metadata.uid!);
    const namespace = ds.metadata.namespace;
    // Owner references never cross namespaces; a pod that claims otherwise is not this DaemonSet's.
    const all = owned.every((pod) => pod.metadata.namespace === namespace)
      ? owned
      : owned.filter((pod) => pod.metadata.namespace === namespace);
    const byNode = new Map<string, StoredPod[]>();
    for (const pod of all) {
      if (pod.metadata.deletionTimestamp && isPodTerminal(pod)) continue;
      const node = targetNodeName(pod);
      if (!node) continue;
      const list = byNode.get(node);
      if (list) list.push(pod);
      else byNode.set(node, [pod]);
    }
    return { byNode, all };
  }

  /** The pods by node after a pass that only created pods: the walk's result with the new pods added (no second walk). */
  function withCreated(current: { byNode: Map<string, StoredPod[]>; all: StoredPod[] }, created: StoredPod[] = []) {
    for (const pod of created) {
      current.all.push(pod);
      const node = targetNodeName(pod);
      if (!node) continue;
      const list = current.byNode.get(node);
      if (list) list.push(pod);
      else current.byNode.set(node, [pod]);
    }
    return current;
  }

  function reconcile(key: string): ReconcileResult | void {
    const [namespace, name] = splitObjectKey(key);
    const ds = cache.get<StoredDaemonSet>(DAEMONSETS, namespace, name);
    if (!ds) {
      eligibilityMaps.delete(key);
      return;
    }
    const selector = ds.spec.selector;
    if (selector && !selector.matchLabels && !selector.matchExpressions?.length) {
      ctx.events.record(SOURCE, ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    claim(ctx, ds, selectorOf(ds));
    const owned = cache.byIndex<StoredControllerRevision>(REVISIONS, BY_OWNER, ds.metadata.uid!);
    let history;
    try {
      history = constructHistory(ds, owned, revisions, { relabelPods: (to) => relabelPods(ds, to) });
    } catch (e) {
      if (!(e instanceof HashCollision)) throw e;
      // Bump collisionCount only if the hash was computed with the latest one (else just retry).
      daemonSets.patch(
        namespace,
        name,
        (cur) => {
          if (cur.metadata.uid !== ds.metadata.uid || cur.status?.collisionCount !== e.collisionCount) return cur;
          return { ...cur, status: { ...cur.status!, collisionCount: (cur.status?.collisionCount ?? 0) + 1 } };
        },
        { subresource: 'status' },
      );
      return { requeueAfterMs: 0 };
    }
    const nodes = nodesByName();
    const specKey = `${ds.metadata.uid}/${ds.metadata.generation}`;
    const eligibility = eligibilityByNode(key, ds, nodes, specKey);
    const now = clock.now();
    let current = podsByNode(ds);
    const input = () => ({
      ds,
      nodes,
      eligibility,
      podsByNode: current.byNode,
      hash: history.hash,
      now,
      failedPodBackoff: (node: string) => backoff.check(`${ds.metadata.uid}/${ds.status?.observedGeneration ?? 0}/${node}`),
    });
    const manage = planManage(input());
    deleteUnboundOnMissingNodes(current.byNode, eligibility, manage);
    const managed: Tally = { created: 0, deleted: 0 };
    if (apply(ds, manage, history.hash, managed)) current = manage.deletePods.length ? podsByNode(ds) : withCreated(current, managed.pods);
    logTally(key, '', managed);
    let requeue = manage.requeueAfterMs;
    if (manage.createOn.length > BURST || manage.deletePods.length > BURST) requeue = 0;
    const generation = templateGeneration(ds);
    const stale = current.all.some((p) => !isPodUpdated(p, history.hash, generation));
    const rolled = { created: 0, deleted: 0 };
    if (stale && ds.spec.updateStrategy?.type === 'RollingUpdate' && apply(ds, planRollingUpdate(input()), history.hash, rolled))
      current = podsByNode(ds);
    logTally(key, `rolling update to revision ${history.hash}: `, rolled);
    const after = current;
    if (history.old.length) cleanupHistory(ds, history.old, current.all, revisions);
    const status = computeStatus(ds, nodes, eligibility, after.byNode, history.hash, clock.now());
    const fresh = daemonSets.tryGet(namespace, name);
    // collisionCount (snapshot's) and conditions (other writers') are carried from the stored object.
    const withKept = (cur: StoredDaemonSet): DaemonSetStatus => {
      const out: DaemonSetStatus = { ...status };
      delete out.collisionCount;
      delete out.conditions;
      if (cur.status?.collisionCount !== undefined) out.collisionCount = cur.status.collisionCount;
      if (cur.status?.conditions) out.conditions = cur.status.conditions;
      return out;
    };
    if (fresh && fresh.metadata.uid === ds.metadata.uid && !deepEqual(fresh.status, withKept(fresh))) {
      daemonSets.patch(namespace, name, (cur) => (cur.metadata.uid === ds.metadata.uid ? { ...cur, status: withKept(cur) } : cur), {
        subresource: 'status',
      });
    }
    const minReadySeconds = ds.spec.minReadySeconds ?? 0;
    const end = clock.now();
    if (minReadySeconds > 0) {
      for (const list of after.byNode.values()) {
        for (const pod of list) {
          const wait = untilAvailableMs(pod, minReadySeconds, end);
          if (wait !== undefined) requeue = Math.min(requeue ?? Infinity, wait);
        }
      }
    }
    return requeue === undefined ? undefined : { requeueAfterMs: requeue };
  }

  /** One line a pass at info, in words: "daemonset kube-system/fluentd: created 3 pods, deleted 1 pod". */
  function logTally(key: string, step: string, tally: Tally): void {
    const words = [
      tally.created ? `created ${tally.created} ${tally.created === 1 ? 'pod' : 'pods'}` : '',
      tally.deleted ? `deleted ${tally.deleted} ${tally.deleted === 1 ? 'pod' : 'pods'}` : '',
    ].filter(Boolean);
    if (words.length)
      ctx.log.info({ controller: 'daemonset-controller', daemonset: key, ...tally }, `daemonset ${key}: ${step}${words.join(', ')}`);
  }

  /** dedupCurHistories: as upstream, every pod whose hash label differs from the kept revision's is relabelled. */
  function relabelPods(ds: StoredDaemonSet, to: string): void {
    for (const pod of cache.byIndex<StoredPod>('pods', BY_OWNER, ds.metadata.uid!)) {
      if (revisionHash(pod) === to) continue;
      try {
        pods.patch(pod.metadata.namespace, pod.metadata.name!, (cur) => ({
          ...cur,
          metadata: { ...cur.metadata, labels: { ...(cur.metadata.labels ?? {}), [REVISION_HASH_LABEL]: to } },
        }));
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
  }

  /** Unbound pods pinned to a node that no longer exists are deleted (bound ones are pod GC's). */
  function deleteUnboundOnMissingNodes(byNode: Map<string, StoredPod[]>, eligibility: Map<string, Eligibility>, plan: Plan): void {
    for (const [node, list] of byNode) {
      if (eligibility.has(node)) continue;
      plan.deletePods.push(...list.filter((p) => !p.spec.nodeName && !p.metadata.deletionTimestamp));
    }
  }

  return {
    name: 'daemonset-controller',
    caches: [{ resource: 'nodes' }],
    watches: [
      { resource: 'daemonsets', group: 'apps', keys: (ev) => [keyOf(ev.object)] },
      { resource: 'pods', keys: keysForDependent },
      { resource: 'controllerrevisions', group: 'apps', keys: keysForDependent },
      { resource: 'nodes', keys: () => allKeys() },
    ],
    setup() {
      for (const resource of ['pods', REVISIONS]) {
        cache.addIndex(resource, BY_OWNER, controllerUid);
        cache.addIndex(resource, ORPHANS_BY_NAMESPACE, orphanNamespace);
      }
    },
    initialKeys: allKeys,
    reconcile,
  };
}

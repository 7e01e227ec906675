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
import { REVISION_HASH_LABEL, revisionHash, targetNodeName, untilAvailableMs } from './pod-state.js';
import { countContext } from './status.js';
import { NodeTally, type TallyInputs } from './node-tally.js';
import { claim, orphanNamespace, ORPHANS_BY_NAMESPACE } from './claim.js';
import { FailedPodBackoff } from './failed-pod-backoff.js';
import { slowStartBatches } from '../runtime/slow-start.js';
import { controllerRefOf } from '../../apimachinery/owner-refs.js';
import { isPodTerminal } from '../../resources/pods/phase.js';
import type { StoredControllerRevision, StoredDaemonSet, StoredNode, StoredPod } from '../../resources/stored.js';
import type { DaemonSetStatus } from '../../resources/schemas.js';

/** apierrors.HasStatusCause(err, NamespaceTerminatingCause): the namespace lifecycle's refusal of a create. */
const namespaceTerminating = (e: unknown): boolean =>
  e instanceof StatusError && (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');

const SOURCE = { component: 'daemonset-controller' };
/** BurstReplicas: at most this many creates (and deletes) per pass. */
const BURST = 250;
const BY_OWNER = 'controller-uid';

/** How many pods one pass created and deleted (told at info). */
interface Tally {
  created: number;
  deleted: number;
  /** Creates and deletes refused (syncNodes returns their errors: the key is retried with back-off). */
  failed: number;
}

/** The cache's names of the DaemonSets and their ControllerRevisions. */
const DAEMONSETS = resourceKey('apps', 'daemonsets');
const REVISIONS = resourceKey('apps', 'controllerrevisions');

function controllerUid(obj: KubeObject): string[] {
  const ref = controllerRefOf(obj);
  return ref ? [ref.uid] : [];
}

const BY_OWNER_AND_NODE = 'controller-uid-by-node';

/** A controller's group in the pods-by-node index: its namespace and uid (owner references never cross namespaces). */
const ownerGroup = (namespace: string | undefined, uid: string) => `${namespace ?? ''}/${uid}`;

/** A pod's place in the pods-by-node index: its controller, then its target node; terminal pods being deleted are left out. */
function ownerAndNode(obj: KubeObject): readonly [string, string] | undefined {
  const ref = controllerRefOf(obj);
  if (!ref) return undefined;
  const pod = obj as StoredPod;
  if (pod.metadata.deletionTimestamp && isPodTerminal(pod)) return undefined;
  const node = targetNodeName(pod);
  return node ? [ownerGroup(pod.metadata.namespace, ref.uid), node] : undefined;
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
  let sortedNodes: { version: number; nodes: StoredNode[]; named: Map<string, StoredNode> } | undefined;
  const currentNodes = () => {
    const version = cache.version('nodes');
    if (sortedNodes?.version !== version) {
      const nodes = cache.list<StoredNode>('nodes').sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
      sortedNodes = { version, nodes, named: new Map(nodes.map((n) => [n.metadata.name!, n])) };
    }
    return sortedNodes;
  };
  /** The nodes among `names` that exist, in name order (the order a pass over all of them goes in). */
  const nodesNamed = (names: Iterable<string>): StoredNode[] => {
    const { named } = currentNodes();
    const out: StoredNode[] = [];
    for (const name of [...names].sort()) {
      const node = named.get(name);
      if (node) out.push(node);
    }
    return out;
  };

  /** Per DaemonSet key: what its last pass knew of each node (node-tally.ts). */
  const tallies = new Map<string, NodeTally>();
  const forgetTally = (key: string, namespace: string | undefined) => {
    const tally = tallies.get(key);
    if (!tally) return;
    tallies.delete(key);
    cache.forgetChangedMembers('pods', BY_OWNER_AND_NODE, ownerGroup(namespace, tally.inputs.uid));
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

  /**
   * Creates a pod for a node; false when the create failed (a terminating namespace is no failure,
   * and no event, as upstream; any other refusal, as an admission plugin's 403, is).
   */
  function createOn(ds: StoredDaemonSet, node: string, hash: string, tally: Tally): boolean {
    try {
      const created = pods.create(newDaemonPod(ds, node, hash)).object;
      tally.created++;
      ctx.events.record(SOURCE, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      return true;
    } catch (e) {
      if (namespaceTerminating(e)) return true;
      ctx.events.record(SOURCE, ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      tally.failed++;
      return false;
    }
  }

  /** Applies a plan (syncNodes): its events, creates in slow-start batches, then deletes. */
  function apply(ds: StoredDaemonSet, plan: Plan, hash: string, tally: Tally): void {
    for (const e of plan.events) ctx.events.record(SOURCE, ds, e.type, e.reason, e.message);
    const together = (batch: () => void) => ctx.registry.together(batch);
    slowStartBatches(plan.createOn.slice(0, BURST), (node) => createOn(ds, node, hash, tally), together);
    // Deletes are made all at once upstream (a goroutine each), then waited for.
    together(() => {
      for (const pod of plan.deletePods.slice(0, BURST)) deletePod(ds, pod, tally);
    });
  }

  function deletePod(ds: StoredDaemonSet, pod: StoredPod, tally: Tally): void {
    try {
      pods.delete(pod.metadata.namespace, pod.metadata.name!);
      tally.deleted++;
      ctx.events.record(SOURCE, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      ctx.events.record(SOURCE, ds, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
      tally.failed++;
    }
  }

  /** The claimed pods by target node (terminal pods being deleted left out), kept by the cache as pods change. */
  function podsByNode(ds: StoredDaemonSet): ReadonlyMap<string, readonly StoredPod[]> {
    return cache.group<StoredPod>('pods', BY_OWNER_AND_NODE, ownerGroup(ds.metadata.namespace, ds.metadata.uid!));
  }

  /** The pods of the nodes `names` in a DaemonSet's pods by node. */
  function* podsOn(byNode: ReadonlyMap<string, readonly StoredPod[]>, names: Iterable<string>): Generator<StoredPod> {
    for (const name of names) yield* byNode.get(name) ?? [];
  }

  /** Every claimed pod, for the history's cleanup (rare: only while old revisions are kept). */
  function claimedPods(ds: StoredDaemonSet): StoredPod[] {
    // Owner references never cross namespaces; a pod that claims otherwise is not this DaemonSet's.
    return cache.byIndex<StoredPod>('pods', BY_OWNER, ds.metadata.uid!).filter((pod) => pod.metadata.namespace === ds.metadata.namespace);
  }

  function reconcile(key: string): ReconcileResult | void {
    const [namespace, name] = splitObjectKey(key);
    const ds = cache.get<StoredDaemonSet>(DAEMONSETS, namespace, name);
    if (ds?.metadata.uid !== tallies.get(key)?.inputs.uid) forgetTally(key, namespace);
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
    // Which nodes' pods changed since the last pass (its own writes included): with the same
    // inputs, only those and the ones the last plan was not done with are claimed, planned and counted.
    const group = ownerGroup(ds.metadata.namespace, ds.metadata.uid!);
    const changes = cache.takeChangedMembers('pods', BY_OWNER_AND_NODE, group);
    const known = tallies.get(key);
    const passStarted = performance.now();
    // Every owned pod is in the index (none elsewhere: another namespace, or terminal and being
    // deleted), the selector is the one the last pass claimed with: only changed pods can need a release.
    const claimChangedOnly =
      known?.inputs.index === changes.index &&
      known.inputs.generation === ds.metadata.generation &&
      cache.countByIndex('pods', BY_OWNER, ds.metadata.uid!) === cache.groupSize('pods', BY_OWNER_AND_NODE, group);
    claim(ctx, ds, selectorOf(ds), claimChangedOnly ? podsOn(podsByNode(ds), changes.members) : undefined);
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
      // The changes taken above were not looked at: the next pass looks at every node.
      tallies.delete(key);
      return { requeueAfterMs: 0 };
    }
    const { nodes } = currentNodes();
    const specKey = `${ds.metadata.uid}/${ds.metadata.generation}`;
    const eligibility = eligibilityByNode(key, ds, nodes, specKey);
    const now = clock.now();
    // Live: the cache moves the pods this pass creates, binds or deletes as it writes them.
    const current = podsByNode(ds);
    const input = () => ({
      ds,
      nodes,
      eligibility,
      podsByNode: podsByNode(ds),
      hash: history.hash,
      now,
      failedPodBackoff: (node: string) => backoff.check(`${ds.metadata.uid}/${ds.status?.observedGeneration ?? 0}/${node}`),
    });
    const minReadySeconds = ds.spec.minReadySeconds ?? 0;
    const inputs: TallyInputs = {
      uid: ds.metadata.uid!,
      generation: ds.metadata.generation,
      hash: history.hash,
      templateGeneration: templateGeneration(ds),
      nodes,
      eligibility,
      index: changes.index,
    };
    const tally = known?.holdsFor(inputs) && !minReadySeconds ? known : new NodeTally(inputs);
    const incremental = tally === known;
    // The nodes this pass plans: those that changed and those the last plan was not done with, or all.
    const planned = incremental ? new Set([...changes.members, ...tally.pending]) : undefined;
    const manage = planManage(planned ? { ...input(), nodes: nodesNamed(planned) } : input());
    const busy = manage.busyNodes.concat(deleteUnboundOnMissingNodes(current, eligibility, manage, planned ?? current.keys()));
    /** Counts the nodes `changed` again (every node on a full pass), at this time. */
    const recount = (changed: Iterable<string>) => {
      const now = countContext(ds, history.hash, clock.now());
      if (incremental) tally.recount(changed, podsByNode(ds), now);
      else tally.recountAll(podsByNode(ds), now);
    };
    const managed: Tally = { created: 0, deleted: 0, failed: 0 };
    const applyStarted = performance.now();
    apply(ds, manage, history.hash, managed);
    // The writes are not what a recount costs: the pacing below leaves them out.
    const applyMs = performance.now() - applyStarted;
    logTally(key, '', managed);
    let requeue = manage.requeueAfterMs;
    if (manage.createOn.length > BURST || manage.deletePods.length > BURST) requeue = 0;
    const during = cache.takeChangedMembers('pods', BY_OWNER_AND_NODE, group);
    recount(new Set([...changes.members, ...during.members]));
    const rolled: Tally = { created: 0, deleted: 0, failed: 0 };
    let rolledOn: ReadonlySet<string> = new Set();
    if (tally.hasStalePods && ds.spec.updateStrategy?.type === 'RollingUpdate') {
      apply(ds, planRollingUpdate(input()), history.hash, rolled);
      rolledOn = cache.takeChangedMembers('pods', BY_OWNER_AND_NODE, group).members;
      // At this time: with minReadySeconds availability depends on it.
      recount(rolledOn);
    }
    logTally(key, `rolling update to revision ${history.hash}: `, rolled);
    tally.pending = new Set([...busy, ...during.members, ...rolledOn]);
    // A pass over every node is what the pacing measures; one over a few is paced as that one's
    // looking and counting was (its creates and deletes left out).
    if (!incremental) tally.fullPassMs = performance.now() - passStarted - applyMs;
    tallies.set(key, tally);
    const after = podsByNode(ds);
    if (history.old.length) cleanupHistory(ds, history.old, claimedPods(ds), revisions);
    const status = tally.counts.status(ds);
    // The cache follows every commit as it is made: as fresh as the store, without parsing the stored body.
    const fresh = cache.get<StoredDaemonSet>(DAEMONSETS, namespace, name);
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
    const end = clock.now();
    if (minReadySeconds > 0) {
      for (const list of after.values()) {
        for (const pod of list) {
          const wait = untilAvailableMs(pod, minReadySeconds, end);
          if (wait !== undefined) requeue = Math.min(requeue ?? Infinity, wait);
        }
      }
    }
    // As syncDaemonSet returns syncNodes' errors after writing the status: the key comes back after
    // the work queue's back-off, and a create an admission plugin refused is tried again.
    const failed = managed.failed + rolled.failed;
    if (failed > 0) throw new Error(`daemonset ${key}: ${failed} pod ${failed === 1 ? 'write' : 'writes'} failed`);
    const paced = incremental ? { paceAsMs: tally.fullPassMs } : {};
    return requeue === undefined ? paced : { ...paced, requeueAfterMs: requeue };
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

  /**
   * Unbound pods pinned to a node that no longer exists are deleted (bound ones are pod GC's), among
   * the nodes `names` (all the DaemonSet's, or those a pass looks at); returns the nodes it found such pods on.
   */
  function deleteUnboundOnMissingNodes(
    byNode: ReadonlyMap<string, readonly StoredPod[]>,
    eligibility: Map<string, Eligibility>,
    plan: Plan,
    names: Iterable<string>,
  ): string[] {
    const found: string[] = [];
    // Keys, not entries: a pass over thousands of nodes makes no pair per node.
    for (const node of names) {
      if (eligibility.has(node)) continue;
      const unbound = (byNode.get(node) ?? []).filter((p) => !p.spec.nodeName && !p.metadata.deletionTimestamp);
      if (!unbound.length) continue;
      plan.deletePods.push(...unbound);
      found.push(node);
    }
    return found;
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
      cache.addGroupedIndex('pods', BY_OWNER_AND_NODE, ownerAndNode, { trackChanges: true });
    },
    initialKeys: allKeys,
    reconcile,
  };
}

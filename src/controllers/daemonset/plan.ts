/**
 * Pure planning for one DaemonSet (manage → podsShouldBeOnNode, and rollingUpdate): from nodes,
 * their eligibility and the pods on them, which nodes need a pod and which pods must go.
 */
import { isPodReady } from '../../resources/pods/conditions.js';
import { compareDaemonPods, isPodAvailable, isPodUpdated } from './pod-state.js';
import { TEMPLATE_GENERATION_ANNOTATION } from '../../resources/daemonsets/template-generation.js';
import type { StoredDaemonSet, StoredNode, StoredPod } from '../../resources/stored.js';

export interface Eligibility {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

export interface PlanEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface Plan {
  createOn: string[];
  deletePods: StoredPod[];
  events: PlanEvent[];
  requeueAfterMs?: number;
}

/** planManage's plan, which also names its nodes. */
export interface ManagePlan extends Plan {
  /**
   * The nodes that gave the plan anything (a create, a delete, an event, a wait). The others are
   * settled: until their pods, their eligibility or the DaemonSet change, planning them again gives nothing.
   */
  busyNodes: string[];
}

export interface ManageInput {
  ds: StoredDaemonSet;
  nodes: StoredNode[];
  eligibility: Map<string, Eligibility>;
  /** Claimed pods by target node, terminal-and-deleting pods left out. */
  podsByNode: ReadonlyMap<string, readonly StoredPod[]>;
  hash: string;
  now: number;
  /** Remaining back-off (ms) for replacing a failed pod on this node; 0 = go ahead (and start one). */
  failedPodBackoff(node: string): number;
}

/** maxSurge and maxUnavailable as pod counts, percentages rounded up (SurgeCount/UnavailableCount). */
export function scaledValue(v: number | string | undefined, total: number): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

/** util.AllowsSurge: SurgeCount scaled against 1, so any non-zero surge (e.g. "10%") allows it. */
export function surgeAllowed(ds: StoredDaemonSet): boolean {
  const strategy = ds.spec.updateStrategy;
  return strategy?.type === 'RollingUpdate' && scaledValue(strategy.rollingUpdate?.maxSurge, 1) > 0;
}

/** The DaemonSet's template generation (the deprecated annotation), for isPodUpdated. */
export function templateGeneration(ds: StoredDaemonSet): string | undefined {
  const v = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return v !== undefined && /^-?\d+$/.test(v) ? String(Number(v)) : undefined;
}

function desiredCount(input: { nodes: StoredNode[]; eligibility: Map<string, Eligibility> }): number {
  return input.nodes.filter((n) => input.eligibility.get(n.metadata.name!)?.shouldRun).length;
}

const NOT_ELIGIBLE: Eligibility = { shouldRun: false, shouldContinueRunning: false };
const NO_PODS: readonly StoredPod[] = [];

/** How the controller's events name a pod on a node. */
const where = (pod: StoredPod, node: string) => `${pod.metadata.namespace}/${pod.metadata.name} on node ${node}`;

/** The one pod a node should keep and keeps (not being deleted, neither failed nor succeeded). */
function settled(pods: readonly StoredPod[]): boolean {
  if (pods.length !== 1) return false;
  const pod = pods[0];
  const phase = pod.status?.phase;
  return !pod.metadata.deletionTimestamp && phase !== 'Failed' && phase !== 'Succeeded';
}

export function planManage(input: ManageInput): ManagePlan {
  const plan: ManagePlan = { createOn: [], deletePods: [], events: [], busyNodes: [] };
  const minReady = input.ds.spec.minReadySeconds ?? 0;
  const surge = surgeAllowed(input.ds);
  const generation = templateGeneration(input.ds);
  for (const node of input.nodes) {
    const name = node.metadata.name!;
    const before = plan.createOn.length + plan.deletePods.length + plan.events.length;
    const waits = planNode(input, plan, name, minReady, surge, generation);
    if (waits || plan.createOn.length + plan.deletePods.length + plan.events.length !== before) plan.busyNodes.push(name);
  }
  return plan;
}

/** One node's part of the plan (podsShouldBeOnNode); true when it waits on a failed pod's back-off. */
function planNode(input: ManageInput, plan: Plan, name: string, minReady: number, surge: boolean, generation: string | undefined): boolean {
  const { hash, now } = input;
  const { shouldRun, shouldContinueRunning } = input.eligibility.get(name) ?? NOT_ELIGIBLE;
  const pods = input.podsByNode.get(name) ?? NO_PODS;
  if (shouldRun && pods.length === 0) {
    plan.createOn.push(name);
    return false;
  }
  if (!shouldContinueRunning) {
    plan.deletePods.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
    return false;
  }
  // Most nodes, most of the time: their one pod runs, nothing to do (what the steps below find too).
  if (!surge && settled(pods)) return false;
  let waits = false;
  const running: StoredPod[] = [];
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (pod.status?.phase === 'Failed') {
      const wait = input.failedPodBackoff(name);
      if (wait > 0) {
        plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, wait);
        waits = true;
        continue;
      }
      plan.events.push({
        type: 'Warning',
        reason: 'FailedDaemonPod',
        message: `Found failed daemon pod ${where(pod, name)}, will try to kill it`,
      });
      plan.deletePods.push(pod);
    } else if (pod.status?.phase === 'Succeeded') {
      plan.events.push({
        type: 'Normal',
        reason: 'SucceededDaemonPod',
        message: `Found succeeded daemon pod ${where(pod, name)}, will try to delete it`,
      });
      plan.deletePods.push(pod);
    } else running.push(pod);
  }
  if (running.length > 1) running.sort(compareDaemonPods);
  if (!surge) {
    plan.deletePods.push(...running.slice(1));
    return waits;
  }
  if (running.length === 0) {
    if (shouldRun) plan.createOn.push(name);
    return waits;
  }
  const newest = running.find((p) => isPodUpdated(p, hash, generation));
  const oldest = running.find((p) => !isPodUpdated(p, hash, generation));
  plan.deletePods.push(...running.filter((p) => p !== newest && p !== oldest));
  if (newest && oldest && (!isPodReady(oldest) || isPodAvailable(newest, minReady, now))) plan.deletePods.push(oldest);
  return waits;
}

/** Splits a node's live pods into the one on the current revision and the one on an older one. */
function split(
  pods: readonly StoredPod[],
  hash: string,
  generation: string | undefined,
): { fresh?: StoredPod; stale?: StoredPod; excess: boolean } {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const fresh = live.filter((p) => isPodUpdated(p, hash, generation));
  const stale = live.filter((p) => !isPodUpdated(p, hash, generation));
  return { fresh: fresh[0], stale: stale[0], excess: fresh.length > 1 || stale.length > 1 };
}

export function planRollingUpdate(input: ManageInput): Plan {
  const { ds, hash, now } = input;
  const plan: Plan = { createOn: [], deletePods: [], events: [] };
  const minReady = ds.spec.minReadySeconds ?? 0;
  const desired = desiredCount(input);
  const ru = ds.spec.updateStrategy?.rollingUpdate;
  let maxUnavailable = scaledValue(ru?.maxUnavailable, desired);
  const maxSurge = scaledValue(ru?.maxSurge, desired);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  const names = [
    ...new Set([
      ...input.nodes.filter((n) => input.eligibility.get(n.metadata.name!)?.shouldRun).map((n) => n.metadata.name!),
      ...input.podsByNode.keys(),
    ]),
  ].sort();
  const available = (p: StoredPod) => isPodAvailable(p, minReady, now);
  const generation = templateGeneration(ds);
  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: StoredPod[] = [];
    const candidates: StoredPod[] = [];
    for (const name of names) {
      const { fresh, stale, excess } = split(input.podsByNode.get(name) ?? [], hash, generation);
      if (excess) {
        unavailable++; // manage() prunes the node; until then it counts against the budget
        continue;
      }
      if ((!fresh && !stale) || (fresh && stale)) unavailable++;
      else if (fresh) {
        if (!available(fresh)) unavailable++;
      } else if (stale && !available(stale)) {
        replace.push(stale);
        unavailable++;
      } else if (stale && unavailable < maxUnavailable) candidates.push(stale);
    }
    const remaining = Math.max(0, Math.min(maxUnavailable - unavailable, candidates.length));
    plan.deletePods.push(...replace, ...candidates.slice(0, remaining));
    return plan;
  }
  let surging = 0;
  let availableCount = 0;
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  const notRunning: StoredPod[] = [];
  for (const name of names) {
    const shouldRun = input.eligibility.get(name)?.shouldRun ?? false;
    const { fresh, stale, excess } = split(input.podsByNode.get(name) ?? [], hash, generation);
    if (excess) {
      surging++;
      continue;
    }
    if (stale ? available(stale) : fresh ? available(fresh) : false) availableCount++;
    if (stale && !fresh) {
      if (!available(stale)) {
        if (!shouldRun) plan.deletePods.push(stale);
        else allowedNew.push(name);
      } else if (!shouldRun) notRunning.push(stale);
      else if (surging < maxSurge) candidateNew.push(name);
    } else if (stale && fresh) {
      if (!available(fresh)) surging++;
      else plan.deletePods.push(stale);
    }
  }
  const deletable = Math.max(0, availableCount - desired);
  plan.deletePods.push(...notRunning.slice(0, deletable));
  plan.createOn.push(...allowedNew, ...candidateNew.slice(0, Math.max(0, Math.min(maxSurge - surging, candidateNew.length))));
  return plan;
}

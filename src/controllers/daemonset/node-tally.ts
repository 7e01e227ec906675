/**
 * What a DaemonSet's passes know of its nodes between one pass and the next, so that a pass over
 * thousands of nodes looks again only at those whose pods changed: each node's part of the status
 * counts, the nodes running a pod of an older revision, and the nodes the last plan was not done
 * with. Valid while what every node's part depends on stays as it was (the DaemonSet's uid,
 * generation and revision, the node list and its eligibility, the cache's index); a pass that finds
 * any of them changed counts and plans every node again. With minReadySeconds a pod's availability
 * depends on the time, so such a DaemonSet is always counted whole (never tallied).
 */
import type { StoredNode, StoredPod } from '../../resources/stored.js';
import type { Eligibility } from './plan.js';
import { isPodUpdated } from './pod-state.js';
import { nodeCounts, StatusCounts, type CountContext } from './status.js';

/** What every node's part of a pass depends on besides its own pods. */
export interface TallyInputs {
  uid: string;
  generation: number | undefined;
  hash: string;
  templateGeneration: string | undefined;
  nodes: readonly StoredNode[];
  eligibility: ReadonlyMap<string, Eligibility>;
  /** The cache's index of the DaemonSet's pods by node (its identity: another one means another history of changes). */
  index: object;
}

const NO_PODS: readonly StoredPod[] = [];

export class NodeTally {
  private sums = new StatusCounts();
  /** Each node's part of the counts (nodeCounts' bits). */
  private readonly parts = new Map<string, number>();
  /** Nodes (and names of nodes gone) with a pod not on the current revision. */
  private readonly stale = new Set<string>();
  /** Nodes the last plan was not done with, or whose pods the pass itself changed: planned again next time. */
  pending: ReadonlySet<string> = new Set();
  /** What the pass that counted every node took (ms of wall time): later passes are paced as it was. */
  fullPassMs = 0;

  constructor(readonly inputs: TallyInputs) {}

  /** Whether a pass with these inputs may count and plan only the nodes that changed. */
  holdsFor(inputs: TallyInputs): boolean {
    const a = this.inputs;
    return (
      a.uid === inputs.uid &&
      a.generation === inputs.generation &&
      a.hash === inputs.hash &&
      a.templateGeneration === inputs.templateGeneration &&
      a.nodes === inputs.nodes &&
      a.eligibility === inputs.eligibility &&
      a.index === inputs.index
    );
  }

  /** The status counts of every node together. */
  get counts(): StatusCounts {
    return this.sums;
  }

  /** Whether some node runs a pod of an older revision. */
  get hasStalePods(): boolean {
    return this.stale.size > 0;
  }

  /** Counts every node and every group of pods afresh. */
  recountAll(podsByNode: ReadonlyMap<string, readonly StoredPod[]>, c: CountContext): void {
    this.sums = new StatusCounts();
    this.parts.clear();
    this.stale.clear();
    for (const node of this.inputs.nodes) this.recountNode(node.metadata.name!, podsByNode, c);
    for (const [name, pods] of podsByNode) if (this.hasStale(pods, c)) this.stale.add(name);
  }

  /** Counts the named nodes (and names of nodes gone that pods still point at) afresh. */
  recount(names: Iterable<string>, podsByNode: ReadonlyMap<string, readonly StoredPod[]>, c: CountContext): void {
    for (const name of names) {
      if (this.inputs.eligibility.has(name)) this.recountNode(name, podsByNode, c);
      if (this.hasStale(podsByNode.get(name) ?? NO_PODS, c)) this.stale.add(name);
      else this.stale.delete(name);
    }
  }

  private recountNode(name: string, podsByNode: ReadonlyMap<string, readonly StoredPod[]>, c: CountContext): void {
    const bits = nodeCounts(this.inputs.eligibility.get(name), podsByNode.get(name) ?? NO_PODS, c);
    const before = this.parts.get(name);
    if (before === bits) return;
    if (before !== undefined) this.sums.add(before, -1);
    this.sums.add(bits);
    this.parts.set(name, bits);
  }

  private hasStale(pods: readonly StoredPod[], c: CountContext): boolean {
    for (const pod of pods) if (!isPodUpdated(pod, c.hash, c.generation)) return true;
    return false;
  }
}

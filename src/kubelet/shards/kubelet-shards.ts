/**
 * The simulated kubelets spread over replicas: nodes fall into N shards (shardOf), each shard is a
 * Lease `kubemock-kubelet-shard-<i>` in kube-system, and a replica runs the kubelets of the nodes
 * of the shards it holds. Every retry period a replica renews its own host Lease
 * (`kubemock-kubelet-host-<identity>`, as kube-apiserver's identity Leases: how replicas that hold no
 * shard yet are seen), counts the live hosts, renews its shards, gives up those beyond its fair
 * share (ceil(shards / live hosts)) and takes free or lapsed ones up to it. Leases follow
 * client-go's rules (LeaseCandidate), so a dead replica's shards move once their term lapses,
 * well within the node lifecycle controller's grace period at the default timings.
 *
 * kube-system, not kube-node-lease: that namespace holds exactly one Lease per node, which the
 * node lifecycle controller, kubectl describe node and clients counting heartbeats read.
 */
import type { CancelTimer, Clock } from '../../apimachinery/clock.js';
import { StatusError } from '../../apimachinery/status.js';
import type { Registry } from '../../registry/registry.js';
import type { StoredLease } from '../../resources/stored.js';
import { LeaseCandidate } from '../../controllers/leader-election/lease-candidate.js';
import type { LeaderElectionTiming } from '../../controllers/leader-election/leader-elector.js';
import type { Logger } from '../../controllers/runtime/manager.js';
import type { KubeletHosts } from '../kubelet-state.js';
import { shardOf } from './shard-of.js';
import { boundedMemo } from '../../apimachinery/bounded-memo.js';

export const KUBELET_SHARD_NAMESPACE = 'kube-system';
export const KUBELET_SHARD_LEASE_PREFIX = 'kubemock-kubelet-shard-';
export const KUBELET_HOST_LEASE_PREFIX = 'kubemock-kubelet-host-';
/** The default of --kubelet-shards. */
export const DEFAULT_KUBELET_SHARDS = 8;
const MAX_REMEMBERED_NODES = 100_000;
/** The manager the shard and host Leases are written under. */
const FIELD_MANAGER = 'kubemock';

export interface KubeletShardsOptions {
  registry: Registry;
  clock: Clock;
  /** This replica's identity (`<hostname>_<uuid>`), which names its host Lease too. */
  identity: string;
  shards: number;
  timing: LeaderElectionTiming;
  log: Logger;
  /** Called after the held shards changed (the kubelets of `gained` start, those of `lost` have stopped). */
  onChange(gained: number[], lost: number[]): void;
}

/** The host Lease of a replica: its identity made a DNS subdomain (`host_uuid` → `host-uuid`), within the 253 characters of a name. */
function hostLeaseName(identity: string): string {
  const suffix = identity
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .slice(0, 253 - KUBELET_HOST_LEASE_PREFIX.length)
    .replace(/[^a-z0-9]+$/, '');
  return KUBELET_HOST_LEASE_PREFIX + (suffix || 'replica');
}

export class KubeletShards implements KubeletHosts {
  private readonly candidates: LeaseCandidate[];
  private readonly host: LeaseCandidate;
  private readonly held = new Set<number>();
  /** When each held shard was last renewed (a shard whose renewals fail for the renew deadline is dropped). */
  private readonly renewedAt = new Map<number, number>();
  /** Other replicas' host Leases as last seen, and since when (this clock). */
  private readonly peers = new Map<string, { raw: string; at: number; durationMs: number }>();
  /** Asked for every kubelet event: each node's hash is remembered (bounded, as node names come and go). */
  private readonly shardOfNode: (nodeName: string) => number;
  private cancelTimer?: CancelTimer;
  private running = false;
  /** The next round treats every other host as gone and takes every shard (a store this process alone owns). */
  private takeOver = false;

  constructor(private readonly opts: KubeletShardsOptions) {
    this.shardOfNode = boundedMemo((nodeName: string) => shardOf(nodeName, opts.shards), MAX_REMEMBERED_NODES);
    const lease = (name: string) =>
      new LeaseCandidate({
        registry: opts.registry,
        clock: opts.clock,
        namespace: KUBELET_SHARD_NAMESPACE,
        name,
        identity: opts.identity,
        leaseDurationMs: opts.timing.leaseDurationMs,
        fieldManager: FIELD_MANAGER,
        log: opts.log,
      });
    this.candidates = Array.from({ length: opts.shards }, (_, i) => lease(KUBELET_SHARD_LEASE_PREFIX + i));
    this.host = lease(hostLeaseName(opts.identity));
  }

  runs(nodeName: string): boolean {
    return this.held.has(this.shardOfNode(nodeName));
  }

  /** The shards held now, in order. */
  heldShards(): number[] {
    return [...this.held].sort((a, b) => a - b);
  }

  /** Joins: the first round runs now (alone, it takes every shard at once). */
  start(takeOver = false): void {
    if (this.running) return;
    this.running = true;
    this.takeOver = takeOver;
    if (takeOver) for (const c of this.candidates) c.takeOverAtNextAttempt();
    this.round();
  }

  /**
   * Leaves: the kubelets stop; with `release`, the shards and the host Lease are given up so the
   * others take them at once, without, they lapse as if this process died.
   */
  stop(release: boolean): void {
    if (!this.running) return;
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const lost = this.heldShards();
    this.held.clear();
    if (lost.length) this.opts.onChange([], lost);
    if (!release) return;
    for (const i of lost) this.candidates[i].release();
    this.host.release();
  }

  private round(): void {
    const now = this.opts.clock.now();
    const before = new Set(this.held);
    this.host.tryAcquireOrRenew();
    const fair = Math.ceil(this.opts.shards / (1 + this.livePeers(now)));
    this.takeOver = false;
    for (const i of this.heldShards()) {
      const c = this.candidates[i];
      if (c.tryAcquireOrRenew()) this.renewedAt.set(i, now);
      else if (
        (c.holder() !== '' && !c.isHolder()) ||
        now + this.opts.timing.retryPeriodMs - (this.renewedAt.get(i) ?? now) >= this.opts.timing.renewDeadlineMs
      ) {
        this.drop(i);
      }
    }
    // Beyond the fair share: the highest shards go back (their kubelets stop first), for the others to take.
    for (const i of this.heldShards().reverse()) {
      if (this.held.size <= fair) break;
      this.drop(i);
      this.candidates[i].release();
    }
    // Below it: free or lapsed shards, starting at a place of this replica's own so that replicas joining together spread.
    const start = shardOf(this.opts.identity, this.opts.shards);
    for (let k = 0; k < this.opts.shards; k++) {
      const i = (start + k) % this.opts.shards;
      if (this.held.has(i)) continue;
      // Every other shard is looked at each round, so its lapse is counted from its holder's last renewal seen.
      if (this.held.size >= fair) this.candidates[i].look();
      else if (this.candidates[i].tryAcquireOrRenew()) {
        this.held.add(i);
        this.renewedAt.set(i, now);
      }
    }
    const gained = this.heldShards().filter((i) => !before.has(i));
    const lost = [...before].filter((i) => !this.held.has(i)).sort((a, b) => a - b);
    if (gained.length || lost.length) {
      this.opts.log.debug({ gained, lost, held: this.heldShards() }, 'kubelet shards changed');
      this.opts.onChange(gained, lost);
    }
    this.cancelTimer = this.opts.clock.after(this.opts.timing.retryPeriodMs, () => {
      this.cancelTimer = undefined;
      if (this.running) this.round();
    });
  }

  private drop(i: number): void {
    this.held.delete(i);
    this.renewedAt.delete(i);
  }

  /** Other replicas whose host Lease was renewed within its term; lapsed ones are deleted. */
  private livePeers(now: number): number {
    const store = this.opts.registry.store<StoredLease>('leases', 'coordination.k8s.io');
    const own = hostLeaseName(this.opts.identity);
    const seen = new Set<string>();
    let live = 0;
    for (const lease of store.all(KUBELET_SHARD_NAMESPACE)) {
      const name = lease.metadata.name!;
      if (!name.startsWith(KUBELET_HOST_LEASE_PREFIX) || name === own) continue;
      seen.add(name);
      const raw = JSON.stringify(lease.spec ?? {});
      const durationMs = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
      const last = this.peers.get(name);
      const peer = last?.raw === raw ? last : { raw, at: now, durationMs };
      this.peers.set(name, peer);
      const lapsed = this.takeOver || !lease.spec?.holderIdentity || peer.at + peer.durationMs <= now;
      if (!lapsed) {
        live++;
        continue;
      }
      try {
        store.delete(KUBELET_SHARD_NAMESPACE, name, { preconditions: { resourceVersion: lease.metadata.resourceVersion } });
      } catch (err) {
        if (!(err instanceof StatusError)) throw err; // renewed or deleted meanwhile
      }
    }
    for (const name of this.peers.keys()) if (!seen.has(name)) this.peers.delete(name);
    return live;
  }
}

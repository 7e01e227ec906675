/**
 * Runs controllers: fills the caches, subscribes their watches, queues the initial keys and
 * processes each queue in its own loop until stopped.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../apimachinery/clock.js';
import type { Registry } from '../../registry/registry.js';
import { resourceKey, storageResource } from '../../registry/resource-definition.js';
import { ObjectCache, type CachedView } from './cache.js';
import type { Controller } from './controller.js';
import { WorkQueue } from './work-queue.js';
import type { QueueMetrics } from '../../apimachinery/metrics/workqueue.js';

export interface Logger {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
}

interface Running {
  controller: Controller;
  /** The group it was started in (startGroup), if any. */
  group?: string;
  /** Its hub subscriptions, by `group/resource`. */
  subscriptions: Map<string, () => void>;
  queue: WorkQueue;
  loop?: Promise<void>;
  busy: boolean;
  /** Per expensive key (at least COALESCE_MIN_COST_MS): when its last reconcile ended and what it cost (wall ms). */
  costs: Map<string, { endedAt: number; ms: number }>;
  /** The keys whose last reconcile was heavy (at least SHARED_PACING_MIN_COST_MS), recently. */
  heavy: Map<string, { endedAt: number; ms: number }>;
}

/**
 * A key whose reconcile is expensive is not re-run sooner than eighty times its cost after its
 * last run (so it uses at most about 1% of the CPU while other work waits; a DaemonSet's pass
 * over thousands of nodes mostly recounts its status, and ten of them at 5,000 nodes spent ~17%
 * of a convergence re-counting at twenty times); the heavy keys of one controller (a
 * DaemonSet over thousands of nodes) share that budget, paced by their cost together. Changes
 * that arrive meanwhile coalesce into one pass (a level-triggered reconcile loses nothing), so a
 * controller reading a large cluster cannot spend all the CPU re-reading it for every event.
 * The delay never exceeds COALESCE_MAX_DELAY_MS.
 */
const COALESCE_FACTOR = 80;
const COALESCE_MIN_COST_MS = 1;
/**
 * Keys below this are paced alone, never by the sum (a cheap key that was slow once). Ten
 * DaemonSets over 5,000 nodes cost 3–5 ms a pass each: paced alone at 5 ms they ran 1,300 passes
 * in one convergence, most of them recounting status.
 */
const SHARED_PACING_MIN_COST_MS = 2;
const COALESCE_MAX_DELAY_MS = 1000;

/** How long one controller may work through its queue before it lets I/O and the others run. */
const TURN_BUDGET_MS = 4;

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Manager {
  readonly cache: ObjectCache;
  private readonly running: Running[] = [];
  private readonly unsubscribers: (() => void)[] = [];
  private started = false;

  constructor(
    readonly registry: Registry,
    readonly clock: Clock,
    private readonly log: Logger | FastifyBaseLogger,
    /** The workqueue_* metrics of a controller's queue, by the controller's name (none: not measured). */
    private readonly queueMetrics?: (controller: string) => QueueMetrics,
  ) {
    this.cache = new ObjectCache(registry);
  }

  add(controller: Controller): void {
    if (this.started) throw new Error('controllers must be added before start');
    this.running.push(this.runningFor(controller));
  }

  private runningFor(controller: Controller, group?: string): Running {
    return {
      controller,
      group,
      subscriptions: new Map(),
      queue: new WorkQueue(this.clock, undefined, this.queueMetrics?.(controller.name)),
      busy: false,
      costs: new Map(),
      heavy: new Map(),
    };
  }

  /**
   * Starts controllers as a group, after start() (the controllers of a replica that became leader):
   * they fill no cache of their own (the caches are shared, and filled already), subscribe their
   * watches and queue their initial keys, as a restarted controller manager re-lists.
   */
  startGroup(group: string, controllers: Controller[]): void {
    if (!this.started) throw new Error('a group starts after the manager');
    if (this.running.some((r) => r.group === group)) throw new Error(`group ${group} runs already`);
    const added = controllers.map((c) => this.runningFor(c, group));
    // They come first, as their controllers are listed before the others (the kubelets) at start.
    this.running.unshift(...added);
    this.subscribeAll();
    for (const r of added) r.controller.setup?.();
    for (const r of added) {
      for (const key of r.controller.initialKeys()) r.queue.add(key);
      r.loop = this.loop(r);
    }
  }

  /** Stops a group's controllers: no more events reach them, queued work is dropped, a reconcile under way finishes. */
  async stopGroup(group: string): Promise<void> {
    const stopping = this.running.filter((r) => r.group === group);
    if (!stopping.length) return;
    this.running.splice(0, this.running.length, ...this.running.filter((r) => r.group !== group));
    for (const r of stopping) for (const u of r.subscriptions.values()) u();
    for (const r of stopping) r.queue.shutDown();
    await Promise.all(stopping.map((r) => r.loop ?? Promise.resolve()));
  }

  /** Whether a group's controllers run. */
  runsGroup(group: string): boolean {
    return this.running.some((r) => r.group === group);
  }

  /** Queues the initial keys of the named controllers again (what they run for changed: the kubelets' shards). */
  requeue(names: readonly string[]): void {
    for (const r of this.running) if (names.includes(r.controller.name)) for (const key of r.controller.initialKeys()) r.queue.add(key);
  }

  /** Fills every cache first, so no controller reads a cache that misses objects. */
  start(): void {
    this.started = true;
    this.subscribeAll();
    for (const r of this.running) r.controller.setup?.();
    // Kinds come and go with CRDs: controllers whose caches and watches cover every kind follow them.
    this.unsubscribers.push(this.registry.onDefinitionsChanged(() => this.kindsChanged()));
    // The first turn waits for the event loop's next one, so that whoever starts the manager (a
    // server starting up) finishes first: the API answers without the controllers' first syncs.
    for (const r of this.running) {
      for (const key of r.controller.initialKeys()) r.queue.add(key);
      r.loop = this.loop(r, true);
    }
  }

  /** Tracks every cache the controllers read and subscribes their watches (those not subscribed yet); returns the controllers whose watches changed. */
  private subscribeAll(): Set<Running> {
    const changed = new Set<Running>();
    // A kind is cached as metadata only when every controller that reads it reads no more.
    const views = new Map<string, { resource: string; group?: string; view: CachedView }>();
    const want = (resource: string, group: string | undefined, view: CachedView) => {
      const id = resourceKey(group ?? '', resource);
      const known = views.get(id);
      if (!known || (known.view === 'metadata' && view === 'full')) views.set(id, { resource, group, view });
    };
    for (const { controller } of this.running) {
      const caches = controller.caches;
      for (const c of caches) want(c.resource, c.group, c.view ?? 'full');
      // A watched kind is read as its controller caches it (whole unless it says otherwise).
      for (const w of controller.watches) {
        const listed = caches.find((c) => c.resource === w.resource && (c.group ?? '') === (w.group ?? ''));
        want(w.resource, w.group, listed?.view ?? 'full');
      }
    }
    for (const { resource, group, view } of views.values()) this.cache.track(resource, group, view);
    for (const r of this.running) {
      const wanted = new Set<string>();
      for (const w of r.controller.watches) {
        const id = resourceKey(w.group ?? '', w.resource);
        wanted.add(id);
        if (r.subscriptions.has(id)) continue;
        changed.add(r);
        r.subscriptions.set(
          id,
          this.registry.hub.subscribe(id, (ev) => {
            for (const key of w.keys(ev)) this.enqueue(r, key);
          }),
        );
      }
      for (const [id, unsubscribe] of r.subscriptions) {
        if (wanted.has(id)) continue;
        changed.add(r);
        unsubscribe();
        r.subscriptions.delete(id);
      }
    }
    return changed;
  }

  /** After CRDs changed the served kinds: new caches and watches, and no cache of a kind no longer served. */
  private kindsChanged(): void {
    if (!this.started) return;
    const changed = this.subscribeAll();
    const served = new Set(this.registry.served.map(storageResource));
    for (const r of this.running) for (const id of r.subscriptions.keys()) served.add(id);
    this.cache.untrackAllBut(served);
    // Only the controllers that follow every kind re-index (the garbage collector's owner index).
    for (const r of changed) r.controller.setup?.();
  }

  private enqueue(r: Running, key: string): void {
    const cost = r.costs.get(key);
    if (!cost || cost.ms < COALESCE_MIN_COST_MS) return r.queue.add(key);
    // Real time on purpose: this paces CPU use, it is not simulated time.
    const now = performance.now();
    const paced = cost.ms >= SHARED_PACING_MIN_COST_MS ? Math.max(cost.ms, this.heavyCost(r, now)) : cost.ms;
    const wait = Math.min(COALESCE_MAX_DELAY_MS, cost.endedAt + paced * COALESCE_FACTOR - now);
    if (wait <= 0 || this.allQuiet()) return r.queue.add(key);
    r.queue.addAfterReal(key, wait);
  }

  /** No controller has a key queued or running. */
  private allQuiet(): boolean {
    return this.running.every((x) => x.queue.length === 0 && !x.busy);
  }

  /** What the controller's recently heavy keys cost together (stale entries dropped). */
  private heavyCost(r: Running, now: number): number {
    let sum = 0;
    for (const [key, c] of r.heavy) {
      if (now - c.endedAt > 2 * COALESCE_MAX_DELAY_MS) r.heavy.delete(key);
      else sum += c.ms;
    }
    return sum;
  }

  private async loop(r: Running, firstTurnLater = false): Promise<void> {
    if (firstTurnLater) await yieldToIo();
    let turnStarted = performance.now();
    for (;;) {
      // A queued key is taken at once; only an empty queue is waited on (a promise per key was a
      // good part of the loop's cost with hundreds of thousands of keys).
      const key = r.queue.take() ?? (await r.queue.get());
      if (key === undefined) return;
      r.busy = true;
      const started = performance.now();
      let paceAsMs = 0;
      try {
        const outcome = r.controller.reconcile(key);
        const result = outcome instanceof Promise ? await outcome : outcome;
        paceAsMs = result?.paceAsMs ?? 0;
        r.queue.forget(key);
        if (result?.requeueAfterMs !== undefined) r.queue.addAfter(key, result.requeueAfterMs);
      } catch (err) {
        this.log.error({ err, controller: r.controller.name, key }, 'reconcile failed');
        r.queue.addRateLimited(key);
      } finally {
        const endedAt = performance.now();
        const cost = { endedAt, ms: Math.max(endedAt - started, paceAsMs) };
        // Only expensive keys are remembered, so the map stays small however many keys pass.
        if (cost.ms >= COALESCE_MIN_COST_MS) r.costs.set(key, cost);
        else r.costs.delete(key);
        if (cost.ms >= SHARED_PACING_MIN_COST_MS) r.heavy.set(key, cost);
        else r.heavy.delete(key);
        r.queue.done(key);
        r.busy = false;
      }
      // Pacing makes room for other work; with none queued anywhere, paced keys run now.
      if (this.allQuiet()) for (const x of this.running) x.queue.flushPacing();
      // Several cheap keys share a turn (and so one group commit of their writes); I/O gets its
      // turn at least every TURN_BUDGET_MS.
      if (performance.now() - turnStarted >= (r.controller.turnBudgetMs ?? TURN_BUDGET_MS) || r.queue.length === 0) {
        await yieldToIo();
        turnStarted = performance.now();
      }
    }
  }

  /**
   * The store changed without change events (a snapshot restore): refill the caches and queue
   * every controller's initial keys again, as a restarted controller manager would.
   */
  resync(): void {
    this.cache.resync();
    for (const r of this.running) for (const key of r.controller.initialKeys()) r.queue.add(key);
  }

  /** True when no controller has queued, coalescing or running work (clock timers may be pending). */
  idle(): boolean {
    return this.running.every((r) => r.queue.idle && !r.queue.pacing && !r.busy);
  }

  /** Resolves once every queue has been idle for two turns in a row. */
  async waitIdle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 2) {
      if (Date.now() > deadline) throw new Error('controllers did not settle in time');
      await yieldToIo();
      quiet = this.idle() ? quiet + 1 : 0;
    }
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribers.splice(0)) u();
    for (const r of this.running) for (const u of r.subscriptions.values()) u();
    for (const r of this.running) r.queue.shutDown();
    await Promise.all(this.running.map((r) => r.loop ?? Promise.resolve()));
    this.cache.stop();
  }
}

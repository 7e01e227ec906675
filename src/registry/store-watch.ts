/**
 * WATCH as an operation of the store (generic registry.Store.Watch): the events a watcher with
 * given options sees, from the current state or from a resourceVersion in the kind's watch
 * window, then live; bookmarks; the timeout. Replay and the switch to live events happen in one
 * synchronous step, so there is no gap and no duplicate; a paced replay (a large state handed to a
 * connection a slice per turn) listens from that step on and keeps what comes until it is done.
 *
 * Events are handed to the sink synchronously, as each change commits: nothing is queued here, so
 * nothing piles up on the store's side. A consumer that cannot keep up stops the watch (the HTTP
 * layer ends a watcher whose unsent bytes pass its limit, as kube-apiserver ends an unresponsive one).
 */
import type { Clock, CancelTimer } from '../apimachinery/clock.js';
import type { KubeObject } from '../apimachinery/object.js';
import type { Status } from '../apimachinery/status.js';
import type { FieldSelector } from '../apimachinery/fields.js';
import type { StorageBackend } from '../storage/storage-backend.js';
import { matchesOptions, type ListOptions } from './list-options.js';
import { tooLarge, tooOld } from './paged-list.js';
import type { InitialStates } from './initial-state.js';
import { apiVersionOf, storageResource, type ResourceDefinition } from './resource-definition.js';
import type { ChangeEvent, WatchHub } from './watch-hub.js';
import { changeEventOf, type ChangeFeed } from './change-feed.js';
import type { WatchWindows } from './watch-window.js';
import { checkWatchOptions, type WatchOptions } from './watch-options.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/**
 * A change of an object as a watcher sees it. A live change passed on as committed is the same
 * event object for every watcher of the kind, never to be mutated: a transport may key what it
 * derives from it (an encoded frame) by the event.
 */
export interface ObjectEvent<T extends KubeObject = KubeObject> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: T;
  /** The object's stored serialisation; absent when the object is not as stored (the last matching state of one that left the selection). */
  readonly json?: string;
}

/** The current resourceVersion, in an object of the kind that carries nothing else (and the initial-events-end annotation after the initial events). */
export interface BookmarkEvent {
  readonly type: 'BOOKMARK';
  readonly object: KubeObject;
}

/** The watch cannot go on (410 Expired, 504 Too large resource version); the watch ends after it. */
export interface ErrorEvent {
  readonly type: 'ERROR';
  readonly object: Status;
}

export type WatchEvent<T extends KubeObject = KubeObject> = ObjectEvent<T> | BookmarkEvent | ErrorEvent;

export interface WatchSink<T extends KubeObject = KubeObject> {
  /** One event, in resourceVersion order. */
  next(event: WatchEvent<T>): void;
  /** The store ended the watch (its timeout passed, or an ERROR event was the last): nothing follows. */
  end(): void;
}

/** An open watch (watch.Interface): `start` delivers its events to a sink, `stop` ends it without `end`. */
export interface Watch<T extends KubeObject = KubeObject> {
  /**
   * Replays what the options ask for (the current state, or the changes after the
   * resourceVersion) and goes live, synchronously; then bookmarks and the timeout follow on the
   * registry's clock. The sink may stop the watch from inside any call.
   *
   * With `paced` (a sink that writes to a connection), a current state of more than a few hundred
   * objects is handed over a slice per turn of the event loop instead, as kube-apiserver serves each
   * watcher on a goroutine of its own: hundreds of watchers of a large list do not hold every other
   * request until they all got it. Live changes that come meanwhile follow the initial events, in
   * order, none missed or repeated. `paced.replayed` is called once the initial events (and their
   * end bookmark) were all handed to the sink, at once when they were not paced.
   */
  start(sink: WatchSink<T>, paced?: { replayed(): void }): void;
  stop(): void;
}

/** Initial events handed to a paced sink per turn of the event loop. */
const PACED_SLICE = 128;

/** What a store's watches read: its storage, its change feed, its kind's window and the clock. */
interface WatchContext {
  storage: StorageBackend;
  hub: WatchHub;
  watchWindows: WatchWindows;
  /** How far the hub has published: a bookmark never claims more than was delivered. */
  feed: Pick<ChangeFeed, 'revision' | 'sync'>;
  clock: Clock;
}

/**
 * The ADDED event of an object that entered a selection: one per change, for every watcher it
 * entered (a memo of immutable events, gone with them).
 */
const entered = new WeakMap<ChangeEvent, ObjectEvent>();

/** What a watcher with these options sees of one change: the change itself, a selector entry (ADDED) or exit (DELETED), or nothing. */
function selectChange(def: ResourceDefinition, namespace: string | undefined, opts: ListOptions, ev: ChangeEvent): ObjectEvent | undefined {
  if (namespace !== undefined && def.namespaced && ev.namespace !== namespace) return undefined;
  if (!opts.labelSelector && !opts.fieldSelector) return ev;
  const now = matchesOptions(def, ev.object, opts);
  if (ev.type !== 'MODIFIED') return now ? ev : undefined;
  const before = ev.previous ? matchesOptions(def, ev.previous, opts) : now;
  if (now && before) return ev;
  if (now) {
    let added = entered.get(ev);
    if (!added) entered.set(ev, (added = { type: 'ADDED', object: ev.object, json: ev.json }));
    return added;
  }
  if (before && ev.previous)
    return { type: 'DELETED', object: { ...ev.previous, metadata: { ...ev.previous.metadata, resourceVersion: String(ev.rv) } } };
  return undefined;
}

/** The watch of one kind's store with checked options. */
export class StoreWatch<T extends KubeObject = KubeObject> implements Watch<T> {
  private sink: WatchSink<T> | undefined;
  private stopped = false;
  /** The revision the replay (or the initial state) reached; live changes up to it were sent. */
  private through = 0;
  private readonly cleanups: CancelTimer[] = [];
  private readonly startRevision: number | undefined;
  private readonly selectors: ListOptions;
  private readonly namespace: string | undefined;
  /** Live changes that came while paced initial events were still being handed over: they follow them. */
  private waiting: ChangeEvent[] | undefined;

  constructor(
    private readonly def: ResourceDefinition,
    private readonly ctx: WatchContext,
    private readonly opts: WatchOptions,
    private readonly initialStates: InitialStates,
  ) {
    const checked = checkWatchOptions(opts);
    this.startRevision = checked.startRevision;
    this.selectors = selectorsOf(opts.labelSelector, checked.fieldSelector);
    this.namespace = def.namespaced ? opts.namespace : undefined;
  }

  start(sink: WatchSink<T>, paced?: { replayed(): void }): void {
    if (this.sink) throw new Error('a watch starts once');
    this.sink = sink;
    const { storage } = this.ctx;
    const { startRevision } = this;
    const initialEvents = this.opts.sendInitialEvents === true;
    // A revision another replica wrote that this one has not seen yet: catch up with etcd first.
    if (startRevision !== undefined && startRevision > storage.currentRevision()) this.ctx.feed.sync();
    const current = storage.currentRevision();
    // Live changes at or below `current` are in what is sent first (a peer replica's change may
    // reach the hub after storage answered with it).
    this.through = current;
    // A resume from the log must still be in this kind's window (initial events come from the state).
    const expired = startRevision !== undefined && !initialEvents ? this.expired(startRevision) : undefined;
    if (expired) return this.fail(expired);
    const ahead = startRevision !== undefined && startRevision > current ? startRevision : undefined;
    // A resume from a revision not reached yet waits for the changes after it, as the watch cache
    // serves it (its events past the revision asked for, when they come); the initial events of a
    // state not reached yet cannot be sent (the HTTP watch waited for it first, Registry.waitForRevision).
    if (ahead !== undefined && initialEvents) return this.fail(tooLarge(ahead, current).status);
    let state: readonly ObjectEvent<T>[] | undefined;
    if (ahead !== undefined) this.through = ahead;
    else if (startRevision === undefined || initialEvents) {
      state = this.initialStates.read<T>(storage, this.def, this.namespace, this.selectors, current);
      if (paced && state.length > PACED_SLICE) this.waiting = [];
      else {
        // The object is parsed only if the sink reads it (an encoder that writes the stored JSON does not).
        for (let i = 0; i < state.length && !this.stopped; i++) sink.next(state[i]);
        if (initialEvents && !this.stopped) this.bookmark({ 'k8s.io/initial-events-end': 'true' });
        state = undefined;
      }
    } else {
      for (const row of storage.eventsAfter(startRevision, current, storageResource(this.def))) {
        if (this.stopped) break;
        this.send(changeEventOf(row));
      }
    }
    if (this.stopped) return;
    this.cleanups.push(this.ctx.hub.subscribe(storageResource(this.def), (ev) => this.deliver(ev)));
    if (state) this.replaySlice(state, 0, initialEvents, paced!);
    else paced?.replayed();
    if (this.stopped) return;
    const { clock } = this.ctx;
    if (this.opts.timeoutSeconds !== undefined) this.cleanups.push(clock.after(this.opts.timeoutSeconds * 1000, () => this.end()));
    const interval = this.opts.bookmarkIntervalMs;
    if (this.opts.allowWatchBookmarks && interval !== undefined) {
      let cancelTick: CancelTimer;
      const tick = () => {
        // No bookmark inside the initial events: the next one comes after them.
        if (!this.waiting) this.bookmark();
        if (!this.stopped) cancelTick = clock.after(interval, tick);
      };
      cancelTick = clock.after(interval, tick);
      this.cleanups.push(() => cancelTick());
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  /** A live change from the hub. */
  private deliver(ev: ChangeEvent): void {
    if (ev.rv <= this.through) return;
    if (this.waiting) this.waiting.push(ev);
    else this.send(ev);
  }

  /**
   * Hands `state`'s events from `from` to the sink, a slice per turn; after the last, the end
   * bookmark (`endBookmark`) and the live changes that waited meanwhile.
   */
  private replaySlice(state: readonly ObjectEvent<T>[], from: number, endBookmark: boolean, paced: { replayed(): void }): void {
    const to = Math.min(state.length, from + PACED_SLICE);
    for (let i = from; i < to && !this.stopped; i++) this.sink!.next(state[i]);
    if (this.stopped) return;
    if (to < state.length) {
      const next = setImmediate(() => this.replaySlice(state, to, endBookmark, paced));
      this.cleanups.push(() => clearImmediate(next));
      return;
    }
    // At the state's revision: the changes that waited meanwhile are not sent yet.
    if (endBookmark) this.bookmark({ 'k8s.io/initial-events-end': 'true' }, this.through);
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    paced.replayed();
    for (const ev of waiting) this.send(ev);
  }

  private send(ev: ChangeEvent): void {
    if (this.stopped) return;
    const seen = selectChange(this.def, this.namespace, this.selectors, ev);
    if (seen) this.sink!.next(seen as ObjectEvent<T>);
  }

  /** A BOOKMARK at `revision`, by default the latest one delivered. */
  private bookmark(annotations?: Record<string, string>, revision = Math.max(this.through, this.ctx.feed.revision())): void {
    const metadata: KubeObject['metadata'] = { resourceVersion: String(revision) };
    if (annotations) metadata.annotations = annotations;
    this.sink!.next({ type: 'BOOKMARK', object: { kind: this.def.kind, apiVersion: apiVersionOf(this.def), metadata } });
  }

  /** One ERROR event, then the end. */
  private fail(status: Status): void {
    this.sink!.next({ type: 'ERROR', object: status });
    this.end();
  }

  private end(): void {
    if (this.stopped) return;
    this.stop();
    this.sink!.end();
  }

  /** The 410 for a resume after `rv`, when it is older than this kind's window or the log's compaction point. */
  private expired(rv: number): Status | undefined {
    const oldest = Math.max(this.ctx.watchWindows.oldestResumable(storageResource(this.def)), this.ctx.storage.compactedRevision());
    return rv < oldest ? tooOld(rv, oldest).status : undefined;
  }
}

function selectorsOf(labelSelector: ListOptions['labelSelector'], fieldSelector: FieldSelector | undefined): ListOptions {
  const selectors: ListOptions = {};
  if (labelSelector) selectors.labelSelector = labelSelector;
  if (fieldSelector) selectors.fieldSelector = fieldSelector;
  return selectors;
}

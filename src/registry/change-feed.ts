/**
 * Where committed changes enter the watch hub, strictly in revision order. A change this replica
 * commits is published at once (the controllers' caches never lag their own writes); with a
 * change stream followed (several replicas on one etcd), the changes other replicas commit are
 * published as the stream brings them, and a local commit first publishes the peers' changes below
 * its revision, read synchronously from storage. A change at or below the last published
 * revision (a replica's own write coming back on the stream) is skipped. When the stream was
 * compacted past what it had yet to deliver, the feed jumps to the current revision and `onGap`
 * runs: open watches end with 410 Expired and caches re-list, as on a cluster.
 */
import type { KubeObject } from '../apimachinery/object.js';
import type { ChangeStream } from '../storage/change-stream.js';
import type { LogRow } from '../storage/object-store.js';
import type { StorageBackend } from '../storage/storage-backend.js';
import type { ChangeEvent, WatchHub } from './watch-hub.js';
import type { WatchWindows } from './watch-window.js';

/** A log row as the hub's change event (objects parsed). */
export function changeEventOf(row: LogRow): ChangeEvent {
  const ev: ChangeEvent = {
    type: row.type,
    resource: row.resource,
    namespace: row.namespace,
    name: row.name,
    rv: row.id,
    object: JSON.parse(row.body) as KubeObject,
    json: row.body,
  };
  if (row.prevBody) ev.previous = JSON.parse(row.prevBody) as KubeObject;
  return ev;
}

const keyOf = (c: { resource: string; namespace: string; name: string }) => `${c.resource}/${c.namespace}/${c.name}`;

export class ChangeFeed {
  /** The revision of the last change published. */
  private published: number;
  /**
   * The objects published at that revision: one etcd transaction (a batch of writes) gives several
   * changes one revision, and a change coming back on the stream is told from its siblings by key.
   */
  private publishedKeys = new Set<string>();
  private stream: ChangeStream | undefined;
  private onGap: (() => void) | undefined;
  /** Reads waiting for a revision not published yet (whenPublished), each woken once it is. */
  private waiters: { rv: number; wake(): void }[] = [];

  constructor(
    private readonly storage: StorageBackend,
    private readonly hub: WatchHub,
    private readonly windows: WatchWindows,
  ) {
    this.published = storage.currentRevision();
    // A restore replaced the state without change events: publishing goes on from the restore point.
    hub.onReset(() => this.restart());
  }

  /** The revision of the last change the hub has seen. */
  revision(): number {
    return this.published;
  }

  /**
   * Resolves true once revision `rv` has been published here, or false after `timeoutMs` without
   * it: kube-apiserver's watch cache waits so (waitUntilFreshAndBlock) before it serves a read of a
   * resourceVersion it has not reached, then answers Too large resource version.
   */
  whenPublished(rv: number, timeoutMs: number): Promise<boolean> {
    if (this.published >= rv) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        rv,
        wake() {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.waiters.push(waiter);
    });
  }

  /** A change this replica committed: the peers' changes below it first (when following), then it. */
  committed(event: ChangeEvent): void {
    if (this.stream && event.rv - 1 > this.published) this.catchUp(event.rv - 1);
    this.publish(event);
  }

  /**
   * Follows the changes other replicas commit, from the last published revision. `onGap` runs when
   * some of them were compacted before they arrived (it ends open watches and re-lists caches).
   */
  follow(stream: ChangeStream, onGap: () => void): void {
    if (this.stream) throw new Error('a change feed follows one stream');
    this.stream = stream;
    this.onGap = onGap;
    stream.start(this.published, {
      changes: (rows) => {
        for (const row of rows) if (this.unpublished(row)) this.publish(changeEventOf(row));
      },
      compacted: () => {
        this.gap();
        return this.published;
      },
    });
  }

  /**
   * Publishes every change committed anywhere before now (a round trip to a shared store), so a
   * read that follows sees them: kube-apiserver's consistent read from its watch cache.
   */
  sync(): void {
    if (!this.stream) return;
    const latest = this.storage.latestRevision?.() ?? this.published;
    if (latest > this.published) this.catchUp(latest);
  }

  /** Stops following the stream (the replica shuts down). */
  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    await stream?.stop();
  }

  private catchUp(upTo: number): void {
    if (this.published < this.storage.compactedRevision()) return this.gap();
    for (const row of this.storage.eventsAfter(this.published, upTo)) if (this.unpublished(row)) this.publish(changeEventOf(row));
  }

  private unpublished(row: LogRow): boolean {
    return row.id > this.published || (row.id === this.published && !this.publishedKeys.has(keyOf(row)));
  }

  private publish(event: ChangeEvent): void {
    if (event.rv > this.published) {
      this.published = event.rv;
      this.publishedKeys.clear();
    }
    if (event.rv === this.published) this.publishedKeys.add(keyOf(event));
    this.windows.record(event.resource, event.rv);
    this.hub.publish(event);
    if (this.waiters.length !== 0) this.wakeWaiters();
  }

  /** Wakes the reads waiting for a revision published by now. */
  private wakeWaiters(): void {
    const published = this.published;
    const waiting = this.waiters;
    this.waiters = waiting.filter((w) => w.rv > published);
    for (const w of waiting) if (w.rv <= published) w.wake();
  }

  /** Publishing goes on from the current revision (a restore, or a gap re-read by every cache). */
  private restart(): void {
    this.published = this.storage.currentRevision();
    this.publishedKeys.clear();
    if (this.waiters.length !== 0) this.wakeWaiters();
  }

  /** Changes were lost to compaction: start over at the current revision (onGap resets the hub). */
  private gap(): void {
    this.restart();
    this.onGap?.();
  }
}

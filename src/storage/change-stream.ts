/**
 * Writes other processes commit to the same storage, as a stream: what a replica of kubemock
 * follows to see the changes its peers make (an etcd watch on the prefix for the etcd backend).
 * A backend only one process writes (SQLite) has none.
 */
import type { LogRow } from './object-store.js';

export interface ChangeStreamHandlers {
  /** Committed changes after the revision the stream started from, in revision order, each once. */
  changes(rows: LogRow[]): void;
  /**
   * The stream cannot go on from `after` (the last revision it delivered): the revisions it had yet
   * to deliver were compacted. Returns the revision after which it goes on (the follower has
   * re-read everything up to it).
   */
  compacted(after: number): number;
}

export interface ChangeStream {
  /** Starts delivering the changes committed after `afterRevision`; reconnects by itself until stopped. */
  start(afterRevision: number, handlers: ChangeStreamHandlers): void;
  stop(): Promise<void>;
}

/**
 * What the registry needs from a store of objects and their revision log. SQLite (ObjectStore) is
 * the embedded default, etcd v3 (EtcdStore) the other; every method is synchronous, so a backend
 * over the network answers through a synchronous round trip and a write is a single
 * compare-and-swap either way.
 */
import type { Change, ListedRow, LogRow, StoredRow } from './object-store.js';

export interface StorageBackend {
  /**
   * The revisions a commit of several changes gives: one each, in order (SQLite's log), or one for
   * the whole transaction (etcd).
   */
  readonly revisionPerCommit: 'change' | 'transaction';
  /** Each commit is a round trip to another process (etcd): writes that need not wait are worth batching. */
  readonly remote: boolean;
  /** The revision of the last committed write (that this replica knows of). */
  currentRevision(): number;
  /**
   * The revision of the last write any writer committed, asked now (a round trip): what a read
   * that must see every earlier write catches up to. Absent where one process owns the store.
   */
  latestRevision?(): number;
  /** The oldest revision a watch or a paged list may still start from. */
  compactedRevision(): number;
  /** Whether an object exists (no body read). */
  exists(resource: string, namespace: string, name: string): boolean;
  /**
   * The object's current row. `remember`: a client asked for it and may ask again (GET by name); a
   * backend may keep it for the next read until the object is written (SQLite does, ReadCache).
   */
  get(resource: string, namespace: string, name: string, remember?: boolean): StoredRow | undefined;
  list(resource: string, namespace: string | undefined): ListedRow[];
  /** Every object of a resource, without its body: enough to tell which ones changed. */
  listVersions(resource: string): Omit<ListedRow, 'body'>[];
  /** How many objects of a resource are stored. */
  count(resource: string): number;
  /** The objects as they were at revision `rv` (which must not be below the compacted revision). */
  listAt(resource: string, namespace: string | undefined, rv: number): ListedRow[];
  /** The object at revision `rv` (undefined if it did not exist then). */
  getAt(resource: string, namespace: string, name: string, rv: number): LogRow | undefined;
  /**
   * The revision the next write is expected to get; callers put it into the body before `commit`.
   * A shared store (etcd written by others too) may assign a later one: `commit` says which.
   */
  nextRevision(): number;
  /**
   * Commits a batch of changes in one transaction; `expectRv` per change is the compare-and-swap
   * guard (the object's current revision; 0 = must not exist). Returns the revision each change
   * got (etcd: the transaction's revision; it differs from `rv` when another writer came first,
   * and reads then answer the body with the assigned one), or undefined, writing nothing, when a
   * guard fails.
   */
  commit(changes: { change: Change; rv: number; expectRv: number }[]): number[] | undefined;
  /**
   * Names where a resource's objects live, as kube-apiserver lays out etcd: the key prefix under
   * the store's root (`minions` for nodes, `services/specs`, `<group>/<plural>` for custom
   * resources). Called for every stored resource before it is read or written; SQLite ignores it.
   */
  defineResource(resource: string, keyPrefix: string): void;
  /** The root of those keys (kube-apiserver's --etcd-prefix); absent: the default, /registry (SQLite has no keys). */
  readonly keyRoot?: string;
  /** Log rows after `rv` up to `until` (inclusive), optionally for one resource. */
  eventsAfter(rv: number, until: number, resource?: string): LogRow[];
  /**
   * Resolves once every write committed so far is durable. A backend may group the writes of one
   * turn of the event loop into one durable step (group commit), so `commit` returning true means
   * "ordered and visible to readers", and HTTP replies and watch events wait for this promise.
   */
  whenDurable(): Promise<void>;
  /**
   * Whether every write committed so far is durable already (nothing waits in an open group), so
   * a reply may go out at once instead of through whenDurable()'s promise. Optional: without it,
   * callers wait for whenDurable().
   */
  isDurable?(): boolean;
  /** Makes every write committed so far durable now (before closing, or a step that needs no open transaction). */
  flush?(): void;
}

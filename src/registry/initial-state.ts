/**
 * The current state a watch starts with (its initial ADDED events), read once for the watches of a
 * kind that start together: same revision, same namespace, no selectors (informers reconnecting
 * after a restart, a fleet of clients started at once). They then hold the very same event
 * objects, so whatever a transport derives from an event (an encoded frame) is made once for all
 * of them, as for a live change: 500 watches of 1,000 pods cost one read and one encoding of each
 * pod, not 500. Watches with selectors read their own (their selection is theirs).
 *
 * The shared state is held weakly: it lives while a watch still replays it (and at least until the
 * end of the turn it was read in), never as a copy of a kind's every object kept for later.
 */
import type { KubeObject } from '../apimachinery/object.js';
import type { StorageBackend } from '../storage/storage-backend.js';
import type { ListOptions } from './list-options.js';
import { readList, type ListResult } from './paged-list.js';
import type { ResourceDefinition } from './resource-definition.js';
import type { ObjectEvent } from './store-watch.js';

/**
 * An initial ADDED event of a watch: the stored JSON, and the object parsed only if the sink reads
 * it. A class, not an object literal with a getter (see ReadList in paged-list.ts: such a literal
 * keeps what its getter captures alive through every scavenge until the next full GC).
 */
class InitialEvent<T extends KubeObject> implements ObjectEvent<T> {
  readonly type = 'ADDED';
  readonly json: string;

  constructor(
    private readonly list: ListResult,
    private readonly index: number,
  ) {
    this.json = list.raw[index];
  }

  get object(): T {
    return this.list.items[this.index] as T;
  }
}

function initialEvents<T extends KubeObject>(list: ListResult): ObjectEvent<T>[] {
  const events: ObjectEvent<T>[] = new Array<ObjectEvent<T>>(list.raw.length);
  for (let i = 0; i < list.raw.length; i++) events[i] = new InitialEvent<T>(list, i);
  return events;
}

/** The initial events one kind's watches start with; a store has one. */
export class InitialStates {
  private last: { namespace: string | undefined; revision: number; events: WeakRef<readonly ObjectEvent[]> } | undefined;

  /**
   * The objects of `namespace` (every namespace when undefined) that `selectors` select, as ADDED
   * events in list order, at the storage's current revision (`revision`, which the caller read).
   */
  read<T extends KubeObject>(
    storage: StorageBackend,
    def: ResourceDefinition,
    namespace: string | undefined,
    selectors: ListOptions,
    revision: number,
  ): readonly ObjectEvent<T>[] {
    if (selectors.labelSelector || selectors.fieldSelector) return initialEvents<T>(readList(storage, def, namespace, selectors));
    const last = this.last;
    const shared = last && last.revision === revision && last.namespace === namespace ? last.events.deref() : undefined;
    if (shared) return shared as readonly ObjectEvent<T>[];
    const events = initialEvents<T>(readList(storage, def, namespace, selectors));
    this.last = { namespace, revision, events: new WeakRef(events) };
    return events;
  }
}

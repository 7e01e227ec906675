/**
 * Writes whose writer does not wait for the outcome (a kubelet's Lease renewal and pod statuses, a recorded Event),
 * gathered into one storage transaction: on a store where each commit is a network round trip
 * (etcd), a hundred heartbeats cost one round trip instead of a hundred, as client-go's many
 * concurrent requests share kube-apiserver's connection to etcd. Each write runs the whole write
 * pipeline at once (validation errors reach the writer); only its compare-and-swap waits for the
 * batch, committed at the end of the event-loop turn or when it is full. A batch whose guard fails
 * is committed write by write: the ones that lost a race are dropped, as a failed request is, and
 * their writers' level-triggered loops write again.
 */
import type { Change } from '../storage/object-store.js';
import type { StorageBackend } from '../storage/storage-backend.js';
import type { ChangeEvent } from './watch-hub.js';

/** One write of a batch: the change to commit and its event once committed. */
export interface BatchedWrite {
  change: Change;
  rv: number;
  expectRv: number;
  /** The change event, published with the revision the write got. */
  event: ChangeEvent;
  /** The event's object serialised again with another revision (etcd gave the batch its own). */
  withRevision(rv: number): ChangeEvent;
  /** Told once the write is committed or dropped (WriteBatch.run's `outcome`). */
  outcome?: WriteOutcome;
}

/** What a writer that does not wait is told of its writes' fate, once the batch is committed. */
export interface WriteOutcome {
  committed?(): void;
  /** Lost a race (its guard failed) or the storage failed: the write did not happen. */
  dropped?(): void;
}

/** Tells a writer; a writer's failure is its own and does not stop the batch's others being told. */
function tell(outcome: WriteOutcome | undefined, what: 'committed' | 'dropped'): void {
  try {
    outcome?.[what]?.();
  } catch (err) {
    process.emitWarning(`a batched write's ${what} callback failed: ${(err as Error).message}`);
  }
}

/** etcd's default --max-txn-ops is 128. */
const MAX_BATCH = 100;

export class WriteBatch {
  private pending: BatchedWrite[] = [];
  private readonly keys = new Set<string>();
  private scheduled = false;
  /** Nesting depth of `run`: writes inside it join the batch. */
  private open = 0;
  /** The innermost `run`'s outcome, given to the writes it adds. */
  private outcome: WriteOutcome | undefined;

  constructor(
    private readonly storage: StorageBackend,
    private readonly publish: (event: ChangeEvent) => void,
  ) {}

  /** Whether a write now joins the batch (it runs inside `run`). */
  collecting(): boolean {
    return this.open > 0;
  }

  /** Runs `write`; the commits it makes join the batch instead of committing at once, each told `outcome` of its fate. */
  run(write: () => void, outcome?: WriteOutcome): void {
    const outer = this.outcome;
    this.open++;
    this.outcome = outcome;
    try {
      write();
    } finally {
      this.open--;
      this.outcome = outer;
    }
  }

  /** The revision the next batched write is expected to get (after the ones waiting). */
  nextRevision(): number {
    return this.storage.nextRevision() + this.pending.length;
  }

  /** Adds a write; a second write of a key already waiting commits the batch first (one write per key per transaction). */
  add(write: BatchedWrite): void {
    const key = `${write.change.resource}/${write.change.namespace}/${write.change.name}`;
    if (this.keys.has(key)) this.flush();
    this.pending.push(this.outcome ? { ...write, outcome: this.outcome } : write);
    this.keys.add(key);
    if (this.pending.length >= MAX_BATCH) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        try {
          this.flush();
        } catch (err) {
          // Nobody waits on these writes: they are lost, as a request that failed would be (etcd unreachable).
          process.emitWarning(`batched writes were dropped: ${(err as Error).message}`);
        }
      });
    }
  }

  /** Commits what waits: one transaction, or write by write when a guard failed. */
  flush(): void {
    if (!this.pending.length) return;
    const writes = this.numbered(this.pending, this.storage.nextRevision());
    this.pending = [];
    this.keys.clear();
    let revisions: number[] | undefined;
    try {
      revisions = this.storage.commit(writes.map(({ change, rv, expectRv }) => ({ change, rv, expectRv })));
    } catch (err) {
      for (const w of writes) tell(w.outcome, 'dropped');
      throw err;
    }
    if (revisions) {
      writes.forEach((w, i) => this.published(w, revisions[i]));
      return;
    }
    writes.forEach((w, i) => {
      const [one] = this.numbered([w], this.storage.nextRevision());
      let got: number | undefined;
      try {
        [got] = this.storage.commit([{ change: one.change, rv: one.rv, expectRv: w.expectRv }]) ?? [];
      } catch (err) {
        for (const rest of writes.slice(i)) tell(rest.outcome, 'dropped');
        throw err;
      }
      if (got !== undefined) this.published(one, got);
      else tell(w.outcome, 'dropped');
    });
  }

  /**
   * The writes with the revisions the store is expected to give them from `next` on (one each, or
   * one for the whole transaction on etcd), each body carrying its own.
   */
  private numbered(writes: BatchedWrite[], next: number): BatchedWrite[] {
    const shared = this.storage.revisionPerCommit === 'transaction';
    return writes.map((w, i) => {
      const rv = shared ? next : next + i;
      if (rv === w.rv) return w;
      const event = w.withRevision(rv);
      return { ...w, rv, event, change: { ...w.change, body: event.json } };
    });
  }

  private published(w: BatchedWrite, rv: number): void {
    this.publish(rv === w.rv ? w.event : w.withRevision(rv));
    tell(w.outcome, 'committed');
  }
}

/**
 * The app's watch fan-out: what the watch streams of one server share while their frames wait to be
 * sent. Frames of writes not yet durable wait for the write's durable point, frames of writes
 * already durable for the end of the event loop's turn; the streams waiting for one of these are
 * released together, RELEASE_SLICE at a time, and the watchers released together with the same
 * frames get the same bytes (built once). One per app (src/app.ts creates it), passed to each
 * stream (watch-stream.ts).
 */
import { Fifo } from '../apimachinery/fifo.js';

/** What the fan-out releases: a watch stream's held frames (see WatchStream). */
export interface HeldFrames {
  /** Storage failed to make the writes the held frames announce durable. */
  durable(ok: false): void;
  /** Storage made them durable: from now on they wait only for their slice of the release (readyToSend). */
  durableReached(): void;
  /** Their slice of the release came: frames that waited only for it go out. */
  readyToSend(): void;
}

/** The frames of one batch as one Buffer: plain, and framed as one HTTP/1.1 chunk (size line, data, CRLF). */
export interface Batch {
  readonly frames: readonly (string | Buffer)[];
  readonly from: number;
  readonly to: number;
  plain?: Buffer;
  chunk?: Buffer;
}

const CRLF = Buffer.from('\r\n');

/**
 * Watchers released in one go before the fan-out lets the event loop take requests again. A socket
 * write costs ~5-7 µs, so 1,000 watchers in one loop held a write that came meanwhile for 7 ms; in
 * slices of this many a request waits for one slice at most (~1.5 ms), and the rest of the watchers
 * go out in the next turns, before anything else is sent to them. A trade: the bench's 1,000
 * watchers at 100 writes/s measured the writes' p99 at 10.5-11 ms against 22-25.5 without slices,
 * and the deliveries' p99 at 30-31 ms against 24-26 (docs/performance.md, issue 19, seventeenth session).
 */
export const RELEASE_SLICE = 200;

function sameFrames(a: Batch, frames: readonly (string | Buffer)[], from: number, to: number): boolean {
  if (a.to - a.from !== to - from) return false;
  for (let i = 0; i < to - from; i++) if (a.frames[a.from + i] !== frames[from + i]) return false;
  return true;
}

/** A batch's frames as one plain Buffer (built once per batch). */
export function plainBytes(b: Batch): Buffer {
  if (!b.plain) {
    const parts: Buffer[] = [];
    for (let i = b.from; i < b.to; i++) {
      const f = b.frames[i];
      parts.push(typeof f === 'string' ? Buffer.from(f) : f);
    }
    b.plain = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
  return b.plain;
}

/** A batch's frames as one HTTP/1.1 chunk (built once per batch). */
export function chunkBytes(b: Batch): Buffer {
  if (!b.chunk) {
    const plain = plainBytes(b);
    b.chunk = Buffer.concat([Buffer.from(`${plain.length.toString(16)}\r\n`, 'latin1'), plain, CRLF]);
  }
  return b.chunk;
}

export class WatchFanOut {
  /**
   * The streams holding frames for one durable point, released together: every watcher of a write
   * waits for the same promise, so one reaction serves them all instead of one per watcher on the
   * write's path (1,000 watchers: 1,000 promise reactions per write otherwise).
   */
  private readonly waiting = new Map<Promise<void>, HeldFrames[]>();
  /**
   * Streams whose frames wait only for their slice of the release: frames of writes that were
   * durable when written (no group transaction open), sent after the event loop's turn, so every
   * write of one turn (several requests handled in one poll phase when the server is behind)
   * reaches a watcher in one socket write and the writers' replies go out before the fan-out; and
   * the streams of a durable point beyond its first slice.
   */
  private readonly readyStreams = new Fifo<HeldFrames>();
  /**
   * The streams in readyStreams, each once. A stream waiting for its slice while writes keep coming
   * is handed over again at every durable point it waits for; queued anew each time (1,000 watchers
   * at 100 writes/s, the release behind by a few turns), the queue grew without bound and each
   * slice copied the rest of it: two thirds of the server's time.
   */
  private readonly ready = new Set<HeldFrames>();
  private releaseScheduled = false;
  /** The batch built last (while one release runs): the next watcher with the same frames reuses its bytes. */
  private lastBatch: Batch | undefined;
  /** Batches of initial events by their first frame, while that frame lives (it is shared by the watchers that started together). */
  private readonly initialBatches = new WeakMap<Buffer, Batch[]>();

  /** How many streams wait for their slice of the release. */
  get waitingForSlice(): number {
    return this.readyStreams.length;
  }

  /** `stream`'s held frames go out once `point` settles. */
  afterDurable(point: Promise<void>, stream: HeldFrames): void {
    const streams = this.waiting.get(point);
    if (streams) {
      streams.push(stream);
      return;
    }
    this.waiting.set(point, [stream]);
    point.then(
      () => this.settle(point, true),
      () => this.settle(point, false),
    );
  }

  /** `stream`'s held frames go out at the end of this turn of the event loop. */
  afterTurn(stream: HeldFrames): void {
    this.toRelease(stream);
    this.scheduleRelease();
  }

  /** Queues a stream for its slice, unless it is queued already (it then sends all it holds when its turn comes). */
  private toRelease(stream: HeldFrames): void {
    if (this.ready.has(stream)) return;
    this.ready.add(stream);
    this.readyStreams.push(stream);
  }

  /**
   * The batch of `frames[from, to)`: the one built last when it holds the same frames. `initial`:
   * they are initial events, which the watchers of a large state started together get a slice per
   * turn each, their slices interleaved: a batch of them is also found by its first frame (a frame
   * shared by those watchers), so each slice's bytes are built once, not once per watcher.
   */
  batchOf(frames: readonly (string | Buffer)[], from: number, to: number, initial = false): Batch {
    if (this.lastBatch && sameFrames(this.lastBatch, frames, from, to)) return this.lastBatch;
    const first = frames[from];
    if (!initial || typeof first === 'string') return (this.lastBatch = { frames, from, to });
    const known = this.initialBatches.get(first);
    const found = known?.find((b) => sameFrames(b, frames, from, to));
    if (found) return (this.lastBatch = found);
    const batch: Batch = { frames, from, to };
    if (known) known.push(batch);
    else this.initialBatches.set(first, [batch]);
    return (this.lastBatch = batch);
  }

  private settle(point: Promise<void>, durable: boolean): void {
    const streams = this.waiting.get(point) ?? [];
    this.waiting.delete(point);
    if (!durable) {
      for (const stream of streams) stream.durable(false);
      return;
    }
    // Their frames are durable now: the first slice goes out at once, the others wait for theirs
    // (like frames of writes durable when written).
    for (const stream of streams) stream.durableReached();
    if (streams.length > RELEASE_SLICE) {
      for (let i = RELEASE_SLICE; i < streams.length; i++) this.toRelease(streams[i]);
      this.scheduleRelease();
    }
    this.release(streams, Math.min(streams.length, RELEASE_SLICE));
  }

  private scheduleRelease(): void {
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    setImmediate(() => this.releaseSlice());
  }

  /** Releases up to RELEASE_SLICE streams; the rest (and any queued since) wait for the next turn. */
  private releaseSlice(): void {
    this.releaseScheduled = false;
    const streams: HeldFrames[] = [];
    for (let stream = this.readyStreams.shift(); stream !== undefined; stream = this.readyStreams.shift()) {
      this.ready.delete(stream);
      if (streams.push(stream) === RELEASE_SLICE) break;
    }
    if (this.readyStreams.length) this.scheduleRelease();
    this.release(streams, streams.length);
  }

  private release(streams: readonly HeldFrames[], n: number): void {
    try {
      for (let i = 0; i < n; i++) streams[i].readyToSend();
    } finally {
      this.lastBatch = undefined;
    }
  }
}

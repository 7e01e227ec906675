/**
 * The writing side of one watch response, with kube-apiserver's cacher rule for a watcher that
 * does not keep up: it gets a small buffer of its own, and once that overflows it is closed instead
 * of holding the events for it (upstream's cacheWatcher "Forcing … watcher close due to
 * unresponsiveness").
 *
 * Frames go to the socket only while it takes them (`write()` returns true); after that they wait
 * here until `drain`. So the socket never holds more than about one high-water mark, and closing a
 * stuck watcher drops this queue (plain references, often to frames shared by every watcher) and
 * resets a socket holding a handful of writes: never an error object per queued frame, and the
 * memory is free at once.
 *
 * The initial events (a replay written in one synchronous step, as long as a list) do not count
 * against the buffer, as upstream sends them without the timeout live events have; the live events
 * queued behind them do.
 *
 * Frames that wait for a durable point go out together when it comes: one socket write per watcher
 * (its initial events in one, its live events in another), not one per frame. The watchers of one
 * kind mostly wait for the same frames, so the chunk is built once and the same bytes written to
 * each of them (framed for HTTP/1.1 chunked transfer and written straight to the connection, when
 * the response owns its socket), which is most of the cost of a fan-out to 1,000 watchers. What the
 * streams of one server share while they wait lives in the app's fan-out (watch-fan-out.ts).
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { chunkBytes, plainBytes, type Batch, type HeldFrames, type WatchFanOut } from './watch-fan-out.js';

/**
 * The connection a response may write chunks to directly: its own socket, once its chunked head
 * went out (not a pipelined response still waiting for its turn, whose head is buffered).
 */
function ownSocketOf(res: ServerResponse): Socket | undefined {
  const socket: (Socket & { _httpMessage?: unknown }) | null = res.socket;
  if (!socket || socket._httpMessage !== res || !res.headersSent || !res.chunkedEncoding || !socket.writable) return undefined;
  return socket;
}

export interface WatchStreamOptions {
  /** The app's fan-out: where held frames wait with those of the other watchers (watch-fan-out.ts). */
  fanOut: WatchFanOut;
  /** Unsent bytes of live events a watcher may have queued here before it is closed. */
  maxBufferedBytes: number;
  /** Called once when the watcher is closed for not reading. */
  onOverflow(queuedBytes: number): void;
  /**
   * Resolves once what storage committed so far is durable (group commit): frames wait for it, so
   * a watcher never sees a write that a crash could still lose.
   */
  whenDurable?: () => Promise<void>;
  /** Whether everything storage committed so far is durable already (then frames only wait for the end of the turn). */
  isDurable?: () => boolean;
}

export class WatchStream implements HeldFrames {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  /** Bytes at the head of the queue that are initial events, exempt from the limit. */
  private exemptBytes = 0;
  private waitingForDrain = false;
  /** Frames waiting for storage to make the writes they announce durable; the first `heldInitial` are initial events. */
  private held: (string | Buffer)[] | undefined;
  private heldInitial = 0;
  /** The held frames wait for the end of the turn (afterTurn), not for a durable point. */
  private heldForTurn = false;
  /** Where whole HTTP chunks go when the response owns its socket (see ownSocketOf), found when the first batch is sent. */
  private socket: Socket | null | undefined;
  private readonly onSocketDrain = () => this.flush();
  private ending = false;
  private closed = false;
  /** Writes of one turn of the event loop go out together (one writev, not one syscall per frame). */
  private corked = false;
  /** While true, what is written is initial events. */
  replaying = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly opts: WatchStreamOptions,
  ) {
    res.on('drain', () => this.flush());
  }

  /** Whether frames are still accepted (not ending, not closed). */
  get open(): boolean {
    return !this.ending && !this.closed;
  }

  write(frame: string | Buffer): void {
    if (!this.open) return;
    const whenDurable = this.opts.whenDurable;
    if (!whenDurable) return this.send(frame);
    // The frames of one turn wait together for one durable point, in order (initial events first).
    const durableNow = this.opts.isDurable?.() === true;
    if (this.held) {
      this.held.push(frame);
      if (this.replaying) this.heldInitial = this.held.length;
      // A write not yet durable joins frames that were waiting for the turn only: they all wait for its point now.
      if (this.heldForTurn && !durableNow) {
        this.heldForTurn = false;
        this.opts.fanOut.afterDurable(whenDurable(), this);
      }
      return;
    }
    this.held = [frame];
    this.heldInitial = this.replaying ? 1 : 0;
    this.heldForTurn = durableNow;
    if (durableNow) this.opts.fanOut.afterTurn(this);
    else this.opts.fanOut.afterDurable(whenDurable(), this);
  }

  /** Their slice of the release came: frames that waited only for it go out (those that came to wait for a durable point since stay). */
  readyToSend(): void {
    if (this.heldForTurn) this.durable(true);
  }

  /**
   * The durable point the held frames waited for was reached: they wait only for their slice now,
   * and a frame of a write not yet durable that comes meanwhile makes them all wait for its point.
   */
  durableReached(): void {
    if (this.held) this.heldForTurn = true;
  }

  /** Storage made the writes the held frames announce durable (true), or failed to (false). */
  durable(ok: boolean): void {
    if (ok) this.release();
    else this.abort();
  }

  /** Sends the held frames: the initial ones as one write, the live ones as another. */
  private release(): void {
    const held = this.held ?? [];
    const initial = this.heldInitial;
    this.held = undefined;
    this.heldInitial = 0;
    this.heldForTurn = false;
    const replaying = this.replaying;
    if (initial > 0) this.sendBatch(this.opts.fanOut.batchOf(held, 0, initial, true), true);
    if (held.length > initial) this.sendBatch(this.opts.fanOut.batchOf(held, initial, held.length), false);
    this.replaying = replaying;
    if (this.ending && !this.closed && this.queue.length === 0) this.finishResponse();
  }

  private sendBatch(batch: Batch, replaying: boolean): void {
    if (this.closed) return;
    if (this.socket === undefined) {
      this.socket = ownSocketOf(this.res) ?? null;
      this.socket?.on('drain', this.onSocketDrain);
    }
    this.replaying = replaying;
    if (this.socket) this.send(chunkBytes(batch), false);
    else this.send(plainBytes(batch), false);
  }

  /** The end of the response, once nothing waits; the socket (kept alive for the next request) is no longer watched. */
  private finishResponse(): void {
    this.socket?.off('drain', this.onSocketDrain);
    this.res.end();
  }

  /** Writes to the connection (whole chunks) or through the response. */
  private out(buf: string | Buffer): boolean {
    const socket = this.socket;
    if (!socket) return this.res.write(buf);
    if (!socket.writable) return false;
    return socket.write(buf);
  }

  private send(frame: string | Buffer, cork = true): void {
    if (this.closed) return;
    if (!this.waitingForDrain && this.queue.length === 0) {
      if (cork) this.cork();
      if (!this.out(frame)) this.waitingForDrain = true;
      return;
    }
    // The live part of the queue is checked before this frame is added, so one large event alone never closes a watcher.
    if (!this.replaying && this.queuedBytes - this.exemptBytes > this.opts.maxBufferedBytes) {
      const queued = this.queuedBytes;
      this.abort();
      this.opts.onOverflow(queued);
      return;
    }
    const buf = typeof frame === 'string' ? Buffer.from(frame) : frame;
    this.queue.push(buf);
    this.queuedBytes += buf.length;
    if (this.replaying) this.exemptBytes += buf.length;
  }

  /** Ends the response once what is queued is sent. */
  end(): void {
    if (!this.open) return;
    this.ending = true;
    if (this.queue.length === 0 && !this.held) this.finishResponse();
  }

  /** Drops what is queued and resets the connection. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.held = undefined;
    this.heldForTurn = false;
    this.queuedBytes = this.exemptBytes = 0;
    this.socket?.off('drain', this.onSocketDrain);
    this.res.destroy();
  }

  private cork(): void {
    if (this.corked) return;
    this.corked = true;
    this.res.cork();
    setImmediate(() => {
      this.corked = false;
      if (!this.closed) this.res.uncork();
    });
  }

  private flush(): void {
    this.waitingForDrain = false;
    let sent = 0;
    let i = 0;
    while (i < this.queue.length && !this.closed) {
      const buf = this.queue[i++];
      sent += buf.length;
      if (!this.out(buf)) {
        this.waitingForDrain = true;
        break;
      }
    }
    this.queue.splice(0, i);
    this.queuedBytes -= sent;
    this.exemptBytes = Math.max(0, this.exemptBytes - sent);
    if (this.ending && this.queue.length === 0 && !this.closed) this.finishResponse();
  }
}

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
 */
import type { ServerResponse } from 'node:http';

/**
 * The streams holding frames for one durable point, released together: every watcher of a write
 * waits for the same promise, so one reaction serves them all instead of one per watcher on the
 * write's path (1,000 watchers: 1,000 promise reactions per write otherwise).
 */
const waiting = new Map<Promise<void>, WatchStream[]>();

function afterDurable(point: Promise<void>, stream: WatchStream): void {
  const streams = waiting.get(point);
  if (streams) {
    streams.push(stream);
    return;
  }
  waiting.set(point, [stream]);
  point.then(
    () => settle(point, true),
    () => settle(point, false),
  );
}

function settle(point: Promise<void>, durable: boolean): void {
  const streams = waiting.get(point) ?? [];
  waiting.delete(point);
  for (const stream of streams) stream.durable(durable);
}

export interface WatchStreamOptions {
  /** Unsent bytes of live events a watcher may have queued here before it is closed. */
  maxBufferedBytes: number;
  /** Called once when the watcher is closed for not reading. */
  onOverflow(queuedBytes: number): void;
  /**
   * Resolves once what storage committed so far is durable (group commit): frames wait for it, so
   * a watcher never sees a write that a crash could still lose.
   */
  whenDurable?: () => Promise<void>;
}

export class WatchStream {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  /** Bytes at the head of the queue that are initial events, exempt from the limit. */
  private exemptBytes = 0;
  private waitingForDrain = false;
  /** Frames waiting for storage to make the writes they announce durable. */
  private held: { frame: string | Buffer; replaying: boolean }[] | undefined;
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
    // The frames of one turn wait together for one durable point, in order, each keeping whether it is initial.
    if (this.held) {
      this.held.push({ frame, replaying: this.replaying });
      return;
    }
    this.held = [{ frame, replaying: this.replaying }];
    afterDurable(whenDurable(), this);
  }

  /** Storage made the writes the held frames announce durable (true), or failed to (false). */
  durable(ok: boolean): void {
    if (ok) this.release();
    else this.abort();
  }

  private release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    const replaying = this.replaying;
    for (const h of held) {
      if (this.closed) break;
      this.replaying = h.replaying;
      this.send(h.frame);
    }
    this.replaying = replaying;
    if (this.ending && !this.closed && this.queue.length === 0) this.res.end();
  }

  private send(frame: string | Buffer): void {
    if (this.closed) return;
    if (!this.waitingForDrain && this.queue.length === 0) {
      this.cork();
      if (!this.res.write(frame)) this.waitingForDrain = true;
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
    if (this.queue.length === 0 && !this.held) this.res.end();
  }

  /** Drops what is queued and resets the connection. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.held = undefined;
    this.queuedBytes = this.exemptBytes = 0;
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
      if (!this.res.write(buf)) {
        this.waitingForDrain = true;
        break;
      }
    }
    this.queue.splice(0, i);
    this.queuedBytes -= sent;
    this.exemptBytes = Math.max(0, this.exemptBytes - sent);
    if (this.ending && this.queue.length === 0 && !this.closed) this.res.end();
  }
}

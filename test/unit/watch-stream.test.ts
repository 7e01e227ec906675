/**
 * The writing side of a watch response (src/http/watch-stream.ts) against a response stand-in that
 * takes writes until told it is full: frames wait in order while the socket is full, the initial
 * events do not count against the buffer, and a watcher over it is reset once, its queue dropped.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { WatchStream } from '../../src/http/watch-stream.js';
import { RELEASE_SLICE, WatchFanOut } from '../../src/http/watch-fan-out.js';

class FakeResponse extends EventEmitter {
  written: string[] = [];
  /** What write() was given, as given. */
  chunks: (string | Buffer)[] = [];
  /** Whether the socket takes more (write() returns this after taking the chunk). */
  room = true;
  ended = false;
  destroyed = false;
  /** cork() calls not yet matched by uncork(). */
  corked = 0;
  cork(): void {
    this.corked++;
  }
  uncork(): void {
    this.corked--;
  }
  write(chunk: string | Buffer): boolean {
    this.written.push(chunk.toString());
    this.chunks.push(chunk);
    return this.room;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  drain(): void {
    this.room = true;
    this.emit('drain');
  }
}

function setup(maxBufferedBytes: number) {
  const res = new FakeResponse();
  const overflows: number[] = [];
  const stream = new WatchStream(res as unknown as ServerResponse, {
    maxBufferedBytes,
    fanOut: new WatchFanOut(),
    onOverflow: (q) => overflows.push(q),
  });
  return { res, stream, overflows };
}

/** A durable point that storage reaches when the test says so. */
function durablePoint(): { point: Promise<void>; reach: () => void } {
  let reach!: () => void;
  const point = new Promise<void>((resolve) => (reach = resolve));
  return { point, reach };
}

/** A watcher of `fanOut` whose frames wait for `whenDurable`. */
function waitingWatcher(fanOut: WatchFanOut, whenDurable: () => Promise<void>) {
  const res = new FakeResponse();
  const stream = new WatchStream(res as unknown as ServerResponse, {
    maxBufferedBytes: 1024,
    fanOut,
    onOverflow: () => undefined,
    whenDurable,
  });
  return { res, stream };
}

describe('WatchStream', () => {
  it('sends the frames of one event-loop turn together: corked once, uncorked after the turn', async () => {
    const { res, stream } = setup(1024);
    stream.write('a');
    stream.write('b');
    assert.equal(res.corked, 1);
    assert.deepEqual(res.written, ['a', 'b']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(res.corked, 0);
    stream.write('c');
    assert.equal(res.corked, 1);
  });

  it('writes while the socket takes frames, then queues them in order until drain', () => {
    const { res, stream } = setup(1000);
    stream.write('a');
    res.room = false;
    stream.write('b'); // taken, but the socket is now full
    stream.write('c');
    stream.write('d');
    assert.deepEqual(res.written, ['a', 'b']);
    res.drain();
    assert.deepEqual(res.written, ['a', 'b', 'c', 'd']);
  });

  it('ends the response only once what is queued is sent', () => {
    const { res, stream } = setup(1000);
    res.room = false;
    stream.write('a');
    stream.write('b');
    stream.end();
    stream.write('late');
    assert.equal(res.ended, false);
    res.drain();
    assert.deepEqual(res.written, ['a', 'b']);
    assert.equal(res.ended, true);
  });

  it('resets a watcher whose live events pass the buffer, once, dropping its queue', () => {
    const { res, stream, overflows } = setup(10);
    res.room = false;
    stream.write('x'); // taken by the socket
    for (let i = 0; i < 5; i++) stream.write('12345'); // 25 bytes queued: the check comes before each frame
    assert.deepEqual(overflows, [15]);
    assert.equal(res.destroyed, true);
    assert.equal(stream.open, false);
    res.drain();
    assert.deepEqual(res.written, ['x'], 'nothing queued is sent after the reset');
  });

  it('does not count the initial events against the buffer, only what queues behind them', () => {
    const { res, stream, overflows } = setup(10);
    res.room = false;
    stream.replaying = true;
    for (let i = 0; i < 100; i++) stream.write('initial-event');
    stream.replaying = false;
    stream.write('live-1');
    stream.write('live-2');
    assert.deepEqual(overflows, []);
    res.drain();
    assert.equal(res.written.length, 102);
    assert.equal(res.written.at(-1), 'live-2');
    // Once sent, the replay's allowance is gone: the limit holds for live events alone.
    res.room = false;
    for (let i = 0; i < 4; i++) stream.write('live-more');
    assert.equal(overflows.length, 1);
  });

  it('never resets for one large event alone', () => {
    const { res, stream, overflows } = setup(10);
    res.room = false;
    stream.write('x');
    stream.write('a-single-event-far-larger-than-the-buffer');
    assert.deepEqual(overflows, []);
    res.drain();
    assert.equal(res.written.length, 2);
  });

  it('holds frames until storage says the writes they announce are durable, then sends them in order (initial events in one write, live ones in another) and ends', async () => {
    const res = new FakeResponse();
    const { point: durable, reach: makeDurable } = durablePoint();
    const stream = new WatchStream(res as unknown as ServerResponse, {
      maxBufferedBytes: 1024,
      fanOut: new WatchFanOut(),
      onOverflow: () => assert.fail('no overflow expected'),
      whenDurable: () => durable,
    });
    stream.replaying = true;
    stream.write('initial');
    stream.replaying = false;
    stream.write('live-1');
    stream.write('live-2');
    stream.end();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(res.written, []);
    assert.equal(res.ended, false);
    makeDurable();
    await durable;
    await Promise.resolve();
    assert.deepEqual(res.written, ['initial', 'live-1live-2']);
    assert.equal(res.ended, true);
  });

  it('drops held frames when the watcher is aborted before they are durable', async () => {
    const res = new FakeResponse();
    const stream = new WatchStream(res as unknown as ServerResponse, {
      maxBufferedBytes: 1024,
      fanOut: new WatchFanOut(),
      onOverflow: () => undefined,
      whenDurable: () => Promise.resolve(),
    });
    stream.write('a');
    stream.abort();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(res.written, []);
    assert.equal(res.destroyed, true);
  });

  it('releases every watcher waiting for one durable point, each in order; a failed point resets them', async () => {
    const { point: durable, reach: makeDurable } = durablePoint();
    const fanOut = new WatchFanOut();
    const open = (whenDurable: () => Promise<void>) => waitingWatcher(fanOut, whenDurable);
    const watchers = [open(() => durable), open(() => durable), open(() => durable)];
    for (const [i, w] of watchers.entries()) {
      w.stream.write(`${i}-a`);
      w.stream.write(`${i}-b`);
    }
    watchers[1].stream.abort();
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(watchers.every((w) => w.res.written.length === 0));
    makeDurable();
    await durable;
    await Promise.resolve();
    assert.deepEqual(watchers[0].res.written, ['0-a0-b']);
    assert.deepEqual(watchers[1].res.written, []);
    assert.deepEqual(watchers[2].res.written, ['2-a2-b']);

    const failed = Promise.reject(new Error('disk full'));
    failed.catch(() => undefined);
    const broken = [open(() => failed), open(() => failed)];
    for (const w of broken) w.stream.write('x');
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(broken.every((w) => w.res.destroyed && w.res.written.length === 0));
  });

  it('writes the same frames to every watcher of a durable point as one shared Buffer, a watcher with other frames its own', async () => {
    const { point: durable, reach: makeDurable } = durablePoint();
    const fanOut = new WatchFanOut();
    const open = () => waitingWatcher(fanOut, () => durable);
    const shared = [Buffer.from('{"e":1}\n'), Buffer.from('{"e":2}\n')];
    const watchers = [open(), open(), open()];
    for (const frame of shared) for (const w of watchers.slice(0, 2)) w.stream.write(frame);
    watchers[2].stream.write(shared[0]);
    makeDurable();
    await durable;
    await Promise.resolve();
    assert.deepEqual(
      watchers.map((w) => w.res.written),
      [['{"e":1}\n{"e":2}\n'], ['{"e":1}\n{"e":2}\n'], ['{"e":1}\n']],
    );
    assert.equal(watchers[0].res.chunks[0], watchers[1].res.chunks[0], 'one Buffer for both');
    assert.equal(watchers[0].res.corked, 0);
  });

  it('keeps the waiting watchers of each app in its own fan-out: the watchers of two apps of one point are each released once, with bytes of their own', async () => {
    const { point: durable, reach: makeDurable } = durablePoint();
    const apps = [new WatchFanOut(), new WatchFanOut()];
    const watchers = apps.map((fanOut) => waitingWatcher(fanOut, () => durable));
    const frames = [Buffer.from('{"e":1}\n'), Buffer.from('{"e":2}\n')];
    for (const frame of frames) for (const w of watchers) w.stream.write(frame);
    makeDurable();
    await durable;
    await Promise.resolve();
    assert.deepEqual(
      watchers.map((w) => w.res.written),
      [['{"e":1}\n{"e":2}\n'], ['{"e":1}\n{"e":2}\n']],
    );
    assert.notEqual(watchers[0].res.chunks[0], watchers[1].res.chunks[0], 'each app builds its own batch');
  });

  it('sends frames of writes already durable after the turn: every frame of the turn in one write', async () => {
    const res = new FakeResponse();
    const stream = new WatchStream(res as unknown as ServerResponse, {
      maxBufferedBytes: 1024,
      fanOut: new WatchFanOut(),
      onOverflow: () => assert.fail('no overflow expected'),
      whenDurable: () => assert.fail('nothing waits for a durable point'),
      isDurable: () => true,
    });
    stream.write('a');
    stream.write('b');
    assert.deepEqual(res.written, [], 'not during the turn');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(res.written, ['ab']);
    stream.write('c');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(res.written, ['ab', 'c']);
  });

  it('makes frames that waited for the turn wait, in order, for the durable point of a later write of the same turn', async () => {
    const res = new FakeResponse();
    let durableNow = true;
    const { point, reach: makeDurable } = durablePoint();
    const stream = new WatchStream(res as unknown as ServerResponse, {
      maxBufferedBytes: 1024,
      fanOut: new WatchFanOut(),
      onOverflow: () => assert.fail('no overflow expected'),
      whenDurable: () => point,
      isDurable: () => durableNow,
    });
    stream.write('durable-1');
    durableNow = false; // a write opened a group transaction
    stream.write('pending-2');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(res.written, [], 'the end of the turn sends nothing while a frame is not durable');
    makeDurable();
    await point;
    await Promise.resolve();
    assert.deepEqual(res.written, ['durable-1pending-2']);
  });
  it('releases many watchers in slices, a turn apart, so requests are taken between them; a watcher in a later slice still waits for a write not yet durable', async () => {
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const fanOut = new WatchFanOut();
    const count = RELEASE_SLICE * 2 + 10;
    // Writes durable when written: the first slice after the turn, then one slice per turn.
    let durableNow = true;
    const { point, reach: makeDurable } = durablePoint();
    const watchers = Array.from({ length: count }, () => {
      const res = new FakeResponse();
      const stream = new WatchStream(res as unknown as ServerResponse, {
        maxBufferedBytes: 1024,
        fanOut,
        onOverflow: () => assert.fail('no overflow expected'),
        whenDurable: () => point,
        isDurable: () => durableNow,
      });
      return { res, stream };
    });
    const sent = () => watchers.filter((w) => w.res.written.length > 0).length;
    for (const w of watchers) w.stream.write('e1');
    assert.equal(sent(), 0);
    await turn();
    assert.equal(sent(), RELEASE_SLICE);
    // Before its slice, the last watcher gets a frame of a write not yet durable: both frames wait for its point.
    durableNow = false;
    watchers[count - 1].stream.write('e2');
    await turn();
    assert.equal(sent(), RELEASE_SLICE * 2);
    await turn();
    assert.equal(sent(), count - 1);
    assert.deepEqual(watchers[count - 2].res.written, ['e1']);
    assert.deepEqual(watchers[count - 1].res.written, []);
    makeDurable();
    await point;
    await Promise.resolve();
    assert.deepEqual(watchers[count - 1].res.written, ['e1e2']);
  });

  it('releases the watchers of a durable point in slices too: the first at once, the others a turn apart', async () => {
    const { point: durable, reach: makeDurable } = durablePoint();
    const fanOut = new WatchFanOut();
    const watchers = Array.from({ length: RELEASE_SLICE + 5 }, () => waitingWatcher(fanOut, () => durable));
    for (const w of watchers) w.stream.write('x');
    makeDurable();
    await durable;
    await Promise.resolve();
    assert.equal(watchers.filter((w) => w.res.written.length > 0).length, RELEASE_SLICE);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(watchers.every((w) => w.res.written.join() === 'x'));
  });

  it('queues a watcher waiting for its slice once, however many durable points it waited for meanwhile: a backlog drains in a slice per turn', async () => {
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const fanOut = new WatchFanOut();
    let current = durablePoint();
    const watchers = Array.from({ length: RELEASE_SLICE * 3 }, () => waitingWatcher(fanOut, () => current.point));
    // Five writes, each durable before any turn passed: the watchers beyond the first slice wait through all of them.
    const points = 5;
    for (let k = 1; k <= points; k++) {
      for (const w of watchers) w.stream.write(`e${k}`);
      const { point, reach } = current;
      current = durablePoint();
      reach();
      await point;
      await Promise.resolve();
    }
    const all = Array.from({ length: points }, (_, i) => `e${i + 1}`).join('');
    const done = () => watchers.filter((w) => w.res.written.join('') === all).length;
    assert.equal(done(), RELEASE_SLICE, 'the first slice of each point at once');
    assert.equal(fanOut.waitingForSlice, watchers.length - RELEASE_SLICE, 'each waiting watcher once');
    let turns = 0;
    while (done() < watchers.length && turns < 20) {
      await turn();
      turns++;
    }
    assert.equal(done(), watchers.length);
    assert.equal(turns, 2, 'the other two slices, each once');
    // Each waiting watcher got its frames together, in order.
    assert.deepEqual(watchers[watchers.length - 1].res.written, [all]);
  });
});

/**
 * Child process of the initial-state scenario: WATCHERS watches opened at once on URL (a watch of
 * the current state, on loopback: the parent checked), each read by the lean reader
 * (watch-reader.ts, one shared read buffer) and counting its ADDED events. Once every watch has
 * EVENTS of them (or broke off, or LIMIT_MS passed) it reads on for a moment, for events beyond
 * the state, then prints one JSON line: when the first watch request left and when the last watcher
 * had its whole state (µs on CLOCK_MONOTONIC, comparable with the parent's stamps), each watcher's
 * count, and what went wrong.
 * Usage: node --import tsx bench/lib/initial-state-watchers.ts URL WATCHERS EVENTS LIMIT_MS
 */
import { openWatchReader, type WatchReader } from './watch-reader.js';

export interface InitialStateOutcome {
  /** Just before the first watch's connection was opened (µs). */
  firstRequestUs: number;
  /** When the last watcher read the last event of its state (µs); 0 when a watcher never had it. */
  lastStateUs: number;
  /** The ADDED events each watcher got, by watcher. */
  added: number[];
  problems: string[];
}

/** How long the watchers read on once all have their state, for events they should not get. */
const SETTLE_MS = 500;
const READ_BUFFER_BYTES = 256 * 1024;
const ADDED = Buffer.from('{"type":"ADDED"');

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

function watchInitialStates(url: URL, watchers: number, events: number, limitMs: number): Promise<InitialStateOutcome> {
  const added = new Array<number>(watchers).fill(0);
  /** Watchers that have their state or broke off. */
  const over = new Uint8Array(watchers);
  let overCount = 0;
  let withState = 0;
  let lastStateUs = 0;
  let closing = false;
  const problems: string[] = [];
  const problem = (p: string) => void (problems.length < 20 && problems.push(p));
  const readers: WatchReader[] = [];
  const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(limit);
      setTimeout(() => {
        closing = true;
        for (const r of readers) r.destroy();
        resolve({ firstRequestUs, lastStateUs, added, problems });
      }, SETTLE_MS);
    };
    const limit = setTimeout(() => {
      problem(`${watchers - withState} watchers without their state after ${limitMs / 1000} s`);
      overCount = watchers;
      finish();
    }, limitMs);
    const end = (w: number) => {
      if (over[w]) return;
      over[w] = 1;
      if (++overCount === watchers) finish();
    };
    const firstRequestUs = nowUs();
    for (let w = 0; w < watchers; w++) {
      readers.push(
        openWatchReader(url, readBuffer, limitMs, nowUs, {
          opened: () => {},
          line: (line, t) => {
            if (line.compare(ADDED, 0, ADDED.length, 0, ADDED.length) !== 0)
              return problem(`watcher ${w}: not an ADDED event: ${line.toString('utf8', 0, 120)}`);
            if (++added[w] !== events) return;
            if (++withState === watchers) lastStateUs = t;
            end(w);
          },
          failed: (e) => (problem(`watcher ${w}: ${e.message}`), end(w)),
          problem: (message) => closing || (problem(`watcher ${w}: ${message}`), end(w)),
        }),
      );
    }
  });
}

const [url, watchers, events, limitMs] = process.argv.slice(2);
const outcome = await watchInitialStates(new URL(url), Number(watchers), Number(events), Number(limitMs));
process.stdout.write(`${JSON.stringify(outcome)}\n`);
process.exit(0);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WATCH_WINDOW, WatchWindow, WatchWindows } from '../../src/registry/watch-window.js';
import { ManualClock } from '../../src/apimachinery/clock.js';

const T0 = 1_000_000;

/** Records revisions from, from+1, … (count of them) at `now`; returns the next revision. */
function fill(w: WatchWindow, from: number, count: number, now: number): number {
  for (let i = 0; i < count; i++) w.record(from + i, now);
  return from + count;
}

test('until a change falls out, the window reaches back to where it started, even past 100 changes', () => {
  const w = new WatchWindow(40, DEFAULT_WATCH_WINDOW);
  assert.equal(w.oldestResumable(), 40);
  fill(w, 41, 150, T0);
  assert.equal(w.oldestResumable(), 40, 'changes within 75 s grow the ring instead of dropping any');
  assert.equal(w.currentCapacity(), 200);
});

test('a full ring whose oldest change is older than 75 s drops it: the window then starts just below the oldest kept', () => {
  const w = new WatchWindow(0, DEFAULT_WATCH_WINDOW);
  let rv = fill(w, 1, 1, T0);
  rv = fill(w, rv, 99, T0 + 76_000);
  assert.equal(w.oldestResumable(), 0, 'full, but nothing dropped yet');
  fill(w, rv, 1, T0 + 76_000);
  assert.equal(w.currentCapacity(), 100);
  assert.equal(w.oldestResumable(), 1, 'revision 1 dropped; 2 is the oldest kept, so a watch may resume after 1');
});

test('the ring doubles while it spans less than 75 s, up to the upper bound', () => {
  const w = new WatchWindow(0, { ...DEFAULT_WATCH_WINDOW, maxEvents: 400 });
  fill(w, 1, 1000, T0);
  assert.equal(w.currentCapacity(), 400);
  assert.equal(w.oldestResumable(), 600, 'the newest 400 are kept');
});

test('the ring halves once its newest quarter is older than 75 s, not below the lower bound', () => {
  const w = new WatchWindow(0, DEFAULT_WATCH_WINDOW);
  let rv = fill(w, 1, 400, T0);
  assert.equal(w.currentCapacity(), 400);
  rv = fill(w, rv, 1, T0 + 76_000);
  assert.equal(w.currentCapacity(), 200, 'halved, the older changes dropped');
  assert.equal(w.oldestResumable(), 201, '202…401 kept: halved to 200 (1…200 dropped), then 201 made room for 401');
  // Slow changes, 80 s apart: the ring halves again, to 100 and no lower.
  for (let i = 1; i <= 400; i++) rv = fill(w, rv, 1, T0 + 76_000 + i * 80_000);
  assert.equal(w.currentCapacity(), 100);
  assert.equal(w.oldestResumable(), rv - 100 - 1);
});

test('windows are per resource; a reset starts every one over at the given revision', () => {
  const clock = new ManualClock(T0);
  const windows = new WatchWindows(clock, 10, { ...DEFAULT_WATCH_WINDOW, minEvents: 2, maxEvents: 2 });
  windows.record('pods', 11);
  clock.advance(76_000);
  for (let rv = 12; rv <= 20; rv++) windows.record('nodes', rv);
  assert.equal(windows.oldestResumable('pods'), 10, 'node changes do not push the pods window');
  assert.equal(windows.oldestResumable('nodes'), 18);
  assert.equal(windows.oldestResumable('leases'), 10, 'a resource with no change yet reaches back to the start');
  windows.reset(20);
  assert.equal(windows.oldestResumable('pods'), 20);
  assert.equal(windows.oldestResumable('nodes'), 20);
});

/**
 * WATCH as an operation of the registry's store (ResourceStore.watch), without HTTP: what a watch
 * with given options replays and passes on live, its ERROR events, bookmarks, timeout and stop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { parseSelector } from '../../src/apimachinery/labels.js';
import { parseFieldSelector } from '../../src/apimachinery/fields.js';
import { StatusError } from '../../src/apimachinery/status.js';
import type { KubeObject } from '../../src/apimachinery/object.js';
import type { Watch, WatchEvent } from '../../src/registry/store-watch.js';
import type { WatchOptions } from '../../src/registry/watch-options.js';
import { buildTestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';
import type { AppOptions } from '../../src/app.js';

const pod = (name: string, labels: Record<string, string> = {}, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

interface Watcher {
  events: WatchEvent[];
  ended: () => boolean;
  watch: Watch;
  /** `type name` of each event (the resourceVersion for a BOOKMARK, the code for an ERROR). */
  seen(): string[];
}

async function setup(t: Parameters<typeof buildTestApp>[0], opts: Partial<AppOptions> = {}) {
  const clock = new ManualClock();
  const app = await buildTestApp(t, { clock, ...opts });
  const registry = app.kubemock.registry;
  const pods = registry.store('pods');
  const open = (options: WatchOptions = {}, onEvent?: (w: Watcher) => void): Watcher => {
    const watch = pods.watch(options);
    let ended = false;
    const w: Watcher = {
      events: [],
      ended: () => ended,
      watch,
      seen: () =>
        w.events.map((e) => {
          if (e.type === 'BOOKMARK') return `BOOKMARK ${e.object.metadata.resourceVersion}`;
          if (e.type === 'ERROR') return `ERROR ${e.object.code}`;
          return `${e.type} ${e.object.metadata.name}`;
        }),
    };
    t?.after(() => watch.stop());
    watch.start({
      next: (e) => {
        w.events.push(e);
        onEvent?.(w);
      },
      end: () => (ended = true),
    });
    return w;
  };
  const relabel = (name: string, labels: Record<string, string>) =>
    pods.patch('default', name, (p) => ({ ...p, metadata: { ...p.metadata, labels } }));
  return { clock, registry, pods, open, relabel, rv: () => String(registry.currentRevision()) };
}

test('from a resourceVersion: the changes after it in order, as stored, then live ones; no gap, no duplicate', async (t) => {
  const { pods, open, relabel, rv } = await setup(t);
  pods.create(pod('before'));
  const from = rv();
  const one = pods.create(pod('one'));
  relabel('one', { x: 'y' });
  pods.create(pod('two'));
  pods.delete('default', 'one');
  const w = open({ resourceVersion: from, namespace: 'default' });
  pods.create(pod('three'));
  assert.deepEqual(w.seen(), ['ADDED one', 'MODIFIED one', 'ADDED two', 'DELETED one', 'ADDED three']);
  const first = w.events[0];
  assert.ok(first.type === 'ADDED');
  assert.equal(first.json, one.json, 'the stored serialisation comes along');
  assert.deepEqual(first.object, one.object);
  const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
  assert.deepEqual(
    rvs,
    [...rvs].sort((a, b) => a - b),
  );
  assert.equal(new Set(rvs).size, rvs.length);
  assert.equal(w.ended(), false);
});

test('without a resourceVersion (or "0"): the current state of the namespace as ADDED events, then live ones', async (t) => {
  const { pods, open } = await setup(t);
  pods.create(pod('a'));
  pods.create(pod('elsewhere', {}, 'kube-system'));
  pods.create(pod('b'));
  for (const options of [{ namespace: 'default' }, { namespace: 'default', resourceVersion: '0' }]) {
    const w = open(options);
    assert.deepEqual(w.seen(), ['ADDED a', 'ADDED b']);
    w.watch.stop();
  }
  const all = open();
  pods.create(pod('c'));
  assert.deepEqual(all.seen(), ['ADDED a', 'ADDED b', 'ADDED elsewhere', 'ADDED c']);
});

test('a live change passed on as committed is one event object for every watcher (a transport encodes it once)', async (t) => {
  const { pods, open, relabel } = await setup(t);
  pods.create(pod('p', { tier: 'front' }));
  const all = open({ namespace: 'default' });
  const front = open({ namespace: 'default', labelSelector: parseSelector('tier=front') });
  const back = [1, 2].map(() => open({ namespace: 'default', labelSelector: parseSelector('tier=back') }));
  relabel('p', { tier: 'front', more: 'x' });
  relabel('p', { tier: 'back' });
  assert.deepEqual(all.seen(), ['ADDED p', 'MODIFIED p', 'MODIFIED p']);
  assert.deepEqual(front.seen(), ['ADDED p', 'MODIFIED p', 'DELETED p']);
  assert.deepEqual(back[0].seen(), ['ADDED p']);
  assert.equal(front.events[1], all.events[1], 'MODIFIED while matching: the same object');
  assert.equal(back[0].events[0], back[1].events[0], 'the ADDED of an entry: one object for the watchers it entered');
  assert.notEqual(all.events[0], front.events[0], 'the initial state is read for each watcher');
});

test('selectors: an object that starts matching arrives as ADDED, one that stops as DELETED with its last matching state', async (t) => {
  const { pods, open, relabel, rv } = await setup(t);
  pods.create(pod('p', { tier: 'front' }));
  const from = rv();
  const live = open({ resourceVersion: from, labelSelector: parseSelector('tier=front') });
  const moved = relabel('p', { tier: 'back' });
  relabel('p', { tier: 'front' });
  pods.create(pod('other', { tier: 'back' }));
  pods.patch('default', 'p', (p) => ({ ...p, metadata: { ...p.metadata, annotations: { a: 'b' } } }));
  assert.deepEqual(live.seen(), ['DELETED p', 'ADDED p', 'MODIFIED p']);
  const exit = live.events[0];
  assert.ok(exit.type === 'DELETED');
  assert.equal(exit.object.metadata.labels?.tier, 'front', 'the last state that matched');
  assert.equal(exit.object.metadata.resourceVersion, moved.object.metadata.resourceVersion, 'at the revision of the change');
  assert.equal(exit.json, undefined, 'not the stored object');
  // The same from the log: a replay decides as the live feed does.
  const replay = open({ resourceVersion: from, labelSelector: parseSelector('tier=front') });
  assert.deepEqual(replay.seen(), ['DELETED p', 'ADDED p', 'MODIFIED p']);
  const byField = open({ fieldSelector: parseFieldSelector('metadata.name=other') });
  assert.deepEqual(byField.seen(), ['ADDED other']);
});

test('name: only that object; a fieldSelector naming another is a 400', async (t) => {
  const { pods, open } = await setup(t);
  pods.create(pod('a'));
  pods.create(pod('b'));
  const w = open({ namespace: 'default', name: 'b' });
  pods.create(pod('c'));
  pods.patch('default', 'b', (p) => ({ ...p, metadata: { ...p.metadata, annotations: { x: '1' } } }));
  assert.deepEqual(w.seen(), ['ADDED b', 'MODIFIED b']);
  assert.deepEqual(open({ namespace: 'default', name: 'b', fieldSelector: parseFieldSelector('metadata.name=b') }).seen(), ['ADDED b']);
  assert.throws(
    () => pods.watch({ name: 'b', fieldSelector: parseFieldSelector('metadata.name=a') }),
    (e: unknown) => e instanceof StatusError && e.status.code === 400,
  );
});

test('options checked when the watch is made: sendInitialEvents needs NotOlderThan and bookmarks (422), resourceVersionMatch alone is refused, a malformed resourceVersion is a 400', async (t) => {
  const { pods } = await setup(t);
  const code = (options: WatchOptions) => {
    try {
      pods.watch(options);
      return 0;
    } catch (e) {
      assert.ok(e instanceof StatusError, String(e));
      return e.status.code;
    }
  };
  assert.equal(code({ sendInitialEvents: true, allowWatchBookmarks: true }), 422);
  assert.equal(code({ sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' }), 422);
  assert.equal(code({ sendInitialEvents: false }), 422);
  assert.equal(code({ resourceVersionMatch: 'NotOlderThan' }), 422);
  assert.equal(code({ resourceVersion: 'abc' }), 400);
  assert.equal(code({ sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true }), 0);
});

test("a resourceVersion older than the kind's window: one ERROR event with 410 Expired, then the end", async (t) => {
  const { pods, open, registry } = await setup(t, { watchWindow: { minEvents: 2, maxEvents: 2, freshMs: 0 } });
  const from = String(registry.currentRevision());
  for (const name of ['a', 'b', 'c']) pods.create(pod(name));
  const listeners = registry.hub.listenerCount('pods');
  const w = open({ resourceVersion: from });
  assert.deepEqual(w.seen(), ['ERROR 410']);
  const error = w.events[0];
  assert.ok(error.type === 'ERROR');
  assert.equal(error.object.reason, 'Expired');
  assert.match(error.object.message!, new RegExp(`^too old resource version: ${from} \\(\\d+\\)$`));
  assert.equal(w.ended(), true);
  pods.create(pod('d'));
  assert.equal(w.events.length, 1, 'nothing after the end');
  assert.equal(registry.hub.listenerCount('pods'), listeners, 'an ended watch does not follow the feed');
  // Initial events come from the state: no window to be in.
  const initial = open({ resourceVersion: from, sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true });
  assert.deepEqual(initial.seen().slice(0, 4), ['ADDED a', 'ADDED b', 'ADDED c', 'ADDED d']);
});

test('a resourceVersion the store has not reached: the changes after it, once they come', async (t) => {
  const { pods, open, registry } = await setup(t);
  const ahead = registry.currentRevision() + 2;
  const w = open({ resourceVersion: String(ahead) });
  assert.deepEqual(w.seen(), []);
  assert.equal(w.ended(), false);
  pods.create(pod('one'));
  pods.create(pod('two'));
  assert.equal(registry.currentRevision(), ahead);
  assert.deepEqual(w.seen(), [], 'changes up to the revision asked for are not sent');
  pods.create(pod('three'));
  assert.deepEqual(w.seen(), ['ADDED three']);
});

test('initial events of a resourceVersion the store has not reached: one ERROR event with 504, then the end', async (t) => {
  const { open, registry } = await setup(t);
  const ahead = registry.currentRevision() + 10;
  const w = open({
    resourceVersion: String(ahead),
    sendInitialEvents: true,
    resourceVersionMatch: 'NotOlderThan',
    allowWatchBookmarks: true,
  });
  assert.deepEqual(w.seen(), ['ERROR 504']);
  const error = w.events[0];
  assert.ok(error.type === 'ERROR');
  assert.equal(error.object.message, `Timeout: Too large resource version: ${ahead}, current: ${registry.currentRevision()}`);
  assert.deepEqual(error.object.details, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
  assert.equal(w.ended(), true);
});

test('sendInitialEvents: the state, a BOOKMARK marked initial-events-end at the current resourceVersion, then live events', async (t) => {
  const { pods, open, rv } = await setup(t);
  pods.create(pod('a'));
  const w = open({ namespace: 'default', sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true });
  const at = rv();
  pods.create(pod('b'));
  assert.deepEqual(w.seen(), ['ADDED a', `BOOKMARK ${at}`, 'ADDED b']);
  const bookmark = w.events[1];
  assert.ok(bookmark.type === 'BOOKMARK');
  assert.deepEqual(bookmark.object, {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { resourceVersion: at, annotations: { 'k8s.io/initial-events-end': 'true' } },
  });
});

test('bookmarks every interval on the registry clock, only when allowed; the timeout ends the watch there', async (t) => {
  const { clock, pods, open, registry, rv } = await setup(t);
  const listeners = registry.hub.listenerCount('pods');
  const w = open({ allowWatchBookmarks: true, bookmarkIntervalMs: 1000, timeoutSeconds: 5 });
  const quiet = open({ bookmarkIntervalMs: 1000 });
  clock.advance(999);
  assert.deepEqual(w.seen(), []);
  clock.advance(1);
  pods.create(pod('a'));
  clock.advance(1000);
  assert.deepEqual(w.seen(), [`BOOKMARK ${Number(rv()) - 1}`, 'ADDED a', `BOOKMARK ${rv()}`]);
  const bookmark = w.events[0];
  assert.deepEqual(Object.keys(bookmark.object).sort(), ['apiVersion', 'kind', 'metadata']);
  assert.equal(w.ended(), false);
  clock.advance(3000);
  assert.equal(w.ended(), true, 'timeoutSeconds passed');
  assert.equal(w.events.length, 5);
  pods.create(pod('b'));
  clock.advance(5000);
  assert.equal(w.events.length, 5, 'nothing after the end');
  assert.deepEqual(quiet.seen(), ['ADDED a', 'ADDED b']);
  assert.equal(registry.hub.listenerCount('pods'), listeners + 1, 'only the open watch still follows the feed');
  quiet.watch.stop();
  assert.equal(registry.hub.listenerCount('pods'), listeners);
});

test('stop: no event follows, even from inside the replay, and no timer stays behind', async (t) => {
  const { clock, pods, open, registry } = await setup(t);
  for (const name of ['a', 'b', 'c']) pods.create(pod(name));
  const listeners = registry.hub.listenerCount('pods');
  const pending = clock.pendingTimers();
  const w = open({ allowWatchBookmarks: true, bookmarkIntervalMs: 1000, timeoutSeconds: 60 }, (self) => self.watch.stop());
  assert.deepEqual(w.seen(), ['ADDED a'], 'the replay stops at once');
  assert.equal(registry.hub.listenerCount('pods'), listeners);
  assert.equal(clock.pendingTimers(), pending);
  const live = open({ allowWatchBookmarks: true, bookmarkIntervalMs: 1000, timeoutSeconds: 60 });
  live.watch.stop();
  pods.create(pod('d'));
  clock.advance(2000);
  assert.deepEqual(live.seen(), ['ADDED a', 'ADDED b', 'ADDED c']);
  assert.equal(live.ended(), false, 'a stopped watch is not ended by the store');
  assert.equal(clock.pendingTimers(), pending);
});

test('HTTP: initial events do not count against the watcher buffer: a reader of a long replay is not cut off', async (t) => {
  const app = await buildTestApp(t, { watch: { maxBufferedBytes: 64 * 1024 } });
  const { registry } = app.kubemock;
  const pods = registry.store('pods');
  const big = 'x'.repeat(200 * 1024);
  for (let i = 0; i < 60; i++)
    pods.create({ ...pod(`big-${i}`), metadata: { name: `big-${i}`, namespace: 'default', annotations: { blob: big } } });
  const listeners = registry.hub.listenerCount('pods');
  // The server writes the 12 MB of initial events in one synchronous step, before this process reads any.
  const w = await openWatch(app.kubemock, '/api/v1/namespaces/default/pods?watch=true');
  t.after(() => w.close());
  await w.waitFor(60, 10_000);
  assert.equal(registry.hub.listenerCount('pods'), listeners + 1, 'the watch is still open');
  pods.create({ ...pod('after'), metadata: { name: 'after', namespace: 'default' } });
  assert.equal((await w.waitFor(61))[60].object.metadata.name, 'after');
  w.close();
  await w.ended;
  while (registry.hub.listenerCount('pods') > listeners) await new Promise((r) => setImmediate(r));
});

/** Turns of the event loop until `done()` (paced replays go on a slice per turn). */
async function turnsUntil(done: () => boolean, max = 1000): Promise<void> {
  for (let i = 0; i < max && !done(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(done(), `not done after ${max} turns`);
}

test('paced: a large current state goes out a slice per turn; changes meanwhile follow it, once and in order', async (t) => {
  const { pods, registry } = await setup(t);
  for (let i = 0; i < 300; i++) pods.create(pod(`p-${i}`));
  const stateRv = String(registry.currentRevision());
  const events: WatchEvent[] = [];
  let replayedAfter = -1;
  const watch = pods.watch({
    namespace: 'default',
    sendInitialEvents: true,
    resourceVersionMatch: 'NotOlderThan',
    allowWatchBookmarks: true,
  });
  t.after(() => watch.stop());
  watch.start({ next: (e) => events.push(e), end: () => assert.fail('not ended') }, { replayed: () => (replayedAfter = events.length) });
  assert.ok(events.length > 0 && events.length < 300, `a first slice at once, not all 300 (${events.length})`);
  assert.equal(replayedAfter, -1);
  pods.create(pod('later'));
  pods.delete('default', 'p-0');
  await turnsUntil(() => replayedAfter >= 0);
  await turnsUntil(() => events.length === 303);
  const seen = events.map((e) =>
    e.type === 'BOOKMARK'
      ? `BOOKMARK ${e.object.metadata.resourceVersion}`
      : `${e.type} ${e.type === 'ERROR' ? 'error' : e.object.metadata.name}`,
  );
  assert.deepEqual(seen.slice(0, 300), Array.from({ length: 300 }, (_, i) => `ADDED p-${i}`).sort());
  assert.deepEqual(
    seen.slice(300),
    [`BOOKMARK ${stateRv}`, 'ADDED later', 'DELETED p-0'],
    'the end bookmark at the state, then what came meanwhile',
  );
  assert.equal(replayedAfter, 301, 'replayed once the initial events and their bookmark were handed over');
  const end = events[300];
  assert.ok(end.type === 'BOOKMARK');
  assert.equal(end.object.metadata.annotations?.['k8s.io/initial-events-end'], 'true');

  // Unpaced (an in-process sink), the same state goes out at once.
  const all: WatchEvent[] = [];
  const sync = pods.watch({ namespace: 'default' });
  t.after(() => sync.stop());
  let replayed = false;
  sync.start({ next: (e) => all.push(e), end: () => {} });
  assert.equal(all.length, 300);
  const small = pods.watch({ namespace: 'default', labelSelector: parseSelector('none=here') });
  t.after(() => small.stop());
  small.start({ next: () => assert.fail('nothing selected'), end: () => {} }, { replayed: () => (replayed = true) });
  assert.equal(replayed, true, 'a state of a slice or less is handed over at once, and said so');
});

test('paced: a watch stopped during its replay gets nothing more and holds nothing', async (t) => {
  const { pods, registry } = await setup(t);
  for (let i = 0; i < 400; i++) pods.create(pod(`p-${i}`));
  const listeners = registry.hub.listenerCount('pods');
  let n = 0;
  const watch = pods.watch({});
  watch.start({ next: () => n++, end: () => {} }, { replayed: () => assert.fail('stopped before the end') });
  const first = n;
  assert.equal(registry.hub.listenerCount('pods'), listeners + 1, 'live changes are listened to from the start');
  watch.stop();
  assert.equal(registry.hub.listenerCount('pods'), listeners);
  pods.create(pod('after'));
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  assert.equal(n, first);
});

test('watches started together at one revision share the initial events; a write or a selector reads anew', async (t) => {
  const { pods, open } = await setup(t);
  for (let i = 0; i < 5; i++) pods.create(pod(`p-${i}`, { n: String(i) }));
  const a = open({ namespace: 'default' });
  const b = open({ namespace: 'default' });
  assert.equal(a.events.length, 5);
  a.events.forEach((e, i) => assert.equal(b.events[i], e, 'the same event object: one encoding serves both'));
  const all = open({});
  assert.notEqual(all.events[0], a.events[0], 'another namespace scope reads its own');
  const selected = open({ namespace: 'default', labelSelector: parseSelector('n') });
  assert.notEqual(selected.events[0], a.events[0], 'a selector reads its own');
  pods.create(pod('p-5'));
  const c = open({ namespace: 'default' });
  assert.equal(c.events.length, 6);
  assert.notEqual(c.events[0], a.events[0], 'a later revision reads anew');
  assert.equal(c.events[0].type === 'ADDED' && c.events[0].json, a.events[0].type === 'ADDED' && a.events[0].json);
});

test('HTTP: a large initial state is paced and still exempt from the watcher buffer; live changes follow it', async (t) => {
  const app = await buildTestApp(t, { watch: { maxBufferedBytes: 64 * 1024 } });
  const pods = app.kubemock.registry.store('pods');
  const big = 'x'.repeat(20 * 1024);
  for (let i = 0; i < 400; i++)
    pods.create({ ...pod(`big-${i}`), metadata: { name: `big-${i}`, namespace: 'default', annotations: { blob: big } } });
  const watchers = await Promise.all([1, 2, 3].map(() => openWatch(app.kubemock, '/api/v1/namespaces/default/pods?watch=true')));
  t.after(() => watchers.forEach((w) => w.close()));
  pods.create({ ...pod('after'), metadata: { name: 'after', namespace: 'default' } });
  for (const w of watchers) {
    const events = await w.waitFor(401, 20_000);
    assert.deepEqual(
      events.map((e) => e.object.metadata.name),
      [...Array.from({ length: 400 }, (_, i) => `big-${i}`).sort(), 'after'],
    );
  }
});

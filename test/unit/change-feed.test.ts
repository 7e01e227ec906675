/**
 * The change feed with a fake change stream: a peer replica's write is simulated by committing to
 * storage past the registry (as another process writing to the same etcd would), and the stream
 * hands the log rows over when the test says so.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { buildTestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';
import type { Kubemock } from '../../src/app.js';
import type { ChangeStream, ChangeStreamHandlers } from '../../src/storage/change-stream.js';
import type { WatchEvent } from '../../src/registry/store-watch.js';
import { ManualClock } from '../../src/apimachinery/clock.js';

class FakeStream implements ChangeStream {
  handlers: ChangeStreamHandlers | undefined;
  startedAfter = -1;
  start(afterRevision: number, handlers: ChangeStreamHandlers): void {
    this.startedAfter = afterRevision;
    this.handlers = handlers;
  }
  async stop(): Promise<void> {
    this.handlers = undefined;
  }
}

async function setUp(t: TestContext, clock?: ManualClock) {
  const { kubemock } = await buildTestApp(t, clock ? { clock } : {});
  const stream = new FakeStream();
  let gaps = 0;
  kubemock.registry.feed.follow(stream, () => {
    gaps++;
    kubemock.control.expireWatches('changes were compacted before this replica saw them');
  });
  t.after(() => kubemock.registry.feed.close());
  return { kubemock, stream, gaps: () => gaps };
}

/** A ConfigMap another replica creates: committed to the shared storage, unseen by this one's hub. */
function peerCreate(kubemock: Kubemock, name: string): number {
  const storage = kubemock.registry.storage;
  const rv = storage.nextRevision();
  const uid = randomUUID();
  const body = JSON.stringify({
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { name, namespace: 'default', uid, resourceVersion: String(rv), creationTimestamp: '2026-01-01T00:00:00Z' },
    data: { from: 'peer' },
  });
  const ok = storage.commit([
    { change: { type: 'ADDED', resource: 'configmaps', namespace: 'default', name, uid, body }, rv, expectRv: 0 },
  ]);
  assert.ok(ok);
  return rv;
}

/** Hands the stream every row after `after`, as an etcd watch would (own writes included). */
function streamFrom(kubemock: Kubemock, stream: FakeStream, after: number): void {
  const storage = kubemock.registry.storage;
  stream.handlers!.changes(storage.eventsAfter(after, storage.currentRevision()));
}

function watchConfigMaps(kubemock: Kubemock, resourceVersion?: string) {
  const seen: WatchEvent[] = [];
  let ended = false;
  const watch = kubemock.registry.store('configmaps').watch({ namespace: 'default', ...(resourceVersion ? { resourceVersion } : {}) });
  watch.start({ next: (ev) => seen.push(ev), end: () => (ended = true) });
  const names = () => seen.map((e) => [e.type, e.object.metadata?.name ?? '', e.object.metadata?.resourceVersion ?? ''].join(' '));
  return { seen, names, ended: () => ended, stop: () => watch.stop() };
}

const create = (kubemock: Kubemock, name: string) =>
  kubemock.registry.store('configmaps').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });

test('a peer replica’s write reaches watches when the stream brings it, once; own writes coming back are skipped', async (t) => {
  const { kubemock, stream } = await setUp(t);
  const start = kubemock.registry.currentRevision();
  assert.equal(stream.startedAfter, start, 'the stream starts where the replica starts serving');
  const w = watchConfigMaps(kubemock);
  t.after(() => w.stop());
  const base = w.seen.length;
  const peerRv = peerCreate(kubemock, 'from-peer');
  assert.equal(w.seen.length, base, 'nothing before the stream brings it');
  streamFrom(kubemock, stream, start);
  assert.deepEqual(w.names().slice(base), [`ADDED from-peer ${peerRv}`]);
  const own = create(kubemock, 'own');
  const ownRv = own.object.metadata.resourceVersion;
  assert.deepEqual(w.names().slice(base), [`ADDED from-peer ${peerRv}`, `ADDED own ${ownRv}`], 'a local write is published at commit');
  streamFrom(kubemock, stream, start);
  assert.equal(w.seen.length, base + 2, 'the stream repeating both changes adds nothing');
  assert.equal(kubemock.registry.feed.revision(), Number(ownRv));
});

test('a local commit first publishes the peers’ changes below its revision, so watchers see revision order', async (t) => {
  const { kubemock, stream } = await setUp(t);
  const start = kubemock.registry.currentRevision();
  const w = watchConfigMaps(kubemock);
  t.after(() => w.stop());
  const base = w.seen.length;
  const a = peerCreate(kubemock, 'peer-a');
  const b = peerCreate(kubemock, 'peer-b');
  const own = create(kubemock, 'own');
  const rvs = w.seen.slice(base).map((e) => Number(e.object.metadata?.resourceVersion));
  assert.deepEqual(rvs, [a, b, Number(own.object.metadata.resourceVersion)]);
  assert.deepEqual(
    w
      .names()
      .slice(base)
      .map((n) => n.split(' ')[1]),
    ['peer-a', 'peer-b', 'own'],
  );
  streamFrom(kubemock, stream, start);
  assert.equal(w.seen.length, base + 3, 'the stream arriving late adds nothing');
});

test('a watch resuming over a peer’s change not yet streamed gets it from storage once, not again from the stream', async (t) => {
  const { kubemock, stream } = await setUp(t);
  const start = kubemock.registry.currentRevision();
  const peerRv = peerCreate(kubemock, 'from-peer');
  const w = watchConfigMaps(kubemock, String(start));
  t.after(() => w.stop());
  assert.deepEqual(w.names(), [`ADDED from-peer ${peerRv}`]);
  streamFrom(kubemock, stream, start);
  assert.deepEqual(w.names(), [`ADDED from-peer ${peerRv}`]);
  const listed = watchConfigMaps(kubemock);
  t.after(() => listed.stop());
  const before = listed.seen.length;
  assert.ok(listed.names().includes(`ADDED from-peer ${peerRv}`), 'the initial state has it');
  streamFrom(kubemock, stream, start);
  assert.equal(listed.seen.length, before);
});

test('a compacted stream ends open watches as kube-apiserver does when its cache re-lists; resuming from before answers 410 Expired', async (t) => {
  const { kubemock, stream, gaps } = await setUp(t);
  const start = kubemock.registry.currentRevision();
  const open = await openWatch(kubemock, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${start}`);
  t.after(() => open.close());
  assert.equal(open.status, 200);
  peerCreate(kubemock, 'lost');
  const current = kubemock.registry.currentRevision();
  const resumeAfter = stream.handlers!.compacted(start);
  assert.equal(gaps(), 1);
  assert.equal(resumeAfter, current, 'the stream goes on from the current revision');
  assert.equal(kubemock.registry.feed.revision(), current);
  await open.ended;
  assert.deepEqual(open.events, [], 'the stream ends, without an event');
  const resumed = await openWatch(kubemock, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${start}`);
  t.after(() => resumed.close());
  const [error] = await resumed.waitFor(1);
  assert.equal(error.type, 'ERROR');
  assert.equal(error.object.code, 410);
  assert.equal(error.object.reason, 'Expired');
  // Changes after the gap are published again.
  const peerRv = peerCreate(kubemock, 'after');
  streamFrom(kubemock, stream, resumeAfter);
  const fresh = watchConfigMaps(kubemock, String(resumeAfter));
  t.after(() => fresh.stop());
  assert.deepEqual(fresh.names(), [`ADDED after ${peerRv}`]);
});

test('a bookmark names the last revision the watcher was sent, not a peer’s change still on its way', async (t) => {
  const clock = new ManualClock();
  const { kubemock, stream } = await setUp(t, clock);
  const start = kubemock.registry.currentRevision();
  const seen: WatchEvent[] = [];
  const watch = kubemock.registry.store('configmaps').watch({ namespace: 'default', allowWatchBookmarks: true, bookmarkIntervalMs: 1000 });
  watch.start({ next: (ev) => seen.push(ev), end: () => {} });
  t.after(() => watch.stop());
  const bookmarks = () => seen.filter((e) => e.type === 'BOOKMARK').map((e) => Number(e.object.metadata?.resourceVersion));
  const peerRv = peerCreate(kubemock, 'from-peer');
  clock.advance(1000);
  assert.deepEqual(bookmarks(), [start], 'the peer’s change has not been sent');
  streamFrom(kubemock, stream, start);
  clock.advance(1000);
  assert.deepEqual(bookmarks(), [start, peerRv]);
  const added = seen.findIndex((e) => e.type === 'ADDED' && e.object.metadata?.name === 'from-peer');
  const marked = seen.findIndex((e) => e.type === 'BOOKMARK' && e.object.metadata?.resourceVersion === String(peerRv));
  assert.ok(added >= 0 && added < marked, 'the peer’s change was sent before the bookmark naming it');
});

test('a namespace another replica created is usable at once, before its change reaches this one', async (t) => {
  const { kubemock } = await setUp(t);
  const storage = kubemock.registry.storage;
  const rv = storage.nextRevision();
  const uid = randomUUID();
  const body = JSON.stringify({
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: { name: 'made-by-peer', uid, resourceVersion: String(rv), creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  assert.ok(
    storage.commit([
      { change: { type: 'ADDED', resource: 'namespaces', namespace: '', name: 'made-by-peer', uid, body }, rv, expectRv: 0 },
    ]),
  );
  const created = kubemock.registry
    .store('configmaps')
    .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inside', namespace: 'made-by-peer' } });
  assert.equal(created.object.metadata.namespace, 'made-by-peer');
  assert.throws(
    () =>
      kubemock.registry.store('configmaps').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'nowhere' } }),
    (e: { status?: { code?: number } }) => e.status?.code === 404,
  );
});

test('changes sharing one revision (an etcd transaction of several writes) are each published once', async (t) => {
  const { kubemock, stream } = await setUp(t);
  const w = watchConfigMaps(kubemock);
  t.after(() => w.stop());
  const base = w.seen.length;
  const rv = kubemock.registry.currentRevision() + 1;
  const row = (name: string) => ({
    id: rv,
    resource: 'configmaps',
    namespace: 'default',
    name,
    type: 'ADDED' as const,
    body: JSON.stringify({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name, namespace: 'default', uid: name, resourceVersion: String(rv), creationTimestamp: '2026-01-01T00:00:00Z' },
    }),
    prevBody: null,
  });
  // The first change of the transaction arrives alone, then the stream brings the whole transaction again.
  stream.handlers!.changes([row('one')]);
  stream.handlers!.changes([row('one'), row('two'), row('three')]);
  assert.deepEqual(w.names().slice(base), [`ADDED one ${rv}`, `ADDED two ${rv}`, `ADDED three ${rv}`]);
});

/**
 * The watch window per resource, as kube-apiserver's watch cache keeps it: at least 100 changes,
 * grown to hold the last 75 s (on kubemock's clock), starting where the server started serving.
 * Older resourceVersions get one ERROR event with 410 Expired: "too old resource version: X (Y)".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { openWatch, type WatchEvent } from '../helpers/watch-client.js';
import type { Kubemock } from '../../src/app.js';

const PODS = '/api/v1/namespaces/default/pods';
const NODES = '/api/v1/nodes';
const pod = (name: string) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

async function create(http: TestApp['http'], path: string, body: object): Promise<number> {
  const res = await http.post(path).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return Number(res.body.metadata.resourceVersion);
}

async function listRv(http: TestApp['http'], path: string): Promise<number> {
  return Number((await http.get(path)).body.metadata.resourceVersion);
}

/** The events of a watch that answers at once: the ERROR of an expired one, or `count` replayed events. */
async function watchEvents(kubemock: Kubemock, path: string, count = 1): Promise<WatchEvent[]> {
  const w = await openWatch(kubemock, path);
  try {
    assert.equal(w.status, 200);
    return await w.waitFor(count);
  } finally {
    w.close();
  }
}

function assertExpired(events: WatchEvent[], rv: number, oldest: number): void {
  assert.equal(events[0].type, 'ERROR', JSON.stringify(events[0]));
  assert.equal(events[0].object.code, 410);
  assert.equal(events[0].object.reason, 'Expired');
  assert.equal(events[0].object.message, `too old resource version: ${rv} (${oldest})`);
}

/**
 * 150 pods at once, then 76 s later 51 more: the ring grew to 200 for the first burst and the
 * 201st change drops the oldest. Returns the list revision before them and the pods' revisions.
 */
async function pushOldestPodOut(clock: ManualClock, http: TestApp['http']): Promise<{ before: number; first: number[]; later: number[] }> {
  const before = await listRv(http, PODS);
  const first: number[] = [];
  for (let i = 0; i < 150; i++) first.push(await create(http, PODS, pod(`p${i}`)));
  clock.advance(76_000);
  const later: number[] = [];
  for (let i = 0; i < 51; i++) later.push(await create(http, PODS, pod(`q${i}`)));
  return { before, first, later };
}

test('over 100 pod writes within 75 s all stay in the window; once older than 75 s they fall out as new ones come, and a watch from before them gets 410', async (t) => {
  const clock = new ManualClock();
  const { kubemock, http } = await buildTestApp(t, { clock });
  const before = await listRv(http, PODS);
  for (let i = 0; i < 150; i++) await create(http, PODS, pod(`p${i}`));
  const replay = await watchEvents(kubemock, `${PODS}?watch=true&resourceVersion=${before}`, 150);
  assert.deepEqual(
    replay.map((e) => `${e.type} ${e.object.metadata.name}`),
    Array.from({ length: 150 }, (_, i) => `ADDED p${i}`),
  );

  clock.advance(76_000);
  const later: number[] = [];
  for (let i = 0; i < 50; i++) later.push(await create(http, PODS, pod(`q${i}`)));
  assert.equal(
    (await watchEvents(kubemock, `${PODS}?watch=true&resourceVersion=${before}`))[0].object.metadata.name,
    'p0',
    'a full window drops nothing until the next change',
  );
  await create(http, PODS, pod('q50'));
  const p1 = Number((await http.get(`${PODS}/p1`)).body.metadata.resourceVersion);
  assertExpired(await watchEvents(kubemock, `${PODS}?watch=true&resourceVersion=${before}`), before, p1 - 1);
});

test('a watch from exactly the window start replays exactly what followed; one revision older is expired', async (t) => {
  const clock = new ManualClock();
  const { kubemock, http } = await buildTestApp(t, { clock });
  const { first, later } = await pushOldestPodOut(clock, http);
  const oldest = first[1] - 1;
  const expected = [...first.slice(1), ...later];
  assertExpired(await watchEvents(kubemock, `${PODS}?watch=true&resourceVersion=${oldest - 1}`), oldest - 1, oldest);
  const inside = first[100];
  const after = expected.filter((rv) => rv > inside);
  const fromInside = await watchEvents(kubemock, `${PODS}?watch=true&resourceVersion=${inside}`, after.length);
  assert.deepEqual(
    fromInside.map((e) => Number(e.object.metadata.resourceVersion)),
    after,
  );
  const w = await openWatch(kubemock, `${PODS}?watch=true&resourceVersion=${oldest}`);
  try {
    const replay = await w.waitFor(expected.length);
    assert.deepEqual(
      replay.map((e) => Number(e.object.metadata.resourceVersion)),
      expected,
    );
    assert.ok(replay.every((e) => e.type === 'ADDED'));
    // Nothing else was replayed: the next event is the next change.
    expected.push(await create(http, PODS, pod('marker')));
    assert.deepEqual(
      (await w.waitFor(expected.length)).map((e) => Number(e.object.metadata.resourceVersion)),
      expected,
    );
  } finally {
    w.close();
  }
});

test('resourceVersion 0, no resourceVersion and sendInitialEvents start from the current state, whatever the window and the compaction', async (t) => {
  const clock = new ManualClock();
  // A short log too: sendInitialEvents with a compacted resourceVersion still lists (NotOlderThan), as the watch cache does.
  const { kubemock, http } = await buildTestApp(t, { clock, retainedEvents: 5 });
  const { before } = await pushOldestPodOut(clock, http);
  const pods = (await http.get(PODS)).body.items.map((p: any) => p.metadata.name);
  assert.equal(pods.length, 201);
  for (const query of [
    'resourceVersion=0',
    '',
    `sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=${before}`,
  ]) {
    const events = await watchEvents(kubemock, `${PODS}?watch=true&${query}`, 201);
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.object.metadata.name}`),
      pods.map((n: string) => `ADDED ${n}`),
      query,
    );
  }
});

test("writes of other kinds do not push a kind's window", async (t) => {
  const clock = new ManualClock();
  const { kubemock, http } = await buildTestApp(t, { clock });
  const before = await listRv(http, PODS);
  await create(http, PODS, pod('lone'));
  await create(http, NODES, { metadata: { name: 'n0' } });
  clock.advance(76_000);
  const nodes: number[] = [];
  for (let i = 1; i <= 100; i++) nodes.push(await create(http, NODES, { metadata: { name: `n${i}` } }));
  const [lone] = await watchEvents(kubemock, `${PODS}?watch=true&resourceVersion=${before}`);
  assert.equal(`${lone.type} ${lone.object.metadata.name}`, 'ADDED lone');
  assertExpired(await watchEvents(kubemock, `${NODES}?watch=true&resourceVersion=${before}`), before, nodes[0] - 1);
});

test('after a restart the window starts at the revision the server started at: older resourceVersions get 410, that one resumes', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'kubemock-window-')), 'kubemock.db');
  const first = await buildTestApp(undefined, { db });
  let early: number;
  let started: number;
  try {
    early = await create(first.http, PODS, pod('a'));
    await create(first.http, PODS, pod('b'));
    started = await listRv(first.http, PODS);
  } finally {
    await first.kubemock.close();
  }
  const second = await buildTestApp(undefined, { db });
  try {
    assertExpired(await watchEvents(second.kubemock, `${PODS}?watch=true&resourceVersion=${early}`), early, started);
    const w = await openWatch(second.kubemock, `${PODS}?watch=true&resourceVersion=${started}`);
    try {
      await create(second.http, PODS, pod('c'));
      const [added] = await w.waitFor(1);
      assert.equal(`${added.type} ${added.object.metadata.name}`, 'ADDED c');
    } finally {
      w.close();
    }
  } finally {
    await second.kubemock.close();
  }
});

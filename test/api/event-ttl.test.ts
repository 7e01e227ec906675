/**
 * Events expire --event-ttl after their last write (kube-apiserver: a lease per event write, 1 h by
 * default), whichever API group wrote them; watchers see them deleted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { buildTestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';

const CORE = '/api/v1/namespaces/default/events';
const V1 = '/apis/events.k8s.io/v1/namespaces/default/events';
const MIN = 60_000;

const coreEvent = (name: string) => ({
  metadata: { name },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
  reason: 'Testing',
  message: 'hello',
  type: 'Normal',
  source: { component: 'test' },
});
const v1Event = (name: string) => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name },
  eventTime: '2026-12-03T10:00:00.000000Z',
  reportingController: 'example.com/operator',
  reportingInstance: 'operator-1',
  action: 'Testing',
  reason: 'Testing',
  regarding: { kind: 'Pod', namespace: 'default', name: 'p' },
  type: 'Normal',
});

test('an Event is deleted an hour after its last write, by default; a write renews it', async (t) => {
  const clock = new ManualClock();
  const { kubemock, http } = await buildTestApp(t, { clock });
  await http.post(CORE).send(coreEvent('a')).expect(201);
  await http.post(V1).send(v1Event('b')).expect(201);
  const w = await openWatch(kubemock, `${CORE}?watch=true&timeoutSeconds=86400`);
  t.after(() => w.close());
  await w.waitFor(2);

  clock.advance(40 * MIN);
  await http.patch(`${CORE}/a`).set('content-type', 'application/merge-patch+json').send({ message: 'again' }).expect(200);
  clock.advance(20 * MIN - 1);
  await http.get(`${V1}/b`).expect(200);

  clock.advance(1); // b: an hour since it was written
  await http.get(`${V1}/b`).expect(404);
  await http.get(`${CORE}/b`).expect(404);
  await http.get(`${CORE}/a`).expect(200);
  const events = await w.waitFor(4);
  assert.deepEqual(
    events.map((e) => [e.type, e.object.metadata.name]),
    [
      ['ADDED', 'a'],
      ['ADDED', 'b'],
      ['MODIFIED', 'a'],
      ['DELETED', 'b'],
    ],
  );

  clock.advance(40 * MIN); // a: an hour since its patch
  await http.get(`${CORE}/a`).expect(404);
  assert.deepEqual((await w.waitFor(5))[4].type, 'DELETED');
});

test('the TTL is configurable, and Events stored before a restart keep their deadline', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-event-ttl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'db.sqlite');
  const clock = new ManualClock();
  const first = await buildTestApp(undefined, { db, clock, eventTtlMs: 10 * MIN });
  await first.http.post(CORE).send(coreEvent('old')).expect(201);
  clock.advance(6 * MIN);
  await first.http.post(CORE).send(coreEvent('new')).expect(201);
  await first.kubemock.close();

  clock.advance(5 * MIN); // old: 11 minutes since its write, new: 5
  const second = await buildTestApp(t, { db, clock, eventTtlMs: 10 * MIN });
  clock.advance(0);
  await second.http.get(`${CORE}/old`).expect(404);
  await second.http.get(`${CORE}/new`).expect(200);
  clock.advance(5 * MIN);
  await second.http.get(`${CORE}/new`).expect(404);
});

test('a restored snapshot gives the Events it puts back their deadlines: kept as they were, or from their stored write', async (t) => {
  const clock = new ManualClock();
  const { http } = await buildTestApp(t, { clock, eventTtlMs: 10 * MIN, db: ':memory:' });
  // Eight Events, so that the one rewritten after the snapshot is read alone, not with the whole list.
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'rewritten'];
  for (const name of names) await http.post(CORE).send(coreEvent(name)).expect(201);
  clock.advance(2 * MIN);
  const { id } = (await http.post('/kubemock/v1/snapshots').expect(201)).body as { id: string };

  clock.advance(3 * MIN);
  await http.patch(`${CORE}/rewritten`).set('content-type', 'application/merge-patch+json').send({ message: 'later' }).expect(200);
  await http.post(CORE).send(coreEvent('after')).expect(201);
  await http.post(`/kubemock/v1/snapshots/${id}/restore`).expect(200);
  await http.get(`${CORE}/after`).expect(404);
  assert.equal((await http.get(`${CORE}/rewritten`).expect(200)).body.message, 'hello');

  // Every Event back from the snapshot was last written at the start: ten minutes later they are
  // gone, the one rewritten after the snapshot too (its later write was undone).
  clock.advance(5 * MIN - 1_000);
  for (const name of names) await http.get(`${CORE}/${name}`).expect(200);
  clock.advance(1_000);
  for (const name of names) await http.get(`${CORE}/${name}`).expect(404);
  // A write after the restore renews as before.
  await http.post(CORE).send(coreEvent('fresh')).expect(201);
  clock.advance(10 * MIN - 1);
  await http.get(`${CORE}/fresh`).expect(200);
  clock.advance(1);
  await http.get(`${CORE}/fresh`).expect(404);
});

test('an Event written a thousand times expires an hour after its last write, one written once among them an hour after that; one deleted and made again gets a deadline of its own', async (t) => {
  const clock = new ManualClock();
  const { kubemock, http } = await buildTestApp(t, { clock });
  const events = kubemock.registry.store('events');
  await http.post(CORE).send(coreEvent('busy')).expect(201);
  await http.post(CORE).send(coreEvent('again')).expect(201);
  await http.post(CORE).send(coreEvent('quiet')).expect(201);
  // Enough writes of one object that the expiry's queue drops the deadlines they made stale.
  for (let i = 1; i <= 1500; i++) {
    events.patch('default', 'busy', (ev) => ({ ...ev, count: i + 1 }));
    if (i === 500 || i === 1000) clock.advance(10 * MIN);
  }
  await http.delete(`${CORE}/again`).expect(200); // 20 min: busy's last write
  clock.advance(10 * MIN);
  await http.post(CORE).send(coreEvent('again')).expect(201); // 30 min

  clock.advance(30 * MIN - 1); // 60 min, less 1 ms
  await http.get(`${CORE}/quiet`).expect(200);
  clock.advance(1);
  await http.get(`${CORE}/quiet`).expect(404); // written once, before the busy one's writes
  clock.advance(20 * MIN - 1); // 80 min, less 1 ms
  await http.get(`${CORE}/busy`).expect(200);
  await http.get(`${CORE}/again`).expect(200); // the first one's deadline (60 min) passed
  clock.advance(1);
  await http.get(`${CORE}/busy`).expect(404);
  clock.advance(10 * MIN - 1); // 90 min, less 1 ms: an hour since again was made again
  await http.get(`${CORE}/again`).expect(200);
  clock.advance(1);
  await http.get(`${CORE}/again`).expect(404);
});

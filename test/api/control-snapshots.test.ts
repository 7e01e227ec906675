/**
 * Snapshots: snapshot → change → restore gives back identical objects; resourceVersions handed
 * out after a restore never repeat earlier ones; open watches end with 410 so clients re-list;
 * the controllers and namespace admission see the restored state.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';
import { waitFor } from '../helpers/eventually.js';

const PODS = '/api/v1/namespaces/default/pods';
const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const SNAPSHOTS = '/kubemock/v1/snapshots';
const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});
const daemonSet = (name: string) => ({
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

/** Every stored object, as served, by kind. */
async function everything(app: TestApp): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const path of [
    '/api/v1/namespaces',
    '/api/v1/nodes',
    '/api/v1/pods',
    '/api/v1/events',
    '/apis/apps/v1/daemonsets',
    '/apis/apps/v1/controllerrevisions',
  ]) {
    out[path] = (await app.http.get(path).expect(200)).body.items;
  }
  return out;
}

async function snapshot(app: TestApp): Promise<string> {
  return (await app.http.post(SNAPSHOTS).expect(201)).body.id;
}

describe('snapshots', () => {
  it('snapshot → change → restore gives back identical objects, and new resourceVersions never repeat', async (t) => {
    const app = await buildTestApp(t);
    await app.http.post(PODS).send(pod('keep')).expect(201);
    await app.http.post(PODS).send(pod('changed')).expect(201);
    await app.http.post(PODS).send(pod('removed')).expect(201);
    const before = await everything(app);
    const id = await snapshot(app);

    const seen = new Set<string>();
    const note = (res: { body: { metadata: { resourceVersion: string } } }) => seen.add(res.body.metadata.resourceVersion);
    note(
      await app.http
        .patch(`${PODS}/changed`)
        .set('content-type', 'application/merge-patch+json')
        .send({ metadata: { labels: { v: '2' } } })
        .expect(200),
    );
    await app.http.delete(`${PODS}/removed`).expect(200);
    note(await app.http.post(PODS).send(pod('added')).expect(201));
    note(
      await app.http
        .post('/api/v1/namespaces')
        .send({ metadata: { name: 'later' } })
        .expect(201),
    );
    const highest = Math.max(...[...seen].map(Number), app.kubemock.registry.storage.currentRevision());
    assert.notDeepEqual(await everything(app), before);

    const restored = (await app.http.post(`${SNAPSHOTS}/${id}/restore`).expect(200)).body;
    assert.equal(restored.revision, highest);
    assert.deepEqual(await everything(app), before);

    const list = (await app.http.get(PODS).expect(200)).body;
    assert.equal(list.metadata.resourceVersion, String(highest));
    // Writes check the restored revisions: the pod back from the snapshot exists again, the changed
    // one is at its snapshot revision (the later one is a conflict), the added one is gone.
    await app.http.post(PODS).send(pod('removed')).expect(409);
    const restoredChanged = (await app.http.get(`${PODS}/changed`).expect(200)).body;
    const changed = { ...restoredChanged, metadata: { ...restoredChanged.metadata, labels: { v: '3' } } };
    const stale = { ...changed, metadata: { ...changed.metadata, resourceVersion: [...seen][0] } };
    await app.http.put(`${PODS}/changed`).send(stale).expect(409);
    note(await app.http.put(`${PODS}/changed`).send(changed).expect(200));
    const next = await app.http.post(PODS).send(pod('added')).expect(201);
    assert.equal(Number(next.body.metadata.resourceVersion), highest + 2);
    // Restoring twice is fine, and the counter still only goes up.
    await app.http.post(`${SNAPSHOTS}/${id}/restore`).expect(200);
    assert.ok(Number((await app.http.post(PODS).send(pod('again')).expect(201)).body.metadata.resourceVersion) > highest + 1);
    await app.http.post(`${SNAPSHOTS}/nope/restore`).expect(404);
  });

  it('ends open watches with a 410 Expired ERROR event; resuming from before the restore answers 410', async (t) => {
    const app = await buildTestApp(t);
    const id = await snapshot(app);
    const rv = (await app.http.get(PODS)).body.metadata.resourceVersion;
    await app.http.post(PODS).send(pod('a')).expect(201);
    const w = await openWatch(app.kubemock, `${PODS}?watch=1&resourceVersion=${rv}`);
    t.after(() => w.close());
    await w.waitFor(1);
    await app.http.post(`${SNAPSHOTS}/${id}/restore`).expect(200);
    const events = await w.waitFor(2);
    assert.equal(events[1].type, 'ERROR');
    assert.equal(events[1].object.code, 410);
    assert.equal(events[1].object.reason, 'Expired');
    await w.ended;

    const stale = await openWatch(app.kubemock, `${PODS}?watch=1&resourceVersion=${rv}`);
    t.after(() => stale.close());
    assert.equal((await stale.waitFor(1))[0].object.code, 410);
    // A re-list gives a resourceVersion to watch from, and new events arrive.
    const relist = (await app.http.get(PODS)).body;
    assert.deepEqual(relist.items, []);
    const fresh = await openWatch(app.kubemock, `${PODS}?watch=1&resourceVersion=${relist.metadata.resourceVersion}`);
    t.after(() => fresh.close());
    await app.http.post(PODS).send(pod('b')).expect(201);
    const [added] = await fresh.waitFor(1);
    assert.deepEqual([added.type, added.object.metadata.name], ['ADDED', 'b']);
    assert.ok(Number(added.object.metadata.resourceVersion) > Number(relist.metadata.resourceVersion));
  });

  it('namespace admission follows the restored namespaces', async (t) => {
    const app = await buildTestApp(t);
    await app.http
      .post('/api/v1/namespaces')
      .send({ metadata: { name: 'old' } })
      .expect(201);
    const id = await snapshot(app);
    await app.http.delete('/api/v1/namespaces/old').expect(200);
    await app.http
      .post('/api/v1/namespaces')
      .send({ metadata: { name: 'new' } })
      .expect(201);
    await app.http.post(`${SNAPSHOTS}/${id}/restore`).expect(200);
    await app.http.post('/api/v1/namespaces/new/pods').send(pod('p')).expect(404);
    await app.http.post('/api/v1/namespaces/old/pods').send(pod('p')).expect(201);
  });

  it('refills the controllers: a DaemonSet gone by the restore gets no more pods, one back is managed again', async (t) => {
    const app = await buildTestApp(t, { controllers: true });
    await app.kubemock.ensureNodes(2);
    await app.http.post(DS).send(daemonSet('kept')).expect(201);
    const podsOf = async (name: string) => ((await app.http.get(`${PODS}?labelSelector=app=${name}`)).body.items as unknown[]).length;
    await waitFor(async () => assert.equal(await podsOf('kept'), 2));
    await app.kubemock.manager!.waitIdle();
    const id = await snapshot(app);

    await app.http.delete(`${DS}/kept`).expect(200);
    await app.http.post(DS).send(daemonSet('later')).expect(201);
    await waitFor(async () => assert.equal(await podsOf('later'), 2));

    await app.http.post(`${SNAPSHOTS}/${id}/restore`).expect(200);
    await app.http
      .post('/kubemock/v1/nodes')
      .send({ names: ['node-9'] })
      .expect(201);
    await waitFor(async () => assert.equal(await podsOf('kept'), 3));
    await app.kubemock.manager!.waitIdle();
    assert.equal(await podsOf('later'), 0);
    assert.equal((await app.http.get(`${DS}/later`)).status, 404);
  });

  it('lists and drops snapshots', async (t) => {
    const app = await buildTestApp(t);
    const a = await snapshot(app);
    await app.http.post(PODS).send(pod('x')).expect(201);
    const b = await snapshot(app);
    const items = (await app.http.get(SNAPSHOTS)).body.items as { id: string; objects: number }[];
    assert.deepEqual(
      items.map((s) => s.id),
      [a, b],
    );
    assert.equal(items[1].objects, items[0].objects + 1);
    await app.http.delete(`${SNAPSHOTS}/${a}`).expect(200);
    await app.http.delete(`${SNAPSHOTS}/${a}`).expect(404);
    assert.deepEqual(
      (await app.http.get(SNAPSHOTS)).body.items.map((s: { id: string }) => s.id),
      [b],
    );
  });

  it('keeps the revision counter in the database file: after a restart, resourceVersions go on from the highest', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'kubemock-snap-')), 'k.db');
    const first = await buildTestApp(undefined, { db });
    const id = await snapshot(first);
    for (let i = 0; i < 5; i++)
      await first.http
        .post(PODS)
        .send(pod(`p${i}`))
        .expect(201);
    const highest = first.kubemock.registry.storage.currentRevision();
    await first.http.post(`${SNAPSHOTS}/${id}/restore`).expect(200);
    await first.kubemock.close();
    const second = await buildTestApp(undefined, { db });
    try {
      assert.deepEqual((await second.http.get(PODS)).body.items, []);
      const next = await second.http.post(PODS).send(pod('after')).expect(201);
      assert.equal(Number(next.body.metadata.resourceVersion), highest + 1);
    } finally {
      await second.kubemock.close();
    }
  });
});

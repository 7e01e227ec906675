/**
 * Boolean query parameters read as kube-apiserver's parameter codec reads them: `0` and `false` in
 * any case are false, every other value (the empty string included) is true, and a repeated
 * parameter takes its first value. The Python client sends `watch=True`, `follow=True`…
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { manualCluster } from '../helpers/manual-cluster.js';
import { openWatch } from '../helpers/watch-client.js';
import { waitFor } from '../helpers/eventually.js';

const PODS = '/api/v1/namespaces/default/pods';
const APPS = '/apis/apps/v1/namespaces/default';
type Obj = Record<string, any>;
const pod = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

async function created(app: TestApp, url: string, body: object): Promise<Obj> {
  const res = await app.http.post(url).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

test('watch=True, TRUE, yes, an empty value or none at all open a watch stream', async (t) => {
  const app = await buildTestApp(t);
  await created(app, PODS, pod('a'));
  for (const watch of ['watch=True', 'watch=TRUE', 'watch=yes', 'watch=', 'watch', 'watch=true&watch=false']) {
    const w = await openWatch(app.kubemock, `${PODS}?${watch}&resourceVersion=0`);
    try {
      assert.equal(w.status, 200, watch);
      const [first] = await w.waitFor(1);
      assert.equal(first.type, 'ADDED', `${watch}: a watch event, not a list`);
      assert.equal(first.object.metadata.name, 'a');
    } finally {
      w.close();
    }
  }
});

test('watch=0, False, FALSE and a first value of false give the list', async (t) => {
  const app = await buildTestApp(t);
  await created(app, PODS, pod('a'));
  for (const watch of ['watch=0', 'watch=False', 'watch=FALSE', 'watch=false&watch=true']) {
    const res = await app.http.get(`${PODS}?${watch}`).expect(200);
    assert.equal(res.body.kind, 'PodList', watch);
    assert.deepEqual(
      res.body.items.map((p: Obj) => p.metadata.name),
      ['a'],
    );
  }
});

test('a repeated labelSelector takes its first value instead of failing with a 500', async (t) => {
  const app = await buildTestApp(t);
  await created(app, PODS, pod('front', { tier: 'front' }));
  await created(app, PODS, pod('back', { tier: 'back' }));
  const res = await app.http
    .get(`${PODS}?labelSelector=tier%3Dfront&labelSelector=tier%3Dback&fieldSelector=metadata.name%3Dfront&fieldSelector=x`)
    .expect(200);
  assert.deepEqual(
    res.body.items.map((p: Obj) => p.metadata.name),
    ['front'],
  );
  const limited = await app.http.get(`${PODS}?limit=1&limit=x`).expect(200);
  assert.equal(limited.body.items.length, 1);
  assert.ok(limited.body.metadata.continue);
});

test('allowWatchBookmarks=True sends bookmarks; sendInitialEvents=True ends its initial events with one', async (t) => {
  const clock = new ManualClock();
  const app = await buildTestApp(t, { clock, watch: { bookmarkIntervalMs: 1000 } });
  await created(app, PODS, pod('a'));
  const w = await openWatch(app.kubemock, `${PODS}?watch=True&allowWatchBookmarks=True&resourceVersion=0`);
  t.after(() => w.close());
  await w.waitFor(1);
  clock.advance(1000);
  const [, bookmark] = await w.waitFor(2);
  assert.equal(bookmark.type, 'BOOKMARK');

  const initial = await openWatch(
    app.kubemock,
    `${PODS}?watch=1&sendInitialEvents=True&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=TRUE`,
  );
  t.after(() => initial.close());
  const events = await initial.waitFor(2);
  assert.deepEqual(
    events.map((e) => e.type),
    ['ADDED', 'BOOKMARK'],
  );
  assert.deepEqual(events[1].object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
  const refused = await app.http
    .get(`${PODS}?watch=1&sendInitialEvents=True&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=False`)
    .expect(422);
  assert.match(refused.body.message, /sendInitialEvents requires setting allowWatchBookmarks to true/);
});

test('orphanDependents=True orphans the dependents; orphanDependents=False lets the collector delete them', async (t) => {
  const app = await buildTestApp(t, { controllers: true });
  const ds = (name: string) => ({
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  });
  const revision = (name: string, owner: Obj) => ({
    metadata: {
      name,
      labels: { app: owner.metadata.name },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: owner.metadata.name, uid: owner.metadata.uid, controller: true }],
    },
    data: { spec: {} },
    revision: 1,
  });
  const kept = await created(app, `${APPS}/daemonsets`, ds('kept'));
  const gone = await created(app, `${APPS}/daemonsets`, ds('gone'));
  await created(app, `${APPS}/controllerrevisions`, revision('kept-rev', kept));
  await created(app, `${APPS}/controllerrevisions`, revision('gone-rev', gone));
  await app.kubemock.manager!.waitIdle();

  const orphaned = await app.http.delete(`${APPS}/daemonsets/kept?orphanDependents=True`).expect(200);
  assert.deepEqual(orphaned.body.metadata.finalizers, ['orphan']);
  await app.http.delete(`${APPS}/daemonsets/gone?orphanDependents=False`).expect(200);
  await app.kubemock.manager!.waitIdle();
  const rev = await app.http.get(`${APPS}/controllerrevisions/kept-rev`).expect(200);
  assert.equal(rev.body.metadata.ownerReferences, undefined);
  await app.http.get(`${APPS}/controllerrevisions/gone-rev`).expect(404);
  await app.http.get(`${APPS}/daemonsets/kept`).expect(404);
});

test('pods/log: timestamps=True prefixes each line, follow=True keeps the stream open for new lines', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 0 });
  await created(c.app, PODS, pod('web'));
  await c.settle();
  await c.pass(2000);
  const stamped = await c.app.http.get(`${PODS}/web/log?tailLines=1&timestamps=True`).expect(200);
  assert.match(stamped.text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z kubemock: c tick \d+\n$/);
  const plain = await c.app.http.get(`${PODS}/web/log?tailLines=1&timestamps=False`).expect(200);
  assert.match(plain.text, /^kubemock: c tick \d+\n$/);

  await c.app.kubemock.fastify.listen({ host: '127.0.0.1', port: 0 });
  const { port } = c.app.kubemock.fastify.server.address() as AddressInfo;
  const follow = async (value: string) => {
    let text = '';
    let ended = false;
    const request = httpGet(`http://127.0.0.1:${port}${PODS}/web/log?follow=${value}`, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (ended = true));
    });
    request.on('error', () => {});
    t.after(() => request.destroy());
    await waitFor(() => text.includes('tick 2'));
    return { text: () => text, ended: () => ended };
  };
  const stopped = await follow('False');
  await waitFor(() => stopped.ended());
  const followed = await follow('True');
  await c.pass(1000);
  await waitFor(() => followed.text().includes('tick 3') || followed.ended());
  assert.equal(followed.ended(), false, 'follow=True keeps the log open');
  assert.match(followed.text(), /kubemock: c tick 2\nkubemock: c tick 3\n$/);
});

test('the journal reads watch=True as a watch', async (t) => {
  const app = await buildTestApp(t);
  const w = await openWatch(app.kubemock, `${PODS}?watch=True`);
  w.close();
  await w.ended;
  await waitFor(async () => (await app.http.get('/kubemock/v1/journal?verb=watch')).body.count === 1);
  const entry = (await app.http.get('/kubemock/v1/journal?verb=watch&verb=list')).body.items[0];
  assert.equal(entry.verb, 'watch');
  assert.equal(entry.query, 'watch=True');
});

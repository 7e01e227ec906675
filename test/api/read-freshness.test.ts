/**
 * Reads of a resourceVersion the server has not reached: kube-apiserver's watch cache waits for it
 * (waitUntilFreshAndBlock, 3 s) before it answers 504 Too large resource version, so a client that
 * read the version from a faster replica gets its answer once this one catches up. GET, a
 * NotOlderThan LIST and a watch's initial events wait; an Exact LIST (read from etcd) does not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { buildTestApp } from '../helpers/build-app.js';
import { listening, openWatch } from '../helpers/watch-client.js';

const PODS = '/api/v1/namespaces/default/pods';
const WAIT_MS = 400;

const pod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

const later = (ms: number, fn: () => unknown) => new Promise<void>((resolve) => setTimeout(() => resolve(void fn()), ms));

async function setUp(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t, { freshnessWaitMs: WAIT_MS });
  // Listening writes the kubernetes Service and its endpoints: before the revision counted on here.
  await listening(app.kubemock);
  const created = await app.http.post(PODS).send(pod('a'));
  assert.equal(created.status, 201);
  const store = app.kubemock.registry.store('pods');
  return { ...app, store, next: Number(created.body.metadata.resourceVersion) + 1 };
}

test('a LIST NotOlderThan the next revision waits for the write that makes it and lists it', async (t) => {
  const { http, store, next } = await setUp(t);
  const [list] = await Promise.all([http.get(PODS).query({ resourceVersion: next }), later(50, () => store.create(pod('b')))]);
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.body.items.map((p: KubeObject) => p.metadata.name),
    ['a', 'b'],
  );
  assert.equal(list.body.metadata.resourceVersion, String(next));
});

test('a LIST NotOlderThan a revision that does not come is the 504 once the wait is over', async (t) => {
  const { http, next } = await setUp(t);
  const started = performance.now();
  const list = await http.get(PODS).query({ resourceVersion: next + 5, resourceVersionMatch: 'NotOlderThan' });
  assert.ok(performance.now() - started >= WAIT_MS - 20, 'answered only after the wait');
  assert.equal(list.status, 504);
  assert.equal(list.body.message, `Timeout: Too large resource version: ${next + 5}, current: ${next - 1}`);
  assert.deepEqual(list.body.details.causes, [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
  assert.equal(list.body.details.retryAfterSeconds, 1);
});

test('an Exact LIST of a revision not reached is the 504 too (read from etcd upstream)', async (t) => {
  const { http, next } = await setUp(t);
  const list = await http.get(PODS).query({ resourceVersion: next, resourceVersionMatch: 'Exact' });
  assert.equal(list.status, 504);
  assert.equal(list.body.message, `Timeout: Too large resource version: ${next}, current: ${next - 1}`);
});

test('a GET of a revision not reached waits for it, and is the 504 when it does not come', async (t) => {
  const { http, store, next } = await setUp(t);
  const [got] = await Promise.all([
    http.get(`${PODS}/a`).query({ resourceVersion: next }),
    later(50, () => store.patch('default', 'a', (p) => ({ ...p, metadata: { ...p.metadata, labels: { seen: 'yes' } } }))),
  ]);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body.metadata.labels, { seen: 'yes' }, 'the object as of the revision waited for');
  const tooLarge = await http.get(`${PODS}/a`).query({ resourceVersion: next + 5 });
  assert.equal(tooLarge.status, 504);
  assert.equal(tooLarge.body.reason, 'Timeout');
  assert.equal(tooLarge.body.message, `Timeout: Too large resource version: ${next + 5}, current: ${next}`);
  const any = await http.get(`${PODS}/a`).query({ resourceVersion: '0' });
  assert.equal(any.status, 200, 'resourceVersion=0 reads whatever is there');
});

test("a watch's initial events of a revision not reached wait for it, then come with their bookmark", async (t) => {
  const { kubemock, store, next } = await setUp(t);
  const query = `?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&resourceVersion=${next}`;
  const [watch] = await Promise.all([openWatch(kubemock, PODS + query), later(50, () => store.create(pod('b')))]);
  t.after(() => watch.close());
  const events = await watch.waitFor(3);
  assert.deepEqual(
    events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`),
    ['ADDED a', 'ADDED b', 'BOOKMARK '],
  );
  assert.equal(events[2].object.metadata.annotations['k8s.io/initial-events-end'], 'true');
});

test("a watch's initial events of a revision that does not come end in one ERROR 504 after the wait", async (t) => {
  const { kubemock, next } = await setUp(t);
  const query = `?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&resourceVersion=${next + 5}`;
  const watch = await openWatch(kubemock, PODS + query);
  t.after(() => watch.close());
  await watch.ended;
  assert.deepEqual(
    watch.events.map((e) => `${e.type} ${e.object.code}`),
    ['ERROR 504'],
  );
  assert.equal(watch.events[0].object.message, `Timeout: Too large resource version: ${next + 5}, current: ${next - 1}`);
});

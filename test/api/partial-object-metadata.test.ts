/**
 * Metadata-only representations (`Accept: application/json;as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1`),
 * with the exact Accept headers client-go's metadata client sends (controller-runtime's metadata
 * client and metadata informers use it): get, list, watch and the answer to a write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';

const PODS = '/api/v1/namespaces/default/pods';
const DAEMONSETS = '/apis/apps/v1/namespaces/default/daemonsets';
type Obj = Record<string, any>;

/** client-go metadata.Client: List asks for the List kind, Get, Watch and Patch for the object kind. */
const CLIENT_GO_LIST =
  'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const CLIENT_GO_GET =
  'application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';
const KUBECTL_TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const pod = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels, annotations: { note: name }, finalizers: ['example.com/keep'] },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

async function seed(app: TestApp, ...names: string[]): Promise<Obj[]> {
  const out: Obj[] = [];
  for (const name of names) {
    const res = await app.http.post(PODS).send(pod(name, { app: 'web' }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    out.push(res.body);
  }
  return out;
}

test("LIST with client-go's metadata Accept answers a PartialObjectMetadataList: Go field order, list metadata kept", async (t) => {
  const app = await buildTestApp(t);
  const pods = await seed(app, 'a', 'b', 'c');
  const plain = (await app.http.get(PODS).expect(200)).body;
  const res = await app.http.get(PODS).set('accept', CLIENT_GO_LIST).expect(200);
  assert.equal(res.headers['content-type'], 'application/json');
  const list = JSON.parse(res.text);
  assert.deepEqual(Object.keys(list), ['kind', 'apiVersion', 'metadata', 'items']);
  assert.equal(list.kind, 'PartialObjectMetadataList');
  assert.equal(list.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(list.metadata, plain.metadata);
  assert.equal(list.items.length, 3);
  list.items.forEach((item: Obj, i: number) => {
    assert.deepEqual(Object.keys(item), ['kind', 'apiVersion', 'metadata']);
    assert.equal(item.kind, 'PartialObjectMetadata');
    assert.equal(item.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(item.metadata, pods[i].metadata);
    assert.deepEqual(Object.keys(item.metadata), Object.keys(pods[i].metadata), 'metadata fields in the stored (Go) order');
  });

  const page = JSON.parse((await app.http.get(`${PODS}?limit=2`).set('accept', CLIENT_GO_LIST).expect(200)).text);
  assert.equal(page.items.length, 2);
  assert.ok(page.metadata.continue);
  assert.equal(page.metadata.remainingItemCount, 1);
  assert.deepEqual(Object.keys(page.metadata), ['resourceVersion', 'continue', 'remainingItemCount']);
  const rest = JSON.parse(
    (await app.http.get(`${PODS}?limit=2&continue=${page.metadata.continue}`).set('accept', CLIENT_GO_LIST).expect(200)).text,
  );
  assert.deepEqual(
    rest.items.map((i: Obj) => i.metadata.name),
    ['c'],
  );
});

test('an empty PartialObjectMetadataList says items: null, as upstream builds it', async (t) => {
  const app = await buildTestApp(t);
  const res = await app.http.get(PODS).set('accept', CLIENT_GO_LIST).expect(200);
  assert.match(
    res.text,
    /^\{"kind":"PartialObjectMetadataList","apiVersion":"meta\.k8s\.io\/v1","metadata":\{"resourceVersion":"\d+"\},"items":null\}$/,
  );
});

test('meta.k8s.io/v1beta1 is served too; YAML carries the same document', async (t) => {
  const app = await buildTestApp(t);
  await seed(app, 'a');
  const beta = (await app.http.get(PODS).set('accept', 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1').expect(200))
    .body;
  assert.equal(beta.apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal(beta.items[0].apiVersion, 'meta.k8s.io/v1beta1');
  const one = (
    await app.http.get(`${PODS}/a`).set('accept', 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1').expect(200)
  ).body;
  assert.deepEqual([one.kind, one.apiVersion], ['PartialObjectMetadata', 'meta.k8s.io/v1beta1']);
  const yaml = await app.http.get(`${PODS}/a`).set('accept', 'application/yaml;as=PartialObjectMetadata;g=meta.k8s.io;v=v1').expect(200);
  assert.equal(yaml.headers['content-type'], 'application/yaml');
  const doc = YAML.parse(yaml.text);
  assert.deepEqual([doc.kind, doc.apiVersion, doc.metadata.name], ['PartialObjectMetadata', 'meta.k8s.io/v1', 'a']);
});

test("GET with client-go's metadata Accept answers PartialObjectMetadata; a 404 stays a 404", async (t) => {
  const app = await buildTestApp(t);
  const [created] = await seed(app, 'a');
  const res = await app.http.get(`${PODS}/a`).set('accept', CLIENT_GO_GET).expect(200);
  assert.equal(res.text, JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: created.metadata }));
  const status = (await app.http.get(`${PODS}/a/status`).set('accept', CLIENT_GO_GET).expect(200)).body;
  assert.equal(status.kind, 'PartialObjectMetadata');
  const missing = await app.http.get(`${PODS}/nope`).set('accept', CLIENT_GO_LIST).expect(404);
  assert.equal(missing.body.reason, 'NotFound');
});

test('a list asked as one object, or an object asked as a list, is 406 naming the Go type, as upstream', async (t) => {
  const app = await buildTestApp(t);
  await seed(app, 'a');
  const list = await app.http.get(PODS).set('accept', CLIENT_GO_GET).expect(406);
  assert.equal(list.body.reason, 'NotAcceptable');
  assert.equal(list.body.message, 'you requested PartialObjectMetadata, but the requested object is a list (*core.PodList)');
  const one = await app.http.get(`${PODS}/a`).set('accept', CLIENT_GO_LIST).expect(406);
  assert.equal(one.body.message, 'you requested PartialObjectMetadataList, but the requested object is not a list (*core.Pod)');
  const ds = await app.http.get(DAEMONSETS).set('accept', 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1').expect(406);
  assert.equal(ds.body.message, 'you requested PartialObjectMetadata, but the requested object is a list (*apps.DaemonSetList)');
});

test('negotiation: the first entry this server can give wins; unknown conversions are skipped, and alone are 406', async (t) => {
  const app = await buildTestApp(t);
  await seed(app, 'a');
  const accept = (value: string) => app.http.get(PODS).set('accept', value);
  assert.equal((await accept(`${KUBECTL_TABLE.split(',')[0]},${CLIENT_GO_LIST}`).expect(200)).body.kind, 'Table');
  assert.equal((await accept(`${CLIENT_GO_LIST.split(',')[1]},${KUBECTL_TABLE}`).expect(200)).body.kind, 'PartialObjectMetadataList');
  for (const unknown of [
    'application/json;as=Foo;g=meta.k8s.io;v=v1',
    'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v2',
    'application/json;as=PartialObjectMetadataList;g=example.com;v=v1',
    'application/json;as=PartialObjectMetadataList',
    'application/json;v=v1',
  ]) {
    const refused = await accept(unknown).expect(406);
    assert.equal(refused.body.reason, 'NotAcceptable', unknown);
    assert.equal((await accept(`${unknown},application/json`).expect(200)).body.kind, 'PodList', unknown);
  }
  assert.equal((await accept('*/*;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1').expect(200)).body.kind, 'PartialObjectMetadataList');
  // A Table in YAML, as upstream allows Table for application/json and application/yaml.
  const table = await accept('application/yaml;as=Table;g=meta.k8s.io;v=v1').expect(200);
  assert.equal(table.headers['content-type'], 'application/yaml');
  assert.equal(YAML.parse(table.text).kind, 'Table');
});

test("WATCH with client-go's metadata Accept: every event, bookmarks included, carries PartialObjectMetadata", async (t) => {
  const app = await buildTestApp(t);
  const [a] = await seed(app, 'a');
  const w = await openWatch(
    app.kubemock,
    `${PODS}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    { accept: CLIENT_GO_GET },
  );
  t.after(() => w.close());
  assert.equal(w.status, 200);
  const [added, bookmark] = await w.waitFor(2);
  assert.equal(added.type, 'ADDED');
  assert.deepEqual(added.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: a.metadata });
  assert.equal(bookmark.type, 'BOOKMARK');
  assert.equal(bookmark.object.kind, 'PartialObjectMetadata');
  assert.equal(bookmark.object.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(bookmark.object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });

  const [b] = await seed(app, 'b');
  const patched = await app.http
    .patch(`${PODS}/a`)
    .set('content-type', 'application/merge-patch+json')
    .send({ metadata: { labels: { tier: 'x' } } })
    .expect(200);
  const events = (await w.waitFor(4)).slice(2);
  assert.deepEqual(
    events.map((e) => [e.type, e.object.kind, e.object.metadata.name]),
    [
      ['ADDED', 'PartialObjectMetadata', 'b'],
      ['MODIFIED', 'PartialObjectMetadata', 'a'],
    ],
  );
  assert.deepEqual(events[0].object.metadata, b.metadata);
  assert.deepEqual(events[1].object.metadata, patched.body.metadata);
  assert.ok(events.every((e) => e.object.spec === undefined && e.object.status === undefined));
});

test('a WATCH asked as PartialObjectMetadataList can encode no event: the stream ends at once', async (t) => {
  const app = await buildTestApp(t);
  await seed(app, 'a');
  const w = await openWatch(app.kubemock, `${PODS}?watch=true`, { accept: CLIENT_GO_LIST });
  assert.equal(w.status, 200);
  await w.ended;
  assert.deepEqual(w.events, []);
});

test('writes answer in the representation asked for: create, patch (client-go metadata Patch), delete, deletecollection', async (t) => {
  const app = await buildTestApp(t);
  const created = await app.http.post(PODS).set('accept', CLIENT_GO_GET).send(pod('a')).expect(201);
  assert.deepEqual(Object.keys(created.body), ['kind', 'apiVersion', 'metadata']);
  assert.equal(created.body.kind, 'PartialObjectMetadata');
  const patched = await app.http
    .patch(`${PODS}/a`)
    .set('accept', CLIENT_GO_GET)
    .set('content-type', 'application/merge-patch+json')
    .send({ metadata: { finalizers: null } })
    .expect(200);
  assert.equal(patched.body.kind, 'PartialObjectMetadata');
  assert.equal(patched.body.metadata.finalizers, undefined);
  assert.notEqual(patched.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
  await app.http
    .post(PODS)
    .send({ ...pod('b'), metadata: { name: 'b' } })
    .expect(201);
  const gone = await app.http.delete(PODS).set('accept', CLIENT_GO_LIST).expect(200);
  assert.equal(gone.body.kind, 'PartialObjectMetadataList');
  assert.deepEqual(
    gone.body.items.map((i: Obj) => [i.kind, i.metadata.name]),
    [
      ['PartialObjectMetadata', 'a'],
      ['PartialObjectMetadata', 'b'],
    ],
  );
  const wrong = await app.http
    .post(PODS)
    .set('accept', CLIENT_GO_LIST)
    .send({ ...pod('c'), metadata: { name: 'c' } })
    .expect(406);
  assert.equal(wrong.body.message, 'you requested PartialObjectMetadataList, but the requested object is not a list (*core.Pod)');
});

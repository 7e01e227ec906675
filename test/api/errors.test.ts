import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

test('malformed JSON and YAML bodies are 400 BadRequest Status objects', async (t) => {
  const { http } = await buildTestApp(t);
  const json = await http.post('/api/v1/namespaces/default/pods').set('content-type', 'application/json').send('{"metadata":');
  assert.equal(json.status, 400);
  assert.equal(json.body.kind, 'Status');
  assert.equal(json.body.reason, 'BadRequest');
  const yaml = await http.post('/api/v1/namespaces/default/pods').set('content-type', 'application/yaml').send('metadata: [unclosed');
  assert.equal(yaml.status, 400);
  assert.equal(yaml.body.reason, 'BadRequest');
  const list = await http.get('/api/v1/namespaces/default/pods');
  assert.equal(list.body.items.length, 0, 'nothing half-written');
});

test('a body of another API version or kind, or another namespace, is 400', async (t) => {
  const { http } = await buildTestApp(t);
  const v = await http.post('/apis/apps/v1/namespaces/default/daemonsets').send({ ...POD });
  assert.equal(v.status, 400);
  // Decoded as the body's own kind, which does not convert to the endpoint's type.
  assert.equal(
    v.body.message,
    'Pod in version "v1" cannot be handled as a DaemonSet: converting (v1.Pod) to (apps.DaemonSet): unknown conversion',
  );
  const k = await http.post('/api/v1/namespaces/default/pods').send({ ...POD, kind: 'Node' });
  assert.equal(k.status, 400);
  assert.equal(k.body.message, 'Node in version "v1" cannot be handled as a Pod: converting (v1.Node) to (core.Pod): unknown conversion');
  const ns = await http.post('/api/v1/namespaces/default/pods').send({ ...POD, metadata: { name: 'p', namespace: 'kube-system' } });
  assert.equal(ns.status, 400);
  assert.equal(ns.body.message, 'the namespace of the provided object does not match the namespace sent on the request');
  const name = await http.put('/api/v1/namespaces/default/pods/other').send(POD);
  assert.equal(name.status, 400);
  assert.equal(name.body.message, 'the name of the object (p) does not match the name on the URL (other)');
});

test('a body over 3 MiB is 413', async (t) => {
  const { http } = await buildTestApp(t);
  const big = { ...POD, metadata: { name: 'big', annotations: { a: 'x'.repeat(3 * 1024 * 1024) } } };
  const res = await http.post('/api/v1/namespaces/default/pods').send(big);
  assert.equal(res.status, 413);
  assert.equal(res.body.reason, 'RequestEntityTooLarge');
  assert.equal(res.body.message, 'Request entity too large: limit is 3145728');
});

test('an unknown content type is 415; an unacceptable Accept is 406', async (t) => {
  const { http } = await buildTestApp(t);
  const res = await http.post('/api/v1/namespaces/default/pods').set('content-type', 'text/plain').send('hello');
  assert.equal(res.status, 415);
  assert.equal(res.body.reason, 'UnsupportedMediaType');
  const patch = await http.patch('/api/v1/namespaces/default/pods/p').set('content-type', 'application/json').send('{}');
  assert.equal(patch.status, 415);
  const accept = await http.get('/api/v1/namespaces').set('accept', 'text/html');
  assert.equal(accept.status, 406);
  assert.equal(accept.body.reason, 'NotAcceptable');
});

test('unsupported verbs are 405 and unknown paths are a 404 Status', async (t) => {
  const { http } = await buildTestApp(t);
  const put = await http.put('/api/v1/namespaces/default/pods').send(POD);
  assert.equal(put.status, 405);
  assert.equal(put.body.reason, 'MethodNotAllowed');
  const post = await http.post('/apis/apps/v1/namespaces/default/controllerrevisions/x/status').send({});
  assert.equal(post.status, 404);
  const statusPost = await http.post('/api/v1/namespaces/default/pods/p/status').send(POD);
  assert.equal(statusPost.status, 405);
  for (const path of ['/api/v1/widgets', '/apis/nope/v1/things', '/nothing/here', '/api/v1/namespaces/default/pods/p/nosuch']) {
    const res = await http.get(path);
    assert.equal(res.status, 404, path);
    assert.equal(res.body.kind, 'Status', path);
    assert.equal(res.body.reason, 'NotFound', path);
  }
});

test('creating in a missing namespace is 404; in a terminating one 403', async (t) => {
  const { http } = await buildTestApp(t);
  const missing = await http.post('/api/v1/namespaces/nope/pods').send(POD);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'namespaces "nope" not found');
  assert.deepEqual(missing.body.details, { name: 'nope', kind: 'namespaces' });
  await http.post('/api/v1/namespaces').send({ metadata: { name: 'going' } });
  const del = await http.delete('/api/v1/namespaces/going');
  assert.equal(del.status, 200);
  assert.equal(del.body.status.phase, 'Terminating');
  assert.ok(del.body.metadata.deletionTimestamp);
  const res = await http.post('/apis/apps/v1/namespaces/going/daemonsets').send({ metadata: { name: 'x' } });
  assert.equal(res.status, 403);
  assert.equal(res.body.reason, 'Forbidden');
  assert.equal(
    res.body.message,
    'daemonsets.apps "x" is forbidden: unable to create new content in namespace going because it is being terminated',
  );
  assert.deepEqual(res.body.details.causes, [
    { reason: 'NamespaceTerminating', message: 'namespace going is being terminated', field: 'metadata.namespace' },
  ]);
});

test('invalid DeleteOptions are 422 for kind DeleteOptions', async (t) => {
  const { http } = await buildTestApp(t);
  await http.post('/api/v1/namespaces/default/pods').send(POD);
  const res = await http.delete('/api/v1/namespaces/default/pods/p').send({ propagationPolicy: 'Bogus' });
  assert.equal(res.status, 422);
  assert.equal(
    res.body.message,
    'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Bogus": supported values: "Foreground", "Background", "Orphan", "nil"',
  );
});

test('an unsupported field selector is 400 and a bad label selector is 400', async (t) => {
  const { http } = await buildTestApp(t);
  const f = await http.get('/api/v1/namespaces/default/pods').query({ fieldSelector: 'spec.foo=bar' });
  assert.equal(f.status, 400);
  assert.equal(f.body.message, 'field label not supported: spec.foo');
  const l = await http.get('/api/v1/namespaces/default/pods').query({ labelSelector: 'a in (b' });
  assert.equal(l.status, 400);
  assert.equal(l.body.reason, 'BadRequest');
});

test('the system namespaces exist from the first start, labelled with their name', async (t) => {
  const { http } = await buildTestApp(t);
  const res = await http.get('/api/v1/namespaces');
  assert.deepEqual(res.body.items.map((n: { metadata: { name: string } }) => n.metadata.name).sort(), [
    'default',
    'kube-node-lease',
    'kube-public',
    'kube-system',
  ]);
  for (const ns of res.body.items) {
    assert.equal(ns.metadata.labels['kubernetes.io/metadata.name'], ns.metadata.name);
    assert.equal(ns.status.phase, 'Active');
    assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
  }
});

test('a Status error is sent as kube-apiserver sends it: Content-Type application/json, no charset', async (t) => {
  const { http } = await buildTestApp(t);
  const answers = [
    await http.get('/api/v1/namespaces/default/pods/nope'),
    await http.post('/api/v1/namespaces/default/pods').set('content-type', 'application/json').send('{"metadata":'),
    await http.get('/apis/nope.example.com/v1/things'),
  ];
  assert.deepEqual(
    answers.map((r) => [r.status, r.headers['content-type'], (r.body as { kind?: string }).kind]),
    [
      [404, 'application/json', 'Status'],
      [400, 'application/json', 'Status'],
      [404, 'application/json', 'Status'],
    ],
  );
});

/**
 * The bytes on the wire, as kube-apiserver's Go encoder writes them: `<`, `>` and `&` inside
 * strings are \u003c, \u003e and \u0026 in objects, lists and Status errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const NOTE = 'a <b> & c';
const ESCAPED = 'a \\u003cb\\u003e \\u0026 c';

test("objects are written with Go's HTML-safe escapes in create, get and list answers", async (t) => {
  const { http } = await buildTestApp(t);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', annotations: { note: NOTE } },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  };
  const created = await http.post('/api/v1/namespaces/default/pods').send(pod);
  assert.equal(created.status, 201);
  for (const res of [created, await http.get('/api/v1/namespaces/default/pods/p'), await http.get('/api/v1/namespaces/default/pods')]) {
    assert.ok(res.text.includes(`"note":"${ESCAPED}"`), res.text.slice(0, 400));
    assert.ok(!res.text.includes('<b>'));
  }
  assert.equal((await http.get('/api/v1/namespaces/default/pods/p')).body.metadata.annotations.note, NOTE, 'decodes to the same value');
});

test('Status errors escape the same way', async (t) => {
  const { http } = await buildTestApp(t);
  const res = await http.get('/api/v1/namespaces/default/pods/a%3Cb%3E');
  assert.equal(res.status, 404);
  assert.ok(res.text.includes('pods \\"a\\u003cb\\u003e\\" not found'), res.text);
  assert.equal(res.body.message, 'pods "a<b>" not found');
});

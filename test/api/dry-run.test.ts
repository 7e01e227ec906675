import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const DS = '/apis/apps/v1/namespaces/default/daemonsets';

const daemonSet = (name = 'logger', image = 'busybox:1') => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
  },
});

async function withDaemonSet(t: Parameters<typeof buildTestApp>[0]): Promise<{ app: TestApp; stored: Record<string, unknown> }> {
  const app = await buildTestApp(t);
  const res = await app.http.post(DS).send(daemonSet());
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { app, stored: res.body };
}

const image = (obj: { spec: { template: { spec: { containers: { image: string }[] } } } }) => obj.spec.template.spec.containers[0].image;

describe('dryRun=All', () => {
  it('POST answers 201 with the object it would store, and stores nothing', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(`${DS}?dryRun=All`).send(daemonSet());
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.metadata.name, 'logger');
    assert.ok(res.body.metadata.uid, 'the dry-run object is complete');
    assert.equal((await app.http.get(`${DS}/logger`)).status, 404);
    assert.equal((await app.http.get(DS)).body.items.length, 0);
  });

  it('POST still validates', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(`${DS}?dryRun=All`).send(daemonSet('Bad_Name'));
    assert.equal(res.status, 422);
  });

  it('PUT answers the updated object, and changes nothing', async (t) => {
    const { app, stored } = await withDaemonSet(t);
    const res = await app.http.put(`${DS}/logger?dryRun=All`).send({ ...daemonSet('logger', 'busybox:2'), metadata: stored.metadata });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(image(res.body), 'busybox:2');
    const after = (await app.http.get(`${DS}/logger`)).body;
    assert.equal(image(after), 'busybox:1');
    assert.deepEqual(after, stored);
  });

  for (const [type, body] of [
    ['application/strategic-merge-patch+json', { spec: { template: { spec: { containers: [{ name: 'logger', image: 'busybox:2' }] } } } }],
    ['application/merge-patch+json', { spec: { template: { spec: { containers: [{ name: 'logger', image: 'busybox:2' }] } } } }],
    ['application/json-patch+json', [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'busybox:2' }]],
  ] as const) {
    it(`PATCH (${type}) answers the patched object, and changes nothing`, async (t) => {
      const { app, stored } = await withDaemonSet(t);
      const res = await app.http.patch(`${DS}/logger?dryRun=All`).set('content-type', type).send(JSON.stringify(body));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(image(res.body), 'busybox:2');
      assert.deepEqual((await app.http.get(`${DS}/logger`)).body, stored);
    });
  }

  it('an apply patch of a missing object answers 201 and creates nothing', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http
      .patch(`${DS}/logger?dryRun=All&fieldManager=kubectl`)
      .set('content-type', 'application/apply-patch+yaml')
      .send(JSON.stringify(daemonSet()));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal((await app.http.get(`${DS}/logger`)).status, 404);
  });

  it('an apply patch of an existing object changes nothing', async (t) => {
    const { app, stored } = await withDaemonSet(t);
    const res = await app.http
      // The image belongs to the creator (an Update): changing it by apply needs force, as upstream.
      .patch(`${DS}/logger?dryRun=All&fieldManager=kubectl&force=true`)
      .set('content-type', 'application/apply-patch+yaml')
      .send(JSON.stringify(daemonSet('logger', 'busybox:3')));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(image(res.body), 'busybox:3');
    assert.deepEqual((await app.http.get(`${DS}/logger`)).body, stored);
  });

  it('a dryRun value other than All is a 422 naming the options kind', async (t) => {
    const { app } = await withDaemonSet(t);
    const post = await app.http.post(`${DS}?dryRun=Bogus`).send(daemonSet('other'));
    assert.equal(post.status, 422);
    assert.equal(
      post.body.message,
      'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Bogus"}: supported values: "All"',
    );
    assert.deepEqual(post.body.details.causes, [
      { reason: 'FieldValueNotSupported', message: 'Unsupported value: []string{"Bogus"}: supported values: "All"', field: 'dryRun' },
    ]);
    const put = await app.http.put(`${DS}/logger?dryRun=All&dryRun=x`).send(daemonSet());
    assert.equal(
      put.body.message,
      'UpdateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All", "x"}: supported values: "All"',
    );
    const patch = await app.http.patch(`${DS}/logger?dryRun=`).set('content-type', 'application/merge-patch+json').send('{}');
    assert.equal(
      patch.body.message,
      'PatchOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{""}: supported values: "All"',
    );
    assert.equal((await app.http.get(`${DS}/other`)).status, 404);
  });
});

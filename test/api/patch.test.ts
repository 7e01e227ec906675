import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const SMP = 'application/strategic-merge-patch+json';
const MERGE = 'application/merge-patch+json';
const JSONPATCH = 'application/json-patch+json';
const APPLY = 'application/apply-patch+yaml';

const daemonSet = (
  name = 'fluentd',
  containers: Record<string, unknown>[] = [
    { name: 'fluentd', image: 'fluentd:v1' },
    { name: 'sidecar', image: 'busybox' },
  ],
) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, labels: { app: name } },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers } } },
});

async function withDaemonSet(t: Parameters<typeof buildTestApp>[0]): Promise<TestApp> {
  const app = await buildTestApp(t);
  const res = await app.http.post(DS).send(daemonSet());
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return app;
}

const patch = (app: TestApp, type: string, body: unknown, query = '', name = 'fluentd') =>
  app.http
    .patch(`${DS}/${name}${query}`)
    .set('content-type', type)
    .send(typeof body === 'string' ? body : JSON.stringify(body));

const images = (obj: { spec: { template: { spec: { containers: { name: string; image: string }[] } } } }) =>
  obj.spec.template.spec.containers.map((c) => `${c.name}=${c.image}`);

const GENERIC_422 = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'the server rejected our request due to an error in our request',
  reason: 'Invalid',
  details: {},
  code: 422,
};

describe('strategic merge patch', () => {
  it('merges containers by name (kubectl set image)', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(app, SMP, { spec: { template: { spec: { containers: [{ name: 'fluentd', image: 'fluentd:v2' }] } } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(images(res.body), ['fluentd=fluentd:v2', 'sidecar=busybox']);
    assert.deepEqual(images((await app.http.get(`${DS}/fluentd`)).body), ['fluentd=fluentd:v2', 'sidecar=busybox']);
  });

  it('honours $setElementOrder and $patch: delete (kubectl edit / apply)', async (t) => {
    const app = await withDaemonSet(t);
    const body = {
      spec: {
        template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }], containers: [{ name: 'fluentd', $patch: 'delete' }] } },
      },
    };
    const res = await patch(app, SMP, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(images(res.body), ['sidecar=busybox']);
  });

  it('null deletes, and the annotation rollout restart sets is merged in', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(app, SMP, {
      metadata: { labels: { app: null } },
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } } },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.metadata.labels, undefined);
    // A template's creationTimestamp is a value-typed metav1.Time: Go writes it, as null (before 1.34's omitzero).
    assert.deepEqual(res.body.spec.template.metadata, {
      creationTimestamp: null,
      labels: { app: 'fluentd' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' },
    });
  });

  it('a long list patched in another order takes the patch order, without stalling the server', { timeout: 30_000 }, async (t) => {
    const app = await buildTestApp(t);
    const env = Array.from({ length: 3000 }, (_, i) => ({ name: `E${i}`, value: 'v' }));
    await app.http
      .post(DS)
      .send(daemonSet('long', [{ name: 'c', image: 'x', env }]))
      .expect(201);
    const reversed = env.map((e) => ({ ...e, value: 'w' })).reverse();
    const res = await patch(app, SMP, { spec: { template: { spec: { containers: [{ name: 'c', env: reversed }] } } } }, '', 'long');
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
    const got = res.body.spec.template.spec.containers[0].env as { name: string; value: string }[];
    assert.deepEqual(
      got.map((e) => e.name),
      reversed.map((e) => e.name),
    );
    assert.ok(got.every((e) => e.value === 'w'));
  });

  it('a list item without its merge key is a 500 without a reason, as upstream', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(app, SMP, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } });
    assert.equal(res.status, 500);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'map: map[image:x] does not contain declared merge key: name',
      code: 500,
    });
  });

  it('a bad $retainKeys is a 400; patched fields missing from it a generic 422', async (t) => {
    const app = await withDaemonSet(t);
    const bad = await patch(app, SMP, { spec: { $retainKeys: 'x' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'invalid patch format of retainKeys');
    const unmatched = await patch(app, SMP, { spec: { $retainKeys: ['template'], minReadySeconds: 3 } });
    assert.deepEqual(unmatched.body, GENERIC_422);
  });

  it('a body that is not a JSON object is a 400 with Go texts', async (t) => {
    const app = await withDaemonSet(t);
    const list = await patch(app, SMP, '[]');
    assert.equal(list.status, 400);
    assert.equal(list.body.message, 'json: cannot unmarshal array into Go value of type map[string]interface {}');
    const broken = await patch(app, SMP, '{"spec":');
    assert.equal(broken.status, 400);
    assert.equal(broken.body.message, 'unexpected end of JSON input');
  });
});

describe('JSON merge patch', () => {
  it('adds and removes labels (kubectl label / annotate)', async (t) => {
    const app = await withDaemonSet(t);
    let res = await patch(app, MERGE, { metadata: { labels: { tier: 'frontend' }, annotations: { note: 'x' } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.metadata.labels, { app: 'fluentd', tier: 'frontend' });
    res = await patch(app, MERGE, { metadata: { labels: { tier: null } } });
    assert.deepEqual(res.body.metadata.labels, { app: 'fluentd' });
    assert.deepEqual(res.body.metadata.annotations?.note, 'x');
  });

  it('replaces lists as a whole', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(app, MERGE, { spec: { template: { spec: { containers: [{ name: 'only', image: 'only' }] } } } });
    assert.deepEqual(images(res.body), ['only=only']);
  });

  it('null and bad JSON are "Invalid JSON Patch" or a decoding error', async (t) => {
    const app = await withDaemonSet(t);
    assert.equal((await patch(app, MERGE, 'null')).body.message, 'Invalid JSON Patch');
    assert.equal((await patch(app, MERGE, '{"a"')).body.message, 'error decoding patch: unexpected end of JSON input');
    assert.equal((await patch(app, MERGE, '{"a"', '?fieldValidation=Ignore')).body.message, 'Invalid JSON Patch');
    const list = await patch(app, MERGE, '[1]');
    assert.equal(list.body.message, 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}');
  });
});

describe('JSON patch', () => {
  it('applies add / replace / remove / move / copy / test', async (t) => {
    const app = await withDaemonSet(t);
    const ops = [
      { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'fluentd' },
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'fluentd:v2' },
      { op: 'add', path: '/metadata/labels/tier', value: 'x' },
      { op: 'copy', from: '/metadata/labels/tier', path: '/metadata/labels/copy' },
      { op: 'move', from: '/metadata/labels/copy', path: '/metadata/labels/moved' },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
    ];
    const res = await patch(app, JSONPATCH, ops);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(images(res.body), ['fluentd=fluentd:v2']);
    assert.deepEqual(res.body.metadata.labels, { app: 'fluentd', tier: 'x', moved: 'x' });
  });

  it('a failed test or a missing path is the generic 422, and nothing changes', async (t) => {
    const app = await withDaemonSet(t);
    const before = (await app.http.get(`${DS}/fluentd`)).body;
    const failed = await patch(app, JSONPATCH, [
      { op: 'replace', path: '/metadata/labels/app', value: 'x' },
      { op: 'test', path: '/metadata/name', value: 'nope' },
    ]);
    assert.deepEqual(failed.body, GENERIC_422);
    const missing = await patch(app, JSONPATCH, [{ op: 'remove', path: '/spec/nope' }]);
    assert.deepEqual(missing.body, GENERIC_422);
    const unknownOp = await patch(app, JSONPATCH, [{ op: 'frobnicate', path: '/spec' }]);
    assert.deepEqual(unknownOp.body, GENERIC_422);
    assert.deepEqual((await app.http.get(`${DS}/fluentd`)).body, before);
  });

  it('bodies that do not decode as a JSON patch are 400', async (t) => {
    const app = await withDaemonSet(t);
    const object = await patch(app, JSONPATCH, '{}');
    assert.equal(object.status, 400);
    assert.equal(object.body.message, 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp');
    const ignored = await patch(app, JSONPATCH, '{}', '?fieldValidation=Ignore');
    assert.equal(ignored.body.message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    const badOp = await patch(app, JSONPATCH, [{ op: 1, path: '/x' }]);
    assert.equal(
      badOp.body.message,
      'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string',
    );
    const broken = await patch(app, JSONPATCH, '[{"op":');
    assert.equal(broken.body.message, 'error decoding patch: unexpected end of JSON input');
  });
});

describe('every patch', () => {
  it('an unknown patch type is 415 listing the accepted ones, before anything else', async (t) => {
    const app = await buildTestApp(t);
    const res = await patch(app, 'application/json', {}, '?dryRun=Bogus', 'nope');
    assert.equal(res.status, 415);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
      reason: 'UnsupportedMediaType',
      code: 415,
    });
  });

  it('an empty body does not decode', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(app, SMP, '');
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'unexpected end of JSON input');
  });

  it('a patch of a missing object is 404', async (t) => {
    const app = await buildTestApp(t);
    const res = await patch(app, MERGE, { metadata: { labels: { a: 'b' } } }, '', 'nope');
    assert.equal(res.status, 404);
    assert.equal(res.body.message, 'daemonsets.apps "nope" not found');
  });

  it('cannot rename the object', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(app, MERGE, { metadata: { name: 'other' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'the name of the object (other) does not match the name on the URL (fluentd)');
  });

  it('cannot change metadata.uid: no precondition as a PUT has, but the immutable-field 422 of ValidateObjectMetaUpdate', async (t) => {
    const app = await buildTestApp(t);
    const objects = [
      ['/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }],
      [
        '/api/v1/namespaces/default/pods',
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ],
    ] as const;
    for (const [collection, body] of objects) {
      const created = await app.http.post(collection).send(body);
      assert.equal(created.status, 201, created.text);
      const url = `${collection}/${body.metadata.name}`;
      const patches: [string, unknown][] = [
        [MERGE, { metadata: { uid: 'other' } }],
        [JSONPATCH, [{ op: 'replace', path: '/metadata/uid', value: 'other' }]],
        [SMP, { metadata: { uid: 'other' } }],
      ];
      for (const [type, patchBody] of patches) {
        const res = await app.http.patch(url).set('content-type', type).send(JSON.stringify(patchBody));
        assert.equal(res.status, 422, `${url} ${type}: ${res.text}`);
        assert.equal(res.body.reason, 'Invalid');
        assert.equal(
          res.body.message,
          `${body.kind} "${body.metadata.name}" is invalid: metadata.uid: Invalid value: "other": field is immutable`,
        );
        assert.deepEqual(
          [res.body.details.name, res.body.details.kind, res.body.details.group],
          [body.metadata.name, body.kind, undefined],
        );
        assert.ok(res.body.details.causes.length > 0);
        for (const cause of res.body.details.causes) {
          assert.deepEqual(cause, {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: "other": field is immutable',
            field: 'metadata.uid',
          });
        }
      }
      // A patch that drops the uid keeps the stored one (rest.BeforeUpdate): nothing changes.
      const dropped = await app.http
        .patch(url)
        .set('content-type', MERGE)
        .send(JSON.stringify({ metadata: { uid: null } }));
      assert.equal(dropped.status, 200, dropped.text);
      assert.equal(dropped.body.metadata.uid, created.body.metadata.uid);
      assert.equal(dropped.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
      // A PUT's uid is a precondition instead: 409 before any validation.
      const put = await app.http.put(url).send({ ...created.body, metadata: { ...created.body.metadata, uid: 'other' } });
      assert.equal(put.status, 409, put.text);
      assert.match(put.body.message, /Precondition failed: UID in precondition: other, UID in object meta: [0-9a-f-]{36}$/);
    }
  });

  it('a resourceVersion in the patch is a precondition', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(app, MERGE, { metadata: { resourceVersion: '1', labels: { a: 'b' } } });
    assert.equal(res.status, 409);
    assert.equal(res.body.reason, 'Conflict');
    const current = (await app.http.get(`${DS}/fluentd`)).body.metadata.resourceVersion;
    const ok = await patch(app, MERGE, { metadata: { resourceVersion: current, labels: { a: 'b' } } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('force is for apply patches only', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(app, MERGE, { metadata: {} }, '?force=true');
    assert.equal(res.status, 422);
    assert.equal(res.body.message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    assert.deepEqual(res.body.details, {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' }],
    });
  });

  it('PATCH of /status changes the status only', async (t) => {
    const app = await withDaemonSet(t);
    const res = await app.http
      .patch(`${DS}/fluentd/status`)
      .set('content-type', MERGE)
      .send(
        JSON.stringify({
          status: { numberReady: 0, desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, observedGeneration: 1 },
          spec: { minReadySeconds: 9 },
        }),
      );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status.observedGeneration, 1);
    assert.equal(res.body.spec.minReadySeconds, undefined);
  });
});

describe('server-side apply', () => {
  it('creates a missing object (201), then merges into it (200)', async (t) => {
    const app = await buildTestApp(t);
    const created = await patch(
      app,
      APPLY,
      daemonSet('logger', [{ name: 'logger', image: 'busybox:1' }]),
      '?fieldManager=kubectl&force=false',
      'logger',
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(images(created.body), ['logger=busybox:1']);
    const again = await patch(app, APPLY, daemonSet('logger', [{ name: 'logger', image: 'busybox:2' }]), '?fieldManager=kubectl', 'logger');
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(images(again.body), ['logger=busybox:2']);
    assert.equal(again.body.metadata.uid, created.body.metadata.uid);
  });

  it('takes YAML', async (t) => {
    const app = await buildTestApp(t);
    const yaml = [
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata: {name: y}',
      'spec:',
      '  selector: {matchLabels: {app: y}}',
      '  template:',
      '    metadata: {labels: {app: y}}',
      '    spec: {containers: [{name: y, image: "y:1"}]}',
    ].join('\n');
    const res = await patch(app, APPLY, yaml, '?fieldManager=me', 'y');
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });

  it('needs a fieldManager', async (t) => {
    const app = await buildTestApp(t);
    const res = await patch(app, APPLY, daemonSet('logger'), '', 'logger');
    assert.equal(res.status, 422);
    assert.equal(res.body.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });

  it('rejects another apiVersion, and undeclared fields with a 500 as upstream', async (t) => {
    const app = await buildTestApp(t);
    const version = await patch(app, APPLY, { ...daemonSet('logger'), apiVersion: 'apps/v1beta2' }, '?fieldManager=m', 'logger');
    assert.equal(version.status, 400);
    assert.equal(
      version.body.message,
      'Incorrect version specified in apply patch. Specified patch version: apps/v1beta2, expected: apps/v1',
    );
    const body = daemonSet('logger', [{ name: 'logger', image: 'x', imagee: 'typo' }]);
    const unknown = await patch(app, APPLY, { ...body, metadata: { ...body.metadata, namespace: 'default' } }, '?fieldManager=m', 'logger');
    assert.equal(unknown.status, 500);
    assert.equal(
      unknown.body.message,
      'failed to create typed patch object (default/logger; apps/v1, Kind=DaemonSet): .spec.template.spec.containers[name="logger"].imagee: field not declared in schema',
    );
    assert.equal(unknown.body.reason, undefined);
  });
});

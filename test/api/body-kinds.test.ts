/**
 * A request body whose apiVersion or kind is not the endpoint's, answered as kube-apiserver 1.33
 * answers it: the decoder's `K in version "V" cannot be handled as a X: …` (a kind its scheme does
 * not register, or one that does not convert to the endpoint's type), the create and update
 * handlers' `the API version in the data …` (a kind that converts, from a group-version the
 * endpoint does not take), and for custom resources the CRD handler's answers. Nothing is written.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';
import { widgetCrd } from '../helpers/widget-crd.js';

const NS = '/api/v1/namespaces/default';
const LEGACY = 'pkg/api/legacyscheme/scheme.go:30';
type Obj = Record<string, any>;

function assertBadRequest(res: { status: number; body: Obj }, message: string): void {
  assert.equal(res.status, 400, JSON.stringify(res.body).slice(0, 400));
  assert.equal(res.body.kind, 'Status');
  assert.equal(res.body.reason, 'BadRequest');
  assert.equal(res.body.code, 400);
  assert.equal(res.body.message, message);
}

async function names(app: TestApp, url: string): Promise<string[]> {
  const res = await app.http.get(url).expect(200);
  return res.body.items.map((o: Obj) => o.metadata.name);
}

describe('a built-in body of another kind or version', () => {
  it('is refused as upstream decodes it into the endpoint type, and nothing is created', async (t) => {
    const app = await buildTestApp(t);
    const cm = (extra: Obj) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, ...extra });
    const post = (body: Obj) => app.http.post(`${NS}/configmaps`).send(body);

    assertBadRequest(
      await post(cm({ kind: 'Secret' })),
      'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion',
    );
    assertBadRequest(
      await post(cm({ kind: 'Configmap' })),
      `Configmap in version "v1" cannot be handled as a ConfigMap: no kind "Configmap" is registered for version "v1" in scheme "${LEGACY}"`,
    );
    assertBadRequest(
      await post(cm({ apiVersion: 'v2' })),
      `ConfigMap in version "v2" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "v2" in scheme "${LEGACY}"`,
    );
    assertBadRequest(
      await post(cm({ apiVersion: 'apps/v1' })),
      `ConfigMap in version "v1" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "apps/v1" in scheme "${LEGACY}"`,
    );
    // A registered kind of another group converts no better.
    assertBadRequest(
      await post(cm({ apiVersion: 'apps/v1', kind: 'DaemonSet' })),
      'DaemonSet in version "v1" cannot be handled as a ConfigMap: converting (v1.DaemonSet) to (core.ConfigMap): unknown conversion',
    );
    // Every built-in group upstream registers is known, served here or not.
    assertBadRequest(
      await post(cm({ apiVersion: 'batch/v1', kind: 'Job' })),
      'Job in version "v1" cannot be handled as a ConfigMap: converting (v1.Job) to (core.ConfigMap): unknown conversion',
    );
    assertBadRequest(
      await post(cm({ apiVersion: 'networking.k8s.io/v1beta1', kind: 'NetworkPolicy' })),
      `NetworkPolicy in version "v1beta1" cannot be handled as a ConfigMap: no kind "NetworkPolicy" is registered for version "networking.k8s.io/v1beta1" in scheme "${LEGACY}"`,
    );
    // metav1's kinds are Go package v1 in any group-version; Status is found by kind alone.
    assertBadRequest(
      await post(cm({ apiVersion: 'apps/v1beta2', kind: 'DeleteOptions' })),
      'DeleteOptions in version "v1beta2" cannot be handled as a ConfigMap: converting (v1.DeleteOptions) to (core.ConfigMap): unknown conversion',
    );
    assertBadRequest(
      await post(cm({ apiVersion: 'example.com/v9', kind: 'Status' })),
      'Status in version "v9" cannot be handled as a ConfigMap: converting (v1.Status) to (core.ConfigMap): unknown conversion',
    );
    // A group without a version: the decoder cannot name one.
    const raw = '{"apiVersion":"apps/","kind":"ConfigMap","metadata":{"name":"c"}}';
    assertBadRequest(
      await app.http.post(`${NS}/configmaps`).set('content-type', 'application/json').send(raw),
      `ConfigMap in version "" cannot be handled as a ConfigMap: Object 'apiVersion' is missing in '${raw}'`,
    );
    // What the decoder cannot read at all.
    assertBadRequest(
      await post(cm({ apiVersion: 'a/b/c' })),
      'the object provided is unrecognized (must be of type ConfigMap): unexpected GroupVersion string: a/b/c ({"apiVersion":"a/b/c","kind":" ...)',
    );
    assertBadRequest(
      await post(cm({ kind: 7 })),
      'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string ({"apiVersion":"v1","kind":7,"m ...)',
    );
    // A YAML body is quoted as sent.
    const yaml = 'apiVersion: apps/\nkind: ConfigMap\nmetadata:\n  name: c\n';
    assertBadRequest(
      await app.http.post(`${NS}/configmaps`).set('content-type', 'application/yaml').send(yaml),
      `ConfigMap in version "" cannot be handled as a ConfigMap: Object 'apiVersion' is missing in '${yaml}'`,
    );
    assert.deepEqual(await names(app, `${NS}/configmaps`), []);
  });

  it('converts but is of a group-version the endpoint does not take', async (t) => {
    const app = await buildTestApp(t);
    const event = {
      metadata: { name: 'e' },
      eventTime: '2026-01-01T00:00:00.000000Z',
      reportingController: 'x/y',
      reportingInstance: 'i',
      action: 'A',
      reason: 'R',
      type: 'Normal',
    };
    assertBadRequest(
      await app.http.post(`${NS}/events`).send({ apiVersion: 'events.k8s.io/v1', kind: 'Event', ...event }),
      'the API version in the data (events.k8s.io/v1) does not match the expected API version (v1)',
    );
    assertBadRequest(
      await app.http.post('/apis/events.k8s.io/v1/namespaces/default/events').send({ apiVersion: 'v1', kind: 'Event', ...event }),
      'the API version in the data (v1) does not match the expected API version (events.k8s.io/v1)',
    );
    const ds = { metadata: { name: 'd' }, spec: {} };
    for (const apiVersion of ['apps/v1beta2', 'extensions/v1beta1']) {
      assertBadRequest(
        await app.http.post('/apis/apps/v1/namespaces/default/daemonsets').send({ apiVersion, kind: 'DaemonSet', ...ds }),
        `the API version in the data (${apiVersion}) does not match the expected API version (apps/v1)`,
      );
    }
    // apps/v1beta1 has no DaemonSet.
    assertBadRequest(
      await app.http.post('/apis/apps/v1/namespaces/default/daemonsets').send({ apiVersion: 'apps/v1beta1', kind: 'DaemonSet', ...ds }),
      `DaemonSet in version "v1beta1" cannot be handled as a DaemonSet: no kind "DaemonSet" is registered for version "apps/v1beta1" in scheme "${LEGACY}"`,
    );
    assertBadRequest(
      await app.http
        .post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles')
        .send({ apiVersion: 'rbac.authorization.k8s.io/v1beta1', kind: 'Role', metadata: { name: 'r' } }),
      'the API version in the data (rbac.authorization.k8s.io/v1beta1) does not match the expected API version (rbac.authorization.k8s.io/v1)',
    );
    assert.deepEqual(await names(app, `${NS}/events`), []);
    assert.deepEqual(await names(app, '/apis/apps/v1/namespaces/default/daemonsets'), []);
  });

  it('is refused on update too, and leaves the object as it was', async (t) => {
    const app = await buildTestApp(t);
    await app.http
      .post(`${NS}/configmaps`)
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } })
      .expect(201);
    assertBadRequest(
      await app.http.put(`${NS}/configmaps/c`).send({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c' }, data: { a: 'Mg==' } }),
      'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion',
    );
    const got = await app.http.get(`${NS}/configmaps/c`).expect(200);
    assert.deepEqual(got.body.data, { a: '1' });
  });

  it('takes an empty or missing kind and apiVersion from the URL', async (t) => {
    const app = await buildTestApp(t);
    await app.http
      .post(`${NS}/configmaps`)
      .send({ metadata: { name: 'a' } })
      .expect(201);
    await app.http
      .post(`${NS}/configmaps`)
      .send({ apiVersion: '', kind: '', metadata: { name: 'b' } })
      .expect(201);
    await app.http
      .post(`${NS}/configmaps`)
      .send({ kind: 'ConfigMap', metadata: { name: 'c' } })
      .expect(201);
    await app.http
      .post(`${NS}/configmaps`)
      .send({ apiVersion: 'v1', metadata: { name: 'd' } })
      .expect(201);
    // A group named without a version takes the endpoint's version when it is the endpoint's group.
    const ds = await app.http
      .post('/apis/apps/v1/namespaces/default/daemonsets')
      .send({ apiVersion: 'apps/', metadata: { name: 'x' }, spec: {} });
    assert.notEqual(ds.status, 400, JSON.stringify(ds.body));
    const got = await app.http.get(`${NS}/configmaps/b`).expect(200);
    assert.equal(got.body.apiVersion, 'v1');
    assert.equal(got.body.kind, 'ConfigMap');
    assert.deepEqual((await names(app, `${NS}/configmaps`)).filter((n) => n.length === 1).sort(), ['a', 'b', 'c', 'd']);
  });
});

describe('a patch that changes the kind or apiVersion', () => {
  const MERGE = 'application/merge-patch+json';
  // NewInvalid(GroupKind{}, "", …): the empty kind leaves the message's leading space.
  const invalidPatch = (res: { status: number; body: Obj }, why: string) => {
    assert.equal(res.status, 422, JSON.stringify(res.body).slice(0, 400));
    assert.equal(res.body.reason, 'Invalid');
    assert.ok(res.body.message.startsWith(' "" is invalid: patch: Invalid value: "'), res.body.message);
    assert.ok(res.body.message.endsWith(`": ${why}`), res.body.message);
  };

  it('is decoded as upstream decodes a JSON or merge patch result, with no default from the URL', async (t) => {
    const app = await buildTestApp(t);
    const url = `${NS}/configmaps/c`;
    await app.http
      .post(`${NS}/configmaps`)
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })
      .expect(201);
    const patch = (type: string, body: unknown) => app.http.patch(url).set('content-type', type).send(JSON.stringify(body));

    invalidPatch(await patch(MERGE, { kind: 'Secret' }), 'converting (v1.Secret) to (core.ConfigMap): unknown conversion');
    invalidPatch(
      await patch('application/json-patch+json', [{ op: 'replace', path: '/kind', value: 'Configmap' }]),
      `no kind "Configmap" is registered for version "v1" in scheme "${LEGACY}"`,
    );
    invalidPatch(
      await patch(MERGE, { apiVersion: 'apps/v1' }),
      `no kind "ConfigMap" is registered for version "apps/v1" in scheme "${LEGACY}"`,
    );
    // An emptied kind or apiVersion is the internal type's, which decodes as it is.
    await patch(MERGE, { kind: null, apiVersion: null, data: { a: '1' } }).expect(200);
    // A strategic merge patch is read field by field: its kind is not read.
    const smp = await patch('application/strategic-merge-patch+json', { kind: 'Secret', data: { b: '2' } }).expect(200);
    assert.equal(smp.body.kind, 'ConfigMap');
    const got = await app.http.get(url).expect(200);
    assert.deepEqual(got.body.data, { a: '1', b: '2' });
    assert.equal(got.body.kind, 'ConfigMap');
  });
});

describe('a subresource body of another kind', () => {
  it('is decoded as the subresource kind is (Binding, Eviction, TokenRequest)', async (t) => {
    const app = await buildTestApp(t);
    await app.http
      .post(`${NS}/pods`)
      .send({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } })
      .expect(201);
    assertBadRequest(
      await app.http.post(`${NS}/pods/p/binding`).send({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, target: { name: 'n' } }),
      'Pod in version "v1" cannot be handled as a Binding: converting (v1.Pod) to (core.Binding): unknown conversion',
    );
    assertBadRequest(
      await app.http.post(`${NS}/pods/p/eviction`).send({ apiVersion: 'policy/v1', kind: 'DeleteOptions', metadata: { name: 'p' } }),
      'DeleteOptions in version "v1" cannot be handled as a Eviction: converting (v1.DeleteOptions) to (policy.Eviction): unknown conversion',
    );
    assertBadRequest(
      await app.http.post(`${NS}/pods/p/eviction`).send({ apiVersion: 'v1', kind: 'Eviction', metadata: { name: 'p' } }),
      `Eviction in version "v1" cannot be handled as a Eviction: no kind "Eviction" is registered for version "v1" in scheme "${LEGACY}"`,
    );
    assertBadRequest(
      await app.http
        .post(`${NS}/serviceaccounts/default/token`)
        .send({ apiVersion: 'authentication.k8s.io/v1beta1', kind: 'TokenRequest', spec: {} }),
      `TokenRequest in version "v1beta1" cannot be handled as a TokenRequest: no kind "TokenRequest" is registered for version "authentication.k8s.io/v1beta1" in scheme "${LEGACY}"`,
    );
    // Both Eviction versions are taken.
    const v1beta1 = await app.http
      .post(`${NS}/pods/p/eviction`)
      .send({ apiVersion: 'policy/v1beta1', kind: 'Eviction', metadata: { name: 'p' } });
    assert.equal(v1beta1.status, 201, JSON.stringify(v1beta1.body));
  });

  it("decodes a CustomResourceDefinition with apiextensions-apiserver's own scheme", async (t) => {
    const app = await buildTestApp(t);
    assertBadRequest(
      await app.http
        .post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')
        .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
      'ConfigMap in version "v1" cannot be handled as a CustomResourceDefinition: no kind "ConfigMap" is registered for version "v1" in scheme "pkg/apiserver/apiserver.go:55"',
    );
    assertBadRequest(
      await app.http
        .post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')
        .send({ apiVersion: 'apiextensions.k8s.io/v1beta1', kind: 'CustomResourceDefinition', metadata: { name: 'x' } }),
      'the API version in the data (apiextensions.k8s.io/v1beta1) does not match the expected API version (apiextensions.k8s.io/v1)',
    );
  });
});

describe('a custom resource body of another kind or version', () => {
  it('is refused as the CRD handler refuses it, and nothing is created', async (t) => {
    const app = await buildTestApp(t);
    await app.http.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions').send(widgetCrd()).expect(201);
    const url = `/apis/example.com/v1/namespaces/default/widgets`;
    await waitFor(async () => (await app.http.get(url)).status === 200);

    const wrongKind = await app.http.post(url).send({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'w' } });
    assert.equal(wrongKind.status, 422, JSON.stringify(wrongKind.body));
    assert.equal(wrongKind.body.reason, 'Invalid');
    assert.equal(wrongKind.body.message, 'Widget.example.com "w" is invalid: kind: Invalid value: "Gadget": must be Widget');
    assertBadRequest(
      await app.http.post(url).send({ apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w' } }),
      'the API version in the data (example.com/v2) does not match the expected API version (example.com/v1)',
    );
    // Nothing is defaulted from the URL.
    assertBadRequest(
      await app.http.post(url).send({ kind: 'Widget', metadata: { name: 'w' } }),
      'the API version in the data () does not match the expected API version (example.com/v1)',
    );
    const raw = '{"apiVersion":"example.com/v1","metadata":{"name":"w"}}';
    assertBadRequest(
      await app.http.post(url).set('content-type', 'application/json').send(raw),
      `the object provided is unrecognized (must be of type Widget): Object 'Kind' is missing in '${raw}' ({"apiVersion":"example.com/v1" ...)`,
    );
    assert.deepEqual(await names(app, url), []);
    await app.http
      .post(url)
      .send({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })
      .expect(201);

    // Patched: the validator's 422 for a kind or apiVersion of another, the decoder's for none.
    const merge = (body: unknown) =>
      app.http.patch(`${url}/w`).set('content-type', 'application/merge-patch+json').send(JSON.stringify(body));
    const kind = await merge({ kind: 'Gadget' });
    assert.equal(kind.status, 422, JSON.stringify(kind.body));
    assert.equal(kind.body.message, 'Widget.example.com "w" is invalid: kind: Invalid value: "Gadget": must be Widget');
    const version = await merge({ apiVersion: 'example.com/v2' });
    assert.equal(version.status, 422, JSON.stringify(version.body));
    assert.equal(
      version.body.message,
      'Widget.example.com "w" is invalid: apiVersion: Invalid value: "example.com/v2": must be example.com/v1',
    );
    const none = await merge({ kind: null });
    assert.equal(none.status, 422, JSON.stringify(none.body));
    assert.match(none.body.message, /^ "" is invalid: patch: Invalid value: ".*": Object 'Kind' is missing in '\{.*\}'$/);
    const still = await app.http.get(`${url}/w`).expect(200);
    assert.equal(still.body.kind, 'Widget');
  });

  it("is refused on the scale subresource as a Scale decoded with client-go's scale scheme", async (t) => {
    const app = await buildTestApp(t);
    await app.http
      .post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')
      .send({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'pumps.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'pumps', kind: 'Pump' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              subresources: { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      })
      .expect(201);
    const url = '/apis/example.com/v1/namespaces/default/pumps';
    await waitFor(async () => (await app.http.get(url)).status === 200);
    await app.http
      .post(url)
      .send({ apiVersion: 'example.com/v1', kind: 'Pump', metadata: { name: 'p' }, spec: { replicas: 1 } })
      .expect(201);
    const scale = { metadata: { name: 'p' }, spec: { replicas: 2 } };

    for (const typeMeta of [
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'apps/v1beta2', kind: 'Scale' },
      { apiVersion: 'v1', kind: 'Scale' },
    ]) {
      assertBadRequest(
        await app.http.put(`${url}/p/scale`).send({ ...typeMeta, ...scale }),
        'no kind is registered for the type v1.Scale in scheme "pkg/apiserver/customresource_handler.go:725"',
      );
    }
    const merge = (body: unknown) =>
      app.http.patch(`${url}/p/scale`).set('content-type', 'application/merge-patch+json').send(JSON.stringify(body));
    const v1beta2 = await merge({ apiVersion: 'apps/v1beta2' });
    assert.equal(v1beta2.status, 422, JSON.stringify(v1beta2.body));
    assert.match(v1beta2.body.message, /": converting \(v1beta2\.Scale\) to \(v1\.Scale\): unknown conversion$/);
    const configMap = await merge({ apiVersion: 'v1', kind: 'ConfigMap' });
    assert.equal(configMap.status, 422, JSON.stringify(configMap.body));
    assert.ok(
      configMap.body.message.endsWith(
        '": no kind "ConfigMap" is registered for version "v1" in scheme "k8s.io/client-go/scale/util.go:146"',
      ),
      configMap.body.message,
    );
    assert.equal((await app.http.get(`${url}/p`).expect(200)).body.spec.replicas, 1);
    // Its own kind, or none, scales.
    await app.http.put(`${url}/p/scale`).send(scale).expect(200);
    await merge({ spec: { replicas: 3 } }).expect(200);
    assert.equal((await app.http.get(`${url}/p`).expect(200)).body.spec.replicas, 3);
  });
});

/**
 * A CRD with several versions and conversion None: each served version answers in its own
 * apiVersion over one stored object, deprecated versions answer every request with a Warning
 * (the CRD's text or apiextensions-apiserver's default), a version not served answers 404, and
 * status.storedVersions records every storage version objects were written in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';
import { causesOf } from '../helpers/causes.js';
import { CRDS, established } from '../helpers/crd-established.js';

const NAME = 'widgets.example.com';
const path = (version: string, name = '') => `/apis/example.com/${version}/namespaces/default/widgets${name ? `/${name}` : ''}`;
const SCHEMA = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } };

function widgetCrd(storage = 'v1') {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: NAME },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      conversion: { strategy: 'None' },
      versions: [
        { name: 'v1', served: true, storage: storage === 'v1', schema: SCHEMA },
        { name: 'v1beta1', served: true, storage: storage === 'v1beta1', deprecated: true, schema: SCHEMA },
        {
          name: 'v1alpha1',
          served: true,
          storage: false,
          deprecated: true,
          deprecationWarning: 'v1alpha1 goes away in 2027',
          schema: SCHEMA,
        },
        { name: 'v2', served: false, storage: false, schema: SCHEMA },
      ],
    },
  };
}

const DEFAULT_WARNING = '299 - "example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget"';
const OWN_WARNING = '299 - "v1alpha1 goes away in 2027"';

describe('CRD versions', () => {
  it('deprecated versions answer every request with a Warning header; the others none', async (t) => {
    const app = await buildTestApp(t);
    await established(app, widgetCrd());
    const created = await app.http
      .post(path('v1beta1'))
      .send({ apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } })
      .expect(201);
    assert.equal(created.headers.warning, DEFAULT_WARNING);
    assert.equal(created.body.apiVersion, 'example.com/v1beta1');

    const v1 = await app.http.get(path('v1', 'w')).expect(200);
    assert.equal(v1.headers.warning, undefined);
    assert.equal(v1.body.apiVersion, 'example.com/v1');

    const alpha = await app.http.get(path('v1alpha1')).expect(200);
    assert.equal(alpha.headers.warning, OWN_WARNING);
    assert.deepEqual(
      alpha.body.items.map((i: { apiVersion: string }) => i.apiVersion),
      ['example.com/v1alpha1'],
    );
    // Errors, patches and deletes too.
    assert.equal((await app.http.get(path('v1beta1', 'missing')).expect(404)).headers.warning, DEFAULT_WARNING);
    const patched = await app.http
      .patch(path('v1alpha1', 'w'))
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { size: 2 } })
      .expect(200);
    assert.equal(patched.headers.warning, OWN_WARNING);
    assert.equal((await app.http.delete(path('v1beta1', 'w')).expect(200)).headers.warning, DEFAULT_WARNING);
    // A version that is not served is not there.
    await app.http.get(path('v2')).expect(404);
  });

  it('deprecationWarning is validated as upstream: only on a deprecated version, printable, at most 256 bytes', async (t) => {
    const app = await buildTestApp(t);
    const crd = widgetCrd();
    const versions = crd.spec.versions as Record<string, unknown>[];
    versions[0].deprecationWarning = 'not deprecated';
    versions[1].deprecationWarning = 'tab\there';
    versions[2].deprecationWarning = 'x'.repeat(257);
    const res = await app.http.post(CRDS).send(crd).expect(422);
    const causes = causesOf(res.body);
    assert.deepEqual(
      causes.filter((c) => c.includes('deprecationWarning')),
      [
        'spec.versions[0].deprecationWarning: Invalid value: "not deprecated": can only be set for deprecated versions',
        'spec.versions[1].deprecationWarning: Invalid value: "tab\\there": must only contain printable UTF-8 characters; non-printable character found at index 3',
        `spec.versions[2].deprecationWarning: Invalid value: "${'x'.repeat(257)}": must be <= 256 characters long`,
      ],
    );
  });

  it('a created CRD is written as the Go struct is: its always-written status fields, before the controller accepts the names', async (t) => {
    const app = await buildTestApp(t);
    const created = (await app.http.post(CRDS).send(widgetCrd()).expect(201)).body;
    assert.deepEqual(created.status, { conditions: null, acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
    assert.deepEqual(Object.keys(created.status), ['conditions', 'acceptedNames', 'storedVersions']);
  });

  it('the storage version joins status.storedVersions; objects keep their data across versions', async (t) => {
    const app = await buildTestApp(t);
    await established(app, widgetCrd());
    await app.http
      .post(path('v1'))
      .send({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3 } })
      .expect(201);
    const crd = (await app.http.get(`${CRDS}/${NAME}`).expect(200)).body;
    assert.deepEqual(crd.status.storedVersions, ['v1']);

    // The storage version moves to v1beta1: it joins storedVersions, v1 stays.
    await app.http
      .put(`${CRDS}/${NAME}`)
      .send({ ...widgetCrd('v1beta1'), metadata: crd.metadata })
      .expect(200);
    const after = await waitFor(async () => {
      const body = (await app.http.get(`${CRDS}/${NAME}`).expect(200)).body;
      return body.status.storedVersions.length === 2 && body;
    });
    assert.deepEqual(after.status.storedVersions, ['v1', 'v1beta1']);
    await waitFor(async () => (await app.http.get(path('v1alpha1', 'w'))).body.apiVersion === 'example.com/v1alpha1');
    for (const version of ['v1', 'v1beta1', 'v1alpha1']) {
      const got = (await app.http.get(path(version, 'w')).expect(200)).body;
      assert.equal(got.apiVersion, `example.com/${version}`);
      assert.deepEqual(got.spec, { size: 3 });
    }
  });
});

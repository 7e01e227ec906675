/**
 * Custom resources and protobuf, curl-style: a protobuf body answers 415 naming the media types the
 * CRD handler decodes (JSON, YAML) and writes nothing; an Accept that prefers protobuf but takes
 * JSON gets JSON, one that takes protobuf alone 406, as upstream's negotiation does for CRs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';
import { widgetCrd } from '../helpers/widget-crd.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';
const CRD = widgetCrd();

/** A Kubernetes protobuf envelope (`k8s\0` + runtime.Unknown) naming example.com/v1 Widget, with no raw bytes. */
function widgetEnvelope(): Buffer {
  const str = (field: number, s: string) => Buffer.concat([Buffer.from([(field << 3) | 2, Buffer.byteLength(s)]), Buffer.from(s)]);
  const typeMeta = Buffer.concat([str(1, 'example.com/v1'), str(2, 'Widget')]);
  return Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, typeMeta.length]), typeMeta]);
}

const UNSUPPORTED = 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml';

describe('custom resources and protobuf', () => {
  it('a protobuf body to create or replace answers 415 and writes nothing', async (t) => {
    const { http } = await buildTestApp(t);
    await http.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions').send(CRD).expect(201);
    await waitFor(async () => (await http.get(WIDGETS)).status === 200);
    const created = await http.post(WIDGETS).set('content-type', PROTOBUF).send(widgetEnvelope()).expect(415);
    assert.deepEqual([created.body.reason, created.body.message], ['UnsupportedMediaType', UNSUPPORTED]);
    assert.deepEqual((await http.get(WIDGETS).expect(200)).body.items, []);

    await http
      .post(WIDGETS)
      .send({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, size: 1 })
      .expect(201);
    const before = (await http.get(`${WIDGETS}/w`).expect(200)).body;
    const replaced = await http.put(`${WIDGETS}/w`).set('content-type', PROTOBUF).send(widgetEnvelope()).expect(415);
    assert.equal(replaced.body.message, UNSUPPORTED);
    assert.deepEqual((await http.get(`${WIDGETS}/w`).expect(200)).body, before);
  });

  it('an Accept preferring protobuf falls back to JSON; protobuf alone answers 406', async (t) => {
    const { http } = await buildTestApp(t);
    await http.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions').send(CRD).expect(201);
    await waitFor(async () => (await http.get(WIDGETS)).status === 200);
    await http
      .post(WIDGETS)
      .send({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })
      .expect(201);
    const got = await http.get(`${WIDGETS}/w`).set('accept', `${PROTOBUF}, application/json`).expect(200);
    assert.match(got.headers['content-type'], /^application\/json/);
    assert.equal(got.body.kind, 'Widget');
    const listed = await http.get(WIDGETS).set('accept', `${PROTOBUF},application/json;q=0.9`).expect(200);
    assert.equal(listed.body.kind, 'WidgetList');
    const refused = await http.get(`${WIDGETS}/w`).set('accept', PROTOBUF).expect(406);
    assert.equal(refused.body.reason, 'NotAcceptable');
  });
});

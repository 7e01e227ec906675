/**
 * An update may not start a deletion: rest.BeforeUpdate keeps a stored deletionTimestamp and grace
 * period, but one an update sets on an object not being deleted is refused by
 * ValidateObjectMetaUpdate as immutable (pods/status drops the one it is sent, as its strategy does).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const PODS = '/api/v1/namespaces/default/pods';
const WHEN = '2026-12-07T10:00:00Z';

test('an update that sets deletionTimestamp or deletionGracePeriodSeconds on a live object is a 422; nulls are no change', async (t) => {
  const { http } = await buildTestApp(t);
  const created = await http.post(CONFIGMAPS).send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
  assert.equal(created.status, 201);
  const stamped = await http
    .put(`${CONFIGMAPS}/c`)
    .send({ ...created.body, metadata: { ...created.body.metadata, deletionTimestamp: WHEN, deletionGracePeriodSeconds: 30 } });
  assert.equal(stamped.status, 422);
  // Both errors twice among the causes: rest.BeforeUpdate's ValidateObjectMetaAccessorUpdate, then
  // ValidateConfigMapUpdate's own ValidateObjectMetaUpdate; once each in the message.
  const timestamp = 'metadata.deletionTimestamp: Invalid value: 2026-12-07 10:00:00 +0000 UTC: field is immutable';
  const grace = 'metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable';
  assert.deepEqual(
    stamped.body.details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`),
    [timestamp, grace, timestamp, grace],
  );
  assert.equal(stamped.body.message, `ConfigMap "c" is invalid: [${timestamp}, ${grace}]`);
  const nulls = await http
    .put(`${CONFIGMAPS}/c`)
    .send({ ...created.body, metadata: { ...created.body.metadata, deletionTimestamp: null, deletionGracePeriodSeconds: null } });
  assert.equal(nulls.status, 200);
  assert.equal(nulls.body.metadata.resourceVersion, created.body.metadata.resourceVersion, 'nothing changed, nothing written');
});

test('pods/status drops a deletionTimestamp it is sent; the pod itself refuses one', async (t) => {
  const { http } = await buildTestApp(t);
  const created = await http
    .post(PODS)
    .send({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  assert.equal(created.status, 201);
  const viaStatus = await http
    .put(`${PODS}/p/status`)
    .send({ ...created.body, metadata: { ...created.body.metadata, deletionTimestamp: WHEN } });
  assert.equal(viaStatus.status, 200);
  assert.equal(viaStatus.body.metadata.deletionTimestamp, undefined);
  const viaPod = await http.put(`${PODS}/p`).send({ ...viaStatus.body, metadata: { ...viaStatus.body.metadata, deletionTimestamp: WHEN } });
  assert.equal(viaPod.status, 422);
  assert.match(viaPod.body.message, /metadata\.deletionTimestamp: Invalid value: 2026-12-07 10:00:00 \+0000 UTC: field is immutable/);
});

/**
 * metav1.Time and MicroTime fields as the apiserver decodes them: a text Go's time.Parse refuses is a
 * 400 (create, update), a 422 (patch) or the apply's conversion error, and nothing is written; a
 * text it reads is stored as the apiserver prints it again, in UTC.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
const MICRO_LAYOUT = '"2006-01-02T15:04:05.000000Z07:00"';
type App = Awaited<ReturnType<typeof buildTestApp>>;

const lease = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name },
  spec: { holderIdentity: 'me', leaseDurationSeconds: 15, ...spec },
});

async function watchEvents(app: App, from: string): Promise<number> {
  const res = await app.http.get(`${LEASES}?watch=1&resourceVersion=${from}&timeoutSeconds=1`);
  return res.text.split('\n').filter(Boolean).length;
}

describe('Time and MicroTime fields', () => {
  it('POST with a renewTime Go cannot parse is a 400 and creates nothing', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(LEASES).send(lease('bad', { renewTime: 'garbage' }));
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Lease in version "v1" cannot be handled as a Lease: parsing time "garbage" as ${MICRO_LAYOUT}: cannot parse "garbage" as "2006"`,
      reason: 'BadRequest',
      code: 400,
    });
    assert.equal((await app.http.get(`${LEASES}/bad`)).status, 404);
  });

  it('a MicroTime without its six fractional digits is refused, as upstream refuses it', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(LEASES).send(lease('short', { acquireTime: '2025-01-01T00:00:00Z' }));
    assert.equal(res.status, 400);
    assert.match(res.body.message, /cannot parse "Z" as "\.000000"$/);
  });

  it('a bad time wins over an earlier type mismatch: Go stops decoding at it', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(LEASES).send(lease('both', { holderIdentity: 7, renewTime: '2025-13-01T00:00:00.000000Z' }));
    assert.equal(res.status, 400);
    assert.equal(
      res.body.message,
      'Lease in version "v1" cannot be handled as a Lease: parsing time "2025-13-01T00:00:00.000000Z": month out of range',
    );
  });

  it('times with a zone or a fraction are stored in UTC, as upstream prints them', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http
      .post(LEASES)
      .send(lease('zoned', { acquireTime: '2025-01-01T02:00:00.000001+02:00', renewTime: '2025-01-01T00:00:00.500000Z' }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.spec.acquireTime, '2025-01-01T00:00:00.000001Z');
    assert.equal(res.body.spec.renewTime, '2025-01-01T00:00:00.500000Z');
    const ns = await app.http.get('/api/v1/namespaces/default');
    const updated = await app.http.put('/api/v1/namespaces/default/status').send({
      ...ns.body,
      status: {
        phase: 'Active',
        conditions: [{ type: 'NamespaceDeletionDiscoveryFailure', status: 'False', lastTransitionTime: '2025-06-01T12:00:00.75-03:30' }],
      },
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.status.conditions[0].lastTransitionTime, '2025-06-01T15:30:00Z');
  });

  it("Go's zero instant is the zero Time: a pointer field is unset, a value field is written as null", async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http
      .post(LEASES)
      .send(lease('zero', { acquireTime: '0001-01-01T01:00:00.000000+01:00', renewTime: '0001-01-01T00:00:00.000001Z' }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal('acquireTime' in res.body.spec, false);
    assert.equal(res.body.spec.renewTime, '0001-01-01T00:00:00.000001Z', 'a microsecond after the zero instant is a time');
    const ds = await app.http.post('/apis/apps/v1/namespaces/default/daemonsets').send({
      metadata: { name: 'zero' },
      spec: {
        selector: { matchLabels: { app: 'zero' } },
        template: {
          metadata: { labels: { app: 'zero' }, creationTimestamp: '0001-01-01T00:00:00Z' },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    });
    assert.equal(ds.status, 201, JSON.stringify(ds.body));
    assert.equal(ds.body.spec.template.metadata.creationTimestamp, null);
    const ns = await app.http.get('/api/v1/namespaces/default');
    const updated = await app.http.put('/api/v1/namespaces/default/status').send({
      ...ns.body,
      status: {
        phase: 'Active',
        conditions: [{ type: 'NamespaceDeletionDiscoveryFailure', status: 'False', lastTransitionTime: '0001-01-01T00:00:00Z' }],
      },
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.status.conditions[0].lastTransitionTime, null);
  });

  it('PUT with a bad time is a 400 and changes nothing: no new resourceVersion, no watch event', async (t) => {
    const app = await buildTestApp(t);
    const created = (await app.http.post(LEASES).send(lease('held', { renewTime: '2025-01-01T00:00:00.000000Z' }))).body;
    const res = await app.http
      .put(`${LEASES}/held`)
      .send({ ...created, spec: { ...created.spec, renewTime: '2025-01-01T00:00:00.000000' } });
    assert.equal(res.status, 400);
    assert.equal(
      res.body.message,
      `Lease in version "v1" cannot be handled as a Lease: parsing time "2025-01-01T00:00:00.000000" as ${MICRO_LAYOUT}: cannot parse "" as "Z07:00"`,
    );
    const after = (await app.http.get(`${LEASES}/held`)).body;
    assert.equal(after.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(await watchEvents(app, created.metadata.resourceVersion), 0);
  });

  it('a merge patch with a bad time is the 422 upstream gives for a patched object it cannot decode', async (t) => {
    const app = await buildTestApp(t);
    const created = (await app.http.post(LEASES).send(lease('patched', {}))).body;
    const res = await app.http
      .patch(`${LEASES}/patched`)
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ spec: { renewTime: 'soon' } }));
    assert.equal(res.status, 422);
    assert.equal(res.body.reason, 'Invalid');
    assert.match(
      res.body.message,
      /^ "" is invalid: patch: Invalid value: "\{.*\}": parsing time "soon" as "2006-01-02T15:04:05\.000000Z07:00": cannot parse "soon" as "2006"$/s,
    );
    assert.equal((await app.http.get(`${LEASES}/patched`)).body.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  it('server-side apply with a bad time fails converting the merged object, and writes nothing', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http
      .patch(`${LEASES}/applied?fieldManager=test`)
      .set('content-type', 'application/apply-patch+yaml')
      .send(JSON.stringify(lease('applied', { renewTime: 'later' })));
    assert.equal(res.status, 500);
    assert.equal(res.body.reason, undefined);
    assert.equal(
      res.body.message,
      `failed to convert new object (/applied; coordination.k8s.io/v1, Kind=Lease) to proper version: parsing time "later" as ${MICRO_LAYOUT}: cannot parse "later" as "2006"`,
    );
    assert.equal((await app.http.get(`${LEASES}/applied`)).status, 404);
  });
});

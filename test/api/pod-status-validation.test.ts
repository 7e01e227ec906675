/** pods/status writes are validated as ValidatePodStatusUpdate validates them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const PODS = '/api/v1/namespaces/default/pods';

describe('pods/status validation', () => {
  it('a podIP that is not an address is a 422 and changes nothing; a valid one is kept', async (t) => {
    const app = await buildTestApp(t);
    const created = await app.http
      .post(PODS)
      .send({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(created.status, 201);
    const patch = (status: Record<string, unknown>) =>
      app.http.patch(`${PODS}/p/status`).set('content-type', 'application/merge-patch+json').send(JSON.stringify({ status }));
    const bad = await patch({ podIP: 'notanip' });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.details.causes[0].field, 'status.podIPs[0]', 'validatePodIPs indexes the list');
    assert.match(bad.body.message, /^Pod "p" is invalid: status\.podIPs\[0\]: Invalid value: "notanip": must be a valid IP address/);
    assert.equal((await app.http.get(`${PODS}/p`)).body.metadata.resourceVersion, created.body.metadata.resourceVersion);
    const good = await patch({ podIP: '10.244.0.7', podIPs: [{ ip: '10.244.0.7' }] });
    assert.equal(good.status, 200, JSON.stringify(good.body));
    assert.equal(good.body.status.podIP, '10.244.0.7');
  });

  it('a terminated container of a Never pod may not run again; a status without a QoS class keeps the stored one', async (t) => {
    const app = await buildTestApp(t);
    const created = await app.http.post(PODS).send({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'once' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'nginx' }] },
    });
    assert.equal(created.status, 201);
    const patch = (status: Record<string, unknown>) =>
      app.http.patch(`${PODS}/once/status`).set('content-type', 'application/merge-patch+json').send(JSON.stringify({ status }));
    const container = (state: Record<string, unknown>) => ({
      name: 'c',
      image: 'nginx',
      imageID: '',
      ready: false,
      restartCount: 0,
      state,
    });
    const done = await patch({ containerStatuses: [container({ terminated: { exitCode: 0, reason: 'Completed' } })], qosClass: null });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.status.qosClass, 'BestEffort');
    const again = await patch({ containerStatuses: [container({ running: {} })] });
    assert.equal(again.status, 422);
    assert.deepEqual(again.body.details.causes, [
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: may not be transitioned to non-terminated state',
        field: 'status.containerStatuses[0].state',
      },
    ]);
    const qos = await patch({ qosClass: 'Guaranteed' });
    assert.equal(qos.status, 422);
    assert.equal(qos.body.message, 'Pod "once" is invalid: status.qosClass: Invalid value: "Guaranteed": field is immutable');
  });
});

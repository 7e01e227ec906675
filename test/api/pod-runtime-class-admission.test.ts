/** The RuntimeClass admission plugin's check that needs no RuntimeClass: a pod may not set its own overhead. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const PODS = '/api/v1/namespaces/default/pods';

const pod = (metadata: Record<string, unknown>, spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata,
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

describe('RuntimeClass admission', () => {
  it('a pod with spec.overhead and no runtimeClassName is a 403 naming the pod, and is not stored', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(PODS).send(pod({ name: 'p' }, { overhead: { cpu: '100m' } }));
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.body.reason, 'Forbidden');
    assert.equal(
      res.body.message,
      'pods "p" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
    );
    assert.deepEqual(res.body.details, { name: 'p', kind: 'pods' });
    assert.equal((await app.http.get(`${PODS}/p`)).status, 404);
  });

  it('validation comes first: an invalid overhead is a 422, not a 403', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(PODS).send(pod({ name: 'p' }, { overhead: { cpu: '-1' } }));
    assert.equal(res.status, 422, JSON.stringify(res.body));
    // Upstream checks the overhead as a container's limits, and names it so.
    assert.equal(res.body.details.causes[0].field, 'spec.overhead.limits[cpu]');
  });

  it('a generated name is the one the 403 names; a pod without overhead is admitted', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(PODS).send(pod({ generateName: 'web-' }, { overhead: { memory: '10Mi' } }));
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.match(res.body.message, /^pods "web-[a-z0-9]{5}" is forbidden: pod rejected: Pod Overhead set without/);
    const ok = await app.http.post(PODS).send(pod({ name: 'ok' }, {}));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });
});

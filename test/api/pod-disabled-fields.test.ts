/** Fields of gates off by default in 1.33 (DynamicResourceAllocation) are dropped from pods and templates. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const claims = { resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'gpu-template' }] };
const container = { name: 'c', image: 'nginx', resources: { claims: [{ name: 'gpu' }] } };

describe('disabled pod fields', () => {
  it('a pod with resource claims is created without them, as a 1.33 server without DRA does', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http
      .post('/api/v1/namespaces/default/pods')
      .send({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { ...claims, containers: [container] } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.spec.resourceClaims, undefined);
    assert.deepEqual(res.body.spec.containers[0].resources, {});
  });

  it('so is a DaemonSet template, even one whose claims are not valid', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post('/apis/apps/v1/namespaces/default/daemonsets').send({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { resourceClaims: [{ name: 'Bad_Name' }], containers: [{ ...container, resources: { claims: [{ name: 'missing' }] } }] },
        },
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.spec.template.spec.resourceClaims, undefined);
    assert.deepEqual(res.body.spec.template.spec.containers[0].resources, {});
  });
});

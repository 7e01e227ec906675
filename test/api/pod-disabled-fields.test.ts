/**
 * Fields of gates off by default in 1.33 are dropped from pods and templates: DynamicResourceAllocation's
 * claims, ResourceHealthStatus's allocatedResourcesStatus and PodObservedGenerationTracking's observed generations.
 */
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

  it('a status write loses allocatedResourcesStatus, even an invalid one, and the observed generations', async (t) => {
    const app = await buildTestApp(t);
    const created = await app.http
      .post('/api/v1/namespaces/default/pods')
      .send({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const health = [{ name: 'not a resource name!', resources: [{ resourceID: 'gpu-0', health: 'Sick' }] }];
    const res = await app.http.put('/api/v1/namespaces/default/pods/p/status').send({
      ...created.body,
      status: {
        ...created.body.status,
        observedGeneration: 1,
        conditions: [{ type: 'PodScheduled', status: 'True', observedGeneration: 1 }],
        containerStatuses: [{ name: 'c', image: 'nginx', imageID: '', ready: false, restartCount: 0, allocatedResourcesStatus: health }],
        initContainerStatuses: [],
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status.containerStatuses[0].allocatedResourcesStatus, undefined);
    assert.equal(res.body.status.observedGeneration, undefined);
    assert.equal(res.body.status.conditions[0].observedGeneration, undefined);
    assert.equal(res.body.status.conditions[0].type, 'PodScheduled');
  });
});

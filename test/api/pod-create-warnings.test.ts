/**
 * The Warning headers of a pod create on 1.33: seccomp annotations are non-functional (not copied into
 * the fields), deprecated annotations, a name that is not a DNS label; updates warn about nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';
import { warningLines as warnings } from '../helpers/warnings.js';

const PODS = '/api/v1/namespaces/default/pods';
const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER = 'container.seccomp.security.alpha.kubernetes.io';

const header = (text: string) => `299 - ${JSON.stringify(text)}`;
const nonFunctional = (key: string) =>
  header(`metadata.annotations[${key}]: non-functional in v1.27+; use the "seccompProfile" field instead`);

describe('pod create warnings', () => {
  it('seccomp annotations without fields are warned about and left out of the spec', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(PODS).send({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        annotations: {
          [SECCOMP_POD]: 'runtime/default',
          [`${SECCOMP_CONTAINER}/init`]: 'unconfined',
          [`${SECCOMP_CONTAINER}/c`]: 'localhost/profile.json',
          [`${SECCOMP_CONTAINER}/d`]: 'runtime/default',
          'scheduler.alpha.kubernetes.io/critical-pod': '',
        },
      },
      spec: {
        initContainers: [{ name: 'init', image: 'busybox' }],
        containers: [
          { name: 'c', image: 'nginx' },
          { name: 'd', image: 'nginx', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
        ],
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.spec.securityContext?.seccompProfile, undefined, 'the pod annotation is not copied into the field');
    assert.equal(res.body.spec.initContainers[0].securityContext, undefined);
    assert.equal(res.body.spec.containers[0].securityContext, undefined);
    assert.deepEqual(warnings(res), [
      header(
        'metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead',
      ),
      nonFunctional(SECCOMP_POD),
      nonFunctional(`${SECCOMP_CONTAINER}/init`),
      nonFunctional(`${SECCOMP_CONTAINER}/c`),
    ]);

    const update = await app.http
      .patch(`${PODS}/p`)
      .set('content-type', 'application/merge-patch+json')
      .send({ metadata: { labels: { a: 'b' } } });
    assert.equal(update.status, 200, JSON.stringify(update.body));
    assert.deepEqual(warnings(update), []);
  });

  it('a seccomp annotation with a field set is not warned about, and must agree with it', async (t) => {
    const app = await buildTestApp(t);
    const pod = (annotation: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', annotations: { [SECCOMP_POD]: annotation } },
      spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'c', image: 'nginx' }] },
    });
    const mismatch = await app.http.post(PODS).send(pod('unconfined'));
    assert.equal(mismatch.status, 422, JSON.stringify(mismatch.body));
    assert.deepEqual(mismatch.body.details.causes, [
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: seccomp type in annotation and field must match',
        field: 'spec.securityContext.seccompProfile.type',
      },
    ]);
    const ok = await app.http.post(PODS).send(pod('runtime/default'));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.deepEqual(warnings(ok), []);
  });

  it('a name that is not a DNS label is warned about, as it becomes the hostname', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(PODS).send({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web.v1' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), [
      header(
        "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
      ),
    ]);
  });
});

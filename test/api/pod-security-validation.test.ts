/** Security-context validation through the API: the 422 Status of a Pod and of a DaemonSet template. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const PODS = '/api/v1/namespaces/default/pods';
const DAEMONSETS = '/apis/apps/v1/namespaces/default/daemonsets';

describe('pod security validation over HTTP', () => {
  it('a pod whose profiles are wrong is a 422 with upstream causes in order; a right one is created', async (t) => {
    const app = await buildTestApp(t);
    const pod = (securityContext: Record<string, unknown>, annotations: Record<string, string> = {}) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', annotations },
      spec: { containers: [{ name: 'c', image: 'nginx', securityContext }] },
    });
    const bad = await app.http
      .post(PODS)
      .send(
        pod(
          { procMount: 'Unmasked', seccompProfile: { type: 'Localhost' }, appArmorProfile: { type: 'Localhost', localhostProfile: 'a' } },
          { 'container.apparmor.security.beta.kubernetes.io/c': 'localhost/b' },
        ),
      );
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.equal(bad.body.reason, 'Invalid');
    assert.deepEqual(bad.body.details.causes, [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`',
        field: 'spec.containers[0].securityContext.procMount',
      },
      {
        reason: 'FieldValueRequired',
        message: 'Required value: must be set when seccomp type is Localhost',
        field: 'spec.containers[0].securityContext.seccompProfile.localhostProfile',
      },
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: apparmor profile in annotation and field must match',
        field: 'spec.containers[0].securityContext.appArmorProfile.localhostProfile',
      },
    ]);
    assert.match(bad.body.message, /^Pod "p" is invalid: \[spec\.containers\[0\]\.securityContext\.procMount: Invalid value: "Unmasked"/);

    const good = await app.http.post(PODS).send(
      pod(
        { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
        {
          'container.apparmor.security.beta.kubernetes.io/c': 'runtime/default',
        },
      ),
    );
    assert.equal(good.status, 201, JSON.stringify(good.body));
  });

  it('a DaemonSet template with privileged and no privilege escalation is a 422', async (t) => {
    const app = await buildTestApp(t);
    const ds = (securityContext: Record<string, unknown>) => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { hostNetwork: true, containers: [{ name: 'c', image: 'agent', securityContext }] },
        },
      },
    });
    const bad = await app.http.post(DAEMONSETS).send(ds({ privileged: true, allowPrivilegeEscalation: false }));
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.equal(bad.body.details.causes.length, 1);
    assert.equal(bad.body.details.causes[0].field, 'spec.template.spec.containers[0].securityContext');
    assert.match(
      bad.body.details.causes[0].message,
      /^Invalid value: core\.SecurityContext\{Capabilities:\(\*core\.Capabilities\)\(nil\), Privileged:\(\*bool\)\(0xc[0-9a-f]+\), .*\}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true$/,
    );
    const good = await app.http.post(DAEMONSETS).send(ds({ privileged: true }));
    assert.equal(good.status, 201, JSON.stringify(good.body));
  });

  it('a deprecated AppArmor annotation becomes the container field, with a warning', async (t) => {
    const app = await buildTestApp(t);
    const key = 'container.apparmor.security.beta.kubernetes.io';
    const res = await app.http.post(PODS).send({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'aa', annotations: { [`${key}/c`]: 'localhost/k8s-nginx', [`${key}/d`]: 'runtime/default' } },
      spec: {
        securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
        containers: [
          { name: 'c', image: 'nginx' },
          { name: 'd', image: 'nginx' },
        ],
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.spec.containers[0].securityContext, {
      appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-nginx' },
    });
    assert.equal(res.body.spec.containers[1].securityContext, undefined, 'the same profile as the pod-level one is not copied');
    assert.equal(res.body.metadata.annotations[`${key}/c`], 'localhost/k8s-nginx');
    const warning = (name: string) =>
      `299 - "metadata.annotations[${key}/${name}]: deprecated since v1.30; use the \\"appArmorProfile\\" field instead"`;
    assert.equal(res.headers.warning, warning('c'), 'no warning when the annotation matches the pod-level profile');
  });
});

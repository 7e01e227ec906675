/**
 * The Warning headers of DaemonSet writes on 1.33 (GetWarningsForPodTemplate at spec.template):
 * deprecated, seccomp and AppArmor annotations of the template, on create and on an update that
 * changes the template; an update that leaves the template as it was, and a pod-style name that is
 * not a DNS label, warn of nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { warningLines as warnings } from '../helpers/warnings.js';

const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER = 'container.seccomp.security.alpha.kubernetes.io';
const APPARMOR_CONTAINER = 'container.apparmor.security.beta.kubernetes.io';
const CRITICAL_POD = 'scheduler.alpha.kubernetes.io/critical-pod';

const header = (text: string) => `299 - ${JSON.stringify(text)}`;
const at = (key: string) => `spec.template.metadata.annotations[${key}]`;

function daemonSet(name: string, annotations: Record<string, string>, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' }, annotations },
        spec: {
          initContainers: [{ name: 'init', image: 'busybox' }],
          containers: [
            { name: 'c', image: 'nginx' },
            {
              name: 'd',
              image: 'nginx',
              securityContext: { seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'RuntimeDefault' } },
            },
          ],
          ...spec,
        },
      },
    },
  };
}

describe('DaemonSet warnings (the pod template at spec.template)', () => {
  it('a create warns of the template annotations, in upstream order and with template paths', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(DS).send(
      daemonSet('agent.v1', {
        [SECCOMP_POD]: 'runtime/default',
        [`${SECCOMP_CONTAINER}/c`]: 'unconfined',
        [`${SECCOMP_CONTAINER}/d`]: 'runtime/default',
        [`${APPARMOR_CONTAINER}/init`]: 'runtime/default',
        [`${APPARMOR_CONTAINER}/c`]: 'unconfined',
        [`${APPARMOR_CONTAINER}/d`]: 'runtime/default',
        [CRITICAL_POD]: '',
      }),
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    // No name warning: that one is the pod strategy's (and the ReplicaSet's, Job's …), not the DaemonSet's.
    assert.deepEqual(warnings(res), [
      header(`${at(CRITICAL_POD)}: non-functional in v1.16+; use the "priorityClassName" field instead`),
      header(`${at(SECCOMP_POD)}: non-functional in v1.27+; use the "seccompProfile" field instead`),
      header(`${at(`${APPARMOR_CONTAINER}/init`)}: deprecated since v1.30; use the "appArmorProfile" field instead`),
      header(`${at(`${SECCOMP_CONTAINER}/c`)}: non-functional in v1.27+; use the "seccompProfile" field instead`),
      header(`${at(`${APPARMOR_CONTAINER}/c`)}: deprecated since v1.30; use the "appArmorProfile" field instead`),
    ]);
  });

  it('a pod-level appArmorProfile silences the container AppArmor annotations; no annotations, no warnings', async (t) => {
    const { http } = await buildTestApp(t);
    const podLevel = await http
      .post(DS)
      .send(
        daemonSet(
          'pod-level',
          { [`${APPARMOR_CONTAINER}/c`]: 'runtime/default' },
          { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } },
        ),
      );
    assert.equal(podLevel.status, 201, JSON.stringify(podLevel.body));
    assert.deepEqual(warnings(podLevel), []);
    const plain = await http.post(DS).send(daemonSet('plain', {}));
    assert.equal(plain.status, 201, JSON.stringify(plain.body));
    assert.deepEqual(warnings(plain), []);
  });

  it('an update warns only when it changes the template', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http.post(DS).send(daemonSet('agent', { [CRITICAL_POD]: '' }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const critical = header(`${at(CRITICAL_POD)}: non-functional in v1.16+; use the "priorityClassName" field instead`);
    assert.deepEqual(warnings(created), [critical]);
    const outside = await http
      .patch(`${DS}/agent`)
      .set('Content-Type', 'application/merge-patch+json')
      .send({ metadata: { labels: { tier: 'node' } }, spec: { minReadySeconds: 5 } });
    assert.equal(outside.status, 200, JSON.stringify(outside.body));
    assert.deepEqual(warnings(outside), []);
    const templateChange = await http
      .patch(`${DS}/agent`)
      .set('Content-Type', 'application/merge-patch+json')
      .send({ spec: { template: { metadata: { labels: { app: 'agent', rev: '2' } } } } });
    assert.equal(templateChange.status, 200, JSON.stringify(templateChange.body));
    assert.deepEqual(warnings(templateChange), [critical]);
  });
});

/**
 * RBAC through @kubernetes/client-node: its typed RbacAuthorizationV1Api and AuthorizationV1Api read
 * what kubemock serves, and a request impersonating a user whose Role lacks a rule fails with a 403
 * ApiException carrying upstream's Status, until the rule is added.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startKubemock, type KubemockServer } from '../../src/index.js';

let server: KubemockServer;
let rbac: k8s.RbacAuthorizationV1Api;
let authz: k8s.AuthorizationV1Api;
let core: k8s.CoreV1Api;

const NS = 'default';
const AS_OPERATOR = k8s.setHeaderOptions('Impersonate-User', 'system:serviceaccount:default:operator');

before(async () => {
  server = await startKubemock({ nodes: 0 });
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfigPath!);
  rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  authz = kc.makeApiClient(k8s.AuthorizationV1Api);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

after(() => server.stop());

describe('@kubernetes/client-node and RBAC', () => {
  it('reads the default ClusterRoles and bindings typed', async () => {
    const view = await rbac.readClusterRole({ name: 'view' });
    assert.deepEqual(view.aggregationRule?.clusterRoleSelectors?.[0]?.matchLabels, {
      'rbac.authorization.k8s.io/aggregate-to-view': 'true',
    });
    assert.ok(view.rules?.some((r) => r.resources?.includes('pods') && r.verbs.includes('list')));
    const admin = await rbac.readClusterRoleBinding({ name: 'cluster-admin' });
    assert.deepEqual(
      admin.subjects?.map((s) => ({ ...s })),
      [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }],
    );
  });

  it('a ServiceAccount whose Role lacks list pods gets a 403 ApiException, then succeeds once the rule is added', async () => {
    await rbac.createNamespacedRole({
      namespace: NS,
      body: { metadata: { name: 'operator' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: {
        metadata: { name: 'operator' },
        subjects: [{ kind: 'ServiceAccount', name: 'operator', namespace: NS }],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'operator' },
      },
    });
    await core.listNamespacedConfigMap({ namespace: NS }, AS_OPERATOR);
    const error = await core.listNamespacedPod({ namespace: NS }, AS_OPERATOR).then(
      () => assert.fail('listing pods was allowed'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof k8s.ApiException, String(error));
    assert.equal(error.code, 403);
    const status = JSON.parse(error.body as string) as { reason: string; message: string };
    assert.equal(status.reason, 'Forbidden');
    assert.equal(
      status.message,
      'pods is forbidden: User "system:serviceaccount:default:operator" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    const review = await authz.createSubjectAccessReview({
      body: {
        spec: { user: 'system:serviceaccount:default:operator', resourceAttributes: { namespace: NS, verb: 'list', resource: 'pods' } },
      },
    });
    assert.equal(review.status?.allowed, false);
    await rbac.patchNamespacedRole(
      {
        namespace: NS,
        name: 'operator',
        body: [{ op: 'add', path: '/rules/-', value: { apiGroups: [''], resources: ['pods'], verbs: ['list'] } }],
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    const pods = await core.listNamespacedPod({ namespace: NS }, AS_OPERATOR);
    assert.deepEqual(pods.items, []);
  });
});

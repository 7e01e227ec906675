/**
 * RBAC over HTTP, with impersonation headers standing in for authentication: requests allowed and
 * denied with upstream's 403 bodies, the RBAC kinds' validation, escalation prevention, the
 * subject access reviews, and the clusterrole-aggregation controller.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';

const RBAC = 'rbac.authorization.k8s.io';
const V1 = `/apis/${RBAC}/v1`;
const ref = (kind: string, name: string) => ({ apiGroup: RBAC, kind, name });
const user = (name: string) => ({ kind: 'User', apiGroup: RBAC, name });

async function bind(http: TestApp['http'], namespace: string, name: string, role: string, who = 'jane') {
  const res = await http
    .post(`${V1}/namespaces/${namespace}/rolebindings`)
    .send({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name }, subjects: [user(who)], roleRef: ref('ClusterRole', role) });
  assert.equal(res.status, 201, res.text);
}

describe('authorization of requests', () => {
  it('the unsecured user (system:masters) may do anything, impersonated users what their bindings grant', async (t) => {
    const { http } = await buildTestApp(t);
    assert.equal((await http.get('/api/v1/namespaces/default/pods')).status, 200);
    const denied = await http.get('/api/v1/namespaces/default/configmaps/x').set('Impersonate-User', 'jane');
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "x" is forbidden: User "jane" cannot get resource "configmaps" in API group "" in the namespace "default"',
      reason: 'Forbidden',
      details: { name: 'x', kind: 'configmaps' },
      code: 403,
    });
    await bind(http, 'default', 'jane-view', 'view');
    assert.equal((await http.get('/api/v1/namespaces/default/configmaps').set('Impersonate-User', 'jane')).status, 200);
    assert.equal((await http.get('/api/v1/namespaces/kube-system/configmaps').set('Impersonate-User', 'jane')).status, 403);
    const write = await http
      .post('/api/v1/namespaces/default/configmaps')
      .set('Impersonate-User', 'jane')
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    assert.equal(write.status, 403);
    assert.equal(
      write.body.message,
      'configmaps is forbidden: User "jane" cannot create resource "configmaps" in API group "" in the namespace "default"',
    );
    assert.equal((await http.get('/api/v1/namespaces/default/configmaps/c')).status, 404, 'a denied write writes nothing');
  });

  it('cluster-scoped, grouped and non-resource denials are worded as upstream; discovery and /version are open to every user', async (t) => {
    const { http } = await buildTestApp(t);
    const as = (req: ReturnType<TestApp['http']['get']>) => req.set('Impersonate-User', 'jane');
    const nodes = await as(http.get('/api/v1/nodes'));
    assert.equal(nodes.body.message, 'nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope');
    const crds = await as(http.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/a.b.c'));
    assert.equal(
      crds.body.message,
      'customresourcedefinitions.apiextensions.k8s.io "a.b.c" is forbidden: User "jane" cannot get resource "customresourcedefinitions" in API group "apiextensions.k8s.io" at the cluster scope',
    );
    assert.deepEqual(crds.body.details, { name: 'a.b.c', group: 'apiextensions.k8s.io', kind: 'customresourcedefinitions' });
    const control = await as(http.get('/kubemock/v1/journal'));
    assert.equal(control.status, 403);
    assert.equal(control.body.message, 'forbidden: User "jane" cannot get path "/kubemock/v1/journal"');
    assert.deepEqual(control.body.details, {});
    const log = await as(http.get('/api/v1/namespaces/default/pods/p/log'));
    assert.equal(
      log.body.message,
      'pods "p" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"',
    );
    for (const open of ['/api', '/apis', '/api/v1', '/apis/apps/v1', '/version', '/openapi/v2', '/healthz']) {
      assert.equal((await as(http.get(open))).status, 200, open);
    }
    const anonymous = await http.get('/apis').set('Impersonate-User', 'system:anonymous');
    assert.equal(anonymous.status, 403, 'discovery is for authenticated users');
    assert.equal((await http.get('/version').set('Impersonate-User', 'system:anonymous')).status, 200);
  });

  it('a namespace may be read by whoever may get namespaces in it; a single-name list counts as a get of that name', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles').send({
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'one' },
      rules: [
        { verbs: ['get'], apiGroups: [''], resources: ['namespaces'] },
        { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] },
      ],
    });
    assert.equal(res.status, 201, res.text);
    await http.post(`${V1}/namespaces/default/rolebindings`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'one' },
      subjects: [user('jane')],
      roleRef: ref('Role', 'one'),
    });
    const as = (url: string) => http.get(url).set('Impersonate-User', 'jane');
    assert.equal((await as('/api/v1/namespaces/default')).status, 200);
    assert.equal((await as('/api/v1/namespaces/kube-system')).status, 403);
    assert.equal((await as('/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dsettings')).status, 200);
    assert.equal((await as('/api/v1/namespaces/default/configmaps')).status, 403);
  });

  it('impersonating groups, and a service account with its groups', async (t) => {
    const { http } = await buildTestApp(t);
    await http.post(`${V1}/clusterrolebindings`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ops' },
      subjects: [{ kind: 'Group', name: 'ops' }],
      roleRef: { kind: 'ClusterRole', name: 'view' },
    });
    assert.equal((await http.get('/api/v1/pods').set('Impersonate-User', 'bob').set('Impersonate-Group', 'ops')).status, 200);
    assert.equal((await http.get('/api/v1/pods').set('Impersonate-User', 'bob')).status, 403);
    const saGroup = await http.post(`${V1}/clusterrolebindings`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'accounts-of-team' },
      subjects: [{ kind: 'Group', name: 'system:serviceaccounts:team' }],
      roleRef: { kind: 'ClusterRole', name: 'view' },
    });
    assert.equal(saGroup.status, 201, saGroup.text);
    assert.equal((await http.get('/api/v1/pods').set('Impersonate-User', 'system:serviceaccount:team:op')).status, 200);
    assert.equal((await http.get('/api/v1/pods').set('Impersonate-User', 'system:serviceaccount:other:op')).status, 403);
  });
});

describe('RBAC kinds', () => {
  it('names may hold colons; rules, subjects and roleRef are validated as upstream; a roleRef never changes', async (t) => {
    const { http } = await buildTestApp(t);
    const role = await http.post(`${V1}/clusterroles`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'team:reader' },
      rules: [
        { verbs: [], apiGroups: [], resources: [] },
        { verbs: ['get'], nonResourceURLs: ['/x'], resources: ['pods'] },
      ],
    });
    assert.equal(role.status, 422);
    assert.equal(
      role.body.message,
      'ClusterRole.rbac.authorization.k8s.io "team:reader" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, rules[0].apiGroups: Required value: resource rules must supply at least one api group, rules[0].resources: Required value: resource rules must supply at least one resource, rules[1].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs]',
    );
    const namespacedUrls = await http.post(`${V1}/namespaces/default/roles`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'r' },
      rules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }],
    });
    assert.equal(namespacedUrls.status, 422);
    assert.match(namespacedUrls.body.message, /namespaced rules cannot apply to non-resource URLs/);
    const binding = await http.post(`${V1}/clusterrolebindings`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'b' },
      subjects: [
        { kind: 'ServiceAccount', name: 'sa' },
        { kind: 'Robot', name: 'r2' },
      ],
      roleRef: { kind: 'Role', name: 'x' },
    });
    assert.equal(binding.status, 422);
    assert.equal(
      binding.body.message,
      'ClusterRoleBinding.rbac.authorization.k8s.io "b" is invalid: [roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole", subjects[0].namespace: Required value, subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"]',
    );
    const good = await http.post(`${V1}/namespaces/default/rolebindings`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'team:readers' },
      subjects: [{ kind: 'User', name: 'jane' }],
      roleRef: { kind: 'ClusterRole', name: 'view' },
    });
    assert.equal(good.status, 201, good.text);
    assert.deepEqual(good.body.subjects, [{ kind: 'User', apiGroup: RBAC, name: 'jane' }], 'apiGroup defaulted');
    assert.deepEqual(good.body.roleRef, ref('ClusterRole', 'view'));
    const moved = await http
      .patch(`${V1}/namespaces/default/rolebindings/team:readers`)
      .set('content-type', 'application/merge-patch+json')
      .send({ roleRef: { name: 'edit' } });
    assert.equal(moved.status, 422);
    assert.match(moved.body.message, /roleRef: Invalid value: .*: cannot change roleRef/);
  });
});

describe('escalation prevention', () => {
  it('a Role or binding granting more than the requester holds is 403; escalate and bind lift it', async (t) => {
    const { http } = await buildTestApp(t);
    await http.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await bind(http, 'team', 'dana-admin', 'admin', 'dana');
    const asDana = (path: string, body: object) => http.post(path).set('Impersonate-User', 'dana').send(body);
    const held = await asDana(`${V1}/namespaces/team/roles`, {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'pods' },
      rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
    });
    assert.equal(held.status, 201, held.text);
    const role = {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'more' },
      rules: [{ verbs: ['get', 'escalate'], apiGroups: ['', 'apps'], resources: ['nodes', 'pods'] }],
    };
    const more = await asDana(`${V1}/namespaces/team/roles`, role);
    assert.equal(more.status, 403);
    assert.equal(
      more.body.message,
      'roles.rbac.authorization.k8s.io "more" is forbidden: user "dana" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["nodes"], Verbs:["get" "escalate"]}\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["escalate"]}\n' +
        '{APIGroups:["apps"], Resources:["nodes"], Verbs:["get" "escalate"]}\n' +
        '{APIGroups:["apps"], Resources:["pods"], Verbs:["get" "escalate"]}',
    );
    assert.deepEqual(more.body.details, { name: 'more', group: RBAC, kind: 'roles' });
    const bindAdmin = await asDana(`${V1}/namespaces/team/rolebindings`, {
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'cluster-admin-here' },
      subjects: [user('eve')],
      roleRef: ref('ClusterRole', 'cluster-admin'),
    });
    assert.equal(bindAdmin.status, 403);
    assert.match(
      bindAdmin.body.message,
      /^rolebindings.rbac.authorization.k8s.io "cluster-admin-here" is forbidden: user "dana" .* not currently held:\n/,
    );
    const bindView = await asDana(`${V1}/namespaces/team/rolebindings`, {
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'eve-view' },
      subjects: [user('eve')],
      roleRef: ref('ClusterRole', 'view'),
    });
    assert.equal(bindView.status, 201, bindView.text);
    // escalate on roles and bind on the cluster-admin role, granted by the admin:
    await http.post(`${V1}/clusterroles`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'escalator' },
      rules: [
        { verbs: ['escalate'], apiGroups: [RBAC], resources: ['roles'] },
        { verbs: ['bind'], apiGroups: [RBAC], resources: ['clusterroles'], resourceNames: ['cluster-admin'] },
      ],
    });
    await bind(http, 'team', 'dana-escalates', 'escalator', 'dana');
    assert.equal((await asDana(`${V1}/namespaces/team/roles`, role)).status, 201);
    const bound = await asDana(`${V1}/namespaces/team/rolebindings`, {
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'cluster-admin-here' },
      subjects: [user('eve')],
      roleRef: ref('ClusterRole', 'cluster-admin'),
    });
    assert.equal(bound.status, 201, bound.text);
  });
});

describe('subject access reviews', () => {
  it('SubjectAccessReview and LocalSubjectAccessReview answer for the user they name', async (t) => {
    const { http } = await buildTestApp(t);
    await bind(http, 'default', 'jane-view', 'view');
    const sar = (spec: object) =>
      http
        .post('/apis/authorization.k8s.io/v1/subjectaccessreviews')
        .send({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
    const yes = await sar({ user: 'jane', resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } });
    assert.equal(yes.status, 201, yes.text);
    assert.deepEqual(yes.body.status, {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "jane-view/default" of ClusterRole "view" to User "jane"',
    });
    const no = await sar({ user: 'jane', resourceAttributes: { namespace: 'kube-system', verb: 'list', resource: 'pods' } });
    assert.deepEqual(no.body.status, { allowed: false });
    const masters = await sar({ user: 'x', groups: ['system:masters'], nonResourceAttributes: { path: '/metrics', verb: 'get' } });
    assert.equal(masters.body.status.allowed, true);
    const nobody = await sar({ resourceAttributes: { verb: 'get', resource: 'pods' } });
    assert.equal(nobody.status, 422);
    assert.match(nobody.body.message, /spec.user: Invalid value: "": at least one of user or group must be specified/);
    const local = (namespace: string, spec: object) =>
      http
        .post(`/apis/authorization.k8s.io/v1/namespaces/${namespace}/localsubjectaccessreviews`)
        .send({ apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', spec });
    const inDefault = await local('default', {
      user: 'jane',
      resourceAttributes: { namespace: 'default', verb: 'get', resource: 'configmaps' },
    });
    assert.equal(inDefault.status, 201, inDefault.text);
    assert.equal(inDefault.body.status.allowed, true);
    const mismatch = await local('default', { user: 'jane', resourceAttributes: { namespace: 'other', verb: 'get', resource: 'pods' } });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.message, 'spec.resourceAttributes.namespace must match namespace: default');
  });
});

describe('clusterrole aggregation controller', () => {
  it('a ClusterRole labelled aggregate-to-view adds its rules to view (and so to edit and admin); removing the label takes them away', async (t) => {
    const { http } = await buildTestApp(t, { controllers: true });
    const widgets = { verbs: ['get', 'list', 'watch'], apiGroups: ['example.com'], resources: ['widgets'] };
    const created = await http.post(`${V1}/clusterroles`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [widgets],
    });
    assert.equal(created.status, 201, created.text);
    const rulesOf = async (name: string) => (await http.get(`${V1}/clusterroles/${name}`)).body.rules as object[];
    for (const name of ['view', 'edit', 'admin'])
      await waitFor(async () => (await rulesOf(name)).some((r) => JSON.stringify(r) === JSON.stringify(widgets)));
    const before = (await http.get(`${V1}/clusterroles/view`)).body.metadata.resourceVersion;
    await http
      .patch(`${V1}/clusterroles/widgets-view`)
      .set('content-type', 'application/merge-patch+json')
      .send({ metadata: { labels: { 'rbac.authorization.k8s.io/aggregate-to-view': null } } });
    await waitFor(async () => !(await rulesOf('admin')).some((r) => JSON.stringify(r) === JSON.stringify(widgets)));
    assert.notEqual((await http.get(`${V1}/clusterroles/view`)).body.metadata.resourceVersion, before);
  });
});

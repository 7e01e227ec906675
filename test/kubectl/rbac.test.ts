/**
 * RBAC and impersonation with the real kubectl: `auth can-i` (with `--as`, `--as-group`, `--list`,
 * `-n`) answers what the policy says, a denied request prints upstream's 403, the binding tables
 * show ROLE, and an operator's ServiceAccount bound to a Role without `list pods` fails where a
 * cluster would, then passes once the rule is added.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findKubectlVersions, kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const manifest = (...objects: Record<string, unknown>[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
const RBAC = 'rbac.authorization.k8s.io/v1';

describe('kubectl, RBAC and impersonation', () => {
  const server = useServer({ nodes: 0 });

  it('auth can-i: yes for the unsecured admin; for --as=jane only what her bindings grant, in every kubectl version', async (t) => {
    if (!kubectlOrSkip(t)) return;
    for (const { version, path } of [{ version: 'default', path: undefined }, ...findKubectlVersions()]) {
      const admin = await runKubectl(server, ['auth', 'can-i', 'delete', 'nodes'], { bin: path });
      assert.equal(admin.stdout.trim(), 'yes', `${version}: ${admin.stderr}`);
      const jane = await runKubectl(server, ['auth', 'can-i', 'list', 'pods', '--as=jane'], { bin: path });
      assert.equal(jane.stdout.trim(), 'no', `${version}: ${jane.stderr}`);
      assert.equal(jane.code, 1, version);
    }
    await kubectlOk(server, ['create', 'rolebinding', 'jane-view', '--clusterrole=view', '--user=jane', '-n', 'default']);
    assert.equal((await runKubectl(server, ['auth', 'can-i', 'list', 'pods', '--as=jane', '-n', 'default'])).stdout.trim(), 'yes');
    assert.equal((await runKubectl(server, ['auth', 'can-i', 'list', 'pods', '--as=jane', '-n', 'kube-system'])).stdout.trim(), 'no');
    assert.equal((await runKubectl(server, ['auth', 'can-i', 'create', 'pods', '--as=jane', '-n', 'default'])).stdout.trim(), 'no');
    // A group's binding applies to whoever is impersonated with that group.
    await kubectlOk(server, ['create', 'clusterrolebinding', 'ops-edit', '--clusterrole=edit', '--group=ops']);
    const asGroup = await runKubectl(server, [
      'auth',
      'can-i',
      'create',
      'daemonsets.apps',
      '--as=bob',
      '--as-group=ops',
      '-n',
      'kube-system',
    ]);
    assert.equal(asGroup.stdout.trim(), 'yes', asGroup.stderr);
  });

  it('auth can-i --list shows the rules the user holds in the namespace', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['auth', 'can-i', '--list', '--as=carol', '-n', 'default']);
    assert.match(stdout, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
    assert.match(stdout, /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    assert.match(stdout, /^\s+\[\/api\/\*\]\s+\[\]\s+\[get\]$/m);
    assert.doesNotMatch(stdout, /^pods\s/m);
  });

  it('a denied request prints the 403 worded as kube-apiserver words it', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const list = await runKubectl(server, ['get', 'secrets', '-n', 'kube-system', '--as=mallory']);
    assert.equal(list.code, 1);
    assert.equal(
      list.stderr.trim(),
      'Error from server (Forbidden): secrets is forbidden: User "mallory" cannot list resource "secrets" in API group "" in the namespace "kube-system"',
    );
    const node = await runKubectl(server, ['get', 'node', 'n1', '--as=mallory']);
    assert.equal(
      node.stderr.trim(),
      'Error from server (Forbidden): nodes "n1" is forbidden: User "mallory" cannot get resource "nodes" in API group "" at the cluster scope',
    );
  });

  it('get clusterrolebindings and rolebindings show ROLE and AGE; -o wide the subjects', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['get', 'clusterrolebinding', 'cluster-admin', 'system:discovery']);
    assert.match(stdout, /^NAME\s+ROLE\s+AGE$/m);
    assert.match(stdout, /^cluster-admin\s+ClusterRole\/cluster-admin\s+\d+[smhd]/m);
    const wide = await kubectlOk(server, ['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide']);
    assert.match(wide.stdout, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS$/m);
    assert.match(wide.stdout, /^cluster-admin\s+ClusterRole\/cluster-admin\s+\S+\s+system:masters\s*$/m);
    const roles = await kubectlOk(server, ['get', 'clusterroles', 'admin', 'edit', 'view']);
    assert.match(roles.stdout, /^NAME\s+CREATED AT$/m);
  });

  it("an operator's ServiceAccount bound to a Role without list pods fails where a cluster would, and passes once the rule is added", async (t) => {
    if (!kubectlOrSkip(t)) return;
    const as = '--as=system:serviceaccount:operators:widget-operator';
    await kubectlOk(server, ['create', 'namespace', 'operators']);
    await kubectlOk(server, ['create', 'serviceaccount', 'widget-operator', '-n', 'operators']);
    const role = {
      apiVersion: RBAC,
      kind: 'Role',
      metadata: { name: 'widget-operator', namespace: 'operators' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update'] }],
    };
    const binding = {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'widget-operator', namespace: 'operators' },
      subjects: [{ kind: 'ServiceAccount', name: 'widget-operator' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'widget-operator' },
    };
    await kubectlOk(server, ['apply', '-f', '-'], { input: manifest(role, binding) });
    await kubectlOk(server, ['get', 'configmaps', '-n', 'operators', as]);
    const denied = await runKubectl(server, ['get', 'pods', '-n', 'operators', as]);
    assert.equal(denied.code, 1);
    assert.equal(
      denied.stderr.trim(),
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:operators:widget-operator" cannot list resource "pods" in API group "" in the namespace "operators"',
    );
    role.rules.push({ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] });
    await kubectlOk(server, ['apply', '-f', '-'], { input: manifest(role) });
    const allowed = await kubectlOk(server, ['get', 'pods', '-n', 'operators', as]);
    assert.match(allowed.stderr, /No resources found in operators namespace/);
    // Still nothing beyond its namespace.
    assert.equal((await runKubectl(server, ['auth', 'can-i', 'list', 'pods', '-n', 'default', as])).stdout.trim(), 'no');
  });

  it('a user may not grant what they do not hold: escalation is refused with upstream message', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['create', 'namespace', 'team']);
    await kubectlOk(server, ['create', 'rolebinding', 'dana-admin', '--clusterrole=admin', '--user=dana', '-n', 'team']);
    await kubectlOk(server, ['create', 'role', 'cm-reader', '--verb=get,list', '--resource=configmaps', '-n', 'team', '--as=dana']);
    const escalate = await runKubectl(server, [
      'create',
      'role',
      'node-reader',
      '--verb=list',
      '--resource=nodes',
      '-n',
      'team',
      '--as=dana',
    ]);
    assert.equal(escalate.code, 1);
    assert.equal(
      escalate.stderr.trim(),
      'Error from server (Forbidden): roles.rbac.authorization.k8s.io "node-reader" is forbidden: user "dana" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["list"]}',
    );
  });
});

/**
 * The official Python client over TLS (issue 16): the admin kubeconfig of startKubemock({ auth: true })
 * and kubeconfigFor's identities, loaded by the client itself (test/python/tls_whoami.py), verify the
 * server by its CA and log in by a client certificate or a ServiceAccount token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startKubemock } from '../../src/index.js';
import { pythonClientOrSkip } from '../helpers/python.js';

const SCRIPT = fileURLToPath(new URL('./tls_whoami.py', import.meta.url));

interface Answer {
  host: string;
  verify_ssl: boolean;
  status: number;
  userInfo: { username: string; groups: string[] };
  namespaces: string[] | null;
  listStatus: number;
}

test('the official Python client over TLS: admin certificate, a user certificate, a ServiceAccount token', async (t) => {
  const client = pythonClientOrSkip(t);
  if (!client) return;
  const server = await startKubemock({ auth: true, nodes: 0 });
  t.after(() => server.stop());
  const run = async (kubeconfigPath: string): Promise<Answer> => {
    const env = { ...process.env, NO_PROXY: '*', no_proxy: '*' };
    // Asynchronously: the server answers from this process's event loop.
    const { stdout } = await promisify(execFile)(client.python, [SCRIPT, kubeconfigPath], { env, encoding: 'utf8', timeout: 60_000 });
    return JSON.parse(stdout) as Answer;
  };
  const admin = await run(server.kubeconfigPath!);
  assert.equal(admin.host, server.url);
  assert.equal(admin.verify_ssl, true);
  assert.equal(admin.status, 201);
  assert.deepEqual(admin.userInfo, { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
  assert.ok(admin.namespaces?.includes('kube-system'));
  const userConfig = (await server.kubeconfigFor({ user: 'py', groups: ['g'] })).kubeconfigPath;
  const user = await run(userConfig);
  assert.deepEqual(user.userInfo, { username: 'py', groups: ['g', 'system:authenticated'] });
  assert.equal(user.listStatus, 403, 'RBAC: the group holds nothing yet');
  server.kubemock.registry.store('clusterrolebindings', 'rbac.authorization.k8s.io').create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'g-view' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'g' }],
  });
  assert.ok((await run(userConfig)).namespaces?.includes('default'), 'bound to view, the group lists namespaces');
  const created = await fetch(`${server.url}/api/v1/namespaces/default/serviceaccounts`).catch((e: unknown) => e);
  assert.ok(created instanceof Error, 'plain fetch has no CA: the server is not reachable without one');
  server.kubemock.registry
    .store('serviceaccounts')
    .create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'py-sa', namespace: 'default' } });
  const sa = await run((await server.kubeconfigFor({ serviceAccount: { namespace: 'default', name: 'py-sa' } })).kubeconfigPath);
  assert.equal(sa.userInfo.username, 'system:serviceaccount:default:py-sa');
  assert.equal(sa.listStatus, 403);
});

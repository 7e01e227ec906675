/**
 * Real kubectl over TLS (issue 16): the kubeconfig kubemock writes (CA data, the admin's client
 * certificate), static and service account tokens, kubeconfigFor's identities, anonymous requests,
 * and `kubectl auth whoami` for each; a bad token is kubectl's "You must be logged in" error.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubeconfigYaml, startKubemock, type KubemockServer } from '../../src/index.js';
import { startCli } from '../helpers/cli.js';
import { credentialsOf } from '../helpers/https-client.js';
import { kubectlOk, kubectlOrSkip, runKubectl } from '../helpers/kubectl.js';
import { useTempDir } from '../helpers/temp-dir.js';

interface WhoAmI {
  status: { userInfo: { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
}

describe('kubectl over TLS with kubemock --tls', () => {
  const dir = useTempDir('kubemock-tls-cli-');

  it('writes a kubeconfig kubectl verifies the server with and logs in by, and keeps the CA across restarts', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const db = join(dir(), 'kubemock.db');
    const kubeconfigPath = join(dir(), 'kubeconfig');
    const args = ['--tls', '--port', '0', '--db', db, '--kubeconfig', kubeconfigPath, '--nodes', '1', '--log-level', 'warn'];
    const first = await startCli(args);
    t.after(() => first.stop());
    assert.match(first.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const kubeconfig = await readFile(kubeconfigPath, 'utf8');
    assert.doesNotMatch(kubeconfig, /insecure-skip-tls-verify/);
    const server = { kubeconfigPath, cacheDir: join(dir(), 'cache') };
    const whoami = JSON.parse((await kubectlOk(server, ['auth', 'whoami', '-o', 'json'])).stdout) as WhoAmI;
    assert.deepEqual(whoami.status.userInfo, { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
    assert.match((await kubectlOk(server, ['get', 'nodes'])).stdout, /node-1\s+Ready/);
    assert.equal(await first.stop(), 0);

    // The CA is kept in <db>.pki/: the kubeconfig of the first run still verifies the second.
    const second = await startCli(args.map((a) => (a === kubeconfigPath ? join(dir(), 'kubeconfig-2') : a)));
    t.after(() => second.stop());
    const { credentials } = credentialsOf(kubeconfig);
    const oldConfig = join(dir(), 'kubeconfig-old');
    await writeFile(
      oldConfig,
      kubeconfigYaml(second.url, 'old', {
        certificateAuthority: credentials.ca,
        credentials: { clientCertificate: credentials.cert!, clientKey: credentials.key! },
      }),
    );
    assert.match(
      (await kubectlOk({ kubeconfigPath: oldConfig, cacheDir: join(dir(), 'cache-2') }, ['auth', 'whoami'])).stdout,
      /kubernetes-admin/,
    );
  });
});

describe('kubectl identities with startKubemock({ auth: true })', () => {
  let cluster: KubemockServer;
  let dir: string;
  let admin: { kubeconfigPath: string; cacheDir: string };
  let anonymous: { kubeconfigPath: string; cacheDir: string };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubemock-authn-kubectl-'));
    const tokenFile = join(dir, 'tokens.csv');
    await writeFile(tokenFile, 'secret-token,alice,alice-uid,"dev,qa"\n');
    cluster = await startKubemock({ auth: true, nodes: 0, tokenAuthFile: tokenFile });
    admin = { kubeconfigPath: cluster.kubeconfigPath!, cacheDir: join(dir, 'cache-admin') };
    // The cluster and its CA, no credentials: kubectl sends none unless given --token.
    const { credentials } = credentialsOf(cluster.kubeconfig);
    anonymous = { kubeconfigPath: join(dir, 'anonymous'), cacheDir: join(dir, 'cache-anonymous') };
    await writeFile(anonymous.kubeconfigPath, kubeconfigYaml(cluster.url, 'anonymous', { certificateAuthority: credentials.ca }));
  });
  after(async () => {
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const whoami = async (server: { kubeconfigPath: string; cacheDir: string }, extra: string[] = []) =>
    (JSON.parse((await kubectlOk(server, ['auth', 'whoami', '-o', 'json', ...extra])).stdout) as WhoAmI).status.userInfo;

  it('a static token (--token-auth-file)', async (t) => {
    if (!kubectlOrSkip(t)) return;
    assert.deepEqual(await whoami(anonymous, ['--token', 'secret-token']), {
      username: 'alice',
      uid: 'alice-uid',
      groups: ['dev', 'qa', 'system:authenticated'],
    });
    // RBAC: alice holds nothing until a binding grants it, then lists as the binding allows.
    const denied = await runKubectl(anonymous, ['get', 'namespaces', '--token', 'secret-token']);
    assert.equal(denied.code, 1);
    assert.match(
      denied.stderr,
      /Error from server \(Forbidden\): namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope/,
    );
    await kubectlOk(admin, ['create', 'clusterrolebinding', 'alice-view', '--clusterrole=view', '--user=alice']);
    assert.match((await kubectlOk(anonymous, ['get', 'namespaces', '--token', 'secret-token'])).stdout, /kube-system/);
  });

  it('a service account token from kubectl create token', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(admin, ['create', 'serviceaccount', 'operator', '-n', 'default']);
    const token = (await kubectlOk(admin, ['create', 'token', 'operator', '-n', 'default'])).stdout.trim();
    const info = await whoami(anonymous, ['--token', token]);
    assert.equal(info.username, 'system:serviceaccount:default:operator');
    assert.deepEqual(info.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.ok(info.extra?.['authentication.kubernetes.io/credential-id']?.[0]?.startsWith('JTI='));
  });

  it("kubeconfigFor's user with groups and its ServiceAccount", async (t) => {
    if (!kubectlOrSkip(t)) return;
    const jane = await cluster.kubeconfigFor({ user: 'jane', groups: ['team-a'] });
    assert.deepEqual(await whoami({ kubeconfigPath: jane.kubeconfigPath, cacheDir: join(dir, 'cache-jane') }), {
      username: 'jane',
      groups: ['team-a', 'system:authenticated'],
    });
    await kubectlOk(admin, ['create', 'serviceaccount', 'controller', '-n', 'kube-system']);
    const sa = await cluster.kubeconfigFor({ serviceAccount: { namespace: 'kube-system', name: 'controller' } });
    assert.equal(
      (await whoami({ kubeconfigPath: sa.kubeconfigPath, cacheDir: join(dir, 'cache-sa') })).username,
      'system:serviceaccount:kube-system:controller',
    );
  });

  it('no credentials: system:anonymous, whom RBAC lets read only public info', async (t) => {
    if (!kubectlOrSkip(t)) return;
    // Over https kubectl asks for a user name when the kubeconfig has no credentials; basic auth is
    // no credential to kube-apiserver since 1.19 (nor to kubemock), so the request is anonymous.
    const basic = ['--username', 'nobody', '--password', 'x'];
    const whoamiRes = await runKubectl(anonymous, ['auth', 'whoami', ...basic]);
    assert.equal(whoamiRes.code, 1);
    assert.match(whoamiRes.stderr, /the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it/);
    const list = await runKubectl(anonymous, ['get', 'pods', '-n', 'default', ...basic]);
    assert.match(
      list.stderr,
      /pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"/,
    );
    assert.match((await kubectlOk(anonymous, ['get', '--raw', '/version', ...basic])).stdout, /"gitVersion"/);
  });

  it('a bad token: 401, which kubectl reports as not logged in', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const res = await runKubectl(anonymous, ['get', 'namespaces', '--token', 'wrong']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /error: You must be logged in to the server \(Unauthorized\)/);
  });
});

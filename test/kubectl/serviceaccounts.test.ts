/**
 * ServiceAccounts with the real kubectl: `create serviceaccount`, `get sa` (NAME SECRETS AGE, the
 * controller's `default` among them), `create token` (TokenRequest; protobuf from kubectl 1.32+)
 * with every installed kubectl version, and pods naming an account that exists or does not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { findKubectlVersions, kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const AGE = '(?:\\d+[smhdy])+';

const podYaml = (name: string, account: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  serviceAccountName: ${account}
  containers:
  - name: app
    image: nginx
`;

describe('kubectl and serviceaccounts', () => {
  const server = useServer({ nodes: 1 });

  it('create serviceaccount, then get sa lists it beside the default account with NAME SECRETS AGE', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const created = await kubectlOk(server, ['create', 'serviceaccount', 'builder']);
    assert.equal(created.stdout, 'serviceaccount/builder created\n');
    await server.kubemock.manager!.waitIdle();
    const { stdout } = await kubectlOk(server, ['get', 'sa']);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    assert.match(header, /^NAME\s+SECRETS\s+AGE$/);
    assert.equal(rows.length, 2, stdout);
    assert.match(rows[0], new RegExp(`^builder\\s+0\\s+${AGE}$`));
    assert.match(rows[1], new RegExp(`^default\\s+0\\s+${AGE}$`));
  });

  it('create token --duration=1h prints a JWT for the account, with every kubectl version', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await runKubectl(server, ['create', 'serviceaccount', 'robot']);
    const uid = JSON.parse((await kubectlOk(server, ['get', 'sa', 'robot', '-o', 'json'])).stdout).metadata.uid as string;
    for (const bin of [undefined, ...findKubectlVersions().map((v) => v.path)]) {
      const { stdout } = await kubectlOk(server, ['create', 'token', 'robot', '--duration=1h', '--audience=api', '--audience=vault'], {
        bin,
      });
      const claims = decodeJwt(stdout.trim());
      assert.equal(claims.sub, 'system:serviceaccount:default:robot', bin);
      assert.deepEqual(claims.aud, ['api', 'vault']);
      assert.equal(claims.exp! - claims.iat!, 3600);
      assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'robot', uid } });
    }
  });

  it('create token refuses a missing account and a duration under ten minutes, as the server words it', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const missing = await runKubectl(server, ['create', 'token', 'nobody']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /serviceaccounts "nobody" not found/);
    const short = await runKubectl(server, ['create', 'token', 'default', '--duration=5m']);
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /spec\.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/);
  });

  it('a pod naming an existing account runs as it with the token volume; naming a missing one is forbidden', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await runKubectl(server, ['create', 'serviceaccount', 'worker']);
    await kubectlOk(server, ['apply', '-f', '-'], { input: podYaml('as-worker', 'worker') });
    const pod = JSON.parse((await kubectlOk(server, ['get', 'pod', 'as-worker', '-o', 'json'])).stdout);
    assert.equal(pod.spec.serviceAccountName, 'worker');
    assert.match(pod.spec.volumes[0].name, /^kube-api-access-/);
    assert.deepEqual(pod.spec.containers[0].volumeMounts, [
      { name: pod.spec.volumes[0].name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    ]);

    const refused = await runKubectl(server, ['apply', '-f', '-'], { input: podYaml('as-ghost', 'ghost') });
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /Error from server \(Forbidden\): error when creating "STDIN": pods "as-ghost" is forbidden: error looking up service account default\/ghost: serviceaccount "ghost" not found/,
    );
  });
});

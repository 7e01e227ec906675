/**
 * TLS and authentication (issue 16): a server started with auth serves HTTPS with its own CA and
 * tells who each request is, as kube-apiserver's union authenticator does: client certificates of
 * its CA, static tokens, service account tokens (while the account and bound object live, until
 * they expire), anonymous without credentials, and 401 for a credential that fails.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startKubemock, type KubemockServer } from '../../src/index.js';
import { createCertificateAuthority, issueClientCertificate } from '../../src/apimachinery/pki/certificates.js';
import { credentialsOf, httpsRequest, whoami, type Credentials } from '../helpers/https-client.js';

const UNAUTHORIZED =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}';

describe('authentication over TLS', () => {
  let server: KubemockServer;
  let admin: Credentials;
  let anonymous: Credentials;
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-authn-'));
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, 'static-token-1,alice,uid-alice,"developers,operators"\nstatic-token-2,bob,uid-bob\n');

  before(async () => {
    server = await startKubemock({ auth: true, clock: 'manual', nodes: 0, tokenAuthFile: tokenFile });
    admin = credentialsOf(server.kubeconfig).credentials;
    anonymous = { ca: admin.ca };
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (creds: Credentials, path: string, body: unknown) => httpsRequest(server.url + path, creds, 'POST', body);
  const sa = (name: string) => post(admin, '/api/v1/namespaces/default/serviceaccounts', { metadata: { name } });

  it('serves HTTPS with a kubeconfig carrying the CA and the admin client certificate, never insecure-skip-tls-verify', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const doc = parse(server.kubeconfig) as { clusters: { cluster: Record<string, unknown> }[] };
    assert.equal(doc.clusters[0].cluster['insecure-skip-tls-verify'], undefined);
    assert.ok(admin.ca.includes('BEGIN CERTIFICATE') && admin.cert && admin.key);
    assert.deepEqual((await whoami(server.url, admin)).userInfo, {
      username: 'kubernetes-admin',
      groups: ['system:masters', 'system:authenticated'],
    });
  });

  it('takes a request without credentials as system:anonymous in system:unauthenticated, which RBAC lets read only public info', async () => {
    const review = await whoami(server.url, anonymous);
    assert.equal(review.status, 403);
    assert.equal(
      (JSON.parse(review.body) as { message: string }).message,
      'selfsubjectreviews.authentication.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope',
    );
    assert.equal((await httpsRequest(`${server.url}/version`, anonymous, 'GET')).status, 200);
  });

  it('answers 401 Unauthorized, worded as upstream, for a bearer token nobody issued', async () => {
    for (const token of ['not-a-token', 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln']) {
      const res = await httpsRequest(`${server.url}/api/v1/namespaces`, { ...anonymous, token }, 'GET');
      assert.equal(res.status, 401);
      assert.equal(res.body, UNAUTHORIZED);
    }
  });

  it('refuses a client certificate of another CA with 401, and a valid certificate wins over a bad token', async () => {
    const otherCa = await createCertificateAuthority();
    const stranger = await issueClientCertificate(otherCa, 'mallory', ['system:masters']);
    const res = await httpsRequest(`${server.url}/api/v1/namespaces`, { ...anonymous, cert: stranger.cert, key: stranger.key });
    assert.equal(res.status, 401);
    assert.equal(res.body, UNAUTHORIZED);
    assert.equal((await whoami(server.url, { ...admin, token: 'bad' })).userInfo?.username, 'kubernetes-admin');
  });

  it('reads users and groups of the static token file', async () => {
    assert.deepEqual((await whoami(server.url, { ...anonymous, token: 'static-token-1' })).userInfo, {
      username: 'alice',
      uid: 'uid-alice',
      groups: ['developers', 'operators', 'system:authenticated'],
    });
    assert.deepEqual((await whoami(server.url, { ...anonymous, token: 'static-token-2' })).userInfo, {
      username: 'bob',
      uid: 'uid-bob',
      groups: ['system:authenticated'],
    });
  });

  it('gives a kubeconfig with a client certificate for any user and groups', async () => {
    const { kubeconfig, kubeconfigPath } = await server.kubeconfigFor({ user: 'jane', groups: ['team-a', 'team-b'] });
    assert.ok(kubeconfigPath.length > 0);
    const { server: url, credentials } = credentialsOf(kubeconfig);
    assert.equal(url, server.url);
    assert.deepEqual((await whoami(url, credentials)).userInfo, { username: 'jane', groups: ['team-a', 'team-b', 'system:authenticated'] });
  });

  it('authenticates a ServiceAccount token while its account lives with the same uid', async () => {
    await assert.rejects(
      server.kubeconfigFor({ serviceAccount: { namespace: 'default', name: 'robot' } }),
      /serviceaccount default\/robot does not exist/,
    );
    assert.equal((await sa('robot')).status, 201);
    const { credentials } = credentialsOf(
      (await server.kubeconfigFor({ serviceAccount: { namespace: 'default', name: 'robot' } })).kubeconfig,
    );
    const info = (await whoami(server.url, credentials)).userInfo!;
    const uid = (await httpsRequest(`${server.url}/api/v1/namespaces/default/serviceaccounts/robot`, admin)).json() as {
      metadata: { uid: string };
    };
    assert.equal(info.username, 'system:serviceaccount:default:robot');
    assert.equal(info.uid, uid.metadata.uid);
    assert.deepEqual(info.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.match((info.extra as Record<string, string[]>)['authentication.kubernetes.io/credential-id'][0], /^JTI=[0-9a-f-]{36}$/);

    assert.equal((await httpsRequest(`${server.url}/api/v1/namespaces/default/serviceaccounts/robot`, admin, 'DELETE')).status, 200);
    assert.equal((await whoami(server.url, credentials)).status, 401, 'the account is gone');
    assert.equal((await sa('robot')).status, 201);
    assert.equal((await whoami(server.url, credentials)).status, 401, 'an account of the same name is another account');
  });

  it('authenticates a TokenRequest token until it expires, and a pod-bound one while the pod lives, naming the pod', async () => {
    assert.equal((await sa('builder')).status, 201);
    const pod = await post(admin, '/api/v1/namespaces/default/pods', {
      metadata: { name: 'worker' },
      spec: { serviceAccountName: 'builder', containers: [{ name: 'c', image: 'busybox' }] },
    });
    assert.equal(pod.status, 201);
    const podUid = (pod.json() as { metadata: { uid: string } }).metadata.uid;
    const request = (boundObjectRef?: unknown) =>
      post(admin, '/api/v1/namespaces/default/serviceaccounts/builder/token', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 600, ...(boundObjectRef ? { boundObjectRef } : {}) },
      });
    const tokenOf = async (res: Promise<{ json(): unknown }>) => ((await res).json() as { status: { token: string } }).status.token;
    const plain = await tokenOf(request());
    const bound = await tokenOf(request({ apiVersion: 'v1', kind: 'Pod', name: 'worker' }));

    const extra = (await whoami(server.url, { ...anonymous, token: bound })).userInfo!.extra as Record<string, string[]>;
    assert.deepEqual(extra['authentication.kubernetes.io/pod-name'], ['worker']);
    assert.deepEqual(extra['authentication.kubernetes.io/pod-uid'], [podUid]);
    assert.equal(
      (await httpsRequest(`${server.url}/api/v1/namespaces/default/pods/worker?gracePeriodSeconds=0`, admin, 'DELETE')).status,
      200,
    );
    assert.equal((await whoami(server.url, { ...anonymous, token: bound })).status, 401, 'the pod it is bound to is gone');

    assert.equal((await whoami(server.url, { ...anonymous, token: plain })).status, 201);
    await server.advanceClock(600_000 + 61_000); // past expiry and upstream's minute of leeway
    assert.equal((await whoami(server.url, { ...anonymous, token: plain })).status, 401, 'expired');
  });
});

describe('TLS without a token file, controllers running', () => {
  it('publishes its own CA as kube-root-ca.crt', async (t) => {
    const server = await startKubemock({ tls: true, nodes: 0 });
    t.after(() => server.stop());
    const admin = credentialsOf(server.kubeconfig).credentials;
    const cm = await server.waitFor(async () => {
      const res = await httpsRequest(`${server.url}/api/v1/namespaces/default/configmaps/kube-root-ca.crt`, admin);
      return res.status === 200 && (res.json() as { data: Record<string, string> });
    });
    assert.equal(cm.data['ca.crt'], admin.ca);
  });
});

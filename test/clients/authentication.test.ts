/**
 * @kubernetes/client-node over TLS (issue 16): the admin kubeconfig of startKubemock({ auth: true })
 * verifies the server by its CA and logs in by the client certificate; kubeconfigFor's
 * ServiceAccount token, a watch and a bad token's 401 as the client reports them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startKubemock, type KubemockServer } from '../../src/index.js';

describe('@kubernetes/client-node over TLS', () => {
  let server: KubemockServer;
  let kc: k8s.KubeConfig;
  before(async () => {
    server = await startKubemock({ auth: true, nodes: 1 });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfigPath!);
  });
  after(() => server?.stop());

  const whoami = async (config: k8s.KubeConfig) =>
    (
      await config
        .makeApiClient(k8s.AuthenticationV1Api)
        .createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } })
    ).status?.userInfo;

  it('verifies the server with the kubeconfig CA and authenticates with the admin certificate', async () => {
    const cluster = kc.getCurrentCluster()!;
    assert.match(cluster.server, /^https:/);
    assert.ok(cluster.caData && !cluster.skipTLSVerify);
    const user = await whoami(kc);
    assert.equal(user?.username, 'kubernetes-admin');
    assert.deepEqual(user?.groups, ['system:masters', 'system:authenticated']);
    const nodes = await kc.makeApiClient(k8s.CoreV1Api).listNode();
    assert.deepEqual(
      nodes.items.map((n) => n.metadata?.name),
      ['node-1'],
    );
  });

  it('watches over TLS', async () => {
    const seen: string[] = [];
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const done = new Promise<void>((resolve, reject) => {
      void new k8s.Watch(kc)
        .watch(
          '/api/v1/namespaces/default/configmaps',
          {},
          (type: string, obj: k8s.V1ConfigMap) => {
            seen.push(`${type} ${obj.metadata?.name}`);
            if (obj.metadata?.name === 'over-tls') resolve();
          },
          (err: unknown) => (err ? reject(err as Error) : undefined),
        )
        .then((req) => done.finally(() => req.abort()), reject);
    });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'over-tls' } } });
    await done;
    assert.ok(seen.includes('ADDED over-tls'), seen.join(', '));
  });

  it("kubeconfigFor's ServiceAccount token, and a bad token answered 401", async () => {
    await kc.makeApiClient(k8s.CoreV1Api).createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: 'ctl' } } });
    const sa = new k8s.KubeConfig();
    sa.loadFromString((await server.kubeconfigFor({ serviceAccount: { namespace: 'default', name: 'ctl' } })).kubeconfig);
    assert.equal((await whoami(sa))?.username, 'system:serviceaccount:default:ctl');

    const bad = new k8s.KubeConfig();
    bad.loadFromOptions({
      clusters: [{ name: 'c', server: server.url, caData: kc.getCurrentCluster()!.caData }],
      users: [{ name: 'u', token: 'not-issued' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    await assert.rejects(bad.makeApiClient(k8s.CoreV1Api).listNamespace(), (err: unknown) => {
      assert.ok(err instanceof k8s.ApiException);
      assert.equal(err.code, 401);
      assert.match(String(err.message), /Unauthorized/);
      return true;
    });
  });
});

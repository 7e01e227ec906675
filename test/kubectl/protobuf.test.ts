/**
 * kubectl 1.32 and later create objects through typed clients that send protobuf bodies
 * (`application/vnd.kubernetes.protobuf`): `create namespace`, `create service …` and `debug node/…`
 * (a Pod). Older kubectl sends JSON for the same commands; the objects stored must be the same.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findKubectlVersions, kubectlOk, kubectlOrSkip, startServer, type TestServer } from '../helpers/kubectl.js';

const VERSIONS = ['1.27', '1.32', '1.33'];

describe('kubectl typed creates with protobuf bodies', () => {
  const versions = findKubectlVersions().filter((v) => VERSIONS.includes(v.version));
  if (versions.length === 0) {
    it('finds kubectl.1.32 / kubectl.1.33 beside kubectl', (t) => {
      if (!kubectlOrSkip(t)) return;
      t.skip('no kubectl.1.NN beside the kubectl on PATH');
    });
  }

  for (const { version, path } of versions) {
    describe(`kubectl ${version}`, () => {
      let server: TestServer;
      let own: { kubeconfigPath: string; cacheDir: string };
      before(async () => {
        server = await startServer({ nodes: 1 });
        own = { kubeconfigPath: server.kubeconfigPath, cacheDir: join(dirname(server.cacheDir), `cache-${version}`) };
      });
      after(() => server?.stop());
      const kubectl = (args: string[]) => kubectlOk(own, args, { bin: path });
      const getJson = async (args: string[]) => JSON.parse((await kubectl([...args, '-o', 'json'])).stdout);

      it('create namespace team', async () => {
        const { stdout } = await kubectl(['create', 'namespace', 'team']);
        assert.equal(stdout.trim(), 'namespace/team created');
        const ns = await getJson(['get', 'namespace', 'team']);
        assert.equal(ns.metadata.name, 'team');
        assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'team' });
        assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
        assert.equal(ns.status.phase, 'Active');
      });

      it('create service clusterip / nodeport / externalname', async () => {
        assert.equal(
          (await kubectl(['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '--tcp=443:https', '-n', 'team'])).stdout.trim(),
          'service/web created',
        );
        const web = await getJson(['get', 'service', 'web', '-n', 'team']);
        assert.equal(web.spec.type, 'ClusterIP');
        assert.deepEqual(web.spec.selector, { app: 'web' });
        assert.deepEqual(
          web.spec.ports.map((p: Record<string, unknown>) => [p.name, p.protocol, p.port, p.targetPort]),
          [
            ['80-8080', 'TCP', 80, 8080],
            ['443-https', 'TCP', 443, 'https'],
          ],
        );
        assert.match(web.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/);

        assert.equal(
          (await kubectl(['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'])).stdout.trim(),
          'service/np created',
        );
        const np = await getJson(['get', 'service', 'np']);
        assert.equal(np.spec.type, 'NodePort');
        assert.equal(np.spec.ports[0].nodePort, 30080);

        assert.equal(
          (await kubectl(['create', 'service', 'clusterip', 'headless', '--clusterip=None'])).stdout.trim(),
          'service/headless created',
        );
        assert.equal((await getJson(['get', 'service', 'headless'])).spec.clusterIP, 'None');

        assert.equal(
          (await kubectl(['create', 'service', 'externalname', 'ext', '--external-name=example.com'])).stdout.trim(),
          'service/ext created',
        );
        const ext = await getJson(['get', 'service', 'ext']);
        assert.equal(ext.spec.type, 'ExternalName');
        assert.equal(ext.spec.externalName, 'example.com');
      });

      it('create -f of a CRD and of a custom object (sent as JSON: custom resources have no protobuf)', async () => {
        const crd = [
          'apiVersion: apiextensions.k8s.io/v1',
          'kind: CustomResourceDefinition',
          'metadata: {name: gadgets.example.com}',
          'spec:',
          '  group: example.com',
          '  scope: Namespaced',
          '  names: {plural: gadgets, kind: Gadget}',
          '  versions:',
          '  - name: v1',
          '    served: true',
          '    storage: true',
          '    schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: integer}}}}}}',
          '',
        ].join('\n');
        assert.equal(
          (await kubectlOk(own, ['create', '-f', '-'], { bin: path, input: crd })).stdout.trim(),
          'customresourcedefinition.apiextensions.k8s.io/gadgets.example.com created',
        );
        await kubectl(['wait', '--for', 'condition=Established', 'crd/gadgets.example.com', '--timeout=10s']);
        const gadget = 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {size: 2}\n';
        assert.equal(
          (await kubectlOk(own, ['create', '-f', '-'], { bin: path, input: gadget })).stdout.trim(),
          'gadget.example.com/g created',
        );
        assert.deepEqual((await getJson(['get', 'gadget', 'g'])).spec, { size: 2 });
      });

      it('debug node/node-1 creates its pod', async () => {
        const { stdout } = await kubectl(['debug', 'node/node-1', '--image=busybox', '--profile=general']);
        const name = /Creating debugging pod (\S+) /.exec(stdout)?.[1];
        assert.ok(name, stdout);
        const pod = await getJson(['get', 'pod', name]);
        assert.equal(pod.spec.nodeName, 'node-1');
        assert.equal(pod.spec.hostNetwork, true);
        assert.equal(pod.spec.hostPID, true);
        assert.equal(pod.spec.restartPolicy, 'Never');
        // The ServiceAccount admission adds the API access volume after kubectl's own, as on a cluster.
        const access = pod.spec.volumes[1];
        assert.match(access?.name, /^kube-api-access-/);
        assert.deepEqual(pod.spec.volumes, [{ name: 'host-root', hostPath: { path: '/', type: '' } }, access]);
        assert.deepEqual(access.projected.sources[0], { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } });
        assert.equal(pod.spec.containers[0].image, 'busybox');
        assert.deepEqual(pod.spec.containers[0].volumeMounts, [
          { name: 'host-root', mountPath: '/host' },
          { name: access.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
        ]);
        assert.deepEqual(pod.spec.tolerations, [{ operator: 'Exists' }]);
      });
    });
  }
});

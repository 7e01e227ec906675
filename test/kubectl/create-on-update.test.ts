/**
 * `kubectl replace` (a PUT) of an object that does not exist: kinds whose upstream strategy allows
 * create-on-update (Lease) are created, others (ConfigMap) fail with the server's NotFound.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

describe('kubectl replace of a missing object', () => {
  const server = useServer({ nodes: 0 });

  it('creates a missing Lease (the PUT answers 201) and reads it back', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const manifest = JSON.stringify({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'replaced-lease' },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 },
    });
    const replaced = await kubectlOk(server, ['replace', '-f', '-'], { input: manifest });
    assert.equal(replaced.stdout, 'lease.coordination.k8s.io/replaced-lease replaced\n');
    const got = JSON.parse((await kubectlOk(server, ['get', 'lease', 'replaced-lease', '-o', 'json'])).stdout) as {
      spec: { holderIdentity: string };
      metadata: { namespace: string };
    };
    assert.equal(got.spec.holderIdentity, 'node-1');
    assert.equal(got.metadata.namespace, 'default');
  });

  it('fails with NotFound for a missing ConfigMap, creating nothing', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'replaced-cm' }, data: { a: 'b' } });
    const res = await runKubectl(server, ['replace', '-f', '-'], { input: manifest });
    assert.equal(res.code, 1, res.stdout);
    assert.equal(res.stderr, 'Error from server (NotFound): error when replacing "STDIN": configmaps "replaced-cm" not found\n');
    const get = await runKubectl(server, ['get', 'configmap', 'replaced-cm']);
    assert.equal(get.code, 1);
  });
});

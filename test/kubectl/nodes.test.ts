import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../helpers/eventually.js';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: x
spec:
  containers:
  - name: web
    image: nginx
`;

describe('kubectl cordon / taint / logs / describe node against kubemock', () => {
  const server = useServer({ nodes: 4 });

  const taints = async (node: string) => {
    const { stdout } = await kubectlOk(server, ['get', 'node', node, '-o', 'jsonpath={.spec.taints}']);
    return stdout ? (JSON.parse(stdout) as { key: string; value?: string; effect: string }[]) : [];
  };

  it('cordon sets unschedulable, and the node lifecycle controller adds the unschedulable taint; uncordon undoes both', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const cordon = await kubectlOk(server, ['cordon', 'node-1']);
    assert.equal(cordon.stdout.trim(), 'node/node-1 cordoned');
    await waitFor(async () =>
      assert.deepEqual(await taints('node-1'), [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]),
    );
    const { stdout } = await kubectlOk(server, ['get', 'node', 'node-1']);
    assert.match(stdout, /node-1\s+Ready,SchedulingDisabled/);
    assert.equal((await kubectlOk(server, ['uncordon', 'node-1'])).stdout.trim(), 'node/node-1 uncordoned');
    await waitFor(async () => assert.deepEqual(await taints('node-1'), []));
  });

  it('taint adds and removes a taint', async (t) => {
    if (!kubectlOrSkip(t)) return;
    assert.equal((await kubectlOk(server, ['taint', 'nodes', 'node-2', 'key=value:NoSchedule'])).stdout.trim(), 'node/node-2 tainted');
    assert.deepEqual(await taints('node-2'), [{ key: 'key', value: 'value', effect: 'NoSchedule' }]);
    assert.equal((await kubectlOk(server, ['taint', 'nodes', 'node-2', 'key-'])).stdout.trim(), 'node/node-2 untainted');
    assert.deepEqual(await taints('node-2'), []);
  });

  it('logs shows the simulated container output once the pod runs', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['apply', '-f', '-'], { input: POD });
    await kubectlOk(server, ['wait', '--for=condition=Ready', 'pod/x', '--timeout=20s']);
    const { stdout } = await kubectlOk(server, ['logs', 'pod/x']);
    assert.match(stdout, /^kubemock: container web started from image docker\.io\/library\/nginx:latest$/m);
    const tail = await kubectlOk(server, ['logs', 'x', '--tail=1', '--timestamps']);
    assert.match(tail.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z kubemock: /);
    const missing = await runKubectl(server, ['logs', 'x', '-c', 'nope']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /container nope is not valid for pod x/);
  });

  it('describe node shows the Lease holder and renew time', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['describe', 'node', 'node-1']);
    assert.match(stdout, /^Lease:\s*\n\s+HolderIdentity:\s+node-1\n\s+AcquireTime:\s+<unset>\n\s+RenewTime:\s+\w{3}, \d\d \w{3} \d{4}/m);
    assert.match(stdout, /Ready\s+True\s/);
  });
});

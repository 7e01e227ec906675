/**
 * Host ports with the real kubectl: of two pods pinned to one node with the same hostPort, the
 * second stays Pending (describe shows the scheduler's FailedScheduling message); one bound past
 * the scheduler by nodeName shows the kubelet's NodePorts rejection; `get pods -o wide` shows a
 * hostNetwork pod on its node's INTERNAL-IP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../helpers/eventually.js';
import { kubectlOk, kubectlOrSkip, useServer } from '../helpers/kubectl.js';

const server = useServer({ nodes: 2, app: { simulation: { podStartupMs: 20 } } });

const pod = (name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${spec}
  containers:
  - name: web
    image: nginx
    ports:
    - containerPort: 8080
      hostPort: 8080
`;

const PINNED = `  nodeSelector:
    kubernetes.io/hostname: node-1`;

const rows = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));

test('the same hostPort twice on one node: Pending with FailedScheduling, or NodePorts past the scheduler; -o wide shows the node IP', async (t) => {
  if (!kubectlOrSkip(t)) return;
  await kubectlOk(server, ['apply', '-f', '-'], { input: pod('first', PINNED) });
  await kubectlOk(server, ['wait', '--for=condition=Ready', 'pod/first', '--timeout=20s']);
  await kubectlOk(server, ['apply', '-f', '-'], { input: pod('second', PINNED) });
  await kubectlOk(server, ['apply', '-f', '-'], { input: pod('bound', '  nodeName: node-1') });
  await kubectlOk(server, ['apply', '-f', '-'], { input: pod('net', '  hostNetwork: true\n  nodeName: node-2') });

  const nodes = await kubectlOk(server, ['get', 'node', 'node-2', '-o', 'wide', '--no-headers']);
  const node2IP = rows(nodes.stdout)[0][5];
  await waitFor(
    async () => {
      // NAME READY STATUS RESTARTS AGE IP NODE NOMINATED-NODE READINESS-GATES
      const { stdout } = await kubectlOk(server, ['get', 'pods', '-o', 'wide', '--no-headers']);
      const byName = new Map(rows(stdout).map((r) => [r[0], r]));
      assert.deepEqual(byName.get('first')?.slice(1, 3), ['1/1', 'Running']);
      assert.equal(byName.get('first')?.[6], 'node-1');
      assert.deepEqual(byName.get('second')?.slice(1, 3), ['0/1', 'Pending']);
      assert.equal(byName.get('second')?.[6], '<none>');
      assert.deepEqual(byName.get('bound')?.slice(1, 3), ['0/1', 'NodePorts']);
      assert.deepEqual(byName.get('net')?.slice(1, 3), ['1/1', 'Running']);
      assert.deepEqual(byName.get('net')?.slice(5, 7), [node2IP, 'node-2']);
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );

  const second = await kubectlOk(server, ['describe', 'pod', 'second']);
  assert.match(
    second.stdout,
    /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/2 nodes are available: 1 node\(s\) didn't have free ports for the requested pod ports, 1 node\(s\) didn't match Pod's node affinity\/selector\. preemption: 0\/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling\./,
  );
  const bound = await kubectlOk(server, ['describe', 'pod', 'bound']);
  assert.match(bound.stdout, /Status:\s+Failed/);
  assert.match(bound.stdout, /Reason:\s+NodePorts/);
  assert.match(
    bound.stdout,
    /Message:\s+Pod was rejected: Predicate NodePorts failed: node\(s\) didn't have free ports for the requested pod ports/,
  );
  assert.match(bound.stdout, /Warning\s+NodePorts\s+.*kubelet\s+Predicate NodePorts failed/);

  await kubectlOk(server, ['delete', 'pod', 'first', '--grace-period=0', '--force']);
  await kubectlOk(server, ['wait', '--for=condition=Ready', 'pod/second', '--timeout=20s']);
  const { stdout } = await kubectlOk(server, ['get', 'pod', 'second', '-o', 'wide', '--no-headers']);
  assert.equal(rows(stdout)[0][6], 'node-1');
});

/**
 * Pods waiting for the ConfigMaps and Secrets they name, as the real kubectl shows them: a
 * DaemonSet mounting both stays ContainerCreating (describe shows FailedMount) until `kubectl
 * create configmap` / `create secret` make them, and a pod whose env names a missing ConfigMap
 * shows CreateContainerConfigError until it exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../helpers/eventually.js';
import { kubectlOk, kubectlOrSkip, useServer } from '../helpers/kubectl.js';

const server = useServer({ nodes: 2, app: { simulation: { podStartupMs: 20 } } });

const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: nginx
        volumeMounts:
        - name: config
          mountPath: /etc/agent
        - name: token
          mountPath: /var/run/agent
      volumes:
      - name: config
        configMap:
          name: agent-config
      - name: token
        secret:
          secretName: agent-token
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: reader
spec:
  containers:
  - name: app
    image: nginx
    env:
    - name: MODE
      valueFrom:
        configMapKeyRef:
          name: reader-config
          key: mode
`;

/** NAME and STATUS of the pods `args` select. */
async function statuses(args: string[]): Promise<string[][]> {
  const { stdout } = await kubectlOk(server, ['get', 'pods', ...args, '--no-headers']);
  return stdout
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map((r) => [r[0], r[2]]);
}

test('a DaemonSet mounting a missing ConfigMap and Secret: ContainerCreating and FailedMount, then Running after kubectl create', async (t) => {
  if (!kubectlOrSkip(t)) return;
  await kubectlOk(server, ['apply', '-f', '-'], { input: DS });
  let names: string[] = [];
  await waitFor(
    async () => {
      const rows = await statuses(['-l', 'app=agent']);
      assert.deepEqual(
        rows.map((r) => r[1]),
        ['ContainerCreating', 'ContainerCreating'],
      );
      names = rows.map((r) => r[0]);
      const { stdout } = await kubectlOk(server, ['describe', 'pod', names[0]]);
      assert.match(
        stdout,
        /Warning\s+FailedMount\s+.*kubelet\s+MountVolume\.SetUp failed for volume "config" : configmap "agent-config" not found/,
      );
      assert.match(
        stdout,
        /Warning\s+FailedMount\s+.*kubelet\s+MountVolume\.SetUp failed for volume "token" : secret "agent-token" not found/,
      );
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );

  await kubectlOk(server, ['create', 'configmap', 'agent-config', '--from-literal=level=debug']);
  const { stdout: stillWaiting } = await kubectlOk(server, ['get', 'pod', names[0], '--no-headers']);
  assert.match(stillWaiting, /ContainerCreating/, 'the Secret is still missing');
  await kubectlOk(server, ['create', 'secret', 'generic', 'agent-token', '--from-literal=token=s3cr3t']);
  const done = await kubectlOk(server, ['rollout', 'status', 'ds/agent', '--timeout=20s']);
  assert.match(done.stdout, /daemon set "agent" successfully rolled out/);
  assert.deepEqual(
    (await statuses(['-l', 'app=agent'])).map((r) => r[1]),
    ['Running', 'Running'],
  );
});

test('env naming a missing ConfigMap: CreateContainerConfigError with a Failed event, Running after kubectl create configmap', async (t) => {
  if (!kubectlOrSkip(t)) return;
  await kubectlOk(server, ['apply', '-f', '-'], { input: POD });
  await waitFor(
    async () => {
      assert.deepEqual(await statuses(['reader']), [['reader', 'CreateContainerConfigError']]);
      const { stdout } = await kubectlOk(server, ['describe', 'pod', 'reader']);
      assert.match(stdout, /Reason:\s+CreateContainerConfigError/);
      assert.match(stdout, /Warning\s+Failed\s+.*kubelet\s+Error: configmap "reader-config" not found/);
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
  await kubectlOk(server, ['create', 'configmap', 'reader-config', '--from-literal=other=x']);
  await waitFor(
    async () => {
      const { stdout } = await kubectlOk(server, ['describe', 'pod', 'reader']);
      assert.match(stdout, /Error: couldn't find key mode in ConfigMap default\/reader-config/);
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
  await kubectlOk(server, ['patch', 'configmap', 'reader-config', '-p', '{"data":{"mode":"fast"}}']);
  await kubectlOk(server, ['wait', '--for=condition=Ready', 'pod/reader', '--timeout=20s']);
  assert.deepEqual(await statuses(['reader']), [['reader', 'Running']]);
});

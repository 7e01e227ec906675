/**
 * A DaemonSet whose pods have a readiness gate, with the real kubectl: `rollout status` waits
 * while nobody sets the gate, and finishes once `kubectl patch --subresource=status` sets it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../helpers/eventually.js';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const server = useServer({ nodes: 2, app: { simulation: { podStartupMs: 20 } } });

const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: gated
spec:
  selector:
    matchLabels:
      app: gated
  template:
    metadata:
      labels:
        app: gated
    spec:
      readinessGates:
      - conditionType: example.com/lb-ready
      containers:
      - name: c
        image: nginx
`;

test('rollout status waits for a readiness gate nobody set, and finishes once kubectl patch sets it', async (t) => {
  if (!kubectlOrSkip(t)) return;
  await kubectlOk(server, ['apply', '-f', '-'], { input: DS });
  let names: string[] = [];
  await waitFor(
    async () => {
      // NAME READY STATUS RESTARTS AGE IP NODE NOMINATED-NODE READINESS-GATES
      const { stdout } = await kubectlOk(server, ['get', 'pods', '-l', 'app=gated', '-o', 'wide', '--no-headers']);
      const rows = stdout
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/));
      assert.deepEqual(
        rows.map((r) => [r[1], r[2], r[8]]),
        [
          ['1/1', 'Running', '0/1'],
          ['1/1', 'Running', '0/1'],
        ],
      );
      names = rows.map((r) => r[0]);
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );

  const waiting = await runKubectl(server, ['rollout', 'status', 'ds/gated', '--timeout=2s']);
  assert.notEqual(waiting.code, 0, waiting.stdout);
  assert.match(waiting.stdout, /Waiting for daemon set "gated" rollout to finish: 0 of 2 updated pods are available/);
  assert.match(waiting.stderr, /timed out waiting for the condition/);

  for (const name of names) {
    await kubectlOk(server, [
      'patch',
      'pod',
      name,
      '--subresource=status',
      '--type=strategic',
      '-p',
      '{"status":{"conditions":[{"type":"example.com/lb-ready","status":"True"}]}}',
    ]);
  }
  const done = await kubectlOk(server, ['rollout', 'status', 'ds/gated', '--timeout=20s']);
  assert.match(done.stdout, /daemon set "gated" successfully rolled out/);
  const { stdout } = await kubectlOk(server, ['get', 'pods', '-l', 'app=gated', '-o', 'wide', '--no-headers']);
  assert.deepEqual(
    stdout
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[8]),
    ['1/1', '1/1'],
  );
});

/**
 * Graceful termination and container restarts with the real kubectl and default flags: simulated
 * containers exit on SIGTERM, so a DaemonSet rollout restart and a namespace deletion finish in
 * seconds, not grace period after grace period; `kubectl set image` on a pod restarts that
 * container.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/eventually.js';

const server = useServer({ nodes: 3 });

async function ok(args: string[], input?: string): Promise<string> {
  const res = await runKubectl(server, args, input === undefined ? {} : { input });
  assert.equal(res.code, 0, `kubectl ${args.join(' ')} exited ${res.code}\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

const daemonSet = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: c
        image: nginx:1.27
`;

test('kubectl rollout restart of a DaemonSet on 3 nodes completes within rollout status --timeout=20s', async (t) => {
  if (!kubectlOrSkip(t)) return;
  await ok(['apply', '-f', '-'], daemonSet);
  await ok(['rollout', 'status', 'ds/agent', '--timeout=20s']);
  await ok(['rollout', 'restart', 'ds/agent']);
  // Each old pod takes its 30 s grace period only if its container ignores SIGTERM; these exit.
  const out = await ok(['rollout', 'status', 'ds/agent', '--timeout=20s']);
  assert.match(out, /daemon set "agent" successfully rolled out\n$/);
});

test('kubectl delete namespace with running pods returns once they have stopped', async (t) => {
  if (!kubectlOrSkip(t)) return;
  await ok(['create', 'namespace', 'shortlived']);
  await ok(['-n', 'shortlived', 'run', 'web', '--image=nginx:1.27']);
  await ok(['-n', 'shortlived', 'wait', '--for=condition=Ready', 'pod/web', '--timeout=20s']);
  await ok(['delete', 'namespace', 'shortlived', '--timeout=20s']);
});

test('kubectl set image on a pod restarts that container with the new image', async (t) => {
  if (!kubectlOrSkip(t)) return;
  await ok(['run', 'single', '--image=nginx:1.27']);
  await ok(['wait', '--for=condition=Ready', 'pod/single', '--timeout=20s']);
  await ok(['set', 'image', 'pod/single', 'single=nginx:1.28']);
  const status = await waitFor(async () => {
    const s = JSON.parse(await ok(['get', 'pod', 'single', '-o', 'json'])).status.containerStatuses[0];
    assert.equal(s.restartCount, 1);
    return s;
  });
  assert.equal(status.image, 'docker.io/library/nginx:1.28');
  assert.equal(status.lastState.terminated.reason, 'Completed');
  const events = await ok([
    'get',
    'events',
    '--field-selector',
    'involvedObject.name=single,reason=Killing',
    '-o',
    'jsonpath={.items[*].message}',
  ]);
  assert.equal(events, 'Container single definition changed, will be restarted');
});

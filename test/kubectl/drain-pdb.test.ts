/**
 * "A drain blocked by a PDB, then allowed": kubectl drain meets a PodDisruptionBudget that allows no
 * disruption, prints kubectl's retry line for the 429 and keeps trying every 5 s; once the budget
 * is relaxed the next eviction goes through and the node drains. Also `kubectl get pdb` columns.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer, type TestServer } from '../helpers/kubectl.js';

const pod = (name: string, node: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: node, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'nginx' }] },
  });

const budget = JSON.stringify({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'default' },
  spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
});

/** Starts kubectl and resolves `seen` once its stderr matches `re` (or it exits), `done` when it exits. */
function kubectlUntil(bin: string, server: TestServer, args: string[], re: RegExp) {
  const env = { ...process.env };
  delete env.KUBECONFIG;
  const child = spawn(bin, ['--kubeconfig', server.kubeconfigPath, '--cache-dir', server.cacheDir, ...args], { env, shell: false });
  let stdout = '';
  let stderr = '';
  let markSeen!: () => void;
  const seen = new Promise<void>((resolve) => (markSeen = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (re.test(stderr)) markSeen();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      markSeen();
      resolve({ code, stdout, stderr });
    }),
  );
  child.stdin.end();
  return { seen, done };
}

describe('kubectl drain against a PodDisruptionBudget', () => {
  const server = useServer({ nodes: 2 });

  it('get pdb shows the budget; drain retries on the 429 and completes once the budget is relaxed', async (t) => {
    const bin = kubectlOrSkip(t);
    if (!bin) return;
    await kubectlOk(server, ['create', '-f', '-'], { input: pod('web-1', 'node-1') });
    await kubectlOk(server, ['create', '-f', '-'], { input: pod('web-2', 'node-2') });
    await kubectlOk(server, ['wait', '--for=condition=Ready', 'pod/web-1', 'pod/web-2', '--timeout=20s']);
    await kubectlOk(server, ['create', '-f', '-'], { input: budget });
    await kubectlOk(server, ['wait', '--for=jsonpath={.status.observedGeneration}=1', 'pdb/web', '--timeout=20s']);

    const table = await kubectlOk(server, ['get', 'pdb']);
    assert.match(
      table.stdout,
      /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nweb\s+2\s+N\/A\s+0\s+\d+s\n$/,
      table.stdout,
    );

    const retryLine =
      /error when evicting pods\/"web-1" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./;
    const drain = kubectlUntil(
      bin,
      server,
      ['drain', 'node-1', '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=40s'],
      retryLine,
    );
    await drain.seen;
    assert.equal((await runKubectl(server, ['get', 'pod', 'web-1'])).code, 0, 'the budget keeps the pod');
    await kubectlOk(server, ['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);

    const result = await drain.done;
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stderr, retryLine);
    const lines = `${result.stdout}${result.stderr}`.trimEnd().split('\n');
    for (const line of [/^node\/node-1 cordoned$/, /^evicting pod default\/web-1$/, /^pod\/web-1 evicted$/, /^node\/node-1 drained$/]) {
      assert.ok(
        lines.some((l) => line.test(l)),
        `no line ${line} in:\n${lines.join('\n')}`,
      );
    }
    assert.equal((await runKubectl(server, ['get', 'pod', 'web-1'])).code, 1, 'evicted');
    const after = await kubectlOk(server, ['get', 'pdb', 'web', '-o', 'jsonpath={.status.currentHealthy}/{.status.desiredHealthy}']);
    assert.equal(after.stdout, '1/1');
  });
});

/**
 * The Show with the real kubectl: `kubectl create -f` of nodes written as KWOK examples
 * write them (only a Ready condition), then the tutorial DaemonSet: its pods run on the node IPs
 * the simulated kubelet registered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/eventually.js';
import { kubectlOk, kubectlOrSkip, useServer } from '../helpers/kubectl.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const server = useServer({ app: { simulation: { podStartupMs: 20 } } });

const NAMES = ['kwok-node-0', 'kwok-node-1', 'kwok-node-2'];
const NODES = NAMES.map(
  (name) => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
status:
  conditions:
  - type: Ready
    status: "True"
`,
).join('---\n');

const rows = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));

test("kubectl create of Ready-only nodes and the tutorial DaemonSet: pods Running on the nodes' INTERNAL-IPs", async (t) => {
  if (!kubectlOrSkip(t)) return;
  const created = await kubectlOk(server, ['create', '-f', '-'], { input: NODES });
  assert.deepEqual(
    created.stdout.trim().split('\n'),
    NAMES.map((n) => `node/${n} created`),
  );
  await kubectlOk(server, ['create', '-f', fixture('tutorial-daemonset.yaml')]);
  await kubectlOk(server, ['rollout', 'status', 'ds/fluentd-elasticsearch', '-n', 'kube-system', '--timeout=20s']);

  // NAME STATUS ROLES AGE VERSION INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME
  const nodes = await kubectlOk(server, ['get', 'nodes', '-o', 'wide']);
  const [header, ...nodeRows] = rows(nodes.stdout);
  assert.equal(header[5], 'INTERNAL-IP');
  const ipOf = new Map<string, string>();
  for (const row of nodeRows) {
    assert.equal(row[1], 'Ready', row.join(' '));
    assert.match(row[5], /^\d+\.\d+\.\d+\.\d+$/, `INTERNAL-IP of ${row[0]}: ${row.join(' ')}`);
    assert.equal(row[6], '<none>', 'EXTERNAL-IP');
    ipOf.set(row[0], row[5]);
  }
  assert.deepEqual([...ipOf.keys()].sort(), NAMES);
  assert.equal(new Set(ipOf.values()).size, 3);

  await waitFor(
    async () => {
      // NAME READY STATUS RESTARTS AGE IP NODE NOMINATED-NODE READINESS-GATES
      const pods = await kubectlOk(server, ['get', 'pods', '-n', 'kube-system', '-o', 'wide', '--no-headers']);
      const podRows = rows(pods.stdout);
      assert.equal(podRows.length, 3, pods.stdout);
      for (const row of podRows) {
        assert.deepEqual(row.slice(1, 3), ['1/1', 'Running'], row.join(' '));
        assert.match(row[5], /^10\.\d+\.\d+\.\d+$/, `pod IP: ${row.join(' ')}`);
        assert.ok(ipOf.has(row[6]), `NODE: ${row.join(' ')}`);
      }
      assert.deepEqual(podRows.map((r) => r[6]).sort(), NAMES);
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );

  // The pods' hostIP is the node's INTERNAL-IP.
  const hostIPs = await kubectlOk(server, [
    'get',
    'pods',
    '-n',
    'kube-system',
    '-o',
    'jsonpath={range .items[*]}{.spec.nodeName}={.status.hostIP}{"\\n"}{end}',
  ]);
  for (const line of hostIPs.stdout.trim().split('\n')) {
    const [name, ip] = line.split('=');
    assert.equal(ip, ipOf.get(name), line);
  }
});

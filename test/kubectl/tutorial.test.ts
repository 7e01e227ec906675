/**
 * The DaemonSet tutorial's transcript with the real kubectl: four nodes (a tainted master and
 * three workers), the fluentd-elasticsearch DaemonSet, then nodes joining and leaving.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/eventually.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const server = useServer({ app: { simulation: { podStartupMs: 20, maxTerminationMs: 200 } } });

const kubectl = (...args: string[]) => runKubectl(server, args);

async function dsRow(): Promise<string[]> {
  const res = await kubectl('get', 'ds', '-A', '--no-headers');
  assert.equal(res.code, 0, res.stderr);
  return res.stdout.trim().split(/\s+/);
}

test('four nodes, the tutorial DaemonSet: 4 4 4 4 4 and four Running pods', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const nodes = await kubectl('create', '-f', fixture('tutorial-cluster.yaml'));
  assert.equal(nodes.code, 0, nodes.stderr);
  assert.match(nodes.stdout, /node\/master created/);
  const ds = await kubectl('create', '-f', fixture('tutorial-daemonset.yaml'));
  assert.equal(ds.code, 0, ds.stderr);
  assert.equal(ds.stdout.trim(), 'daemonset.apps/fluentd-elasticsearch created');
  await waitFor(
    async () => {
      const row = await dsRow();
      // NAMESPACE NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE-SELECTOR AGE
      assert.deepEqual(row.slice(0, 8), ['kube-system', 'fluentd-elasticsearch', '4', '4', '4', '4', '4', '<none>']);
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
  const pods = await kubectl('get', 'pod', '-A', '--no-headers');
  const lines = pods.stdout.trim().split('\n');
  assert.equal(lines.length, 4, pods.stdout);
  for (const line of lines)
    assert.match(line, /^kube-system\s+fluentd-elasticsearch-[bcdfghjklmnpqrstvwxz2456789]{5}\s+1\/1\s+Running\s+0\s+\S+$/);
  const wide = await kubectl('get', 'pod', '-n', 'kube-system', '-o', 'wide', '--no-headers');
  const onNodes = wide.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(/\s+/)[6])
    .sort();
  assert.deepEqual(onNodes, ['master', 'node-1', 'node-2', 'node-3']);
});

test('a node that joins gets a pod; a node that leaves has its pod collected', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const add = await runKubectl(server, ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-4', labels: { 'kubernetes.io/hostname': 'node-4' } } }),
  });
  assert.equal(add.code, 0, add.stderr);
  await waitFor(async () => assert.deepEqual((await dsRow()).slice(2, 7), ['5', '5', '5', '5', '5']), {
    timeoutMs: 15_000,
    intervalMs: 200,
  });
  const del = await kubectl('delete', 'node', 'node-4');
  assert.equal(del.code, 0, del.stderr);
  await waitFor(
    async () => {
      assert.deepEqual((await dsRow()).slice(2, 7), ['4', '4', '4', '4', '4']);
      const pods = await kubectl('get', 'pods', '-n', 'kube-system', '--field-selector', 'spec.nodeName=node-4', '--no-headers');
      assert.equal(pods.stdout.trim(), '');
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
});

test('a DaemonSet without the master toleration runs on the three workers', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const manifest = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'workers-only', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'w' } },
      template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
    },
  };
  const res = await runKubectl(server, ['apply', '-f', '-'], { input: JSON.stringify(manifest) });
  assert.equal(res.code, 0, res.stderr);
  await waitFor(
    async () => {
      const row = (await kubectl('get', 'ds', 'workers-only', '--no-headers')).stdout.trim().split(/\s+/);
      assert.deepEqual(row.slice(1, 6), ['3', '3', '3', '3', '3']);
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
});

test('deleting the DaemonSet deletes its pods', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const res = await kubectl('delete', 'ds', '-n', 'kube-system', 'fluentd-elasticsearch');
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout.trim(), 'daemonset.apps "fluentd-elasticsearch" deleted');
  await waitFor(
    async () => {
      const pods = await kubectl('get', 'pods', '-n', 'kube-system', '--no-headers');
      assert.equal(pods.stdout.trim(), '', pods.stdout);
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
});

/**
 * The DaemonSet tutorial's "Communicating with Daemon Pods" with the real kubectl: a DaemonSet with
 * a hostPort and a headless Service selecting its pods; `kubectl get ep` lists one address per
 * node, a node that leaves takes its address along, a pod that stops being ready moves to
 * notReadyAddresses; `kubectl describe svc` shows the endpoints with every kubectl version.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findKubectlVersions, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/eventually.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const server = useServer({ app: { simulation: { podStartupMs: 20, maxTerminationMs: 200 } } });
const kubectl = (...args: string[]) => runKubectl(server, args);

const MANIFESTS = `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
spec:
  selector:
    matchLabels: {app: node-agent}
  template:
    metadata:
      labels: {app: node-agent}
    spec:
      tolerations:
      - {key: node-role.kubernetes.io/master, operator: Exists, effect: NoSchedule}
      containers:
      - name: agent
        image: registry.k8s.io/pause:3.9
        ports:
        - {name: metrics, containerPort: 9100, hostPort: 9100}
---
apiVersion: v1
kind: Service
metadata:
  name: node-agent
spec:
  clusterIP: None
  selector: {app: node-agent}
  ports:
  - {name: metrics, port: 9100, targetPort: metrics}
`;

/** Pod name → [pod IP, node] of the DaemonSet's pods, as kubectl reads them. */
async function podsByName(): Promise<Map<string, { ip: string; node: string }>> {
  const res = await kubectl(
    'get',
    'pods',
    '-l',
    'app=node-agent',
    '-o',
    'jsonpath={range .items[*]}{.metadata.name} {.status.podIP} {.spec.nodeName}{"\\n"}{end}',
  );
  assert.equal(res.code, 0, res.stderr);
  const rows = res.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '));
  return new Map(rows.map(([name, ip, node]) => [name, { ip, node }]));
}

const ipsOf = async (field: 'addresses' | 'notReadyAddresses') => {
  const res = await kubectl('get', 'ep', 'node-agent', '-o', `jsonpath={.subsets[*].${field}[*].ip}`);
  assert.equal(res.code, 0, res.stderr);
  return res.stdout.trim().split(/\s+/).filter(Boolean).sort();
};

const byNumber = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

test('one endpoint per node with the pod IPs: kubectl get ep, endpointslices and describe svc', async (t) => {
  if (!kubectlOrSkip(t)) return;
  assert.equal((await kubectl('create', '-f', fixture('tutorial-cluster.yaml'))).code, 0);
  const created = await runKubectl(server, ['apply', '-f', '-'], { input: MANIFESTS });
  assert.equal(created.code, 0, created.stderr);
  const pods = await waitFor(
    async () => {
      const p = await podsByName();
      assert.equal([...p.values()].filter((x) => x.ip).length, 4);
      assert.equal((await ipsOf('addresses')).length, 4);
      return p;
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
  const ips = [...pods.values()].map((p) => p.ip).sort();
  assert.deepEqual(await ipsOf('addresses'), ips);
  assert.equal(new Set([...pods.values()].map((p) => p.node)).size, 4, 'one pod per node');

  const sorted = [...ips].sort(byNumber);
  const ep = await kubectl('get', 'ep', 'node-agent', '--no-headers');
  assert.equal(ep.code, 0, ep.stderr);
  assert.equal(ep.stderr.trim(), 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
  const [name, endpoints] = ep.stdout.trim().split(/\s+/);
  assert.equal(name, 'node-agent');
  assert.equal(
    endpoints,
    sorted
      .slice(0, 3)
      .map((ip) => `${ip}:9100`)
      .join(','),
  );
  assert.match(ep.stdout, / \+ 1 more\.\.\./);

  const slices = await kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=node-agent', '--no-headers');
  assert.equal(slices.code, 0, slices.stderr);
  const row = slices.stdout.trim().split(/\s+/);
  assert.match(row[0], /^node-agent-[a-z0-9]{5}$/);
  assert.deepEqual(row.slice(1, 3), ['IPv4', '9100']);
  assert.deepEqual(row.slice(4, 7), ['+', '1', 'more...']);
  assert.equal(row[3].split(',').length, 3);
  for (const ip of row[3].split(',')) assert.ok(ips.includes(ip), `${ip} is a pod IP`);

  for (const { version, path } of findKubectlVersions().filter((v) => ['1.27', '1.33'].includes(v.version))) {
    const describe = await runKubectl(server, ['describe', 'svc', 'node-agent'], { bin: path });
    assert.equal(describe.code, 0, describe.stderr);
    const line = describe.stdout.split('\n').find((l) => l.startsWith('Endpoints:'));
    assert.ok(line, `kubectl ${version} prints Endpoints:\n${describe.stdout}`);
    const shown = line
      .replace(/^Endpoints:\s+/, '')
      .replace(/ \+ 1 more\.\.\.$/, '')
      .split(',');
    assert.equal(shown.length, 3, `kubectl ${version}: ${line}`);
    for (const hostPort of shown) assert.ok(ips.includes(hostPort.replace(/:9100$/, '')), `kubectl ${version}: ${hostPort}`);
  }
});

test('a node leaves: its pod and its address go', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const before = await podsByName();
  const onNode3 = [...before.values()].find((p) => p.node === 'node-3');
  assert.ok(onNode3);
  assert.equal((await kubectl('delete', 'node', 'node-3')).code, 0);
  await waitFor(
    async () => {
      const ips = await ipsOf('addresses');
      assert.equal(ips.length, 3);
      assert.ok(!ips.includes(onNode3.ip));
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
  const ep = await kubectl('get', 'ep', 'node-agent', '--no-headers');
  assert.doesNotMatch(ep.stdout, /more/);
});

test('a pod that stops being ready moves to notReadyAddresses', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const pods = await podsByName();
  const [name, pod] = [...pods.entries()].find(([, p]) => p.node === 'node-1')!;
  const res = await fetch(`${server.url}/kubemock/v1/chaos`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'pod-never-ready', namespace: 'default', pod: name }),
  });
  assert.ok(res.ok, await res.text());
  await waitFor(async () => assert.deepEqual(await ipsOf('notReadyAddresses'), [pod.ip]), { timeoutMs: 15_000, intervalMs: 200 });
  const ready = await ipsOf('addresses');
  assert.equal(ready.length, 2);
  assert.ok(!ready.includes(pod.ip));
  const slice = await kubectl(
    'get',
    'endpointslices',
    '-l',
    'kubernetes.io/service-name=node-agent',
    '-o',
    `jsonpath={.items[0].endpoints[?(@.targetRef.name=="${name}")].conditions.ready}`,
  );
  assert.equal(slice.stdout.trim(), 'false');
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../helpers/eventually.js';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

/** A DaemonSet that fits only on `node` (none when undefined); OnDelete, so it never replaces a pod. */
function daemonSet(name: string, node = 'no-such-node'): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: 'OnDelete' },
      template: {
        metadata: { labels: { app: name } },
        spec: { nodeSelector: { 'kubernetes.io/hostname': node }, containers: [{ name: 'c', image: 'nginx' }] },
      },
    },
  });
}

interface Listed {
  items: { metadata: { name: string; ownerReferences?: { uid: string }[]; deletionTimestamp?: string } }[];
}

describe('kubectl delete --cascade / --wait and kubectl drain', () => {
  const server = useServer({ nodes: 2 });

  const revisionsOf = async (ds: string) => {
    const { stdout } = await kubectlOk(server, ['get', 'controllerrevisions', '-l', `app=${ds}`, '-o', 'json']);
    return (JSON.parse(stdout) as Listed).items;
  };
  const uidOf = async (ds: string) => (await kubectlOk(server, ['get', 'ds', ds, '-o', 'jsonpath={.metadata.uid}'])).stdout;

  /** Creates the DaemonSet and waits for the revision its controller records. */
  async function createWithRevision(name: string): Promise<string> {
    await kubectlOk(server, ['create', '-f', '-'], { input: daemonSet(name) });
    const uid = await uidOf(name);
    await waitFor(
      async () => assert.equal((await revisionsOf(name)).filter((r) => r.metadata.ownerReferences?.[0]?.uid === uid).length, 1),
      { timeoutMs: 10_000 },
    );
    return uid;
  }

  for (const cascade of ['background', 'foreground'] as const) {
    it(`delete ds --cascade=${cascade} --wait: gone when kubectl returns, and its revisions collected`, async (t) => {
      if (!kubectlOrSkip(t)) return;
      const name = `ds-${cascade}`;
      await createWithRevision(name);
      const { stdout } = await kubectlOk(server, ['delete', 'ds', name, `--cascade=${cascade}`, '--wait']);
      assert.equal(stdout, `daemonset.apps "${name}" deleted\n`);
      const get = await runKubectl(server, ['get', 'ds', name]);
      assert.equal(get.stderr.trim(), `Error from server (NotFound): daemonsets.apps "${name}" not found`);
      if (cascade === 'foreground') assert.deepEqual(await revisionsOf(name), [], 'foreground: dependents went first');
      else await waitFor(async () => assert.deepEqual(await revisionsOf(name), []), { timeoutMs: 10_000 });
    });
  }

  it('delete ds --cascade=orphan: the revision stays, without the ownerReference', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const uid = await createWithRevision('ds-orphan');
    const { stdout } = await kubectlOk(server, ['delete', 'ds', 'ds-orphan', '--cascade=orphan']);
    assert.equal(stdout, 'daemonset.apps "ds-orphan" deleted\n');
    assert.equal((await runKubectl(server, ['get', 'ds', 'ds-orphan'])).code, 1);
    const revisions = await revisionsOf('ds-orphan');
    assert.equal(revisions.length, 1);
    assert.equal(revisions[0].metadata.ownerReferences, undefined, `still owned by ${uid}`);
  });

  it('delete ns waits until the namespace and its content are gone', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['create', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }),
    });
    // Graceful deletion takes the grace period (a second here) before the namespace can go.
    const web = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'team' },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'nginx' }] },
    };
    await kubectlOk(server, ['create', '-f', '-'], { input: JSON.stringify(web) });
    await kubectlOk(server, ['create', '-f', '-', '-n', 'team'], {
      input: daemonSet('agent').replace('"namespace":"default"', '"namespace":"team"'),
    });
    const { stdout } = await kubectlOk(server, ['delete', 'ns', 'team']);
    assert.equal(stdout, 'namespace "team" deleted\n');
    const get = await runKubectl(server, ['get', 'ns', 'team']);
    assert.equal(get.stderr.trim(), 'Error from server (NotFound): namespaces "team" not found');
    const pods = await kubectlOk(server, ['get', 'pods', '-n', 'team', '-o', 'json']);
    assert.deepEqual((JSON.parse(pods.stdout) as Listed).items, []);
  });

  describe('drain node-1', () => {
    const webPod = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      // Grace 0: gone as soon as it is evicted, whether or not a kubelet runs.
      spec: {
        nodeName: 'node-1',
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'c', image: 'nginx' }],
        volumes: [{ name: 'scratch', emptyDir: {} }],
      },
    });

    it('refuses pods that declare no controller without --force; an empty node drains at once', async (t) => {
      if (!kubectlOrSkip(t)) return;
      // An untolerated NoSchedule taint: the DaemonSet creates no pod on node-1 but keeps the one made by hand.
      await kubectlOk(server, ['taint', 'nodes', 'node-1', 'example.com/keep-out=yes:NoSchedule']);
      await kubectlOk(server, ['create', '-f', '-'], { input: daemonSet('fluentd', 'node-1') });
      await kubectlOk(server, ['create', '-f', '-'], { input: webPod });
      await createDaemonPod();
      const empty = await kubectlOk(server, ['drain', 'node-2', '--ignore-daemonsets', '--delete-emptydir-data']);
      assert.equal(empty.stdout, 'node/node-2 cordoned\nnode/node-2 drained\n');
      const refused = await runKubectl(server, ['drain', 'node-1', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=20s']);
      assert.equal(refused.code, 1, refused.stdout);
      // kubectl's own wording, "cannot delete" twice included.
      assert.match(
        refused.stderr,
        /^error: unable to drain node "node-1" due to error: cannot delete cannot delete Pods that declare no controller \(use --force to override\): default\/web, continuing command\.\.\.$/m,
      );
      assert.equal((await runKubectl(server, ['get', 'pod', 'web'])).code, 0);
      assert.equal((await kubectlOk(server, ['uncordon', 'node-1'])).stdout, 'node/node-1 uncordoned\n');
    });

    it('--force evicts the plain pod, skips the DaemonSet pod, and reports it as upstream does', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const result = await runKubectl(server, [
        'drain',
        'node-1',
        '--ignore-daemonsets',
        '--delete-emptydir-data',
        '--force',
        '--timeout=20s',
      ]);
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      const lines = `${result.stdout}${result.stderr}`.trimEnd().split('\n');
      for (const line of [/^node\/node-1 cordoned$/, /^evicting pod default\/web$/, /^pod\/web evicted$/, /^node\/node-1 drained$/]) {
        assert.ok(
          lines.some((l) => line.test(l)),
          `no line ${line} in:\n${lines.join('\n')}`,
        );
      }
      // kubectl joins its warnings in Go map order, which varies from run to run.
      const warning = lines.find((l) => l.startsWith('Warning: '));
      assert.deepEqual(
        new Set(warning?.slice('Warning: '.length).split('; ')),
        new Set(['ignoring DaemonSet-managed Pods: default/fluentd-node-1', 'deleting Pods that declare no controller: default/web']),
        warning,
      );
      assert.equal((await runKubectl(server, ['get', 'pod', 'web'])).code, 1, 'the plain pod is gone');
      assert.equal((await runKubectl(server, ['get', 'pod', 'fluentd-node-1'])).code, 0, 'the DaemonSet pod stays');
      const node = await kubectlOk(server, ['get', 'node', 'node-1', '-o', 'jsonpath={.spec.unschedulable}']);
      assert.equal(node.stdout, 'true');
    });

    /** A pod the DaemonSet owns, on node-1, made by hand so that no scheduler or kubelet is needed. */
    async function createDaemonPod(): Promise<void> {
      const uid = await uidOf('fluentd');
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'fluentd-node-1',
          namespace: 'default',
          labels: { app: 'fluentd' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] },
      };
      await kubectlOk(server, ['create', '-f', '-'], { input: JSON.stringify(pod) });
    }
  });
});

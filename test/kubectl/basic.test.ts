import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { waitFor } from '../helpers/eventually.js';
import { findKubectlVersions, kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const DAEMONSET = fileURLToPath(new URL('../fixtures/tutorial-daemonset.yaml', import.meta.url));
const NODES = ['node-1', 'node-2', 'node-3', 'node-4'];

/** The NAME column (or the given column) of a `kubectl get` table, header dropped. */
function column(table: string, index = 0): string[] {
  return table
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((row) => row.trim().split(/\s+/)[index] ?? '');
}

describe('kubectl against kubemock', () => {
  const server = useServer({ nodes: 4 });

  it('get ns lists the four namespaces every cluster starts with', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['get', 'ns']);
    const names = column(stdout);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      assert.ok(names.includes(ns), `namespace ${ns} missing from:\n${stdout}`);
    }
  });

  it('get ns shows the columns of a real cluster: every namespace Active', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['get', 'ns']);
    assert.match(stdout, /^NAME\s+STATUS\s+AGE\n/);
    assert.deepEqual(new Set(column(stdout, 1)), new Set(['Active']), stdout);
  });

  it('get nodes lists node-1..node-4', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['get', 'nodes']);
    assert.deepEqual(column(stdout), NODES, stdout);
  });

  it('get nodes shows the columns of a real cluster: every node Ready', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['get', 'nodes']);
    assert.match(stdout, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
    assert.deepEqual(
      column(stdout, 1),
      NODES.map(() => 'Ready'),
      stdout,
    );
  });

  it('get pod nope fails with NotFound', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const result = await runKubectl(server, ['get', 'pod', 'nope']);
    assert.equal(result.code, 1, `expected exit 1:\n${result.stdout}${result.stderr}`);
    assert.equal(result.stderr.trim(), 'Error from server (NotFound): pods "nope" not found');
  });

  describe('the tutorial DaemonSet', () => {
    it('create -f prints that it was created', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const { stdout } = await kubectlOk(server, ['create', '-f', DAEMONSET]);
      assert.equal(stdout, 'daemonset.apps/fluentd-elasticsearch created\n');
    });

    it('get ds -A lists it in kube-system, with the DaemonSet columns', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const { stdout } = await kubectlOk(server, ['get', 'ds', '-A']);
      assert.match(stdout, /^kube-system\s+fluentd-elasticsearch\s/m);
      assert.match(stdout, /^NAMESPACE\s+NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\n/);
    });

    it('get -o yaml shows the defaults the server filled in', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const { stdout } = await kubectlOk(server, ['get', 'ds', '-n', 'kube-system', 'fluentd-elasticsearch', '-o', 'yaml']);
      assert.match(stdout, /^\s+revisionHistoryLimit: 10$/m);
      assert.match(stdout, /^\s+maxUnavailable: 1$/m);
      assert.match(stdout, /^\s+deprecated\.daemonset\.template\.generation: "1"$/m);
      assert.match(stdout, /^\s+imagePullPolicy: IfNotPresent$/m);
      const ds = parse(stdout) as { kind: string; metadata: { name: string; namespace: string; uid?: string } };
      assert.equal(ds.kind, 'DaemonSet');
      assert.equal(ds.metadata.namespace, 'kube-system');
      assert.ok(ds.metadata.uid, 'metadata.uid missing');
    });

    it('get -o json parses', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const { stdout } = await kubectlOk(server, ['get', 'ds', '-n', 'kube-system', 'fluentd-elasticsearch', '-o', 'json']);
      const ds = JSON.parse(stdout) as {
        apiVersion: string;
        kind: string;
        metadata: { name: string };
        spec: { revisionHistoryLimit: number };
      };
      assert.equal(ds.apiVersion, 'apps/v1');
      assert.equal(ds.kind, 'DaemonSet');
      assert.equal(ds.metadata.name, 'fluentd-elasticsearch');
      assert.equal(ds.spec.revisionHistoryLimit, 10);
    });

    it('the controller runs one pod on each of the 4 nodes', async (t) => {
      if (!kubectlOrSkip(t)) return;
      await waitFor(
        async () => {
          const { stdout } = await kubectlOk(server, [
            'get',
            'pods',
            '-n',
            'kube-system',
            '-l',
            'name=fluentd-elasticsearch',
            '-o',
            'json',
          ]);
          const pods = (JSON.parse(stdout) as { items: { spec: { nodeName?: string } }[] }).items;
          assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), NODES);
          const ds = await kubectlOk(server, ['get', 'ds', '-n', 'kube-system', 'fluentd-elasticsearch', '-o', 'json']);
          assert.equal((JSON.parse(ds.stdout) as { status?: { desiredNumberScheduled?: number } }).status?.desiredNumberScheduled, 4);
        },
        { timeoutMs: 15_000, intervalMs: 250 },
      );
    });

    it('delete prints that it was deleted, and a get then fails with NotFound', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const deleted = await kubectlOk(server, ['delete', 'ds', '-n', 'kube-system', 'fluentd-elasticsearch']);
      assert.equal(deleted.stdout, 'daemonset.apps "fluentd-elasticsearch" deleted\n');
      const get = await runKubectl(server, ['get', 'ds', '-n', 'kube-system', 'fluentd-elasticsearch']);
      assert.equal(get.code, 1, `expected exit 1:\n${get.stdout}${get.stderr}`);
      assert.equal(get.stderr.trim(), 'Error from server (NotFound): daemonsets.apps "fluentd-elasticsearch" not found');
    });
  });

  describe('every versioned kubectl', () => {
    const versions = findKubectlVersions();
    if (versions.length === 0) {
      it('finds kubectl.1.NN binaries beside kubectl', (t) => {
        if (!kubectlOrSkip(t)) return;
        t.skip('no kubectl.1.NN beside the kubectl on PATH');
      });
    }
    for (const { version, path } of versions) {
      it(`kubectl ${version}: get ns, get nodes and version exit 0`, async () => {
        // Its own discovery cache, so that each version talks discovery with the server itself.
        const own = { kubeconfigPath: server.kubeconfigPath, cacheDir: join(dirname(server.cacheDir), `cache-${version}`) };
        for (const args of [['get', 'ns'], ['get', 'nodes'], ['version']]) {
          const { stdout } = await kubectlOk(own, args, { bin: path });
          // 1.27 prints version.Info{…} structs, 1.28+ the short form.
          if (args[0] === 'version') assert.match(stdout, /^Server Version: (?:v|version\.Info\{.*GitVersion:"v)\d+\.\d+\.\d+/m);
          if (args[1] === 'nodes') assert.deepEqual(column(stdout), NODES, stdout);
        }
      });
    }
  });
});

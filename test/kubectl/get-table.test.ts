/**
 * Real kubectl reading the server's Tables: headers, cells, -o wide, -A, --sort-by, --show-labels,
 * -L, a single GET and a watch, as kubectl 1.27–1.33 print them.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { findKubectlVersions, kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const DAEMONSET = fileURLToPath(new URL('../fixtures/tutorial-daemonset.yaml', import.meta.url));
const NODES = ['node-1', 'node-2', 'node-3'];

/** Header line and body lines of a `kubectl get` table. */
function lines(stdout: string): { header: string; rows: string[] } {
  const [header = '', ...rows] = stdout.trimEnd().split('\n');
  return { header, rows };
}

/** One whitespace-separated column of a table (works while the cells before it have no spaces). */
function column(stdout: string, index = 0): string[] {
  return lines(stdout).rows.map((row) => row.trim().split(/\s+/)[index] ?? '');
}

const AGE = '(?:\\d+[smhdy])+';

const pod = (name: string, image: string, labels: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image }] } });

describe("kubectl get prints the server's Tables", () => {
  const server = useServer({ nodes: NODES.length });

  it('get nodes: NAME STATUS ROLES AGE VERSION', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['get', 'nodes']);
    const { header, rows } = lines(stdout);
    assert.match(header, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    assert.equal(rows.length, NODES.length, stdout);
    NODES.forEach((name, i) => assert.match(rows[i], new RegExp(`^${name}\\s+Ready\\s+<none>\\s+${AGE}\\s+v\\d+\\.\\d+\\.\\d+$`), stdout));
  });

  it('get nodes -o wide adds INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['get', 'nodes', '-o', 'wide']);
    const { header, rows } = lines(stdout);
    assert.match(
      header,
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/,
    );
    for (const row of rows)
      assert.match(
        row,
        new RegExp(`^node-\\d\\s+Ready\\s+<none>\\s+${AGE}\\s+v\\S+\\s+\\d+\\.\\d+\\.\\d+\\.\\d+\\s+<none>\\s+.+\\s+\\S+\\s+\\S+://\\S+$`),
        stdout,
      );
  });

  it('a cordoned node shows Ready,SchedulingDisabled and a role label shows in ROLES', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['label', 'node', 'node-3', 'node-role.kubernetes.io/control-plane=']);
    await kubectlOk(server, ['cordon', 'node-3']);
    try {
      const { stdout } = await kubectlOk(server, ['get', 'node', 'node-3']);
      assert.match(lines(stdout).rows[0], new RegExp(`^node-3\\s+Ready,SchedulingDisabled\\s+control-plane\\s+${AGE}\\s+v`), stdout);
    } finally {
      await kubectlOk(server, ['uncordon', 'node-3']);
      await kubectlOk(server, ['label', 'node', 'node-3', 'node-role.kubernetes.io/control-plane-']);
    }
  });

  it('get ns: NAME STATUS AGE; --sort-by=.metadata.name and --show-labels', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['get', 'ns', '--sort-by=.metadata.name', '--show-labels']);
    const { header, rows } = lines(stdout);
    assert.match(header, /^NAME\s+STATUS\s+AGE\s+LABELS$/);
    const names = column(stdout);
    assert.deepEqual(names, [...names].sort(), stdout);
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
      const row = rows.find((r) => r.startsWith(`${ns} `));
      assert.ok(row, `${ns} missing:\n${stdout}`);
      assert.match(row, new RegExp(`^${ns}\\s+Active\\s+${AGE}\\s+kubernetes\\.io/metadata\\.name=${ns}$`));
    }
  });

  describe('pods', () => {
    before(async () => {
      if (!server) return;
      // Created out of name order, with images in a third order, for --sort-by.
      for (const [name, image, labels] of [
        ['web-b', 'nginx:1.0', { app: 'web' }],
        ['web-a', 'nginx:3.0', {}],
        ['web-c', 'nginx:2.0', { app: 'api' }],
      ] as const) {
        const r = await runKubectl(server, ['create', '-f', '-'], { input: pod(name, image, labels) });
        if (r.code !== 0) throw new Error(`creating ${name}: ${r.stderr}`);
      }
    });

    it('get pods: NAME READY STATUS RESTARTS AGE, and -o wide', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const plain = await kubectlOk(server, ['get', 'pods']);
      assert.match(lines(plain.stdout).header, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
      assert.deepEqual(column(plain.stdout), ['web-a', 'web-b', 'web-c']);
      for (const row of lines(plain.stdout).rows) assert.match(row, new RegExp(`^web-[abc]\\s+\\d+/1\\s+\\S+\\s+\\d+\\s+${AGE}$`));
      const wide = await kubectlOk(server, ['get', 'pods', '-o', 'wide']);
      assert.match(lines(wide.stdout).header, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
      assert.match(lines(wide.stdout).rows[0], /\s+<none>\s+<none>$/);
    });

    it('get pod NAME is a one-row table', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const { stdout } = await kubectlOk(server, ['get', 'pod', 'web-b']);
      assert.equal(lines(stdout).rows.length, 1);
      assert.match(lines(stdout).rows[0], /^web-b\s+\d\/1\s+/);
    });

    it('--sort-by a field outside metadata works (rows carry the full objects)', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const { stdout } = await kubectlOk(server, ['get', 'pods', '--sort-by=.spec.containers[0].image']);
      assert.deepEqual(column(stdout), ['web-b', 'web-c', 'web-a']);
    });

    it('-L app adds an APP column, --show-labels a LABELS column', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const byLabel = await kubectlOk(server, ['get', 'pods', '-L', 'app']);
      assert.match(lines(byLabel.stdout).header, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+APP$/);
      assert.deepEqual(column(byLabel.stdout, 5), ['', 'web', 'api']);
      const labels = await kubectlOk(server, ['get', 'pods', '--show-labels']);
      assert.deepEqual(column(labels.stdout, 5), ['<none>', 'app=web', 'app=api']);
    });

    it("-A adds the NAMESPACE column from the rows' metadata", async (t) => {
      if (!kubectlOrSkip(t)) return;
      const { stdout } = await kubectlOk(server, ['get', 'pods', '-A']);
      assert.match(lines(stdout).header, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
      assert.match(stdout, /^default\s+web-a\s+/m);
    });
  });

  describe('daemonsets', () => {
    before(async () => {
      if (server) await runKubectl(server, ['create', '-f', DAEMONSET]);
    });

    it('get ds -A: the DaemonSet columns with integer counters', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const { stdout } = await kubectlOk(server, ['get', 'ds', '-A']);
      assert.match(lines(stdout).header, /^NAMESPACE\s+NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$/);
      assert.match(
        stdout,
        new RegExp(`^kube-system\\s+fluentd-elasticsearch\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+<none>\\s+${AGE}$`, 'm'),
      );
    });

    it('get ds -o wide: CONTAINERS IMAGES SELECTOR', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const { stdout } = await kubectlOk(server, ['get', 'ds', '-n', 'kube-system', '-o', 'wide']);
      assert.match(lines(stdout).header, /\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/);
      assert.match(stdout, /\sfluentd-elasticsearch\s+quay\.io\/fluentd_elasticsearch\/fluentd:v2\.5\.2\s+name=fluentd-elasticsearch$/m);
    });
  });

  describe('every versioned kubectl', () => {
    const versions = findKubectlVersions();
    for (const { version, path } of versions) {
      it(`kubectl ${version}: get nodes -o wide and get ds -A print the Table columns`, async () => {
        const own = { kubeconfigPath: server.kubeconfigPath, cacheDir: join(dirname(server.cacheDir), `cache-table-${version}`) };
        const nodes = await kubectlOk(own, ['get', 'nodes', '-o', 'wide'], { bin: path });
        assert.match(
          lines(nodes.stdout).header,
          /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/,
        );
        assert.deepEqual(
          column(nodes.stdout, 1),
          NODES.map(() => 'Ready'),
        );
        const ds = await kubectlOk(own, ['get', 'ds', '-A'], { bin: path });
        assert.match(
          lines(ds.stdout).header,
          /^NAMESPACE\s+NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$/,
        );
      });
    }

    // A watch prints the rows of one-row Tables; the later ones carry no column definitions.
    const oldestAndNewest = versions.filter((_, i) => i === 0 || i === versions.length - 1);
    for (const { version, path } of oldestAndNewest) {
      it(`kubectl ${version}: get pods -w prints rows for new pods under the first header`, async () => {
        const own = { kubeconfigPath: server.kubeconfigPath, cacheDir: join(dirname(server.cacheDir), `cache-table-${version}`) };
        const name = `watched-${version.replace('.', '-')}`;
        const watching = runKubectl(own, ['get', 'pods', '-w', '--request-timeout=3s'], { bin: path, timeoutMs: 20_000 });
        await new Promise((r) => setTimeout(r, 1000));
        await kubectlOk(server, ['create', '-f', '-'], { input: pod(name, 'nginx:1.25') });
        const { stdout } = await watching;
        assert.match(lines(stdout).header, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
        assert.equal(stdout.match(/^NAME\s/gm)?.length, 1, stdout);
        assert.match(stdout, new RegExp(`^${name}\\s+0/1\\s+\\S+\\s+0\\s+${AGE}$`, 'm'));
      });
    }
  });
});

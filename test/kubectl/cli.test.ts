/** The kubemock command as a user runs it: banner, kubeconfig, nodes, database file, signals. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { runCli, startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/eventually.js';
import { kubectlOk, kubectlOrSkip } from '../helpers/kubectl.js';
import { useTempDir } from '../helpers/temp-dir.js';

interface NodeList {
  items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
}

function canListen(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, host, () => probe.close(() => resolve(true)));
  });
}

async function nodeNames(url: string): Promise<string[]> {
  const res = await fetch(`${url}/api/v1/nodes`);
  assert.equal(res.status, 200);
  return ((await res.json()) as NodeList).items.map((n) => n.metadata.name).sort();
}

describe('the kubemock command, serving', () => {
  const dir = useTempDir('kubemock-cli-');

  it('prints the URL and a kubectl command that works as pasted, and exits 0 on SIGTERM', async (t) => {
    const kubeconfig = join(dir(), 'sub', 'kc');
    const server = await startCli(['--port', '0', '--db', ':memory:', '--kubeconfig', kubeconfig, '--nodes', '2', '--log-level', 'silent']);
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(server.url, 'http://127.0.0.1:0', 'the real port, not 0');
      assert.equal(server.kubeconfigPath, kubeconfig);
      const config = parse(await readFile(kubeconfig, 'utf8')) as {
        clusters: { cluster: { server: string } }[];
        'current-context': string;
      };
      assert.equal(config.clusters[0]?.cluster.server, server.url);
      assert.equal(config['current-context'], 'kubemock');
      assert.deepEqual(await nodeNames(server.url), ['node-1', 'node-2']);
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);

      if (kubectlOrSkip(t)) {
        const { stdout } = await kubectlOk({ kubeconfigPath: server.kubeconfigPath, cacheDir: join(dir(), 'cache') }, ['get', 'nodes']);
        assert.match(stdout, /^node-1\s/m);
        assert.match(stdout, /^node-2\s/m);
      }
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0, server.stderr());
    }
  });

  it('limits each client by its flags: a client whose seat and queue are taken gets 429 with Retry-After, others do not', async (t) => {
    const kubeconfig = join(dir(), 'limits-kubeconfig');
    const args = ['--port', '0', '--db', ':memory:', '--kubeconfig', kubeconfig, '--nodes', '0', '--log-level', 'silent'];
    const server = await startCli([...args, '--max-requests-per-client', '1', '--max-queued-per-client', '0']);
    t.after(() => server.stop());
    const { hostname, port } = new URL(server.url);
    // A POST whose body never comes: it holds the client's one seat.
    const held = request({
      host: hostname,
      port,
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      headers: { 'content-type': 'application/json', 'content-length': '100', 'user-agent': 'runaway/1.0' },
    });
    held.on('error', () => {});
    held.write('{');
    t.after(() => held.destroy());
    const get = (agent: string) => fetch(`${server.url}/api/v1/namespaces`, { headers: { 'user-agent': agent } });
    const rejected = await waitFor(async () => {
      const res = await get('runaway/1.0');
      assert.equal(res.status, 429);
      return res;
    });
    assert.equal(rejected.headers.get('retry-after'), '1');
    assert.equal(((await rejected.json()) as { reason: string }).reason, 'TooManyRequests');
    assert.equal((await get('kubectl/v1.33.0')).status, 200);
  });

  it('keeps objects in the database file across a restart, and exits 0 on SIGINT', async () => {
    const db = join(dir(), 'persist.db');
    const args = ['--port', '0', '--db', db, '--kubeconfig', join(dir(), 'persist-kc'), '--log-level', 'silent'];
    const first = await startCli([...args, '--nodes', '3']);
    try {
      assert.deepEqual(await nodeNames(first.url), ['node-1', 'node-2', 'node-3']);
    } finally {
      assert.equal(await first.stop('SIGINT'), 0, first.stderr());
    }
    assert.ok(existsSync(db));
    const second = await startCli(args, { env: { KUBEMOCK_NODES: '0' } });
    try {
      assert.deepEqual(await nodeNames(second.url), ['node-1', 'node-2', 'node-3']);
    } finally {
      assert.equal(await second.stop('SIGINT'), 0, second.stderr());
    }
  });

  it("refuses a second kubemock on the same database file (exit 3, naming the first one's pid); the first keeps serving; a kill -9 leaves no lock that blocks the next start", async () => {
    const db = join(dir(), 'locked.db');
    const args = ['--port', '0', '--db', db, '--log-level', 'silent', '--nodes', '1'];
    const first = await startCli([...args, '--kubeconfig', join(dir(), 'locked-kc1')]);
    try {
      const second = await runCli([...args, '--kubeconfig', join(dir(), 'locked-kc2')]);
      assert.equal(second.code, 3, second.stderr);
      assert.equal(second.stderr, `kubemock: database file ${db} is in use by another kubemock (pid ${first.child.pid})\n`);
      assert.equal(second.stdout, '');
      assert.ok(!existsSync(join(dir(), 'locked-kc2')), 'nothing written by the refused process');

      const created = await fetch(`${first.url}/api/v1/namespaces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'still-mine' } }),
      });
      assert.equal(created.status, 201, await created.text());
      assert.deepEqual(await nodeNames(first.url), ['node-1']);
    } finally {
      assert.equal(await first.stop('SIGKILL'), null);
    }
    assert.ok(existsSync(`${db}.lock`), 'kill -9 left the lock file behind');
    const third = await startCli([...args, '--kubeconfig', join(dir(), 'locked-kc3')]);
    try {
      assert.equal((await fetch(`${third.url}/api/v1/namespaces/still-mine`)).status, 200);
    } finally {
      assert.equal(await third.stop(), 0, third.stderr());
    }
    assert.ok(!existsSync(`${db}.lock`), 'a clean stop removes the lock');
  });

  it('uses ./kubemock.db and ./kubeconfig in the working folder by default', async () => {
    const cwd = await mkdtemp(join(dir(), 'defaults-'));
    const server = await startCli(['--port', '0', '--log-level', 'silent'], { cwd });
    try {
      assert.equal(server.kubeconfigPath, join(cwd, 'kubeconfig'));
      assert.ok(existsSync(join(cwd, 'kubeconfig')));
      // Answered once the app has started (after the banner), which opened the database.
      assert.deepEqual(await nodeNames(server.url), ['node-1', 'node-2', 'node-3']);
      assert.ok(existsSync(join(cwd, 'kubemock.db')));
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });

  it('listens on IPv6 and writes a bracketed server URL', async (t) => {
    if (!(await canListen('::1'))) return t.skip('this machine has no IPv6 loopback');
    const kubeconfig = join(dir(), 'v6-kc');
    const server = await startCli([
      '--host',
      '::1',
      '--port',
      '0',
      '--db',
      ':memory:',
      '--kubeconfig',
      kubeconfig,
      '--nodes',
      '0',
      '--log-level',
      'silent',
    ]);
    try {
      assert.match(server.url, /^http:\/\/\[::1\]:\d+$/);
      const config = parse(await readFile(kubeconfig, 'utf8')) as { clusters: { cluster: { server: string } }[] };
      assert.equal(config.clusters[0]?.cluster.server, server.url);
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
      assert.deepEqual(await nodeNames(server.url), []);
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });

  it('exits 1 with a message when the port is taken', async () => {
    const first = await startCli([
      '--port',
      '0',
      '--db',
      ':memory:',
      '--kubeconfig',
      join(dir(), 'busy-kc'),
      '--nodes',
      '0',
      '--log-level',
      'silent',
    ]);
    try {
      const port = new URL(first.url).port;
      const second = await startCli([
        '--port',
        port,
        '--db',
        ':memory:',
        '--kubeconfig',
        join(dir(), 'busy-kc2'),
        '--log-level',
        'silent',
      ]).then(
        () => assert.fail('a second server started on a taken port'),
        (err: Error) => err.message,
      );
      assert.match(second, /exited 1\n/);
      assert.match(second, /kubemock: .*EADDRINUSE/);
    } finally {
      assert.equal(await first.stop(), 0);
    }
  });
});

describe('the kubemock command, --crds', () => {
  const bases = 'test/fixtures/operator/config/crd/bases';

  it('installs a folder of CRDs before it serves: the custom kind answers from the first request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubemock-cli-crds-'));
    const args = ['--port', '0', '--db', ':memory:', '--kubeconfig', join(dir, 'kc'), '--nodes', '0', '--log-level', 'silent'];
    const server = await startCli([...args, '--crds', bases]);
    try {
      const res = await fetch(`${server.url}/apis/agents.example.com/v1/namespaces/default/nodeagents`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { kind: string }).kind, 'NodeAgentList');
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 naming the file and the field error of a bad CRD', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubemock-cli-crds-'));
    try {
      const file = join(dir, 'bad.yaml');
      await writeFile(
        file,
        (await readFile(join(bases, 'agents.example.com_nodeagents.yaml'), 'utf8')).replace('scope: Namespaced', 'scope: Galactic'),
      );
      const run = await runCli(['--port', '0', '--db', ':memory:', '--kubeconfig', join(dir, 'kc'), '--crds', file]);
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        new RegExp(`^kubemock: crds: ${file}#1 \\(nodeagents\\.agents\\.example\\.com\\): .*spec\\.scope: Unsupported value: "Galactic"`),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

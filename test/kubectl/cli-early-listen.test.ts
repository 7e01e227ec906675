/**
 * The command listens, writes its kubeconfig and prints its banner before its app is loaded
 * (src/early-listener.ts): a request that comes meanwhile waits for the whole start and gets the
 * full server's answer; a second kubemock on the same database file touches nothing of the first's;
 * a start that fails after the banner still exits 1 with its message, and stops serving. From the
 * sources (tsx), loading the app takes seconds: requests sent at the banner arrive well before it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, spawnCli, startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/eventually.js';
import { useTempDir } from '../helpers/temp-dir.js';

interface List {
  items: { metadata: { name: string } }[];
}
interface Endpoints {
  subsets?: { addresses?: { ip: string }[]; ports?: { port: number }[] }[];
}

const names = (list: List) => list.items.map((i) => i.metadata.name).sort();

function canListen(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, host, () => probe.close(() => resolve(true)));
  });
}

describe('the kubemock command, listening before its app is loaded', () => {
  const dir = useTempDir('kubemock-early-');

  it("answers requests sent right after the banner as the started server does: the nodes made, ready, the `kubernetes` Endpoints on the server's port", async () => {
    const db = join(dir(), 'held.db');
    const server = await startCli([
      '--port',
      '0',
      '--db',
      db,
      '--kubeconfig',
      join(dir(), 'held-kc'),
      '--nodes',
      '2',
      '--log-level',
      'silent',
    ]);
    try {
      const port = Number(new URL(server.url).port);
      // All sent at once, each on a connection of its own, before the app could be loaded.
      const [nodes, ready, endpoints, version] = await Promise.all([
        fetch(`${server.url}/api/v1/nodes`),
        fetch(`${server.url}/readyz`),
        fetch(`${server.url}/api/v1/namespaces/default/endpoints/kubernetes`),
        fetch(`${server.url}/version`),
      ]);
      assert.equal(nodes.status, 200);
      assert.deepEqual(names((await nodes.json()) as List), ['node-1', 'node-2']);
      assert.equal(ready.status, 200);
      assert.equal(await ready.text(), 'ok');
      assert.equal(endpoints.status, 200);
      const subset = ((await endpoints.json()) as Endpoints).subsets?.[0];
      assert.deepEqual(
        subset?.ports?.map((p) => p.port),
        [port],
      );
      assert.equal(version.status, 200);
      assert.equal(((await version.json()) as { major: string }).major, '1');
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });

  it('over TLS: a request sent right after the banner gets its answer once the app is up', async () => {
    const server = await startCli([
      '--tls',
      '--port',
      '0',
      '--db',
      join(dir(), 'tls.db'),
      '--kubeconfig',
      join(dir(), 'tls-kc'),
      '--nodes',
      '1',
      '--log-level',
      'silent',
    ]);
    try {
      assert.match(server.url, /^https:/);
      const { request } = await import('node:https');
      const { parse } = await import('yaml');
      const kc = parse(readFileSync(server.kubeconfigPath, 'utf8')) as {
        clusters: { cluster: { 'certificate-authority-data': string } }[];
        users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
      };
      const pem = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
      const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          `${server.url}/api/v1/nodes`,
          {
            ca: pem(kc.clusters[0].cluster['certificate-authority-data']),
            cert: pem(kc.users[0].user['client-certificate-data']),
            key: pem(kc.users[0].user['client-key-data']),
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (c: string) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(body.status, 200, body.text);
      assert.deepEqual(names(JSON.parse(body.text) as List), ['node-1']);
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });

  it("refuses a second kubemock on the same database file with exit 3 before it writes anything: the first one's kubeconfig stays byte for byte", async () => {
    const db = join(dir(), 'shared.db');
    const kubeconfig = join(dir(), 'shared-kc');
    const first = await startCli(['--port', '0', '--db', db, '--kubeconfig', kubeconfig, '--nodes', '0', '--log-level', 'silent']);
    try {
      const written = readFileSync(kubeconfig);
      const second = await runCli(['--port', '0', '--db', db, '--kubeconfig', kubeconfig, '--log-level', 'silent']);
      assert.equal(second.code, 3, second.stderr);
      assert.equal(second.stderr, `kubemock: database file ${db} is in use by another kubemock (pid ${first.child.pid})\n`);
      assert.equal(second.stdout, '');
      assert.deepEqual(readFileSync(kubeconfig), written);
      assert.equal((await fetch(`${first.url}/readyz`)).status, 200);
    } finally {
      assert.equal(await first.stop(), 0, first.stderr());
    }
  });

  it('a start that fails after the banner (bad fixtures) exits 1 with the message, and the requests it held are cut off', async () => {
    const fixtures = join(dir(), 'bad-fixtures.yaml');
    await writeFile(fixtures, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_A_Name\n');
    const run = spawnCli([
      '--port',
      '0',
      '--db',
      join(dir(), 'bad.db'),
      '--kubeconfig',
      join(dir(), 'bad-kc'),
      '--fixtures',
      fixtures,
      '--log-level',
      'silent',
    ]);
    const url = await waitFor(() => /serving the Kubernetes API at (\S+)/.exec(run.stdout())?.[1] ?? false, { timeoutMs: 60_000 });
    const held = fetch(`${url}/readyz`).then(
      (res) => `answered ${res.status}`,
      () => 'cut off',
    );
    assert.equal(await run.exited, 1);
    assert.match(run.stderr(), new RegExp(`^kubemock: fixtures: ${fixtures}.*Not_A_Name`));
    assert.equal(await held, 'cut off');
    const after = await fetch(`${url}/readyz`).then(
      (res) => `answered ${res.status}`,
      () => 'refused',
    );
    assert.equal(after, 'refused');
  });

  it('a SIGTERM at the banner waits for the start under way, then stops cleanly (exit 0, the lock removed)', async () => {
    const db = join(dir(), 'signal.db');
    const server = await startCli(['--port', '0', '--db', db, '--kubeconfig', join(dir(), 'signal-kc'), '--log-level', 'silent']);
    assert.equal(await server.stop('SIGTERM'), 0, server.stderr());
    assert.equal(server.stderr(), '');
    assert.ok(!existsSync(`${db}.lock`), 'the lock released');
  });

  it("--host localhost (a name, not an address): Fastify binds each of the name's addresses as before, then the banner", async () => {
    // 127.0.0.1, and ::1 where the resolver gives it (Fastify binds each of them).
    const v6 = await canListen('::1');
    const addresses = (await lookup('localhost', { all: true })).filter((a) => a.family === 4 || v6);
    const server = await startCli([
      '--host',
      'localhost',
      '--port',
      '0',
      '--db',
      ':memory:',
      '--kubeconfig',
      join(dir(), 'localhost-kc'),
      '--nodes',
      '1',
      '--log-level',
      'silent',
    ]);
    try {
      const { port } = new URL(server.url);
      assert.match(server.url, /^http:\/\/localhost:\d+$/);
      assert.ok(addresses.length > 0);
      for (const { address, family } of addresses) {
        const host = family === 6 ? `[${address}]` : address;
        const res = await fetch(`http://${host}:${port}/api/v1/nodes`);
        assert.equal(res.status, 200, host);
        assert.deepEqual(names((await res.json()) as List), ['node-1'], host);
      }
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });
});

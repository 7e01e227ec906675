import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { kubeconfigYaml, serverUrl, writeKubeconfig } from '../../src/kubeconfig.js';

interface Kubeconfig {
  apiVersion: string;
  kind: string;
  'current-context': string;
  clusters: { name: string; cluster: { server: string } }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  users: { name: string; user: Record<string, unknown> }[];
}

describe('kubeconfigYaml', () => {
  it('names cluster, context and user kubemock and points at the URL', () => {
    const config = parse(kubeconfigYaml('http://127.0.0.1:8001')) as Kubeconfig;
    assert.equal(config.apiVersion, 'v1');
    assert.equal(config.kind, 'Config');
    assert.equal(config['current-context'], 'kubemock');
    assert.deepEqual(config.clusters, [{ name: 'kubemock', cluster: { server: 'http://127.0.0.1:8001' } }]);
    assert.deepEqual(config.contexts, [{ name: 'kubemock', context: { cluster: 'kubemock', user: 'kubemock', namespace: 'default' } }]);
    assert.deepEqual(config.users, [{ name: 'kubemock', user: {} }]);
  });

  it('takes another name for all three', () => {
    const config = parse(kubeconfigYaml('http://localhost:1', 'other')) as Kubeconfig;
    assert.equal(config['current-context'], 'other');
    assert.equal(config.clusters[0]?.name, 'other');
    assert.deepEqual(config.contexts[0], { name: 'other', context: { cluster: 'other', user: 'other', namespace: 'default' } });
    assert.equal(config.users[0]?.name, 'other');
  });

  it('is the text the YAML package writes for the same document, whatever the names, URL and credentials', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
    const urls = ['http://127.0.0.1:8001', 'https://[::1]:6443', 'http://[fe80::1]:80', 'https://localhost:1'];
    const names = [
      'kubemock',
      'other',
      'alice',
      'default-robot',
      'kube-system-ctl.v2',
      'true',
      'null',
      'No',
      '1.5',
      '0x1f',
      'a:',
      '-x',
      'y',
    ];
    const options = [
      {},
      { insecureSkipTlsVerify: true },
      { certificateAuthority: pem, credentials: { clientCertificate: pem, clientKey: pem } },
      { certificateAuthority: pem, credentials: { token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' } },
      { credentials: { token: 'abc,def' } },
      { credentials: { token: 'true' } },
      { credentials: { token: '12345' } },
    ];
    let checked = 0;
    for (const url of urls)
      for (const name of names)
        for (const opts of options) {
          const text = kubeconfigYaml(url, name, opts);
          assert.equal(text, stringify(parse(text)), `${url} ${name} ${JSON.stringify(opts)}`);
          assert.equal((parse(text) as Kubeconfig)['current-context'], name);
          checked++;
        }
    assert.equal(checked, urls.length * names.length * options.length);
  });

  it('keeps a bracketed IPv6 server URL intact', () => {
    const config = parse(kubeconfigYaml('http://[::1]:8001')) as Kubeconfig;
    assert.equal(config.clusters[0]?.cluster.server, 'http://[::1]:8001');
  });
});

describe('serverUrl', () => {
  const cases: [host: string, port: number, url: string][] = [
    ['127.0.0.1', 8001, 'http://127.0.0.1:8001'],
    ['localhost', 1234, 'http://localhost:1234'],
    ['::1', 8001, 'http://[::1]:8001'],
    ['[::1]', 8001, 'http://[::1]:8001'],
    ['fe80::1', 80, 'http://[fe80::1]:80'],
    ['0.0.0.0', 8001, 'http://127.0.0.1:8001'],
    ['::', 43210, 'http://[::1]:43210'],
  ];
  for (const [host, port, url] of cases) {
    it(`${host}:${port} → ${url}`, () => assert.equal(serverUrl(host, port), url));
  }

  it('gives a URL that WHATWG URL parsing accepts, with the same host and port', () => {
    const url = new URL(serverUrl('::1', 6443));
    assert.equal(url.hostname, '[::1]');
    assert.equal(url.port, '6443');
  });
});

describe('writeKubeconfig', () => {
  it('creates missing folders and writes a private file that parses back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubemock-kubeconfig-'));
    try {
      const path = join(dir, 'a', 'b', 'kubeconfig');
      await writeKubeconfig(path, 'http://[::1]:5');
      const config = parse(await readFile(path, 'utf8')) as Kubeconfig;
      assert.equal(config.clusters[0]?.cluster.server, 'http://[::1]:5');
      assert.equal((await stat(path)).mode & 0o777, 0o600);

      await writeKubeconfig(path, 'http://127.0.0.1:6');
      assert.equal((parse(await readFile(path, 'utf8')) as Kubeconfig).clusters[0]?.cluster.server, 'http://127.0.0.1:6');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

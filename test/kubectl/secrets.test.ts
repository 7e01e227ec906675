/**
 * Secrets with the real kubectl: `create secret generic|tls|docker-registry` (protobuf creates from
 * kubectl 1.32+), `get secrets` (NAME TYPE DATA AGE), `describe secret` (byte counts, never values)
 * and the server's type rules as kubectl reports them. The TLS pair under test/fixtures/tls was made
 * once with `openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=test`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const AGE = '(?:\\d+[smhdy])+';
const CERT = fileURLToPath(new URL('../fixtures/tls/tls.crt', import.meta.url));
const KEY = fileURLToPath(new URL('../fixtures/tls/tls.key', import.meta.url));

interface SecretJson {
  type: string;
  data: Record<string, string>;
  stringData?: unknown;
}

const decoded = (s: SecretJson) =>
  Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

describe('kubectl and secrets', () => {
  const server = useServer({ nodes: 0 });
  const getJson = async (name: string) => JSON.parse((await kubectlOk(server, ['get', 'secret', name, '-o', 'json'])).stdout) as SecretJson;

  it('create secret generic --from-literal stores the literal base64 in data, type Opaque', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const created = await kubectlOk(server, ['create', 'secret', 'generic', 's', '--from-literal=a=b']);
    assert.equal(created.stdout, 'secret/s created\n');
    const s = await getJson('s');
    assert.equal(s.type, 'Opaque');
    assert.deepEqual(s.data, { a: Buffer.from('b').toString('base64') });
  });

  it('create secret tls stores the pair as tls.crt and tls.key', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['create', 'secret', 'tls', 'tls-pair', `--cert=${CERT}`, `--key=${KEY}`]);
    const s = await getJson('tls-pair');
    assert.equal(s.type, 'kubernetes.io/tls');
    assert.deepEqual(decoded(s), { 'tls.crt': readFileSync(CERT, 'utf8'), 'tls.key': readFileSync(KEY, 'utf8') });
  });

  it('create secret docker-registry stores a .dockerconfigjson with the credentials', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, [
      'create',
      'secret',
      'docker-registry',
      'd',
      '--docker-server=registry.example.com',
      '--docker-username=me',
      '--docker-password=pw',
    ]);
    const s = await getJson('d');
    assert.equal(s.type, 'kubernetes.io/dockerconfigjson');
    const config = JSON.parse(decoded(s)['.dockerconfigjson']) as { auths: Record<string, { username: string; password: string }> };
    assert.equal(config.auths['registry.example.com'].username, 'me');
    assert.equal(config.auths['registry.example.com'].password, 'pw');
  });

  it('get secrets prints NAME TYPE DATA AGE', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['create', 'secret', 'generic', 'two', '--from-literal=x=1', '--from-literal=y=2']);
    await kubectlOk(server, ['create', 'secret', 'tls', 'tls-row', `--cert=${CERT}`, `--key=${KEY}`]);
    const { stdout } = await kubectlOk(server, ['get', 'secrets', 'two', 'tls-row']);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    assert.match(header, /^NAME\s+TYPE\s+DATA\s+AGE$/);
    assert.match(rows[0], new RegExp(`^two\\s+Opaque\\s+2\\s+${AGE}$`));
    assert.match(rows[1], new RegExp(`^tls-row\\s+kubernetes\\.io/tls\\s+2\\s+${AGE}$`));
  });

  it('describe secret shows byte counts, not the values', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['create', 'secret', 'generic', 'described', '--from-literal=password=hunter22']);
    const { stdout } = await kubectlOk(server, ['describe', 'secret', 'described']);
    assert.match(stdout, /^Name:\s+described$/m);
    assert.match(stdout, /^Type:\s+Opaque$/m);
    assert.match(stdout, /^password:\s+8 bytes$/m);
    assert.doesNotMatch(stdout, /hunter22/);
  });

  it("a type's missing key is refused with the server's message", async (t) => {
    if (!kubectlOrSkip(t)) return;
    const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'no-key' }, type: 'kubernetes.io/ssh-auth' });
    const res = await runKubectl(server, ['create', '-f', '-'], { input: manifest });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /The Secret "no-key" is invalid: data\[ssh-privatekey\]: Required value/);
  });
});

/**
 * ConfigMaps with the real kubectl: `create configmap --from-literal` and `--from-file`, `get cm` (NAME DATA AGE),
 * `describe cm` (the data printed key by key) and the server's validation as kubectl reports it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const AGE = '(?:\\d+[smhdy])+';

/** A ConfigMap manifest for `kubectl create -f -` (kubectl sends it as JSON). */
const configMap = (name: string, fields: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...fields });

describe('kubectl and configmaps', () => {
  const server = useServer({ nodes: 0 });

  it('create configmap --from-literal creates it with the literal as data (kubectl 1.32+ sends it as protobuf)', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const created = await kubectlOk(server, ['create', 'configmap', 'x', '--from-literal=a=b']);
    assert.equal(created.stdout, 'configmap/x created\n');
    const json = JSON.parse((await kubectlOk(server, ['get', 'configmap', 'x', '-o', 'json'])).stdout) as { data: Record<string, string> };
    assert.deepEqual(json.data, { a: 'b' });
  });

  it('create configmap --from-file: a file under its name or a given key, a directory file by file, binary content as binaryData', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const dir = mkdtempSync(join(tmpdir(), 'kubemock-cm-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'app.properties'), 'color=blue\nsize=3\n');
    writeFileSync(join(dir, 'logo.bin'), Buffer.from([0xff, 0x00, 0xfe]));
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'conf', 'a.conf'), 'a');
    writeFileSync(join(dir, 'conf', 'b.conf'), 'b');

    const files = await kubectlOk(server, [
      'create',
      'configmap',
      'files',
      `--from-file=${join(dir, 'app.properties')}`,
      `--from-file=renamed=${join(dir, 'app.properties')}`,
      `--from-file=${join(dir, 'logo.bin')}`,
    ]);
    assert.equal(files.stdout, 'configmap/files created\n');
    const got = JSON.parse((await kubectlOk(server, ['get', 'cm', 'files', '-o', 'json'])).stdout) as {
      data: Record<string, string>;
      binaryData: Record<string, string>;
    };
    assert.deepEqual(got.data, { 'app.properties': 'color=blue\nsize=3\n', renamed: 'color=blue\nsize=3\n' });
    assert.deepEqual(got.binaryData, { 'logo.bin': Buffer.from([0xff, 0x00, 0xfe]).toString('base64') });

    await kubectlOk(server, ['create', 'configmap', 'dir', `--from-file=${join(dir, 'conf')}`]);
    const fromDir = JSON.parse((await kubectlOk(server, ['get', 'cm', 'dir', '-o', 'json'])).stdout) as { data: Record<string, string> };
    assert.deepEqual(fromDir.data, { 'a.conf': 'a', 'b.conf': 'b' });
    const listed = await kubectlOk(server, ['get', 'cm', 'files', 'dir', '--no-headers']);
    assert.match(listed.stdout, new RegExp(`^files\\s+3\\s+${AGE}\ndir\\s+2\\s+${AGE}\n$`));
  });

  it('get cm prints NAME DATA AGE, counting data and binaryData keys', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['create', '-f', '-'], { input: configMap('two', { data: { k1: 'v1' }, binaryData: { k2: 'AA==' } }) });
    await kubectlOk(server, ['create', '-f', '-'], { input: configMap('one', { data: { a: 'b' } }) });
    const { stdout } = await kubectlOk(server, ['get', 'cm', 'one', 'two']);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    assert.match(header, /^NAME\s+DATA\s+AGE$/);
    assert.equal(rows.length, 2, stdout);
    assert.match(rows[0], new RegExp(`^one\\s+1\\s+${AGE}$`));
    assert.match(rows[1], new RegExp(`^two\\s+2\\s+${AGE}$`));
  });

  it('describe cm prints the data key by key', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['create', '-f', '-'], { input: configMap('described', { data: { greeting: 'hello', target: 'world' } }) });
    const { stdout } = await kubectlOk(server, ['describe', 'cm', 'described']);
    assert.match(stdout, /^Name:\s+described$/m);
    assert.match(stdout, /^Namespace:\s+default$/m);
    // kubectl prints the keys in Go map order, which is random: each key's block, in any order.
    const data = /^Data\n====\n([\s\S]*?)\n+BinaryData$/m.exec(stdout)?.[1];
    assert.ok(data !== undefined, stdout);
    assert.deepEqual(data.split('\n\n').sort(), ['greeting:\n----\nhello', 'target:\n----\nworld'], stdout);
    assert.match(stdout, /^BinaryData\n====\n/m);
    assert.match(stdout, /^Events:\s+<none>$/m);
  });

  it("a bad key is refused with the server's message", async (t) => {
    if (!kubectlOrSkip(t)) return;
    const res = await runKubectl(server, ['create', '-f', '-'], { input: configMap('bad', { data: { 'not ok': 'x' } }) });
    assert.notEqual(res.code, 0);
    assert.match(
      res.stderr,
      /The ConfigMap "bad" is invalid: data\[not ok\]: Invalid value: "not ok": a valid config key must consist of alphanumeric characters/,
    );
  });
});

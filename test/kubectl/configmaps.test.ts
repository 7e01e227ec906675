/**
 * ConfigMaps with the real kubectl: `create configmap --from-literal`, `get cm` (NAME DATA AGE),
 * `describe cm` (the data printed key by key) and the server's validation as kubectl reports it.
 */
import assert from 'node:assert/strict';
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

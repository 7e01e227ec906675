/**
 * kubectl create / apply / edit / label / annotate / patch against kubemock: field validation
 * (default --validate=strict, warn, false), the last-applied three-way patch, server-side apply
 * and --dry-run=server, with the texts real kubectl prints.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findKubectlVersions, kubectlOk, kubectlOrSkip, runKubectl, startServer, type TestServer } from '../helpers/kubectl.js';

interface Manifest {
  name: string;
  image?: string;
  extraContainerField?: string;
}

function manifest({ name, image = 'busybox:1.36', extraContainerField }: Manifest): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    app: ${name}`,
    'spec:',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    `      - name: ${name}`,
    `        image: ${image}`,
    ...(extraContainerField ? [`        ${extraContainerField}`] : []),
    '',
  ].join('\n');
}

const strictError = (file: string) =>
  `Error from server (BadRequest): error when creating "${file}": DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.template.spec.containers[0].imagee"`;

describe('kubectl create / apply / edit / label / patch', () => {
  let server: TestServer;
  let dir: string;

  before(async () => {
    server = await startServer({ nodes: 2 });
    dir = await mkdtemp(join(tmpdir(), 'kubemock-apply-'));
  });
  after(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, m: Manifest): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, manifest(m));
    return path;
  }

  async function getJson(name: string): Promise<Record<string, any>> {
    const { stdout } = await kubectlOk(server, ['get', 'ds', name, '-o', 'json']);
    return JSON.parse(stdout) as Record<string, any>;
  }

  it('create -f and apply -f with a typo fail under the default validation, on every kubectl', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const path = await file('typo.yaml', { name: 'typo', extraContainerField: 'imagee: busybox' });
    const versions = findKubectlVersions();
    for (const bin of [undefined, ...versions.map((v) => v.path)]) {
      for (const verb of ['create', 'apply']) {
        const res = await runKubectl(server, [verb, '-f', path], { bin });
        assert.equal(res.code, 1, `${bin ?? 'kubectl'} ${verb}: ${res.stdout}${res.stderr}`);
        assert.equal(res.stderr.trim(), strictError(path), `${bin ?? 'kubectl'} ${verb}`);
      }
    }
    assert.equal((await runKubectl(server, ['get', 'ds', 'typo'])).code, 1, 'nothing was created');
  });

  it('--validate=false creates the object without the unknown field; --validate=warn warns', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const path = await file('lenient.yaml', { name: 'lenient', extraContainerField: 'imagee: busybox' });
    const created = await kubectlOk(server, ['create', '-f', path, '--validate=false']);
    assert.equal(created.stdout.trim(), 'daemonset.apps/lenient created');
    assert.equal(created.stderr, '');
    const container = (await getJson('lenient')).spec.template.spec.containers[0];
    assert.equal(container.imagee, undefined);
    assert.equal(container.image, 'busybox:1.36');

    const warnPath = await file('warn.yaml', { name: 'warned', extraContainerField: 'imagee: busybox' });
    const warned = await kubectlOk(server, ['apply', '-f', warnPath, '--validate=warn']);
    assert.equal(warned.stdout.trim(), 'daemonset.apps/warned created');
    assert.equal(warned.stderr.trim(), 'Warning: unknown field "spec.template.spec.containers[0].imagee"');
  });

  it('apply twice is unchanged; after an edit of the file it is configured and only that field moves', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const path = await file('applied.yaml', { name: 'applied' });
    assert.equal((await kubectlOk(server, ['apply', '-f', path])).stdout.trim(), 'daemonset.apps/applied created');
    assert.equal((await kubectlOk(server, ['apply', '-f', path])).stdout.trim(), 'daemonset.apps/applied unchanged');
    const before = await getJson('applied');
    await file('applied.yaml', { name: 'applied', image: 'busybox:1.37' });
    assert.equal((await kubectlOk(server, ['apply', '-f', path])).stdout.trim(), 'daemonset.apps/applied configured');
    const after = await getJson('applied');
    assert.equal(after.spec.template.spec.containers[0].image, 'busybox:1.37');
    after.spec.template.spec.containers[0].image = before.spec.template.spec.containers[0].image;
    assert.deepEqual(after.spec, before.spec, 'nothing else in the spec changed');
    assert.deepEqual(after.metadata.labels, before.metadata.labels);
    assert.match(after.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /busybox:1\.37/);
    assert.equal((await kubectlOk(server, ['apply', '-f', path])).stdout.trim(), 'daemonset.apps/applied unchanged');
  });

  it('apply of an existing object with a typo is the 422 of a strict patch', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const path = await file('existing.yaml', { name: 'existing' });
    await kubectlOk(server, ['apply', '-f', path]);
    await file('existing.yaml', { name: 'existing', extraContainerField: 'imagee: busybox' });
    const res = await runKubectl(server, ['apply', '-f', path]);
    assert.equal(res.code, 1);
    assert.match(
      res.stderr,
      /^The request is invalid: patch: Invalid value: "map\[metadata:map\[annotations:map\[kubectl\.kubernetes\.io\/last-applied-configuration:/,
    );
    assert.match(res.stderr.trim(), /\]\]": strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.imagee"$/);
  });

  it('edit with an editor script patches the object; an unchanged file cancels', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['apply', '-f', await file('edited.yaml', { name: 'edited' })]);
    const editor = join(dir, 'editor.sh');
    await writeFile(editor, '#!/bin/sh\nsed -i "s/busybox:1.36/busybox:1.99/" "$1"\n');
    await chmod(editor, 0o755);
    const edited = await kubectlOk(server, ['edit', 'ds', 'edited'], { env: { KUBE_EDITOR: editor, EDITOR: editor } });
    assert.equal(edited.stdout.trim(), 'daemonset.apps/edited edited');
    assert.equal((await getJson('edited')).spec.template.spec.containers[0].image, 'busybox:1.99');
    const noop = await kubectlOk(server, ['edit', 'ds', 'edited'], { env: { KUBE_EDITOR: 'true', EDITOR: 'true' } });
    assert.equal(noop.stderr.trim(), 'Edit cancelled, no changes made.');
  });

  it('label and annotate', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['apply', '-f', await file('labelled.yaml', { name: 'labelled' })]);
    assert.equal((await kubectlOk(server, ['label', 'ds', 'labelled', 'tier=frontend'])).stdout.trim(), 'daemonset.apps/labelled labeled');
    assert.equal((await getJson('labelled')).metadata.labels.tier, 'frontend');
    assert.equal((await kubectlOk(server, ['label', 'ds', 'labelled', 'tier-'])).stdout.trim(), 'daemonset.apps/labelled unlabeled');
    assert.equal((await getJson('labelled')).metadata.labels.tier, undefined);
    assert.equal(
      (await kubectlOk(server, ['annotate', 'ds', 'labelled', 'note=hello'])).stdout.trim(),
      'daemonset.apps/labelled annotated',
    );
    assert.equal((await getJson('labelled')).metadata.annotations.note, 'hello');
  });

  it('patch --type=json|merge|strategic', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['apply', '-f', await file('patched.yaml', { name: 'patched' })]);
    const image = async () => (await getJson('patched')).spec.template.spec.containers[0].image as string;
    const json = '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"busybox:2"}]';
    assert.equal(
      (await kubectlOk(server, ['patch', 'ds', 'patched', '--type=json', '-p', json])).stdout.trim(),
      'daemonset.apps/patched patched',
    );
    assert.equal(await image(), 'busybox:2');
    await kubectlOk(server, ['patch', 'ds', 'patched', '--type=merge', '-p', '{"metadata":{"labels":{"m":"1"}}}']);
    assert.equal((await getJson('patched')).metadata.labels.m, '1');
    const smp = '{"spec":{"template":{"spec":{"containers":[{"name":"patched","image":"busybox:3"}]}}}}';
    assert.equal(
      (await kubectlOk(server, ['patch', 'ds', 'patched', '--type=strategic', '-p', smp])).stdout.trim(),
      'daemonset.apps/patched patched',
    );
    assert.equal(await image(), 'busybox:3');
    // kubectl calls a patch "no change" when the object it returns equals the one it read just before
    // it; while the controller rolls the pods to the new template it writes the status, as on a
    // cluster, so the same patch is sent once the rollout is done.
    await kubectlOk(server, ['rollout', 'status', 'ds/patched', '--timeout=60s']);
    assert.equal(
      (await kubectlOk(server, ['patch', 'ds', 'patched', '-p', smp])).stdout.trim(),
      'daemonset.apps/patched patched (no change)',
    );

    const failedTest = await runKubectl(server, [
      'patch',
      'ds',
      'patched',
      '--type=json',
      '-p',
      '[{"op":"test","path":"/metadata/name","value":"x"}]',
    ]);
    assert.equal(failedTest.code, 1);
    assert.equal(failedTest.stderr.trim(), 'The request is invalid: the server rejected our request due to an error in our request');
    const noKey = await runKubectl(server, [
      'patch',
      'ds',
      'patched',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}',
    ]);
    assert.equal(noKey.code, 1);
    assert.equal(noKey.stderr.trim(), 'Error from server: map: map[image:x] does not contain declared merge key: name');
    const unknown = await kubectlOk(server, ['patch', 'ds', 'patched', '--type=merge', '-p', '{"spec":{"bogus":1}}']);
    assert.equal(unknown.stderr.trim(), 'Warning: unknown field "spec.bogus"');
  });

  it('--dry-run=server writes nothing', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const path = await file('dry.yaml', { name: 'dry' });
    assert.equal(
      (await kubectlOk(server, ['create', '-f', path, '--dry-run=server'])).stdout.trim(),
      'daemonset.apps/dry created (server dry run)',
    );
    assert.equal((await runKubectl(server, ['get', 'ds', 'dry'])).code, 1);
    await kubectlOk(server, ['apply', '-f', path]);
    const before = await getJson('dry');
    assert.equal(
      (await kubectlOk(server, ['label', 'ds', 'dry', 'x=y', '--dry-run=server'])).stdout.trim(),
      'daemonset.apps/dry labeled (server dry run)',
    );
    await kubectlOk(server, ['patch', 'ds', 'dry', '-p', '{"metadata":{"labels":{"x":"y"}}}', '--dry-run=server']);
    await file('dry.yaml', { name: 'dry', image: 'busybox:9' });
    assert.equal(
      (await kubectlOk(server, ['apply', '-f', path, '--dry-run=server'])).stdout.trim(),
      'daemonset.apps/dry configured (server dry run)',
    );
    assert.equal(
      (await kubectlOk(server, ['apply', '-f', path, '--server-side', '--dry-run=server'])).stdout.trim(),
      'daemonset.apps/dry serverside-applied (server dry run)',
    );
    assert.deepEqual(await getJson('dry'), before);
  });

  it('apply --server-side creates, then updates', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const path = await file('ssa.yaml', { name: 'ssa' });
    assert.equal((await kubectlOk(server, ['apply', '--server-side', '-f', path])).stdout.trim(), 'daemonset.apps/ssa serverside-applied');
    await file('ssa.yaml', { name: 'ssa', image: 'busybox:1.37' });
    assert.equal((await kubectlOk(server, ['apply', '--server-side', '-f', path])).stdout.trim(), 'daemonset.apps/ssa serverside-applied');
    assert.equal((await getJson('ssa')).spec.template.spec.containers[0].image, 'busybox:1.37');
    await file('ssa.yaml', { name: 'ssa', extraContainerField: 'imagee: x' });
    const typo = await runKubectl(server, ['apply', '--server-side', '-f', path]);
    assert.equal(typo.code, 1);
    assert.equal(
      typo.stderr.trim(),
      'Error from server: failed to create typed patch object (default/ssa; apps/v1, Kind=DaemonSet): .spec.template.spec.containers[name="ssa"].imagee: field not declared in schema',
    );
  });
});

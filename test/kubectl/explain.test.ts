/**
 * `kubectl explain` reads our OpenAPI v3 (and, with --output=plaintext-openapiv2, the protobuf v2),
 * and `kubectl create -f` with the default validation proves every kubectl version accepts both:
 * 1.27/1.28 fetch /openapi/v2 first and fail on any answer they cannot decode.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type { TSchema } from '@sinclair/typebox';
import { ContainerSchema, DaemonSetSpecSchema } from '../../src/resources/schemas.js';
import { DaemonSetUpdateStrategySchema } from '../../src/resources/apps-schemas/daemonset.js';
import { findKubectlVersions, kubectlOk, kubectlOrSkip, useServer } from '../helpers/kubectl.js';

/** Output with every run of whitespace made one space, so wrapped descriptions compare as one line. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function description(schema: TSchema): string {
  assert.equal(typeof schema.description, 'string');
  return schema.description as string;
}

function propertiesOf(schema: TSchema): Record<string, TSchema> {
  return schema.properties as Record<string, TSchema>;
}

function daemonSetManifest(name: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  selector:',
    `    matchLabels: {app: ${name}}`,
    '  updateStrategy:',
    '    type: RollingUpdate',
    '    rollingUpdate: {maxUnavailable: 1}',
    '  template:',
    '    metadata:',
    `      labels: {app: ${name}}`,
    '    spec:',
    '      containers:',
    '      - name: main',
    '        image: busybox:1.36',
    '        ports: [{containerPort: 8080, name: http}]',
    '        resources: {limits: {memory: 64Mi}}',
    '',
  ].join('\n');
}

describe('kubectl explain and validation against the OpenAPI documents', () => {
  const server = useServer({ nodes: 1 });

  it('explain daemonset.spec.updateStrategy prints our descriptions and fields', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['explain', 'daemonset.spec.updateStrategy']);
    assert.match(stdout, /^GROUP:\s+apps\nKIND:\s+DaemonSet\nVERSION:\s+v1\n/);
    assert.match(stdout, /^FIELD: updateStrategy <DaemonSetUpdateStrategy>$/m);
    const fieldDescription = description(propertiesOf(DaemonSetSpecSchema).updateStrategy);
    assert.ok(flat(stdout).includes(flat(`${fieldDescription} ${description(DaemonSetUpdateStrategySchema)}`)), stdout);
    assert.match(stdout, /^\s+rollingUpdate\t<RollingUpdateDaemonSet>$/m);
    assert.match(stdout, /^\s+type\t<string>$/m);
    for (const [name, prop] of Object.entries(propertiesOf(DaemonSetUpdateStrategySchema))) {
      assert.ok(flat(stdout).includes(flat(description(prop))), `description of ${name} missing:\n${stdout}`);
    }
  });

  it('explain pod.spec.containers --recursive lists every Container field, nested ones indented', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['explain', 'pod.spec.containers', '--recursive']);
    assert.match(stdout, /^KIND:\s+Pod\nVERSION:\s+v1\n/);
    assert.match(stdout, /^FIELD: containers <\[\]Container>$/m);
    assert.ok(flat(stdout).includes(flat(description(ContainerSchema))), stdout);
    const required = new Set((ContainerSchema.required as string[] | undefined) ?? []);
    for (const name of Object.keys(propertiesOf(ContainerSchema))) {
      const line = new RegExp(`^  ${name}\\t<[^>]+>${required.has(name) ? ' -required-' : ''}$`, 'm');
      assert.match(stdout, line, `field ${name} missing from:\n${stdout}`);
    }
    assert.match(stdout, /^ {2}ports\t<\[\]ContainerPort>$/m);
    assert.match(stdout, /^ {4}containerPort\t<integer> -required-$/m);
    assert.match(stdout, /^ {2}resources\t<ResourceRequirements>$/m);
    assert.match(stdout, /^ {4}limits\t<map\[string\]Quantity>$/m);
    assert.match(stdout, /^ {8}port\t<IntOrString> -required-$/m);
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
      it(`kubectl ${version}: create -f with default validation, explain from v3 and from the protobuf v2`, async () => {
        // Its own cache, so that each version downloads the documents itself.
        const own = { kubeconfigPath: server.kubeconfigPath, cacheDir: join(dirname(server.cacheDir), `cache-explain-${version}`) };
        const name = `explain-${version.replace('.', '-')}`;
        const created = await kubectlOk(own, ['create', '-f', '-'], { bin: path, input: daemonSetManifest(name) });
        assert.equal(created.stdout, `daemonset.apps/${name} created\n`);
        assert.equal(created.stderr, '');

        const v3 = await kubectlOk(own, ['explain', 'daemonset.spec'], { bin: path });
        assert.match(v3.stdout, /^FIELD: spec <DaemonSetSpec>$/m);
        assert.match(v3.stdout, /^\s+selector\t<LabelSelector> -required-$/m);
        assert.match(v3.stdout, /^\s+updateStrategy\t<DaemonSetUpdateStrategy>$/m);

        const v2 = await kubectlOk(own, ['explain', 'daemonset.spec', '--output=plaintext-openapiv2'], { bin: path });
        assert.match(v2.stdout, /^RESOURCE: spec <Object>$/m);
        assert.match(v2.stdout, /^\s+template\t<Object> -required-$/m);
        assert.ok(flat(v2.stdout).includes(flat(description(propertiesOf(DaemonSetSpecSchema).minReadySeconds))), v2.stdout);
      });
    }
  });
});

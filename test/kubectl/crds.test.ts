/**
 * CustomResourceDefinitions with the real kubectl: apply a CRD, wait for Established, apply a
 * custom object, `get` by plural and short name with the CRD's printer columns, `explain
 * <kind>.spec` from the OpenAPI the CRD adds, `scale`, `get -w` seeing a change, and the kind gone
 * from discovery once the CRD is deleted; the API review policy of *.k8s.io groups as kubectl shows it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { waitFor } from '../helpers/eventually.js';
import { findKubectl, findKubectlVersions, kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const CRD_YAML = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: [ct]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
    additionalPrinterColumns:
    - name: Spec
      type: string
      jsonPath: .spec.cronSpec
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: What the cron tab runs, and when.
            properties:
              cronSpec:
                type: string
                description: The schedule, in cron format.
              image:
                type: string
              replicas:
                type: integer
                default: 1
          status:
            type: object
            properties:
              replicas:
                type: integer
`;

const CR_YAML = `apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: my-cron
spec:
  cronSpec: "* * * * */5"
  image: my-awesome-cron-image
`;

describe('kubectl and CustomResourceDefinitions', () => {
  const server = useServer({ nodes: 0 });

  it('a deprecated version: kubectl prints its Warning, the storage version is recorded', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: widgets.example.com}',
      'spec:',
      '  group: example.com',
      '  scope: Namespaced',
      '  names: {plural: widgets, kind: Widget}',
      '  versions:',
      '  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}',
      '  - {name: v1beta1, served: true, storage: false, deprecated: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}',
      '',
    ].join('\n');
    await kubectlOk(server, ['apply', '-f', '-'], { input: crd });
    await kubectlOk(server, ['wait', '--for', 'condition=Established', 'crd/widgets.example.com', '--timeout=10s']);
    const created = await kubectlOk(server, ['create', '-f', '-'], {
      input: 'apiVersion: example.com/v1beta1\nkind: Widget\nmetadata: {name: w}\n',
    });
    assert.equal(created.stdout, 'widget.example.com/w created\n');
    assert.equal(created.stderr, 'Warning: example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget\n');
    const fetched = await kubectlOk(server, ['get', 'widgets.v1beta1.example.com', 'w', '-o', 'jsonpath={.apiVersion}']);
    assert.equal(fetched.stdout, 'example.com/v1beta1');
    assert.match(fetched.stderr, /^Warning: example\.com\/v1beta1 Widget is deprecated; use example\.com\/v1 Widget$/m);
    const preferred = await kubectlOk(server, ['get', 'widgets', 'w', '-o', 'jsonpath={.apiVersion}']);
    assert.deepEqual([preferred.stdout, preferred.stderr], ['example.com/v1', '']);
    const stored = await kubectlOk(server, ['get', 'crd', 'widgets.example.com', '-o', 'jsonpath={.status.storedVersions}']);
    assert.equal(stored.stdout, '["v1"]');
  });

  it('a plural two CRD groups share: kubectl takes the group discovery lists first, the CRD groups being in name order', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const crd = (group: string) =>
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        `metadata: {name: sprockets.${group}}`,
        'spec:',
        `  group: ${group}`,
        '  scope: Namespaced',
        '  names: {plural: sprockets, kind: Sprocket}',
        '  versions:',
        '  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}',
        '',
      ].join('\n');
    // Created last, listed first: every CRD group has the same group priority, and discovery breaks the tie by name.
    for (const group of ['zeta.example.com', 'alpha.example.com']) {
      await kubectlOk(server, ['apply', '-f', '-'], { input: crd(group) });
      await kubectlOk(server, ['wait', '--for', 'condition=Established', `crd/sprockets.${group}`, '--timeout=10s']);
      const name = `in-${group.split('.')[0]}`;
      await kubectlOk(server, ['create', '-f', '-'], { input: `apiVersion: ${group}/v1\nkind: Sprocket\nmetadata: {name: ${name}}\n` });
    }
    const got = await kubectlOk(server, ['get', 'sprockets', '-o', 'name']);
    assert.deepEqual([got.stdout, got.stderr], ['sprocket.alpha.example.com/in-alpha\n', '']);
    const qualified = await kubectlOk(server, ['get', 'sprockets.zeta.example.com', '-o', 'name']);
    assert.equal(qualified.stdout, 'sprocket.zeta.example.com/in-zeta\n');
  });

  it('kubectl 1.27 and 1.33: apply -f (twice) and apply --server-side of CRDs; managedFields as upstream records them', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const versions = findKubectlVersions().filter((v) => v.version === '1.27' || v.version === '1.33');
    if (versions.length === 0) return t.skip('no kubectl.1.27 or kubectl.1.33 beside kubectl');
    for (const { version, path } of versions) {
      const crd = (plural: string, kind: string) =>
        [
          'apiVersion: apiextensions.k8s.io/v1',
          'kind: CustomResourceDefinition',
          `metadata: {name: ${plural}.example.com}`,
          'spec:',
          '  group: example.com',
          '  scope: Namespaced',
          `  names: {plural: ${plural}, kind: ${kind}}`,
          '  versions:',
          '  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}',
          '',
        ].join('\n');
      const minor = version.replace('.', '');
      const plural = `gizmos${minor}`;
      const created = await kubectlOk(server, ['apply', '-f', '-'], { bin: path, input: crd(plural, `Gizmo${minor}`) });
      assert.equal(created.stdout, `customresourcedefinition.apiextensions.k8s.io/${plural}.example.com created\n`, version);
      const again = await kubectlOk(server, ['apply', '-f', '-'], { bin: path, input: crd(plural, `Gizmo${minor}`) });
      assert.equal(again.stdout, `customresourcedefinition.apiextensions.k8s.io/${plural}.example.com unchanged\n`, version);
      await kubectlOk(server, ['wait', '--for', 'condition=Established', `crd/${plural}.example.com`, '--timeout=10s'], { bin: path });
      const managed = async (name = plural) => {
        const got = await kubectlOk(server, ['get', 'crd', `${name}.example.com`, '-o', 'json', '--show-managed-fields'], { bin: path });
        return JSON.parse(got.stdout).metadata.managedFields as { manager: string; operation: string; fieldsV1: any }[];
      };
      const clientSide = (await managed()).find((e) => e.manager === 'kubectl-client-side-apply');
      assert.ok(clientSide, version);
      // spec.names is a Go struct (always there): it has no `.`; the defaulted conversion is a pointer: it has.
      assert.deepEqual(
        clientSide.fieldsV1['f:spec']['f:names'],
        { 'f:kind': {}, 'f:listKind': {}, 'f:plural': {}, 'f:singular': {} },
        version,
      );
      assert.deepEqual(clientSide.fieldsV1['f:spec']['f:conversion'], { '.': {}, 'f:strategy': {} }, version);
      const status = (await managed()).find((e) => e.manager === 'kube-apiserver');
      assert.deepEqual(
        Object.keys(status?.fieldsV1['f:status']['f:acceptedNames'] ?? {}),
        ['f:kind', 'f:listKind', 'f:plural', 'f:singular'],
        version,
      );

      // A server-side apply creating a CRD owns what it sent: of spec.names, only kind and plural.
      const other = `gadgets${minor}`;
      const applied = await kubectlOk(server, ['apply', '--server-side', '-f', '-'], { bin: path, input: crd(other, `Gadget${minor}`) });
      assert.equal(applied.stdout, `customresourcedefinition.apiextensions.k8s.io/${other}.example.com serverside-applied\n`, version);
      const serverSide = (await managed(other)).find((e) => e.manager === 'kubectl' && e.operation === 'Apply');
      assert.deepEqual(serverSide?.fieldsV1['f:spec']['f:names'], { 'f:kind': {}, 'f:plural': {} }, version);
    }
  });

  it('apply a CRD and a custom object; get, short name, printer columns, explain, scale, get -w, delete the CRD', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const applied = await kubectlOk(server, ['apply', '-f', '-'], { input: CRD_YAML });
    assert.equal(applied.stdout, 'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n');
    await kubectlOk(server, ['wait', '--for', 'condition=Established', 'crd/crontabs.stable.example.com', '--timeout=10s']);
    const cr = await kubectlOk(server, ['apply', '-f', '-'], { input: CR_YAML });
    assert.equal(cr.stdout, 'crontab.stable.example.com/my-cron created\n');

    const table = await kubectlOk(server, ['get', 'crontabs']);
    assert.match(table.stdout, /^NAME\s+SPEC\s+REPLICAS\s+AGE\nmy-cron\s+\* \* \* \* \*\/5\s+1\s+\d+s\n$/);
    const short = await kubectlOk(server, ['get', 'ct', 'my-cron', '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(short.stdout, '1');

    const explained = await kubectlOk(server, ['explain', 'crontab.spec']);
    assert.match(explained.stdout, /KIND:\s+CronTab/);
    assert.match(explained.stdout, /What the cron tab runs, and when\./);
    assert.match(explained.stdout, /cronSpec\s+<string>/);

    const bin = findKubectl()!;
    const watch = spawn(bin, ['--kubeconfig', server.kubeconfigPath, '--cache-dir', server.cacheDir, 'get', 'crontabs', '-w'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KUBECONFIG: '' },
    });
    let out = '';
    watch.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    try {
      await waitFor(() => /my-cron\s+\S+ \S+ \S+ \S+ \S+\s+1\s/.test(out), { timeoutMs: 10_000 });
      const scaled = await kubectlOk(server, ['scale', 'crontab/my-cron', '--replicas=3']);
      assert.equal(scaled.stdout, 'crontab.stable.example.com/my-cron scaled\n');
      await waitFor(() => /my-cron\s+\S+ \S+ \S+ \S+ \S+\s+3\s/.test(out), { timeoutMs: 10_000 });
    } finally {
      watch.kill('SIGKILL');
    }
    const replicas = await kubectlOk(server, ['get', 'crontab', 'my-cron', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}']);
    assert.equal(replicas.stdout, '3 2');

    const deleted = await kubectlOk(server, ['delete', 'crd', 'crontabs.stable.example.com']);
    assert.equal(deleted.stdout, 'customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted\n');
    await kubectlOk(server, ['wait', '--for=delete', 'crd/crontabs.stable.example.com', '--timeout=10s']);
    // A fresh discovery cache, as kubectl's own is still the one from before the deletion.
    const cacheDir = mkdtempSync(join(tmpdir(), 'kubemock-crd-cache-'));
    t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
    const gone = await runKubectl({ kubeconfigPath: server.kubeconfigPath, cacheDir }, ['get', 'crontabs']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /the server doesn't have a resource type "crontabs"/);
  });

  it('a CRD in a *.k8s.io group: refused without api-approved.kubernetes.io as kubectl shows it, then created and conformant with it', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const crd = (annotation: string) =>
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        `metadata: {name: gadgets.testing.k8s.io${annotation ? `, annotations: {api-approved.kubernetes.io: '${annotation}'}` : ''}}`,
        'spec:',
        '  group: testing.k8s.io',
        '  scope: Namespaced',
        '  names: {plural: gadgets, kind: Gadget}',
        '  versions:',
        '  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}',
        '',
      ].join('\n');
    const refused = await runKubectl(server, ['apply', '-f', '-'], { input: crd('') });
    assert.deepEqual(
      [refused.code, refused.stdout, refused.stderr],
      [
        1,
        '',
        'The CustomResourceDefinition "gadgets.testing.k8s.io" is invalid: metadata.annotations[api-approved.kubernetes.io]: ' +
          'Required value: protected groups must have approval annotation "api-approved.kubernetes.io", ' +
          'see https://github.com/kubernetes/enhancements/pull/1111\n',
      ],
    );
    await kubectlOk(server, ['apply', '-f', '-'], { input: crd('https://github.com/kubernetes/kubernetes/pull/1') });
    await kubectlOk(server, [
      'wait',
      '--for',
      'condition=KubernetesAPIApprovalPolicyConformant',
      'crd/gadgets.testing.k8s.io',
      '--timeout=10s',
    ]);
    const message = await kubectlOk(server, [
      'get',
      'crd',
      'gadgets.testing.k8s.io',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="KubernetesAPIApprovalPolicyConformant")].message}',
    ]);
    assert.equal(message.stdout, 'approved in https://github.com/kubernetes/kubernetes/pull/1');
  });
});

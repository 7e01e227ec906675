/**
 * Server-side apply with the real kubectl: `apply --server-side` records an Apply entry,
 * `get -o yaml` hides managedFields unless `--show-managed-fields`, a second field manager's change
 * is a conflict kubectl explains, and `--force-conflicts` takes the field over.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const configMap = (name: string, data: Record<string, string>) =>
  YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

type Entry = { manager: string; operation: string; apiVersion: string; time: string; fieldsType: string; fieldsV1: unknown };

describe('kubectl apply --server-side', () => {
  const server = useServer({ nodes: 0 });

  it('creates with an Apply entry for "kubectl", shown only with --show-managed-fields', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const applied = await kubectlOk(server, ['apply', '--server-side', '-f', '-'], { input: configMap('ssa', { a: '1', b: '2' }) });
    assert.equal(applied.stdout, 'configmap/ssa serverside-applied\n');
    const hidden = YAML.parse((await kubectlOk(server, ['get', 'cm', 'ssa', '-o', 'yaml'])).stdout) as {
      metadata: Record<string, unknown>;
    };
    assert.equal(hidden.metadata.managedFields, undefined);
    const shown = await kubectlOk(server, ['get', 'cm', 'ssa', '-o', 'yaml', '--show-managed-fields']);
    const entries = (YAML.parse(shown.stdout) as { metadata: { managedFields: Entry[] } }).metadata.managedFields;
    assert.equal(entries.length, 1);
    const { time, ...entry } = entries[0];
    assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(entry, {
      apiVersion: 'v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} } },
      manager: 'kubectl',
      operation: 'Apply',
    });
    // kubectl prints the entry as YAML with upstream's key order inside fieldsV1.
    assert.match(shown.stdout, /fieldsV1:\n\s+f:data:\n\s+f:a: \{\}\n\s+f:b: \{\}\n/);
  });

  it('a second manager changing a field conflicts; --force-conflicts takes it over', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['apply', '--server-side', '-f', '-'], { input: configMap('shared', { a: '1' }) });
    const conflict = await runKubectl(server, ['apply', '--server-side', '--field-manager=ops', '-f', '-'], {
      input: configMap('shared', { a: '2' }),
    });
    assert.equal(conflict.code, 1, conflict.stdout + conflict.stderr);
    const lines = conflict.stderr.split('\n');
    assert.equal(lines[0], 'error: Apply failed with 1 conflict: conflict with "kubectl": .data.a');
    assert.match(conflict.stderr, /--force-conflicts/);
    assert.equal(JSON.parse((await kubectlOk(server, ['get', 'cm', 'shared', '-o', 'json'])).stdout).data.a, '1');

    const forced = await kubectlOk(server, ['apply', '--server-side', '--field-manager=ops', '--force-conflicts', '-f', '-'], {
      input: configMap('shared', { a: '2' }),
    });
    assert.equal(forced.stdout, 'configmap/shared serverside-applied\n');
    const obj = JSON.parse((await kubectlOk(server, ['get', 'cm', 'shared', '-o', 'json', '--show-managed-fields'])).stdout) as {
      data: Record<string, string>;
      metadata: { managedFields: Entry[] };
    };
    assert.deepEqual(obj.data, { a: '2' });
    assert.deepEqual(
      obj.metadata.managedFields.map((e) => [e.manager, e.fieldsV1]),
      [['ops', { 'f:data': { 'f:a': {} } }]],
    );
  });

  it('kubectl create records an Update entry for kubectl-create that an apply of another value conflicts with', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['create', 'configmap', 'made', '--from-literal=k=v']);
    const res = await runKubectl(server, ['apply', '--server-side', '-f', '-'], { input: configMap('made', { k: 'w' }) });
    assert.equal(res.code, 1);
    assert.equal(res.stderr.split('\n')[0], 'error: Apply failed with 1 conflict: conflict with "kubectl-create" using v1: .data.k');
  });
});

/**
 * Server-side apply through @kubernetes/client-node: `patch…(…, fieldManager, force)` with the
 * `application/apply-patch+yaml` content type creates, re-applies without writing, answers another
 * manager's change with a 409 the client surfaces as an ApiException, gives the field to a forced
 * apply, removes what a manager stops applying, and reads managedFields back as typed entries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startKubemock, type KubemockServer } from '../../src/index.js';
import { waitFor } from '../helpers/eventually.js';

let server: KubemockServer;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;

const NS = 'ssa';
const APPLY = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);

const daemonSet = (name: string, image: string): k8s.V1DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
  },
});
const configMap = (name: string, data: Record<string, string>): k8s.V1ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

const applyDaemonSet = (body: k8s.V1DaemonSet, fieldManager: string, force?: boolean) =>
  apps.patchNamespacedDaemonSet({ namespace: NS, name: body.metadata!.name!, body, fieldManager, force }, APPLY);
const applyConfigMap = (body: k8s.V1ConfigMap, fieldManager: string) =>
  core.patchNamespacedConfigMap({ namespace: NS, name: body.metadata!.name!, body, fieldManager }, APPLY);

const entryOf = (obj: { metadata?: k8s.V1ObjectMeta }, manager: string) => obj.metadata?.managedFields?.find((e) => e.manager === manager);
const containerFields = (entry: k8s.V1ManagedFieldsEntry | undefined) =>
  (entry?.fieldsV1 as Record<string, any> | undefined)?.['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"c"}'];

before(async () => {
  server = await startKubemock({ nodes: 1 });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfigPath!);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
});
after(() => server.stop());

describe('@kubernetes/client-node server-side apply', () => {
  it('apply creates the object with one Apply entry for the field manager, read back as typed managedFields', async () => {
    const created = await applyDaemonSet(daemonSet('created', 'nginx:1'), 'alice');
    assert.equal(created.spec?.template.spec?.containers[0].image, 'nginx:1');
    const [entry, ...rest] = created.metadata?.managedFields ?? [];
    assert.equal(rest.length, 0, JSON.stringify(created.metadata?.managedFields));
    assert.equal(entry.manager, 'alice');
    assert.equal(entry.operation, 'Apply');
    assert.equal(entry.apiVersion, 'apps/v1');
    assert.equal(entry.fieldsType, 'FieldsV1');
    assert.ok(entry.time instanceof Date);
    assert.deepEqual(entry.fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
    // Read back (the DaemonSet controller may have added its own status entry by then): alice's entry is unchanged.
    const read = await apps.readNamespacedDaemonSet({ namespace: NS, name: 'created' });
    assert.deepEqual(entryOf(read, 'alice'), entry);
    assert.deepEqual(
      read.metadata?.managedFields?.filter((e) => e.operation === 'Apply').map((e) => e.manager),
      ['alice'],
    );
  });

  it('re-applying the same configuration keeps the resourceVersion and sends no watch event', async () => {
    const first = await applyConfigMap(configMap('same', { a: '1' }), 'alice');
    assert.deepEqual(
      first.metadata?.managedFields?.map((e) => [e.manager, e.operation, e.fieldsV1]),
      [['alice', 'Apply', { 'f:data': { 'f:a': {} } }]],
    );
    const events: string[] = [];
    const req = await new k8s.Watch(kc).watch(
      `/api/v1/namespaces/${NS}/configmaps`,
      { resourceVersion: first.metadata?.resourceVersion, fieldSelector: 'metadata.name=same' },
      (type: string, obj: k8s.V1ConfigMap) => {
        const owners = obj.metadata?.managedFields?.map((e) => `${e.manager} ${e.operation}`).join(', ');
        events.push(`${type} ${obj.metadata?.resourceVersion} ${JSON.stringify(obj.data)} ${owners}`);
      },
      () => undefined,
    );
    try {
      const again = await applyConfigMap(configMap('same', { a: '1' }), 'alice');
      assert.equal(again.metadata?.resourceVersion, first.metadata?.resourceVersion);
      assert.deepEqual(again.metadata?.managedFields, first.metadata?.managedFields);
      // A real change afterwards: its event must be the first and only one the watch sees.
      const changed = await applyConfigMap(configMap('same', { a: '2' }), 'alice');
      assert.notEqual(changed.metadata?.resourceVersion, first.metadata?.resourceVersion);
      await waitFor(() => assert.ok(events.length > 0));
      assert.deepEqual(events, [`MODIFIED ${changed.metadata?.resourceVersion} {"a":"2"} alice Apply`]);
    } finally {
      req.abort();
    }
  });

  it("another manager's change is an ApiException 409 with the conflict and its cause; force takes the field", async () => {
    await applyDaemonSet(daemonSet('shared', 'nginx:1'), 'alice');
    const err = await applyDaemonSet(daemonSet('shared', 'nginx:2'), 'bob').then(
      () => assert.fail('the second manager was let through'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof k8s.ApiException, String(err));
    assert.equal(err.code, 409);
    const field = '.spec.template.spec.containers[name="c"].image';
    assert.deepEqual(JSON.parse(err.body as string), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Apply failed with 1 conflict: conflict with "alice": ${field}`,
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field }] },
      code: 409,
    });
    const unchanged = await apps.readNamespacedDaemonSet({ namespace: NS, name: 'shared' });
    assert.equal(unchanged.spec?.template.spec?.containers[0].image, 'nginx:1');

    const forced = await applyDaemonSet(daemonSet('shared', 'nginx:2'), 'bob', true);
    assert.equal(forced.spec?.template.spec?.containers[0].image, 'nginx:2');
    const read = await apps.readNamespacedDaemonSet({ namespace: NS, name: 'shared' });
    assert.deepEqual(containerFields(entryOf(read, 'bob')), { '.': {}, 'f:image': {}, 'f:name': {} });
    assert.deepEqual(containerFields(entryOf(read, 'alice')), { '.': {}, 'f:name': {} });
  });

  it('a field its manager no longer applies is removed, and leaves the manager set', async () => {
    await applyConfigMap(configMap('dropped', { a: '1', b: '2' }), 'alice');
    const applied = await applyConfigMap(configMap('dropped', { a: '1' }), 'alice');
    assert.deepEqual(applied.data, { a: '1' });
    const read = await core.readNamespacedConfigMap({ namespace: NS, name: 'dropped' });
    assert.deepEqual(read.data, { a: '1' });
    assert.deepEqual(entryOf(read, 'alice')?.fieldsV1, { 'f:data': { 'f:a': {} } });
  });
});

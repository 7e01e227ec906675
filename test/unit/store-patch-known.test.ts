import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { buildTestApp } from '../helpers/build-app.js';

type ConfigMap = KubeObject & { data?: Record<string, string> };

test('patchKnown writes from the copy the caller holds and leaves that copy as it was', async (t) => {
  const { kubemock } = await buildTestApp(t);
  const store = kubemock.registry.store<ConfigMap>('configmaps');
  const held = store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { a: '1' } })
    .object as ConfigMap;
  const frozen = JSON.stringify(held);
  const written = store.patchKnown(held, (cm) => ({ ...cm, data: { ...cm.data, b: '2' } })).object as ConfigMap;
  assert.deepEqual(written.data, { a: '1', b: '2' });
  assert.equal(Number(written.metadata.resourceVersion), Number(held.metadata.resourceVersion) + 1);
  assert.equal(JSON.stringify(held), frozen, "the caller's copy is not changed");
  assert.deepEqual(store.get('default', 'cm').data, { a: '1', b: '2' });
});

test('patchKnown from a copy that is no longer the stored revision reads the stored object and changes that', async (t) => {
  const { kubemock } = await buildTestApp(t);
  const store = kubemock.registry.store<ConfigMap>('configmaps');
  const stale = store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { a: '1' } })
    .object as ConfigMap;
  store.patch('default', 'cm', (cm) => ({ ...cm, data: { ...cm.data, other: 'writer' } }));
  const seen: (string | undefined)[] = [];
  const written = store.patchKnown(stale, (cm) => {
    seen.push(cm.metadata.resourceVersion);
    return { ...cm, data: { ...cm.data, b: '2' } };
  }).object as ConfigMap;
  // The first attempt against the stale copy lost its compare-and-swap; the second saw the other write.
  assert.equal(seen.length, 2);
  assert.deepEqual(written.data, { a: '1', other: 'writer', b: '2' });
});

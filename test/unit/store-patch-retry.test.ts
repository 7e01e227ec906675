import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';
import { StatusError } from '../../src/apimachinery/status.js';
import type { KubeObject } from '../../src/apimachinery/object.js';

type ConfigMap = KubeObject & { data?: Record<string, string> };

/** A ConfigMap, and a patch whose first read is overtaken by another write before it commits (two replicas on etcd). */
async function overtaken(t: Parameters<typeof buildTestApp>[0]) {
  const { kubemock } = await buildTestApp(t);
  const store = kubemock.registry.store<ConfigMap>('configmaps');
  store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } });
  let reads = 0;
  const overtake = () => {
    if (reads++ === 0) store.patch('default', 'c', (cm) => ({ ...cm, data: { ...cm.data, other: 'x' } }));
  };
  return { store, overtake, reads: () => reads };
}

test('a patch keeping the resourceVersion of the copy it got is retried on the new object when another write came first', async (t) => {
  const { store, overtake, reads } = await overtaken(t);
  const result = store.patch('default', 'c', (cm) => {
    overtake();
    return { ...cm, data: { ...cm.data, mine: 'y' } };
  });
  assert.equal(reads(), 2, 'mutated again on the object the other write made');
  assert.deepEqual((result.object as ConfigMap).data, { a: '1', other: 'x', mine: 'y' });
});

test('a patch that sets a resourceVersion of its own is a precondition: another write first is a 409 Conflict', async (t) => {
  const { store, overtake } = await overtaken(t);
  const rv = store.get('default', 'c').metadata.resourceVersion!;
  assert.throws(
    () =>
      store.patch('default', 'c', (cm) => {
        overtake();
        return { ...cm, metadata: { ...cm.metadata, resourceVersion: rv }, data: { mine: 'y' } };
      }),
    (e: unknown) => e instanceof StatusError && e.code === 409,
  );
  assert.deepEqual(store.get('default', 'c').data, { a: '1', other: 'x' }, 'the overtaking write stays, the pinned one is not made');
});

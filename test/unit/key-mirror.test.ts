/** The etcd store's copy of its keys: newer values win whatever order they arrive in, deletes hold until the watch passes them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyMirror } from '../../src/storage/etcd/key-mirror.js';

const put = (m: KeyMirror, key: string, mod: number, value = `v${mod}`) => m.put({ key, value, mod, created: mod });
const names = (m: KeyMirror, base: string, ns?: string) =>
  [...m.objects(base, ns)].map((o) => `${o.namespace}/${o.name}@${o.entry.mod}`).sort();

test('a late watch event does not overwrite a newer value the replica wrote or read back', () => {
  const m = new KeyMirror();
  put(m, '/registry/pods/default/a', 10);
  put(m, '/registry/pods/default/a', 7);
  assert.equal(m.get('/registry/pods/default/a')?.value, 'v10');
  put(m, '/registry/pods/default/a', 12);
  assert.equal(m.get('/registry/pods/default/a')?.mod, 12);
});

test('a delete is not undone by an older put arriving later, until the watch has passed the delete', () => {
  const m = new KeyMirror();
  put(m, '/registry/pods/default/a', 5);
  m.delete('/registry/pods/default/a', 9);
  put(m, '/registry/pods/default/a', 8);
  assert.equal(m.get('/registry/pods/default/a'), undefined);
  // A delete older than the value known changes nothing.
  put(m, '/registry/pods/default/b', 20);
  m.delete('/registry/pods/default/b', 15);
  assert.equal(m.get('/registry/pods/default/b')?.mod, 20);
  // Once settled, a later re-creation is taken.
  m.settle(9);
  put(m, '/registry/pods/default/a', 30);
  assert.equal(m.get('/registry/pods/default/a')?.mod, 30);
});

test('objects of a resource are its folder and one level of namespace folders, not deeper resources', () => {
  const m = new KeyMirror();
  put(m, '/registry/minions/node-1', 1);
  put(m, '/registry/minions/node-2', 2);
  put(m, '/registry/services/specs/default/web', 3);
  put(m, '/registry/services/endpoints/default/web', 4);
  put(m, '/registry/pods/default/a', 5);
  put(m, '/registry/pods/kube-system/b', 6);
  assert.deepEqual(names(m, '/registry/minions/'), ['/node-1@1', '/node-2@2']);
  assert.deepEqual(names(m, '/registry/services/specs/'), ['default/web@3']);
  assert.deepEqual(names(m, '/registry/pods/'), ['default/a@5', 'kube-system/b@6']);
  assert.deepEqual(names(m, '/registry/pods/', 'kube-system'), ['kube-system/b@6']);
  assert.deepEqual(names(m, '/registry/services/'), []);
  m.clear();
  assert.deepEqual(names(m, '/registry/pods/'), []);
});

/** statusWriteMetadata: the metadata a /status write keeps under each status strategy rule. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusWriteMetadata } from '../../src/registry/resource-definition.js';
import type { ObjectMeta } from '../../src/apimachinery/object.js';

const old: ObjectMeta = {
  name: 'x',
  uid: 'u',
  generation: 2,
  labels: { a: '1' },
  annotations: { n: 'o' },
  finalizers: ['example.com/f'],
  managedFields: [{ manager: 'old' }],
};
const written = (): ObjectMeta => ({
  name: 'x',
  uid: 'u',
  generation: 5,
  labels: { a: '2' },
  finalizers: [],
  ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'o' }],
  managedFields: [{ manager: 'new' }],
});

test("'written' (and no rule) keeps the writer's metadata", () => {
  const meta = written();
  assert.equal(statusWriteMetadata('written', meta, old), meta);
  assert.deepEqual(statusWriteMetadata(undefined, written(), old), written());
});

test("'reset' takes labels, annotations, finalizers, ownerReferences and generation from the stored metadata", () => {
  const meta = statusWriteMetadata('reset', written(), old);
  assert.deepEqual(meta, {
    name: 'x',
    uid: 'u',
    generation: 2,
    labels: { a: '1' },
    annotations: { n: 'o' },
    finalizers: ['example.com/f'],
    managedFields: [{ manager: 'new' }],
  });
});

test("'stored' is the stored metadata with the write's managedFields", () => {
  assert.deepEqual(statusWriteMetadata('stored', written(), old), { ...old, managedFields: [{ manager: 'new' }] });
  const none = written();
  delete none.managedFields;
  const kept = statusWriteMetadata('stored', none, old);
  assert.equal('managedFields' in kept, false);
  assert.deepEqual(old.managedFields, [{ manager: 'old' }]);
});

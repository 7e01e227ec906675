import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';
import { ObjectCache } from '../../src/controllers/runtime/cache.js';

test('indexes follow updates that change their values, and only those; deletes leave no entry', async (t) => {
  const { kubemock } = await buildTestApp(t);
  const cache = new ObjectCache(kubemock.registry);
  t.after(() => cache.stop());
  cache.track('pods');
  cache.addIndex('pods', 'by-tier', (p) => (p.metadata.labels?.tier ? [p.metadata.labels.tier] : []));
  const pods = kubemock.registry.store('pods');
  const names = (tier: string) => cache.byIndex('pods', 'by-tier', tier).map((p) => p.metadata.name);
  pods.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { tier: 'web' } },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  });
  assert.deepEqual(names('web'), ['p']);
  const relabel = (tier: string | undefined) => {
    const labels: Record<string, string> = tier ? { tier } : {};
    pods.patch('default', 'p', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels } }));
  };
  relabel('db');
  assert.deepEqual([names('web'), names('db')], [[], ['p']]);
  const version = cache.version('pods');
  pods.patch('default', 'p', (cur) => ({ ...cur, metadata: { ...cur.metadata, annotations: { note: 'x' } } }));
  assert.ok(cache.version('pods') > version, 'every change moves the version');
  assert.deepEqual(names('db'), ['p']);
  assert.equal(cache.byIndex('pods', 'by-tier', 'db')[0].metadata.annotations?.note, 'x', 'the index serves the new object');
  relabel(undefined);
  assert.deepEqual(names('db'), []);
  relabel('web');
  pods.delete('default', 'p', { gracePeriodSeconds: 0 });
  assert.deepEqual(names('web'), []);
  assert.equal(cache.get('pods', 'default', 'p'), undefined);
});

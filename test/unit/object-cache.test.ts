import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';
import { ObjectCache } from '../../src/controllers/runtime/cache.js';
import { indexPodsByNode, podsOnNode } from '../../src/controllers/runtime/pod-indexes.js';

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

/** A cache of pods over a fresh app, the pod store, and a create of a labelled pod. */
async function podCache(t: TestContext) {
  const { kubemock } = await buildTestApp(t);
  const cache = new ObjectCache(kubemock.registry);
  t.after(() => cache.stop());
  cache.track('pods');
  const pods = kubemock.registry.store('pods');
  const create = (name: string, labels: Record<string, string>) =>
    pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
  return { cache, pods, create };
}

test("a grouped index keeps each group's member lists as objects come, change, move and go", async (t) => {
  const { cache, pods, create } = await podCache(t);
  create('before', { team: 'a', zone: 'z1' });
  // Placed by team, then zone; a pod without a zone is left out.
  cache.addGroupedIndex('pods', 'by-team-zone', (p) =>
    p.metadata.labels?.team && p.metadata.labels.zone ? [p.metadata.labels.team, p.metadata.labels.zone] : undefined,
  );
  const teamA = cache.group('pods', 'by-team-zone', 'a');
  const view = (group: string) =>
    Object.fromEntries([...cache.group('pods', 'by-team-zone', group)].map(([zone, list]) => [zone, list.map((p) => p.metadata.name)]));
  assert.deepEqual(view('a'), { z1: ['before'] }, 'objects cached before the index are placed');
  create('p1', { team: 'a', zone: 'z1' });
  create('p2', { team: 'a', zone: 'z2' });
  create('loose', { team: 'a' });
  assert.deepEqual(view('a'), { z1: ['before', 'p1'], z2: ['p2'] });
  assert.equal(teamA, cache.group('pods', 'by-team-zone', 'a'), 'a group read once follows later changes');
  pods.patch('default', 'before', (cur) => ({ ...cur, metadata: { ...cur.metadata, annotations: { note: 'x' } } }));
  assert.deepEqual(view('a'), { z1: ['before', 'p1'], z2: ['p2'] }, 'an update keeps its place in its list');
  assert.equal(teamA.get('z1')![0].metadata.annotations?.note, 'x', 'the list holds the new version');
  pods.patch('default', 'p1', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { team: 'b', zone: 'z1' } } }));
  pods.patch('default', 'loose', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { team: 'a', zone: 'z2' } } }));
  assert.deepEqual([view('a'), view('b')], [{ z1: ['before'], z2: ['p2', 'loose'] }, { z1: ['p1'] }], 'moves between groups and lists');
  pods.patch('default', 'p2', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: {} } }));
  pods.delete('default', 'before', { gracePeriodSeconds: 0 });
  assert.deepEqual(view('a'), { z2: ['loose'] }, 'left out or deleted: gone, and an emptied list with it');
  pods.delete('default', 'p1', { gracePeriodSeconds: 0 });
  assert.deepEqual(view('b'), {}, 'an emptied group reads as empty');
  assert.deepEqual(view('nobody'), {});
});

test('a grouped index that tracks changes names the members whose lists changed since they were last taken', async (t) => {
  const { cache, pods, create } = await podCache(t);
  create('before', { team: 'a', zone: 'z1' });
  cache.addGroupedIndex(
    'pods',
    'tracked',
    (p) => (p.metadata.labels?.zone ? [p.metadata.labels.team, p.metadata.labels.zone] : undefined),
    {
      trackChanges: true,
    },
  );
  const take = (group: string) => [...cache.takeChangedMembers('pods', 'tracked', group).members].sort();
  assert.deepEqual(take('a'), [], 'the first take starts keeping changes: what was there before is none');
  assert.deepEqual(take('b'), []);
  create('p1', { team: 'a', zone: 'z1' });
  create('p2', { team: 'a', zone: 'z2' });
  create('p3', { team: 'b', zone: 'z3' });
  create('loose', { team: 'a' });
  assert.deepEqual(take('a'), ['z1', 'z2']);
  assert.deepEqual(take('a'), [], 'taken once');
  pods.patch('default', 'p2', (cur) => ({ ...cur, metadata: { ...cur.metadata, annotations: { note: 'x' } } }));
  assert.deepEqual(take('a'), ['z2'], 'an object replaced by its new version');
  pods.patch('default', 'p1', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { team: 'a', zone: 'z4' } } }));
  assert.deepEqual(take('a'), ['z1', 'z4'], 'a move changes the list it left and the one it joined');
  pods.patch('default', 'loose', (cur) => ({ ...cur, metadata: { ...cur.metadata, annotations: { note: 'x' } } }));
  assert.deepEqual(take('a'), [], 'an object left out changes nothing');
  pods.delete('default', 'p2', { gracePeriodSeconds: 0 });
  assert.deepEqual(take('a'), ['z2']);
  assert.deepEqual(take('b'), ['z3'], 'each group keeps its own');
  const index = cache.takeChangedMembers('pods', 'tracked', 'a').index;
  assert.equal(cache.takeChangedMembers('pods', 'tracked', 'b').index, index, 'the same index while it stays');
  create('p4', { team: 'b', zone: 'z3' });
  cache.forgetChangedMembers('pods', 'tracked', 'b');
  assert.deepEqual(take('b'), [], 'forgotten');
  create('p5', { team: 'c', zone: 'z5' });
  assert.deepEqual(take('c'), [], 'a group nobody took changes of keeps none');
  cache.addGroupedIndex('pods', 'untracked', () => ['a', 'z1']);
  assert.throws(() => cache.takeChangedMembers('pods', 'untracked', 'a'), /does not track changes/);
});

test('a kind cached as metadata keeps type and metadata without managedFields, and is re-listed whole when asked for whole', async (t) => {
  const { kubemock } = await buildTestApp(t);
  const cache = new ObjectCache(kubemock.registry);
  t.after(() => cache.stop());
  const configMaps = kubemock.registry.store('configmaps');
  configMaps.create(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', labels: { x: '1' } }, data: { k: 'v' } },
    { fieldManager: 'test' },
  );
  cache.track('configmaps', '', 'metadata');
  cache.addIndex('configmaps', 'by-x', (o) => (o.metadata.labels?.x ? [o.metadata.labels.x] : []));
  assert.equal(cache.viewOf('configmaps'), 'metadata');
  const stored = configMaps.get('default', 'a');
  const { managedFields, ...metadata } = stored.metadata;
  assert.ok(managedFields?.length, 'the stored object has managedFields');
  assert.deepEqual(cache.get('configmaps', 'default', 'a'), { apiVersion: 'v1', kind: 'ConfigMap', metadata });
  // Changes arrive in the same form.
  configMaps.patch('default', 'a', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { x: '2' } }, data: { k: 'w' } }));
  const changed = cache.get('configmaps', 'default', 'a')!;
  assert.equal(changed.data, undefined);
  assert.equal(changed.metadata.managedFields, undefined);
  assert.deepEqual(changed.metadata.labels, { x: '2' });
  assert.deepEqual(
    cache.byIndex('configmaps', 'by-x', '2').map((o) => o.metadata.name),
    ['a'],
  );
  // Asking for metadata again changes nothing; asking for the whole object re-lists it whole.
  cache.track('configmaps', '', 'metadata');
  assert.equal(cache.get('configmaps', 'default', 'a')!.data, undefined);
  cache.track('configmaps');
  assert.equal(cache.viewOf('configmaps'), 'full');
  assert.deepEqual(cache.get('configmaps', 'default', 'a'), configMaps.get('default', 'a'));
  assert.deepEqual(
    cache.byIndex('configmaps', 'by-x', '2').map((o) => o.metadata.name),
    ['a'],
    'the indexes stay',
  );
  // The whole form follows later changes, and a narrower request never narrows it again.
  configMaps.patch('default', 'a', (cur) => ({ ...cur, data: { k: 'z' } }));
  cache.track('configmaps', '', 'metadata');
  assert.deepEqual(cache.get('configmaps', 'default', 'a')!.data, { k: 'z' });
});

test('the pods-by-node index is one for every reader: added again, it is kept as it is', async (t) => {
  const { kubemock } = await buildTestApp(t);
  const cache = new ObjectCache(kubemock.registry);
  t.after(() => cache.stop());
  cache.track('pods');
  indexPodsByNode(cache);
  const pods = kubemock.registry.store('pods');
  for (const [name, nodeName] of [
    ['a', 'n1'],
    ['b', 'n1'],
    ['c', undefined],
  ] as const) {
    pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
    });
  }
  indexPodsByNode(cache);
  const on = (node: string) => podsOnNode(cache, node).map((p) => p.metadata.name);
  assert.deepEqual(on('n1'), ['a', 'b']);
  assert.deepEqual(on(''), [], 'a pod bound to no node is under none');
});

test('objects created under one generateName share their equal parts, whatever was created between them', async (t) => {
  const { kubemock } = await buildTestApp(t);
  const cache = new ObjectCache(kubemock.registry);
  t.after(() => cache.stop());
  cache.track('pods');
  const pods = kubemock.registry.store('pods');
  const create = (generateName: string, image: string, tier: string) =>
    pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { generateName, namespace: 'default', labels: { tier } },
      spec: { containers: [{ name: 'c', image }], tolerations: [{ operator: 'Exists' }] },
    }).object.metadata.name!;
  const web1 = create('web-', 'nginx:1.27', 'web');
  create('db-', 'postgres:17', 'db');
  const web2 = create('web-', 'nginx:1.27', 'web');
  const [a, b] = [web1, web2].map((name) => cache.get('pods', 'default', name)!);
  assert.notEqual(a, b);
  assert.equal(a.metadata.labels, b.metadata.labels, 'equal labels: one object');
  assert.equal((a.spec as { tolerations: unknown }).tolerations, (b.spec as { tolerations: unknown }).tolerations);
  assert.notEqual(a.metadata, b.metadata, 'names differ');
  assert.deepEqual(cache.get('pods', 'default', web2), pods.get('default', web2), 'content as stored');
});

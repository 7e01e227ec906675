import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RevisionIndex } from '../../src/storage/revision-index.js';

test('the revision index answers 0 for an object it does not hold, and forgets emptied namespaces and resources', () => {
  const index = new RevisionIndex();
  assert.equal(index.get('pods', 'default', 'a'), 0);
  index.set('pods', 'default', 'a', 3);
  index.set('pods', 'default', 'b', 4);
  index.set('pods', 'kube-system', 'a', 5);
  index.set('nodes', '', 'a', 6);
  assert.deepEqual(
    [
      index.get('pods', 'default', 'a'),
      index.get('pods', 'default', 'b'),
      index.get('pods', 'kube-system', 'a'),
      index.get('nodes', '', 'a'),
    ],
    [3, 4, 5, 6],
    'the same name in another namespace or resource is another object',
  );
  index.set('pods', 'default', 'a', 7);
  assert.equal(index.get('pods', 'default', 'a'), 7, 'a newer revision replaces the older');
  index.delete('pods', 'default', 'a');
  index.delete('pods', 'default', 'zzz');
  index.delete('services', 'default', 'a');
  assert.equal(index.get('pods', 'default', 'a'), 0);
  assert.equal(index.get('pods', 'default', 'b'), 4);
  index.delete('pods', 'default', 'b');
  index.delete('pods', 'kube-system', 'a');
  assert.equal(index.get('pods', 'kube-system', 'a'), 0);
  assert.equal(index.get('nodes', '', 'a'), 6);
  index.set('pods', 'default', 'a', 8);
  assert.equal(index.get('pods', 'default', 'a'), 8, 'a namespace emptied and filled again');
  index.clear();
  assert.equal(index.get('nodes', '', 'a'), 0);
});

test('the revision index lists the objects of a resource with their revisions', () => {
  const index = new RevisionIndex();
  index.set('pods', 'default', 'a', 3);
  index.set('pods', 'kube-system', 'b', 4);
  index.set('nodes', '', 'n', 5);
  index.set('pods', 'default', 'a', 6);
  const byName = (rows: { namespace: string; name: string; rv: number }[]) => rows.sort((x, y) => x.name.localeCompare(y.name));
  assert.deepEqual(byName(index.list('pods')), [
    { namespace: 'default', name: 'a', rv: 6 },
    { namespace: 'kube-system', name: 'b', rv: 4 },
  ]);
  assert.deepEqual(index.list('nodes'), [{ namespace: '', name: 'n', rv: 5 }]);
  index.delete('pods', 'kube-system', 'b');
  assert.deepEqual(index.list('pods'), [{ namespace: 'default', name: 'a', rv: 6 }]);
  assert.deepEqual(index.list('services'), []);
});

/** The scheduler's assumed pods: counted on their node until the cache holds them bound, or forgotten. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssumedPods } from '../../src/controllers/scheduler/assumed-pods.js';
import type { StoredPod } from '../../src/resources/stored.js';

const pod = (name: string, nodeName?: string) => ({ metadata: { namespace: 'default', name }, spec: { nodeName } }) as unknown as StoredPod;
const names = (pods: StoredPod[]) => pods.map((p) => p.metadata.name);

test('an assumed pod counts on its node, once, beside the bound ones, until forgotten', () => {
  const assumed = new AssumedPods();
  const bound = [pod('a', 'n1')];
  assert.equal(assumed.withAssumed('n1', bound), bound, 'nothing assumed: the bound pods as they are');
  assumed.add('default/b', pod('b'), 'n1');
  assumed.add('default/c', pod('c'), 'n2');
  assert.ok(assumed.has('default/b'));
  assert.deepEqual(names(assumed.withAssumed('n1', bound)), ['a', 'b']);
  assert.deepEqual(names(assumed.withAssumed('n2', [])), ['c']);
  assert.deepEqual(
    assumed.withAssumed('n2', []).map((p) => p.spec?.nodeName),
    ['n2'],
    'counted as bound there',
  );
  // The cache has it bound already (its event not handled yet): counted once.
  assert.deepEqual(names(assumed.withAssumed('n1', [...bound, pod('b', 'n1')])), ['a', 'b']);
  // Assumed again elsewhere: only the newer node counts it.
  assumed.add('default/b', pod('b'), 'n2');
  assert.deepEqual(names(assumed.withAssumed('n1', bound)), ['a']);
  assert.deepEqual(names(assumed.withAssumed('n2', [])), ['c', 'b']);
  assumed.forget('default/b');
  assumed.forget('default/c');
  assumed.forget('default/never');
  assert.equal(assumed.has('default/b'), false);
  assert.deepEqual(names(assumed.withAssumed('n2', [])), []);
});

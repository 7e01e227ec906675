import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findUntoleratedTaint, tolerates } from '../../src/controllers/scheduling/taints.js';
import { matchesNodeSelector, matchesNodeSelectorTerms, podFitsNodeAffinity } from '../../src/controllers/scheduling/node-affinity.js';
import type { NodeSelectorTerm, Taint, Toleration } from '../../src/resources/schemas.js';

const taint = (key: string, value: string | undefined, effect: string): Taint => ({ key, value, effect });

describe('tolerates', () => {
  const cases: [string, Toleration, Taint, boolean][] = [
    ['equal key+value+effect', { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }, taint('k', 'v', 'NoSchedule'), true],
    ['empty operator means Equal', { key: 'k', value: 'v' }, taint('k', 'v', 'NoExecute'), true],
    ['value differs', { key: 'k', value: 'x' }, taint('k', 'v', 'NoSchedule'), false],
    ['empty value equals missing value', { key: 'k', operator: 'Equal' }, taint('k', undefined, 'NoSchedule'), true],
    ['Exists ignores value', { key: 'k', operator: 'Exists' }, taint('k', 'anything', 'NoSchedule'), true],
    ['empty key Exists matches all', { operator: 'Exists' }, taint('any', 'v', 'NoExecute'), true],
    ['effect differs', { key: 'k', operator: 'Exists', effect: 'NoSchedule' }, taint('k', '', 'NoExecute'), false],
    ['key differs', { key: 'a', operator: 'Exists' }, taint('b', '', 'NoSchedule'), false],
    ['unknown operator', { key: 'k', operator: 'Foo' }, taint('k', '', 'NoSchedule'), false],
    ['tolerationSeconds does not matter', { key: 'k', operator: 'Exists', tolerationSeconds: 0 }, taint('k', '', 'NoExecute'), true],
  ];
  for (const [name, tol, t, want] of cases) it(name, () => assert.equal(tolerates(tol, t), want));
});

describe('findUntoleratedTaint', () => {
  const taints = [taint('soft', '', 'PreferNoSchedule'), taint('a', '1', 'NoSchedule'), taint('b', '', 'NoExecute')];
  it('returns the first untolerated NoSchedule/NoExecute taint, ignoring PreferNoSchedule', () => {
    assert.deepEqual(findUntoleratedTaint(taints, []), taints[1]);
    assert.deepEqual(findUntoleratedTaint(taints, [{ key: 'a', operator: 'Exists' }]), taints[2]);
    assert.equal(
      findUntoleratedTaint(taints, [
        { key: 'a', operator: 'Exists' },
        { key: 'b', operator: 'Exists' },
      ]),
      undefined,
    );
  });
  it('honours the effect filter', () => {
    assert.deepEqual(findUntoleratedTaint(taints, [], ['NoExecute']), taints[2]);
    assert.deepEqual(findUntoleratedTaint(taints, [], ['PreferNoSchedule']), taints[0]);
  });
  it('no taints → undefined', () => assert.equal(findUntoleratedTaint(undefined, undefined), undefined));
});

describe('matchesNodeSelector', () => {
  it('every pair must equal a label', () => {
    assert.equal(matchesNodeSelector({ a: '1', b: '2' }, { a: '1' }), true);
    assert.equal(matchesNodeSelector({ a: '1' }, { a: '2' }), false);
    assert.equal(matchesNodeSelector({}, { a: '' }), false);
    assert.equal(matchesNodeSelector(undefined, undefined), true);
    assert.equal(matchesNodeSelector({ a: '1' }, {}), true);
  });
});

describe('matchesNodeSelectorTerms', () => {
  const node = { metadata: { name: 'node-1', labels: { zone: 'a', cores: '8', gpu: '' } } };
  const m = (terms: NodeSelectorTerm[]) => matchesNodeSelectorTerms(node, terms);
  const expr = (key: string, operator: string, values?: string[]): NodeSelectorTerm => ({ matchExpressions: [{ key, operator, values }] });
  it('operators', () => {
    assert.equal(m([expr('zone', 'In', ['a', 'b'])]), true);
    assert.equal(m([expr('zone', 'In', ['b'])]), false);
    assert.equal(m([expr('missing', 'In', ['b'])]), false);
    assert.equal(m([expr('zone', 'NotIn', ['b'])]), true);
    assert.equal(m([expr('missing', 'NotIn', ['b'])]), true);
    assert.equal(m([expr('zone', 'NotIn', ['a'])]), false);
    assert.equal(m([expr('gpu', 'Exists')]), true);
    assert.equal(m([expr('missing', 'Exists')]), false);
    assert.equal(m([expr('missing', 'DoesNotExist')]), true);
    assert.equal(m([expr('gpu', 'DoesNotExist')]), false);
    assert.equal(m([expr('cores', 'Gt', ['4'])]), true);
    assert.equal(m([expr('cores', 'Gt', ['8'])]), false);
    assert.equal(m([expr('cores', 'Lt', ['9'])]), true);
    assert.equal(m([expr('zone', 'Gt', ['1'])]), false, 'non-integer label');
    assert.equal(m([expr('cores', 'Gt', ['x'])]), false, 'non-integer value');
    assert.equal(m([expr('cores', 'Gt', ['1', '2'])]), false, 'two values');
    assert.equal(m([expr('zone', 'In', [])]), false, 'In without values is malformed');
  });
  it('terms are ORed, requirements ANDed', () => {
    assert.equal(m([expr('zone', 'In', ['b']), expr('cores', 'Exists')]), true);
    assert.equal(
      m([
        {
          matchExpressions: [
            { key: 'zone', operator: 'In', values: ['a'] },
            { key: 'x', operator: 'Exists' },
          ],
        },
      ]),
      false,
    );
  });
  it('empty list and empty term match nothing', () => {
    assert.equal(m([]), false);
    assert.equal(m([{}]), false);
    assert.equal(m([{ matchExpressions: [], matchFields: [] }]), false);
  });
  it('matchFields on metadata.name', () => {
    const f = (operator: string, values: string[], key = 'metadata.name'): NodeSelectorTerm => ({
      matchFields: [{ key, operator, values }],
    });
    assert.equal(m([f('In', ['node-1'])]), true);
    assert.equal(m([f('In', ['node-2'])]), false);
    assert.equal(m([f('NotIn', ['node-2'])]), true);
    assert.equal(m([f('In', ['node-1', 'node-2'])]), false, 'exactly one value');
    assert.equal(m([f('Exists', [])]), false, 'only In/NotIn');
    assert.equal(m([f('In', ['node-1'], 'metadata.uid')]), false, 'only metadata.name');
    assert.equal(
      m([
        {
          matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }],
          matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }],
        },
      ]),
      true,
    );
  });
});

describe('podFitsNodeAffinity', () => {
  const node = { metadata: { name: 'node-1', labels: { zone: 'a' } } };
  it('nodeSelector and required affinity both apply', () => {
    assert.equal(podFitsNodeAffinity({}, node), true);
    assert.equal(podFitsNodeAffinity(undefined, node), true);
    assert.equal(podFitsNodeAffinity({ nodeSelector: { zone: 'b' } }, node), false);
    const affinity = (values: string[]) => ({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values }] }],
        },
      },
    });
    assert.equal(podFitsNodeAffinity({ nodeSelector: { zone: 'a' }, affinity: affinity(['node-1']) }, node), true);
    assert.equal(podFitsNodeAffinity({ nodeSelector: { zone: 'a' }, affinity: affinity(['node-2']) }, node), false);
    assert.equal(podFitsNodeAffinity({ affinity: { nodeAffinity: {} } }, node), true);
    assert.equal(
      podFitsNodeAffinity(
        { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } },
        node,
      ),
      false,
    );
  });
});

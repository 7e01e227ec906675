/** mergeTolerations: upstream's tolerations.MergeTolerations, which keeps a toleration only when no other covers it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeTolerations } from '../../src/resources/pods/merge-tolerations.js';

const noSchedule = (key: string, extra: Record<string, unknown> = {}) => ({ key, operator: 'Exists', effect: 'NoSchedule', ...extra });

describe('mergeTolerations', () => {
  it('appends the second list to the first; equal tolerations are kept once, the first', () => {
    const a = noSchedule('a');
    const b = noSchedule('b');
    assert.deepEqual(mergeTolerations([a], [b]), [a, b]);
    const again = noSchedule('a');
    const merged = mergeTolerations([a], [again, b]);
    assert.deepEqual(merged, [a, b]);
    assert.equal(merged[0], a, 'the first of two equal ones');
    assert.deepEqual(mergeTolerations([], []), []);
  });

  it('drops a toleration a wider one covers, wherever the wider one is', () => {
    const narrow = { key: 'gpu', operator: 'Equal', value: 'yes', effect: 'NoSchedule' };
    const anyValue = noSchedule('gpu');
    const anyEffect = { key: 'gpu', operator: 'Exists' };
    const everything = { operator: 'Exists' };
    assert.deepEqual(mergeTolerations([narrow], [anyValue]), [anyValue]);
    assert.deepEqual(mergeTolerations([anyValue], [narrow]), [anyValue]);
    assert.deepEqual(mergeTolerations([anyValue], [anyEffect]), [anyEffect]);
    assert.deepEqual(mergeTolerations([narrow, noSchedule('other')], [everything]), [everything]);
  });

  it('NoExecute seconds: a shorter wait is covered by a longer or unlimited one, not the other way', () => {
    const short = { key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 };
    const long = { key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
    const forever = { key: 'k', operator: 'Exists', effect: 'NoExecute' };
    assert.deepEqual(mergeTolerations([short], [long]), [long]);
    assert.deepEqual(mergeTolerations([long], [short]), [long]);
    assert.deepEqual(mergeTolerations([long], [forever]), [forever]);
  });

  it('an Equal toleration covers only one whose operator says Equal (an empty operator is not compared as Equal)', () => {
    const equal = { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' };
    const implicit = { key: 'k', value: 'v', effect: 'NoSchedule' };
    const allEffects = { key: 'k', operator: 'Equal', value: 'v' };
    assert.deepEqual(mergeTolerations([equal], [allEffects]), [allEffects]);
    assert.deepEqual(mergeTolerations([implicit], [allEffects]), [implicit, allEffects]);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstValue, firstValues, parseQueryBool, queryValues } from '../../src/apimachinery/query-params.js';

describe('parseQueryBool (Convert_Slice_string_To_bool)', () => {
  const cases: [string | string[] | undefined | null, boolean][] = [
    [undefined, false],
    [null, false],
    [[], false],
    ['0', false],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['fAlSe', false],
    ['fal\u017fe', false], // Go's EqualFold folds the long s to s
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['1', true],
    ['', true],
    ['yes', true],
    ['f', true],
    ['no', true],
    ['00', true],
    [' false', true],
    [['false', 'true'], false],
    [['true', 'false'], true],
    [['', '0'], true],
  ];
  for (const [value, want] of cases) {
    it(`${JSON.stringify(value)} → ${want}`, () => assert.equal(parseQueryBool(value), want));
  }
});

describe('single- and list-valued parameters', () => {
  it('a scalar takes the first value; a list keeps them all, in order', () => {
    assert.equal(firstValue(['a', 'b']), 'a');
    assert.equal(firstValue('a'), 'a');
    assert.equal(firstValue(''), '');
    assert.equal(firstValue(undefined), undefined);
    assert.deepEqual(queryValues(['All', 'x']), ['All', 'x']);
    assert.deepEqual(queryValues('All'), ['All']);
    assert.deepEqual(queryValues(undefined), []);
    assert.deepEqual(firstValues({ labelSelector: ['a=b', 'c=d'], watch: '', limit: '5' }), {
      labelSelector: 'a=b',
      watch: '',
      limit: '5',
    });
  });
});

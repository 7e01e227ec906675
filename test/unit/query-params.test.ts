import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstValue, firstValues, parseQueryBool, parseQueryInt64, queryValues } from '../../src/apimachinery/query-params.js';

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

describe('parseQueryInt64 (Convert_Slice_string_To_int64: strconv.ParseInt)', () => {
  it('reads signed decimal int64s; absent is unset', () => {
    assert.equal(parseQueryInt64(undefined), undefined);
    assert.equal(parseQueryInt64('42'), 42);
    assert.equal(parseQueryInt64('+7'), 7);
    assert.equal(parseQueryInt64('-3'), -3);
    assert.equal(parseQueryInt64(['5', 'x']), 5);
  });
  it("answers anything else with strconv's error as a 400", () => {
    for (const [raw, why] of [
      ['abc', 'invalid syntax'],
      ['', 'invalid syntax'],
      ['1.5', 'invalid syntax'],
      ['1e3', 'invalid syntax'],
      [' 1', 'invalid syntax'],
      ['9223372036854775808', 'value out of range'],
    ])
      assert.throws(
        () => parseQueryInt64(raw),
        (e: { status: { code: number; message: string } }) =>
          e.status.code === 400 && e.status.message === `strconv.ParseInt: parsing ${JSON.stringify(raw)}: ${why}`,
      );
  });
});

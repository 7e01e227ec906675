/** Go's regexp (RE2) for CRD patterns and the CEL regex library: linear time, Go's syntax, errors and FindAll. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { compileRegexp, regexpFindAll, regexpMatches } from '../../src/apimachinery/re2.js';

it('answers patterns that make a backtracking engine run for minutes at once', { timeout: 10_000 }, () => {
  const input = `${'a'.repeat(60)}!`;
  assert.equal(regexpMatches('^(a+)+$', input), false);
  assert.equal(regexpMatches('^(a|a)*$', input), false);
  assert.equal(regexpMatches('^(\\w+\\s?)*$', input), false);
  assert.equal(regexpMatches('^(a+)+$', 'a'.repeat(60)), true);
});

it("reads RE2's syntax and refuses what RE2 refuses, with Go's messages", () => {
  assert.equal(regexpMatches('^[[:alpha:]]+$', 'abc'), true);
  assert.equal(regexpMatches('^\\pL+$', 'héllo'), true);
  assert.throws(() => compileRegexp('(?=a)'), { message: 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`' });
  assert.throws(() => compileRegexp('('), { message: 'error parsing regexp: missing closing ): `(`' });
  assert.throws(() => compileRegexp('(?=a)'), /unsupported Perl syntax/, 'a refused pattern stays refused');
});

it('finds as regexp.FindAllString does: leftmost matches, no empty match right after a match, at most n', () => {
  assert.deepEqual(regexpFindAll('[0-9]+', 'ab12cd345'), ['12', '345']);
  assert.deepEqual(regexpFindAll('a*', 'baaac'), ['', 'aaa', '']);
  assert.deepEqual(regexpFindAll('[0-9]+', 'ab12cd345', 1), ['12']);
  assert.deepEqual(regexpFindAll('[0-9]+', 'ab12cd345', 0), []);
  assert.deepEqual(regexpFindAll('x', 'abc'), []);
});

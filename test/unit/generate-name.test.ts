import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateName, generateNameSuffix, MAX_GENERATED_NAME_BASE_LENGTH, NAME_SUFFIX_ALPHABET } from '../../src/apimachinery/names.js';
import { isDns1123Label } from '../../src/apimachinery/validation/names.js';

const SUFFIX_RE = /^[bcdfghjklmnpqrstvwxz2456789]{5}$/;

describe('generateNameSuffix', () => {
  it('is 5 characters from the upstream alphabet', () => {
    assert.equal(NAME_SUFFIX_ALPHABET, 'bcdfghjklmnpqrstvwxz2456789');
    for (let i = 0; i < 500; i++) assert.match(generateNameSuffix(), SUFFIX_RE);
  });
  it('is random', () => {
    const seen = new Set(Array.from({ length: 200 }, generateNameSuffix));
    assert.ok(seen.size > 190, `only ${seen.size} distinct suffixes`);
  });
  it('uses the whole alphabet', () => {
    const chars = new Set(Array.from({ length: 400 }, generateNameSuffix).join(''));
    assert.equal(chars.size, NAME_SUFFIX_ALPHABET.length);
  });
});

describe('generateName', () => {
  const cases: [base: string, keptPrefix: string][] = [
    ['', ''],
    ['web-', 'web-'],
    ['pod', 'pod'],
    ['a'.repeat(58), 'a'.repeat(58)],
    ['b'.repeat(59), 'b'.repeat(58)],
    ['c'.repeat(100) + '-', 'c'.repeat(58)],
  ];
  for (const [base, kept] of cases) {
    it(`base of ${base.length} characters keeps ${kept.length}`, () => {
      const name = generateName(base);
      assert.equal(name.length, kept.length + 5);
      assert.ok(name.startsWith(kept));
      assert.match(name.slice(kept.length), SUFFIX_RE);
    });
  }
  it('the 58-character cut makes a name that fits a DNS label', () => {
    assert.equal(MAX_GENERATED_NAME_BASE_LENGTH, 58);
    assert.deepEqual(isDns1123Label(generateName(`${'x'.repeat(80)}`)), []);
  });
});

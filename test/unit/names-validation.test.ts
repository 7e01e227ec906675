import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  goStringSlice,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  maskTrailingDash,
  regexError,
} from '../../src/apimachinery/validation/names.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const QUALIFIED_MSG =
  "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

type Case = [input: string, expected: string[]];

function table(name: string, fn: (v: string) => readonly string[], cases: Case[]): void {
  describe(name, () => {
    for (const [input, expected] of cases) {
      it(JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…(${input.length})` : input), () => {
        assert.deepEqual(fn(input), expected);
      });
    }
  });
}

table('isDns1123Subdomain', isDns1123Subdomain, [
  ['example.com', []],
  ['a', []],
  ['0-a.b-1', []],
  ['a'.repeat(253), []],
  ['a'.repeat(254), ['must be no more than 253 characters']],
  ['', [SUBDOMAIN_MSG]],
  ['Bad_Name', [SUBDOMAIN_MSG]],
  ['-a', [SUBDOMAIN_MSG]],
  ['a-', [SUBDOMAIN_MSG]],
  ['a..b', [SUBDOMAIN_MSG]],
  ['A'.repeat(254), ['must be no more than 253 characters', SUBDOMAIN_MSG]],
]);

table('isDns1123Label', isDns1123Label, [
  ['my-name', []],
  ['123-abc', []],
  ['a'.repeat(63), []],
  ['a'.repeat(64), ['must be no more than 63 characters']],
  ['a.b', ['must not contain dots']],
  ['', [LABEL_MSG]],
  ['My-Name', [LABEL_MSG]],
  ['a_b', [LABEL_MSG]],
  ['-a', [LABEL_MSG]],
]);

table('isDns1035Label', isDns1035Label, [
  ['my-name', []],
  ['1abc', [DNS1035_MSG]],
]);

table('isQualifiedName', isQualifiedName, [
  ['app', []],
  ['MyName', []],
  ['my.name', []],
  ['123-abc', []],
  ['app.kubernetes.io/name', []],
  ['example.com/My_Name', []],
  ['a'.repeat(63), []],
  ['a'.repeat(64), ['name part must be no more than 63 characters']],
  ['', ['name part must be non-empty', NAME_PART_MSG]],
  ['-app', [NAME_PART_MSG]],
  ['app_', [NAME_PART_MSG]],
  ['has space', [NAME_PART_MSG]],
  ['example.com/', ['name part must be non-empty', NAME_PART_MSG]],
  ['/name', ['prefix part must be non-empty']],
  ['Example.com/name', [`prefix part ${SUBDOMAIN_MSG}`]],
  ['a/b/c', [QUALIFIED_MSG]],
]);

table('isValidLabelValue', isValidLabelValue, [
  ['', []],
  ['MyValue', []],
  ['my_value', []],
  ['12345', []],
  ['a.b-c_d', []],
  ['a'.repeat(63), []],
  ['a'.repeat(64), ['must be no more than 63 characters']],
  ['-x', [LABEL_VALUE_MSG]],
  ['x-', [LABEL_VALUE_MSG]],
  ['a b', [LABEL_VALUE_MSG]],
  ['a/b', [LABEL_VALUE_MSG]],
  ['_'.repeat(64), ['must be no more than 63 characters', LABEL_VALUE_MSG]],
]);

describe('length is counted in bytes', () => {
  it('a 32-character value of 2-byte characters is too long', () => {
    assert.equal(isValidLabelValue('é'.repeat(32))[0], 'must be no more than 63 characters');
  });
});

describe('maskTrailingDash', () => {
  for (const [input, expected] of [
    ['foo-', 'foa'],
    ['a-', 'a'],
    ['-', '-'],
    ['foo', 'foo'],
    ['', ''],
  ] as const) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(maskTrailingDash(input), expected));
  }
  it('lets a generateName prefix ending in a dash validate', () => {
    assert.deepEqual(isDns1123Subdomain(maskTrailingDash('web-')), []);
    assert.deepEqual(isDns1123Subdomain(maskTrailingDash('Web-')), [SUBDOMAIN_MSG]);
  });
});

describe('helpers', () => {
  it('regexError without examples', () => {
    assert.equal(regexError('bad', 'x+'), "bad (regex used for validation is 'x+')");
  });
  it('goStringSlice', () => {
    assert.equal(goStringSlice(null).go, '[]string(nil)');
    assert.equal(goStringSlice([]).go, '[]string{}');
    assert.equal(goStringSlice(['a', 'b']).go, '[]string{"a", "b"}');
    // %#v quotes each element as strconv.Quote does, not as JSON does.
    assert.equal(goStringSlice(['a\u0001', 'b\u00a0', 'c\u2028', 'd\u007f']).go, '[]string{"a\\x01", "b\\u00a0", "c\\u2028", "d\\x7f"}');
  });
});

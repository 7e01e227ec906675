/**
 * A rule's run-time errors in cel-go's words (v0.23, Kubernetes 1.33) as apiextensions reports them
 * ("<error> evaluating rule: <rule>", or "'no such overload…': call arguments did not match…"):
 * indexes, keys, division, overflow, conversions of strings and bytes, the strings extension, calls
 * on a dyn value of the wrong type and comprehensions over what is not iterable.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleValidator } from '../../src/apimachinery/cel/validator.js';
import { celGoErrorText } from '../../src/apimachinery/cel/runtime-errors.js';
import { errorString } from '../../src/apimachinery/field-errors.js';
import type { JSONSchemaProps } from '../../src/apimachinery/structural-schema/types.js';

const SPEC: JSONSchemaProps = {
  type: 'object',
  properties: {
    zero: { type: 'integer' },
    name: { type: 'string' },
    items: { type: 'array', items: { type: 'integer' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    port: { 'x-kubernetes-int-or-string': true },
  },
};
const SPEC_VALUE = { zero: 0, name: 'web', items: [1, 2], labels: { app: 'web' }, port: 'http' };

/** The field error (as a string) of `rule` on SPEC_VALUE, or 'ok'. */
function failure(rule: string): string {
  const validator = ruleValidator({ type: 'object', properties: { spec: { ...SPEC, 'x-kubernetes-validations': [{ rule }] } } });
  const { errors } = validator!.validate({ spec: SPEC_VALUE });
  return errors.length ? errors.map(errorString).join('\n') : 'ok';
}

const compileFailure = (rule: string, column: number, message: string) =>
  `spec: Invalid value: "object": rule compile error: compilation failed: ERROR: <input>:1:${column}: ${message}\n | ${rule}\n | ${'.'.repeat(column - 1)}^`;
const evaluating = (error: string, rule: string) => `spec: Invalid value: "object": ${error} evaluating rule: ${rule}`;
const noOverload = (error: string, rule: string) =>
  `spec: Invalid value: "object": '${error}': call arguments did not match a supported operator, function or macro signature for rule: ${rule}`;

describe('CEL run-time errors as cel-go words them', () => {
  it('indexes, keys, division and modulus', () => {
    const cases: [string, string][] = [
      ['self.items[9] == 1', 'index out of bounds: 9'],
      ['self.items[-1] == 1', 'index out of bounds: -1'],
      ['[1, 2][self.zero + 5] == 1', 'index out of bounds: 5'],
      ["self.labels['tier'] == 'x'", 'no such key: tier'],
      ['self.labels.tier == "x"', 'no such key: tier'],
      ['1 / self.zero == 1', 'division by zero'],
      ['1 % self.zero == 1', 'modulus by zero'],
      ['1u / uint(self.zero) == 1u', 'division by zero'],
      ["{1: 'one', 2: 'two'}[self.zero + 3] == 'x'", 'no such key: 3'],
      ["{1: 'one'}[dyn(1.5)] == 'x'", 'no such key: 1.5'],
      // the inner container decides the words, not the root: a map of lists, a list of maps (attributes.go qualifiers)
      ['{1: [5]}[1][3] == 3', 'index out of bounds: 3'],
      ['[{1: 2}][0][5] == 3', 'no such key: 5'],
      ['{1: {2: 3}}[1][3] == 3', 'no such key: 3'],
      ['[[1]][0][4] == 1', 'index out of bounds: 4'],
    ];
    for (const [rule, error] of cases) assert.equal(failure(rule), evaluating(error, rule), rule);
  });

  it('an index whose key type the container has no overload for does not compile (index_list, index_map)', () => {
    const rule = 'self.labels[1] == "x" && {1: {2: 3}}[1]["a"] == 3';
    assert.equal(
      failure(rule),
      'spec: Invalid value: "object": rule compile error: compilation failed: ' +
        "ERROR: <input>:1:12: found no matching overload for '_[_]' applied to '(map(string, string), int)'\n" +
        ' | self.labels[1] == "x" && {1: {2: 3}}[1]["a"] == 3\n | ...........^\n' +
        "ERROR: <input>:1:40: found no matching overload for '_[_]' applied to '(map(int, int), string)'\n" +
        ' | self.labels[1] == "x" && {1: {2: 3}}[1]["a"] == 3\n | .......................................^',
    );
    assert.equal(
      failure('self.items["a"] == 1'),
      compileFailure('self.items["a"] == 1', 11, "found no matching overload for '_[_]' applied to '(list(int), string)'"),
    );
  });

  it('an object (a declared type) or a scalar has no index overload at all; a dyn one may be indexed', () => {
    assert.match(
      failure('self["name"] == "web"'),
      /ERROR: <input>:1:5: found no matching overload for '_\[_\]' applied to '\(selfType\d+, string\)'/,
    );
    assert.equal(
      failure('self.name[0] == "w"'),
      compileFailure('self.name[0] == "w"', 10, "found no matching overload for '_[_]' applied to '(string, int)'"),
    );
    assert.equal(failure('dyn(self)["name"] == "web"'), 'ok');
  });

  it('integer, unsigned, duration and timestamp overflow', () => {
    const cases: [string, string][] = [
      ['9223372036854775807 + self.zero + 1 > 0', 'integer overflow'],
      ['-9223372036854775808 - self.zero - 1 < 0', 'integer overflow'],
      ['9223372036854775807 * (self.zero + 2) > 0', 'integer overflow'],
      ['-(-9223372036854775808 + self.zero) > 0', 'integer overflow'],
      ['int(9223372036854775807.0 + double(self.zero)) > 0', 'integer overflow'],
      ['int(18446744073709551615u + uint(self.zero)) > 0', 'integer overflow'],
      ['uint(self.zero - 1) > 0u', 'unsigned integer overflow'],
      ['uint(-0.5 + double(self.zero)) > 0u', 'unsigned integer overflow'],
      ['1u - uint(self.zero) - 2u > 0u', 'unsigned integer overflow'],
      ["duration('2562047h') + duration('2562047h') > duration('1s')", 'integer overflow'],
      ["timestamp('9999-12-31T23:00:00Z') + duration('2h') > timestamp(0)", 'timestamp overflow'],
      ["timestamp('0001-01-01T00:00:00Z') - duration('1s') > timestamp(0)", 'timestamp overflow'],
    ];
    for (const [rule, error] of cases) assert.equal(failure(rule), evaluating(error, rule), rule);
  });

  it('strings that Go’s strconv does not read, and bytes that are not UTF-8', () => {
    const cases: [string, string][] = [
      ["int('') == 0", "type conversion error from 'string' to 'int'"],
      ["int(' 5') == 5", "type conversion error from 'string' to 'int'"],
      ["int('0x10') == 16", "type conversion error from 'string' to 'int'"],
      ["int('9223372036854775808') > 0", "type conversion error from 'string' to 'int'"],
      ["uint('+5') == 5u", "type conversion error from 'string' to 'uint'"],
      ["uint('-1') == 1u", "type conversion error from 'string' to 'uint'"],
      ["double('') == 0.0", "type conversion error from 'string' to 'double'"],
      ["double('1e400') > 0.0", "type conversion error from 'string' to 'double'"],
      ["bool('yes')", "type conversion error from 'string' to 'bool'"],
      ["string(b'\\xff') == ''", 'invalid UTF-8 in bytes, cannot convert to string'],
    ];
    for (const [rule, error] of cases) assert.equal(failure(rule), evaluating(error, rule), rule);
    const fine = [
      "int('+5') == 5 && int('-9223372036854775808') < 0",
      "uint('18446744073709551615') == 18446744073709551615u",
      "double('1e-400') == 0.0 && double('-Inf') < 0.0 && double('.5') == 0.5 && double('0x1p-2') == 0.25",
      "bool('T') && bool('TRUE') && bool('1') && !bool('f') && !bool('False')",
      "string(1e6) == '1e+06' && string(123456.0) == '123456' && string(0.00001) == '1e-05' && string(1.0) == '1'",
    ];
    for (const rule of fine) assert.equal(failure(rule), 'ok', rule);
  });

  it('the strings extension as cel-go’s: code points, its range errors, Go’s Replace and SplitN', () => {
    const cases: [string, string][] = [
      ['self.name.substring(4) == ""', 'index out of range: 4'],
      ['self.name.substring(1, 9) == ""', 'index out of range: 9'],
      ['self.name.substring(5, 1) == ""', 'invalid substring range. start: 5, end: 1'],
      ['self.name.charAt(4) == ""', 'index out of range: 4'],
      ['self.name.indexOf("e", -1) == 0', 'index out of range: -1'],
      ['"".lastIndexOf(self.name) == 0', 'index out of range: -1'],
    ];
    for (const [rule, error] of cases) assert.equal(failure(rule), evaluating(error, rule), rule);
    const fine = [
      "self.name.charAt(3) == '' && self.name.substring(3) == ''",
      "self.name.indexOf('e', 9) == -1 && self.name.lastIndexOf('e', 9) == -1 && self.name.indexOf('', 9) == 9",
      "'a😀c'.substring(1, 2) == '😀' && 'a😀c'.indexOf('c') == 2 && 'a😀c'.charAt(2) == 'c'",
      "'aaa'.replace('a', 'b', -1) == 'bbb' && 'aaa'.replace('a', 'b', 2) == 'bba' && 'ab'.replace('', 'X') == 'XaXbX'",
      "'a,b,c'.split(',', 2) == ['a', 'b,c'] && 'a,b,c'.split(',', 0) == [] && 'a😀c'.split('') == ['a', '😀', 'c']",
    ];
    for (const rule of fine) assert.equal(failure(rule), 'ok', rule);
  });

  it('a call on a dyn value of the wrong type: a standard operator names at most itself, as its one binding does', () => {
    const cases: [string, string][] = [
      // the first operand has the operator's trait and refuses the second (types.MaybeNoSuchOverloadErr)
      ['self.port + 1 > 0', 'no such overload'],
      ['self.port > 1', 'no such overload'],
      ['dyn(1) + dyn(true) == 2', 'no such overload'],
      ['-dyn(true) == 1', 'no such overload'],
      ['!dyn(1)', 'no such overload'],
      // a receiver (string, duration, timestamp) refuses an operator it lacks
      ['dyn(duration("1s")) * 2 == 2', 'no such overload'],
      // a first operand without the trait: evalBinary's "no such overload: <function>"
      ['dyn(true) + 1 == 2', 'no such overload: _+_'],
      ['dyn([1]) * 2 == 2', 'no such overload: _*_'],
      ['dyn(null) < 1', 'no such overload: _<_'],
      ['dyn(self.zero).size() == 0', 'no such overload: size'],
      // the string functions without type guards refuse a non-string themselves
      ['dyn(self.zero).startsWith("a")', 'no such overload'],
      // a function of several overloads dispatched at run time (decls MaybeNoSuchOverload)
      ['dyn(self.zero).getHours() == 0', 'no such overload: getHours(int)'],
      ['dyn(self.zero) && true', 'no such overload'],
      ['dyn(self.zero) ? true : false', 'no such overload'],
    ];
    for (const [rule, error] of cases) assert.equal(failure(rule), noOverload(error, rule), rule);
    // a bool operand no overload of + takes does not compile, dyn or not (cel-go's checker)
    assert.equal(
      failure('dyn(1) + true == 2'),
      compileFailure('dyn(1) + true == 2', 8, "found no matching overload for '_+_' applied to '(dyn, bool)'"),
    );
  });

  it('a comprehension over a dyn value that is not a list or map', () => {
    for (const rule of ['self.port.all(x, true)', 'self.port.exists(i, v, true)']) {
      assert.equal(failure(rule), evaluating("got 'types.String', expected iterable type", rule), rule);
    }
  });

  it('maps @bufbuild/cel’s texts in one place, leaving cel-go’s own alone', () => {
    assert.equal(celGoErrorText('index 9 out of bounds [0, -1)'), 'index out of bounds: 9');
    assert.equal(celGoErrorText('index 3 out of bounds [0, -1)', 'map'), 'no such key: 3');
    assert.equal(celGoErrorText('index 3 out of bounds [0, -1)', 'list'), 'index out of bounds: 3');
    assert.equal(celGoErrorText('index 5 out of bounds [0, 3)'), 'index out of range: 5');
    assert.equal(celGoErrorText('field not found: a.b'), 'no such key: a.b');
    assert.equal(celGoErrorText('int divide by zero'), 'division by zero');
    assert.equal(celGoErrorText('uint modulus by zero'), 'modulus by zero');
    assert.equal(celGoErrorText('int overflow during _*_'), 'integer overflow');
    assert.equal(celGoErrorText('uint overflow during type conversion'), 'unsigned integer overflow');
    assert.equal(celGoErrorText('timestamp out of range'), 'timestamp overflow');
    assert.equal(
      celGoErrorText("found no matching overload for 'getHours' applied to 'google.protobuf.Timestamp.(int)'"),
      'no such overload: getHours(google.protobuf.Timestamp, int)',
    );
    assert.equal(celGoErrorText('type mismatch: iterable vs bool'), "got 'types.Bool', expected iterable type");
    assert.equal(celGoErrorText('insert failed: key a already exists'), 'insert failed: key a already exists');
  });
});

/**
 * How a field error prints its bad value (field.Error's ErrorBody in 1.33): strings with Go's %q,
 * nil as the quoted string "null", int64 and bool with %v, a float64 with %v's shortest 'g' form,
 * pre-rendered Go forms as given; NotSupported quotes its list with strconv.Quote.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  duplicate,
  errorBody,
  errorString,
  goStringMap,
  invalidValue,
  notSupported,
  renderValue,
  type BadValue,
} from '../../src/apimachinery/field-errors.js';
import { goFloat, goValue } from '../../src/apimachinery/go-format.js';

describe('renderValue', () => {
  const cases: [string, BadValue, string][] = [
    ['plain string', 'nginx', '"nginx"'],
    ['empty string', '', '""'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['bell, backspace, form feed, vertical tab: Go short escapes', 'a\x07\b\f\vb', '"a\\a\\b\\f\\vb"'],
    ['newline, tab, return', 'a\n\t\r', '"a\\n\\t\\r"'],
    ['other control characters and DEL as \\x', '\x01\x1b\x7f', '"\\x01\\x1b\\x7f"'],
    ['no-break space and line separator are not printable', 'a\u00a0b\u2028', '"a\\u00a0b\\u2028"'],
    ['letters and symbols outside ASCII print as they are', 'café ✓ 日本', '"café ✓ 日本"'],
    ['a lone surrogate is U+FFFD, as Go decoded it', 'a\ud800b', '"a\ufffdb"'],
    ['nil becomes the string "null"', null, '"null"'],
    ['so does an absent value', undefined, '"null"'],
    ['int64', -42, '-42'],
    ['a large int64', 4294967297, '4294967297'],
    ['float64', 1.5, '1.5'],
    ['float64 from 1e6 in exponent form', 1234567.5, '1.2345675e+06'],
    ['small float64 in exponent form', 0.00001, '1e-05'],
    ['bool', false, 'false'],
    ['pre-rendered', { go: 'map[string]string(nil)' }, 'map[string]string(nil)'],
  ];
  for (const [name, value, want] of cases) it(name, () => assert.equal(renderValue(value), want));
});

describe('goFloat (%v of a float64)', () => {
  const cases: [number, string][] = [
    [0.0001, '0.0001'],
    [0.00012, '0.00012'],
    [0.000012, '1.2e-05'],
    [999999.5, '999999.5'],
    [1e6 + 0.5, '1.0000005e+06'],
    [1e21, '1e+21'],
    [1.5e300, '1.5e+300'],
    [-2.5e-7, '-2.5e-07'],
    [123.456, '123.456'],
  ];
  for (const [n, want] of cases) it(`${n} → ${want}`, () => assert.equal(goFloat(n), want));

  it('goValue prints a safe integer as an int64 and anything else as a float64', () => {
    assert.equal(goValue(1e6), '1000000');
    assert.equal(goValue(2.5e6), '2500000');
    assert.equal(goValue(2500000.25), '2.50000025e+06');
    assert.equal(goValue({ a: 1e20 }), 'map[a:1e+20]');
  });
});

describe('error bodies', () => {
  it('Invalid value and Duplicate value quote the string with %q', () => {
    assert.equal(errorString(invalidValue('fieldManager', 'a\x07b', 'bad')), 'fieldManager: Invalid value: "a\\ab": bad');
    assert.equal(errorBody(duplicate('spec.x', 'tab\there')), 'Duplicate value: "tab\\there"');
  });

  it('NotSupported quotes the bad value and each supported value', () => {
    assert.equal(
      errorBody(notSupported('spec.p', 'x\u2028', ['a\x7f', 'b'])),
      'Unsupported value: "x\\u2028": supported values: "a\\x7f", "b"',
    );
  });

  it('a string map prints %#v with quoted keys and values, sorted', () => {
    assert.equal(goStringMap({ z: '1', 'a\x01': 'b\u00a0' }).go, 'map[string]string{"a\\x01":"b\\u00a0", "z":"1"}');
    assert.equal(goStringMap({}).go, 'map[string]string{}');
    assert.equal(goStringMap(undefined).go, 'map[string]string(nil)');
  });
});

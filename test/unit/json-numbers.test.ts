import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  firstFloatOverflow,
  hasInexactNumber,
  numberPointer,
  markNumbers,
  numberTokens,
  stringifyWithNumbers,
  tokenFitsInt,
  unmarkNumbers,
} from '../../src/apimachinery/json-numbers.js';

const tokens = (text: string) => numberTokens(Buffer.from(text));

describe('numberTokens', () => {
  it('finds nothing in a text whose numbers JSON.parse keeps as written, whatever its strings hold', () => {
    for (const text of [
      '{"a":1,"b":-20,"c":[0,123456789012345],"d":true,"e":false,"f":null}',
      '{"image":"nginx:1.25.3","v":"1e2","q":"\\"1.5","n":"1234567890123456789"}',
      '[]',
      '"1.5"',
    ]) {
      assert.equal(hasInexactNumber(Buffer.from(text)), false, text);
      assert.equal(tokens(text), undefined, text);
    }
  });

  it('keeps points, exponents and long integers by pointer, in document order', () => {
    const found = tokens(
      '{"a":1,"b":[1.5,{"c":"x.1e5","d":1e2}],"e":true,"f/~g":12345678901234567,"h":[{}, "k", 2.0],"i\\"j":-1E+3,"k":{"l":[[7,8.0]]}}',
    );
    assert.deepEqual(
      [...found!],
      [
        ['/b/0', '1.5'],
        ['/b/1/d', '1e2'],
        ['/f~1~0g', '12345678901234567'],
        ['/h/2', '2.0'],
        ['/i"j', '-1E+3'],
        ['/k/l/0/1', '8.0'],
      ],
    );
  });

  it('keeps the first token of a repeated key, as the decoder meets it first', () => {
    assert.deepEqual([...tokens('{"a":1.5,"a":2.5}')!], [['/a', '1.5']]);
  });

  it('a text that is not JSON gets some answer, never an exception', () => {
    for (const text of [',1.5]', '}}1.5', '{"a\\u12":1.5}', '"1.5', '{"a":1.5,,]]"b":2.5']) assert.doesNotThrow(() => tokens(text), text);
  });

  it('a top-level number has the empty pointer', () => {
    assert.deepEqual([...tokens('1e999999')!], [['', '1e999999']]);
  });

  it('numberPointer escapes ~ and / and prints list indexes', () => {
    assert.equal(numberPointer(['spec', 'a/b~c', { index: 3 }, 'x']), '/spec/a~1b~0c/3/x');
    assert.equal(numberPointer([]), '');
  });
});

describe('tokens as Go reads them', () => {
  it('an int field takes only what strconv.ParseInt reads, within its size', () => {
    assert.equal(tokenFitsInt('80', 'int32'), true);
    assert.equal(tokenFitsInt('-2147483648', 'int32'), true);
    assert.equal(tokenFitsInt('2147483648', 'int32'), false);
    assert.equal(tokenFitsInt('9223372036854775807', 'int64'), true);
    assert.equal(tokenFitsInt('9223372036854775808', 'int64'), false);
    assert.equal(tokenFitsInt('80.0', 'int32'), false);
    assert.equal(tokenFitsInt('1e2', 'int64'), false);
  });

  it('markNumbers and unmarkNumbers carry tokens through a rearrangement of the value', () => {
    const text = '[{"op":"add","value":{"a~b":[1.0,2]}},{"op":"x","value":1e999999},{"op":"y","path":1.5}]';
    const ops = JSON.parse(text) as { value?: unknown }[];
    markNumbers(ops, tokens(text)!, /^\/\d+\/value(?:\/|$)/);
    assert.equal(JSON.stringify(ops).includes('1.5'), true, 'only values are marked');
    const moved = { spec: { x: ops[0].value, y: [ops[1].value] }, same: (ops[0].value as Record<string, unknown[]>)['a~b'][0] };
    assert.deepEqual(
      [...unmarkNumbers(moved)!],
      [
        ['/spec/x/a~0b/0', '1.0'],
        ['/spec/y/0', '1e999999'],
        ['/same', '1.0'],
      ],
    );
    assert.deepEqual(moved, { spec: { x: { 'a~b': [1, 2] }, y: [Infinity] }, same: 1 });
    assert.equal(unmarkNumbers({ a: 1 }), undefined);
  });

  it('stringifyWithNumbers writes the numbers as their tokens, the rest as JSON.stringify', () => {
    const text = '{"a":{"b":[1.0,2,1e999999]},"c":"1.5","d":1e2,"e":[null]}';
    const value = JSON.parse(text) as unknown;
    assert.equal(stringifyWithNumbers(value, tokens(text)), '{"a":{"b":[1.0,2,1e999999]},"c":"1.5","d":1e2,"e":[null]}');
    assert.equal(stringifyWithNumbers(value, undefined), JSON.stringify(value));
    assert.equal(stringifyWithNumbers({ u: undefined, l: [undefined] }, new Map()), '{"l":[null]}');
  });

  it('the first number past float64, optionally under some pointers', () => {
    const found = tokens('{"a":1.5,"b":1e999999,"c":[-2e400]}');
    assert.equal(firstFloatOverflow(found), '1e999999');
    assert.equal(firstFloatOverflow(found, /^\/c\//), '-2e400');
    assert.equal(firstFloatOverflow(tokens('{"a":1e-999999,"b":1.7976931348623157e308}')), undefined);
    assert.equal(firstFloatOverflow(undefined), undefined);
  });
});

/**
 * The estimated cost of CRD validation rules, against kube-apiserver's own expectations
 * (apiextensions-apiserver's TestCostEstimation: each rule on a schema without bounds, then with
 * maxItems / maxProperties / maxLength set), and the limits a CRD write enforces with them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRule } from '../../src/apimachinery/cel/compile.js';
import { celTypeOf, type CelSchemaType } from '../../src/apimachinery/cel/types.js';
import { declSizes } from '../../src/apimachinery/cel/decl-sizes.js';
import { validateSchemaRules } from '../../src/apimachinery/cel/schema-rules.js';
import { costExceededMessage } from '../../src/apimachinery/cel/cost-limits.js';
import { errorString } from '../../src/apimachinery/field-errors.js';
import { ruleValidator } from '../../src/apimachinery/cel/validator.js';
import { runMetered } from '../../src/apimachinery/cel/runtime-cost.js';
import type { JSONSchemaProps } from '../../src/apimachinery/structural-schema/types.js';
import {
  validateCustomResourceDefinition,
  validateCustomResourceDefinitionUpdate,
} from '../../src/resources/customresourcedefinitions/validation.js';
import type { CustomResourceDefinition } from '../../src/resources/customresourcedefinitions/schema.js';

type Gen = (max?: number) => JSONSchemaProps;

/** The rule's estimated cost on `schema` (not a resource root, as upstream's test compiles it). */
function costOf(schema: JSONSchemaProps, rule: string): number {
  const compiled = compileRule({ rule }, celTypeOf(schema, false), declSizes(schema, false));
  assert.equal(compiled.error, undefined, compiled.error);
  return compiled.maxCost!;
}

/** A type name of upstream's test as a schema: formats are strings, int-or-string has no type. */
function typed(t: string): JSONSchemaProps {
  if (t === 'duration' || t === 'date' || t === 'date-time') return { type: 'string', format: t };
  if (t === 'int-or-string') return { 'x-kubernetes-int-or-string': true };
  return { type: t };
}

const arrayOf =
  (t: string): Gen =>
  (max) => ({ type: 'array', items: typed(t), maxItems: max });
const arrayOfArrays =
  (t: string): Gen =>
  (max) => ({ type: 'array', items: { type: 'array', items: { type: t } }, maxItems: max });
const withRequired: JSONSchemaProps = {
  type: 'object',
  properties: { required: { type: 'string' }, optional: { type: 'string' } },
  required: ['required'],
};
const objectArray: Gen = (max) => ({ type: 'array', items: withRequired, maxItems: max });
const mapArray =
  (t: string): Gen =>
  (max) => ({ type: 'array', items: { type: 'object', additionalProperties: { type: t } }, maxItems: max });
const mapOf =
  (t: string | JSONSchemaProps): Gen =>
  (max) => ({
    type: 'object',
    additionalProperties: typeof t === 'string' ? typed(t) : t,
    maxProperties: max,
  });
const str: Gen = (max) => ({ type: 'string', maxLength: max });
const bytes: Gen = (max) => ({ type: 'string', format: 'byte', maxLength: max });
const nestedSpec: Gen = (max) => ({ type: 'object', additionalProperties: { type: 'string', maxLength: max }, maxProperties: max });
const nested =
  (allBounded: boolean): Gen =>
  (max) => ({
    type: 'array',
    maxItems: allBounded ? max : undefined,
    items: {
      type: 'object',
      maxProperties: max,
      additionalProperties: { ...withRequired, maxProperties: allBounded ? max : undefined },
    },
  });
const enumOf: Gen = (max) => ({ type: 'string', maxLength: max, enum: ['A', 'B', 'C', 'LongValue'] });
const strings: Gen = (max) => ({ type: 'array', maxItems: max, items: { type: 'string', maxLength: max } });
const replaceObject: Gen = (max) => ({
  type: 'object',
  properties: {
    str: { type: 'string', maxLength: max },
    before: { type: 'string', maxLength: 2 },
    after: { type: 'string', maxLength: 4 },
  },
});
const splitObject: Gen = (max) => ({
  type: 'object',
  properties: { str: { type: 'string', maxLength: max }, separator: { type: 'string', maxLength: max } },
});

/** [name, schema, rule, cost without bounds (or 'over' the 10M limit), the bound, cost with it]. */
const CASES: [string, Gen, string, number | 'over', number, number][] = [
  ['number array with all', arrayOf('number'), 'self.all(x, true)', 4718591, 10, 32],
  ['string array with all', arrayOf('string'), 'self.all(x, true)', 3145727, 20, 62],
  ['boolean array with all', arrayOf('boolean'), 'self.all(x, true)', 1887437, 5, 17],
  ['array of number arrays with all', arrayOfArrays('number'), 'self.all(x, true)', 3145727, 100, 302],
  ['array of objects with all', objectArray, 'self.all(x, true)', 555128, 50, 152],
  ['map of numbers with all', mapOf('number'), 'self.all(x, true)', 1348169, 10, 32],
  ['map of strings with all', mapOf('string'), 'self.all(x, true)', 1179647, 3, 11],
  ['map of booleans with all', mapOf('boolean'), 'self.all(x, true)', 943718, 100, 302],
  ['string with contains', str, "self.contains('test')", 314574, 10, 5],
  ['string with startsWith', str, "self.startsWith('test')", 2, 15, 2],
  ['string with endsWith', str, "self.endsWith('test')", 2, 30, 2],
  ['concat string', str, 'size(self + "hello") > size("hello")', 314578, 4, 7],
  ['index of array with numbers', arrayOf('number'), 'self[1] == 0.0', 2, 5000, 2],
  ['index of array with strings', arrayOf('string'), 'self[1] == self[1]', 314577, 8, 314577],
  ['O(n^2) loop with numbers', arrayOf('number'), 'self.all(x, self.all(y, true))', 'over', 10, 352],
  ['O(n^3) loop with numbers', arrayOf('number'), 'self.all(x, self.all(y, self.all(z, true)))', 'over', 10, 3552],
  ['regex matches simple', str, 'self.matches("x")', 314574, 50, 22],
  ['regex matches empty string', str, '"".matches("(((((((((())))))))))[0-9]")', 7, 10, 7],
  ['regex matches empty regex', str, 'self.matches("")', 1, 100, 1],
  ['map of strings with value length', nestedSpec, 'self.all(x, x.contains(self[x]))', 2752507, 10, 72],
  ['set array maxLength to zero', arrayOf('number'), 'self[3] == 0.0', 2, 0, 2],
  ['set map maxLength to zero', mapOf('number'), 'self["x"] == 0.0', 2, 0, 2],
  ['set string maxLength to zero', str, 'self == "x"', 2, 0, 1],
  ['set bytes maxLength to zero', bytes, 'self == b"x"', 2, 0, 1],
  ['set maxLength greater than estimated maxLength', arrayOf('number'), 'self.all(x, x == 0.0)', 6291454, 3 * 1024 * 2048, 25165826],
  ['nested types, root rule, all bounded', nested(true), 'self.all(x, x["y"].required == "z")', 7340027, 10, 72],
  ['nested types, root rule, one bounded', nested(false), 'self.all(x, x["y"].required == "z")', 7340027, 10, 7340027],
  ['int-or-string array with all', arrayOf('int-or-string'), 'self.all(x, true)', 4718591, 10, 32],
  ['index of array with int-or-strings', arrayOf('int-or-string'), 'self[0] == 5', 3, 10, 3],
  ['index of array with booleans', arrayOf('boolean'), 'self[0] == false', 2, 25, 2],
  ['index of array of objects', objectArray, 'self[0] == null', 2, 422, 2],
  ['index of array of array of numbers', arrayOfArrays('number'), 'self[0][0] == -1.0', 3, 51, 3],
  ['array of number maps with all', mapArray('number'), 'self.all(x, x.y == 25.2)', 6291452, 12, 74],
  ['index of array of number maps', mapArray('number'), 'self[0].x > 2.0', 4, 3000, 4],
  ['duration array with all', arrayOf('duration'), 'self.all(x, true)', 2359295, 5, 17],
  ['index of duration array', arrayOf('duration'), 'self[0].getHours() == 2', 4, 525, 4],
  ['date array with all', arrayOf('date'), 'self.all(x, true)', 725936, 15, 47],
  ['index of date array', arrayOf('date'), 'self[2].getDayOfMonth() == 13', 4, 42, 4],
  ['date-time array with all', arrayOf('date-time'), 'self.all(x, true)', 428963, 25, 77],
  ['index of date-time array', arrayOf('date-time'), 'self[2].getMinutes() == 45', 4, 99, 4],
  ['map of int-or-strings with all', mapOf('int-or-string'), 'self.all(x, true)', 1348169, 15, 47],
  ['map of objects with all', mapOf(withRequired), 'self.all(x, true)', 428963, 20, 62],
  [
    'map of number maps with all',
    mapOf({ type: 'object', additionalProperties: { type: 'number' } }),
    'self.all(x, true)',
    1179647,
    10,
    32,
  ],
  ['map of number arrays with all', mapOf({ type: 'array', items: { type: 'number' } }), 'self.all(x, true)', 1179647, 25, 77],
  ['map of durations with all', mapOf('duration'), 'self.all(x, true)', 1048577, 5, 17],
  ['map of dates with all', mapOf('date'), 'self.all(x, true)', 524288, 10, 32],
  ['map of date-times with all', mapOf('date-time'), 'self.all(x, true)', 349526, 25, 77],
  ['extended library regex find', str, "self.find('[0-9]+') == ''", 629147, 10, 11],
  ['extended library join', strings, "self.join(' ') == 'aa bb'", 329853068905, 10, 43],
  ['extended library isSorted', strings, 'self.isSorted() == true', 329854432052, 10, 52],
  ['extended library replace', replaceObject, "self.str.replace(self.before, self.after) == 'does not matter'", 629154, 4, 12],
  ['extended library split', splitObject, 'self.str.split(self.separator) == []', 629160, 10, 22],
  ['extended library lowerAscii', str, "self.lowerAscii() == 'lower!'", 314575, 10, 6],
  ['check cost of size call', mapOf('integer'), 'oldSelf.size() == self.size()', 5, 10, 5],
  ['check cost of timestamp comparison', mapOf('date-time'), 'self["a"] == self["b"]', 8, 7, 8],
  ['check cost of duration comparison', mapOf('duration'), 'self["c"] == self["d"]', 8, 42, 8],
  ['enums with maxLength equals to the longest possible value', enumOf, "self.contains('A')", 2, 1000, 401],
];

describe('CEL cost estimate: upstream TestCostEstimation', () => {
  for (const [name, gen, rule, unbounded, bound, bounded] of CASES) {
    it(name, () => {
      const calc = costOf(gen(undefined), rule);
      if (unbounded === 'over') assert.ok(calc > 10_000_000, `${calc} should exceed the limit`);
      else assert.equal(calc, unbounded, 'without bounds');
      assert.equal(costOf(gen(bound), rule), bounded, `with bound ${bound}`);
    });
  }
});

const HINT = '(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)';
const limitErrors = (schema: JSONSchemaProps, suppressPerExpressionCost = false) =>
  validateSchemaRules(schema, 's', true, { suppressPerExpressionCost }).map(errorString);

/** A resource whose spec.list holds strings, each checked by `rule`; `maxItems` bounds the list. */
function listSchema(rule: string, maxItems?: number): JSONSchemaProps {
  return {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { list: { type: 'array', maxItems, items: { type: 'string', 'x-kubernetes-validations': [{ rule }] } } },
      },
    },
  };
}

describe('CEL cost limits on CRD writes', () => {
  const item = 's.properties[spec].properties[list].items.x-kubernetes-validations[0].rule';

  it('refuses a cubic rule over an unbounded list, and accepts it once maxItems bounds the list', () => {
    const cubic = (maxItems?: number): JSONSchemaProps => ({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': [{ rule: 'self.l.all(x, self.l.all(y, self.l.all(z, true)))' }],
          properties: { l: { type: 'array', maxItems, items: { type: 'string' } } },
        },
      },
    });
    assert.deepEqual(limitErrors(cubic()), [
      `s.properties[spec].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x ${HINT}`,
      's.properties[spec].x-kubernetes-validations[0].rule: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema',
      `s: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x ${HINT}`,
    ]);
    assert.deepEqual(limitErrors(cubic(100)), []);
  });

  it('multiplies a rule below a list by maxItems, and words the factor as upstream does', () => {
    // contains() on a string of up to 3 MB: 314574 each time, once for each item
    assert.deepEqual(limitErrors(listSchema("self.contains('abc')", 40)), [
      `${item}: Forbidden: estimated rule cost exceeds budget by factor of 1.258296x ${HINT}`,
    ]);
    assert.deepEqual(limitErrors(listSchema("self.contains('abc')", 1000)), [
      `${item}: Forbidden: estimated rule cost exceeds budget by factor of 31.5x ${HINT}`,
      `${item}: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema`,
      `s: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of 3.1x ${HINT}`,
    ]);
    assert.deepEqual(limitErrors(listSchema("self.contains('abc')", 31)), []);
  });

  it("rounds the factor as Go's %f does: on the exact value, ties to even", () => {
    const factor = (cost: number) => /factor of (.+?) \(/.exec(costExceededMessage('x', cost, 10_000_000))![1];
    assert.deepEqual([22_500_000, 24_500_000, 14_999_999, 1_000_000_000, 1_000_000_001].map(factor), [
      '2.2x',
      '2.5x',
      '1.500000x',
      '100.0x',
      'more than 100x',
    ]);
  });

  it('below an unbounded list, counts as many items as fit in a request', () => {
    // 3 MB / 3 bytes ("" and a comma) = 1048576 strings, 2 each for self == 'a'
    assert.deepEqual(limitErrors(listSchema("self == 'a'")), []);
    // startsWith() of a 100-character prefix costs 11: 11 × 1048576 is over 10M
    const prefix = 'a'.repeat(100);
    assert.deepEqual(limitErrors(listSchema(`self.startsWith('${prefix}')`)), [
      `${item}: Forbidden: estimated rule cost exceeds budget by factor of 1.153434x ${HINT}`,
    ]);
  });

  it("checks a messageExpression's own cost, without cardinality", () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { n: { type: 'integer' }, mode: { type: 'string', maxLength: 10 } },
          'x-kubernetes-validations': [
            { rule: 'self.n > 0', messageExpression: "'n is ' + string(self.n)" },
            { rule: 'self.n > 0', messageExpression: "'n is %d in %s'.format([self.n, self.mode])" },
          ],
        },
      },
    };
    const at = 's.properties[spec].x-kubernetes-validations[0].messageExpression';
    assert.deepEqual(limitErrors(schema), [
      `${at}: Forbidden: estimated messageExpression cost exceeds budget by factor of more than 100x ${HINT}`,
      `${at}: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema`,
      `s: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x ${HINT}`,
    ]);
  });

  it('an update that leaves the schema unchanged keeps its over-budget rules, but not an over-budget total', () => {
    assert.deepEqual(limitErrors(listSchema("self.contains('abc')", 40), true), []);
    assert.deepEqual(limitErrors(listSchema("self.contains('abc')", 1000), true), [
      `${item}: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema`,
      `s: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of 3.1x ${HINT}`,
    ]);
  });

  it('multiplies the bounds of nested lists and maps', () => {
    const nested = (maxProperties?: number): JSONSchemaProps => ({
      type: 'object',
      properties: {
        a: {
          type: 'array',
          maxItems: 100,
          items: {
            type: 'object',
            maxProperties,
            additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: "self.contains('abc')" }] },
          },
        },
      },
    });
    // 314574 × 100 × 10 is over; without maxProperties the map is unbounded and the count is the request's
    assert.match(limitErrors(nested(10))[0], /factor of 31.5x/);
    assert.deepEqual(limitErrors(nested(0)), []);
    assert.match(limitErrors(nested())[0], /factor of more than 100x/);
  });
});

describe('CEL runtime cost', () => {
  const spec = (props: Record<string, JSONSchemaProps>, r: Record<string, unknown>[]): JSONSchemaProps => ({
    type: 'object',
    properties: { spec: { type: 'object', properties: props, 'x-kubernetes-validations': r } },
  });
  const strings = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);

  it("counts cel-go's cost for rules over lists and numbers, and refuses an evaluation over the per-call limit", () => {
    const compiled = compileRule({ rule: 'self.all(x, x > 0)' }, { kind: 'list', elem: { kind: 'int' } });
    // 2 outside the loop, and per item: @not_strictly_false(@result) 2, @result && x > 0 3
    assert.equal(runMetered(Infinity, compiled.program!.baseCost, () => compiled.program!({ self: [1n, 2n, 3n] })).cost, 17);
    const v = ruleValidator(
      spec({ l: { type: 'array', items: { type: 'string' } } }, [
        { rule: 'self.l.all(x, self.l.all(y, self.l.all(z, true)))' },
        { rule: 'false' },
      ]),
    )!;
    // 60³ iterations × 3 is within 1,000,000; 70³ × 3 is not
    assert.deepEqual(v.validate({ spec: { l: strings(60) } }).errors.map(errorString), [
      'spec: Invalid value: "object": failed rule: false',
    ]);
    const started = Date.now();
    assert.deepEqual(v.validate({ spec: { l: strings(400) } }).errors.map(errorString), [
      `spec: Invalid value: "object": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self.l.all(x, self.l.all(y, self.l.all(z, true)))`,
    ]);
    assert.ok(Date.now() - started < 2000);
  });

  it('charges string functions for the length of their string, as upstream', () => {
    const withS: CelSchemaType = { kind: 'object', fields: new Map([['s', { name: 's', type: { kind: 'string' } }]]) };
    const cost = (rule: string, s: string) => {
      const c = compileRule({ rule }, withS);
      return runMetered(Infinity, c.program!.baseCost, () => c.program!({ self: new Map([['s', s]]) })).cost;
    };
    const s = 'a'.repeat(1000);
    // upstream: 2 for self.s, then 101 × 1 (matches), 3 (startsWith), 101 + 1 + 1 (concatenation, size, >), 100 + 1 (lowerAscii, ==);
    // a call costs 1 more here
    assert.equal(cost("self.s.matches('^a+$')", s), 104);
    assert.equal(cost("self.s.startsWith('abcdefghijklmnopqrstuvwxyz')", s), 5);
    assert.equal(cost("size(self.s + 'abc') > 3", s), 106);
    assert.equal(cost("self.s.lowerAscii() == 'x'", s), 104);
    // 100,000 characters searched for a 36-character literal: 40,000 an item, so the 26th item is over the limit
    const v = ruleValidator(
      spec({ s: { type: 'string' }, l: { type: 'array', items: { type: 'string' } } }, [
        { rule: "self.l.exists(x, self.s.contains('abcdefghijklmnopqrstuvwxyz0123456789'))" },
      ]),
    )!;
    assert.match(
      v.validate({ spec: { s: 'x'.repeat(100_000), l: strings(1000) } }).errors.map(errorString)[0],
      /call cost exceeds limit for rule/,
    );
    assert.match(v.validate({ spec: { s: 'x'.repeat(1000), l: strings(20) } }).errors.map(errorString)[0], /failed rule/);
  });

  it('charges what &&, ||, ?:, orValue and or may skip only when it is evaluated, and those calls nothing, as cel-go', () => {
    const withReplicas: CelSchemaType = { kind: 'object', fields: new Map([['replicas', { name: 'replicas', type: { kind: 'int' } }]]) };
    const cost = (rule: string, value: Record<string, unknown>) => {
      const c = compileRule({ rule }, withReplicas);
      assert.equal(c.error, undefined, rule);
      const run = runMetered(Infinity, c.program!.baseCost, () => c.program!({ self: new Map(Object.entries(value)) }));
      assert.equal(run.result, true, rule);
      return run.cost;
    };
    const cheap = 'self.?replicas.orValue(0) >= 0';
    const costly = 'self.?replicas.orValue([1, 2, 3].size()) >= 0';
    // self 1, the optional qualifier 1, >= 1
    assert.equal(cost(cheap, { replicas: 3n }), 3);
    assert.equal(cost(costly, { replicas: 3n }), 3);
    // the list literal 10 and size() 1, once the optional is none
    assert.equal(cost(costly, {}), 14);
    assert.equal(cost('self.?replicas.or(self.?replicas).orValue(0) >= 0', { replicas: 3n }), 3);
    assert.equal(cost('self.?replicas.or(self.?replicas).orValue(0) >= 0', {}), 5);
    // self.replicas 2, > 1; the list literal 10, size() 1 and > 1 only where evaluated
    assert.equal(cost('self.replicas > 0 || [1, 2, 3].size() > 0', { replicas: 3n }), 3);
    assert.equal(cost('self.replicas > 5 || [1, 2, 3].size() > 0', { replicas: 3n }), 15);
    assert.equal(cost('self.replicas < 5 && [1, 2, 3].size() > 0', { replicas: 3n }), 15);
    assert.equal(cost('self.replicas > 0 ? true : [1, 2, 3].size() > 0', { replicas: 3n }), 3);
    assert.equal(cost('self.replicas > 5 ? true : [1, 2, 3].size() > 0', { replicas: 3n }), 15);
  });

  it("stops once an object's rules spent the whole budget", () => {
    const ten = '[1,2,3,4,5,6,7,8,9,10]';
    const rule = `${ten}.all(a, ${ten}.all(b, ${ten}.all(c, self >= 0)))`;
    const v = ruleValidator({
      type: 'object',
      properties: { l: { type: 'array', items: { type: 'integer', 'x-kubernetes-validations': [{ rule }] } } },
    })!;
    const errors = v.validate({ l: Array.from({ length: 3000 }, (_, i) => i) }).errors.map(errorString);
    assert.equal(errors.length, 1);
    assert.match(
      errors[0],
      /^l\[\d+\]: Invalid value: "integer": validation failed due to running out of cost budget, no further validation rules will be run$/,
    );
  });

  it('stops a messageExpression over the per-call limit', () => {
    const v = ruleValidator(
      spec({ l: { type: 'array', items: { type: 'string' } } }, [
        { rule: 'false', messageExpression: "self.l.all(x, self.l.all(y, self.l.all(z, true))) ? 'a' : 'b'" },
      ]),
    )!;
    assert.deepEqual(v.validate({ spec: { l: strings(200) } }).errors.map(errorString), [
      `spec: Invalid value: "object": no further validation rules will be run due to call cost exceeds limit for messageExpression: "self.l.all(x, self.l.all(y, self.l.all(z, true))) ? 'a' : 'b'"`,
    ]);
  });
});

describe("CEL cost limits: upstream's TestValidateCustomResourceDefinitionValidation cases", () => {
  const AT = 'spec.validation.openAPIV3Schema';
  /** The errors as upstream's test matches them: type and field, in any order. */
  const found = (schema: JSONSchemaProps) =>
    validateSchemaRules(schema, AT, true)
      .map((e) => `${e.type} ${e.field}`)
      .sort();
  const expected = (...errs: string[]) => errs.sort();
  const doubleNested = (opts: { maxItems?: number; maxProperties?: number; key: JSONSchemaProps }): JSONSchemaProps => ({
    type: 'object',
    properties: {
      value: {
        type: 'array',
        maxItems: opts.maxItems,
        items: {
          type: 'object',
          maxProperties: opts.maxProperties,
          additionalProperties: { type: 'object', required: ['key'], properties: { key: opts.key } },
        },
        'x-kubernetes-validations': [{ rule: 'self.all(x, x.all(y, x[y].key == x[y].key))' }],
      },
    },
  });
  const rule = `${AT}.properties[value].x-kubernetes-validations[0].rule`;

  it('forbid double-nested rule with no limit set', () => {
    assert.deepEqual(
      found(doubleNested({ key: { type: 'string' } })),
      expected(`FieldValueForbidden ${rule}`, `FieldValueForbidden ${rule}`, `FieldValueForbidden ${AT}`),
    );
  });

  it('forbid double-nested rule with one limit set', () => {
    assert.deepEqual(
      found(doubleNested({ key: { type: 'string', maxLength: 10 } })),
      expected(`FieldValueForbidden ${rule}`, `FieldValueForbidden ${rule}`, `FieldValueForbidden ${AT}`),
    );
  });

  it('allow double-nested rule with three limits set', () => {
    assert.deepEqual(found(doubleNested({ maxItems: 10, maxProperties: 10, key: { type: 'string', maxLength: 10 } })), []);
  });

  it('allow double-nested rule with one limit set on outermost array', () => {
    assert.deepEqual(found(doubleNested({ maxItems: 4, key: { type: 'number' } })), []);
  });

  it('check for cardinality of 1 under root object', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { value: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self < 1024' }] } },
    };
    assert.deepEqual(found(schema), []);
  });

  it('forbid validation rules where cost total exceeds total limit', () => {
    const keyword = { type: 'string', maxLength: 5000, 'x-kubernetes-validations': [{ rule: "self.contains('keyword')" }] };
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        list: { type: 'array', maxItems: 100000, items: keyword },
        map: { type: 'object', maxProperties: 1000, additionalProperties: keyword },
        field: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self > 50 && self < 100' }] },
      },
    };
    const items = `${AT}.properties[list].items.x-kubernetes-validations[0].rule`;
    assert.deepEqual(
      found(schema),
      expected(
        `FieldValueForbidden ${items}`,
        `FieldValueForbidden ${items}`,
        `FieldValueForbidden ${AT}.properties[map].additionalProperties.x-kubernetes-validations[0].rule`,
        `FieldValueForbidden ${AT}`,
      ),
    );
  });

  it('transition rules on bounded lists and on maps stay within the budget', () => {
    const keyed: JSONSchemaProps = {
      type: 'object',
      properties: {
        value: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string', maxLength: 5 } },
            'x-kubernetes-validations': [{ rule: 'self == oldSelf' }],
          },
        },
        atomic: {
          type: 'array',
          maxItems: 10,
          items: { type: 'string' },
          'x-kubernetes-validations': [{ rule: 'self == oldSelf' }],
        },
        granular: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] },
      },
    };
    assert.deepEqual(found(keyed), []);
  });
});

describe('CEL cost limits on CRD updates', () => {
  const crd = (maxItems: number, labels?: Record<string, string>): CustomResourceDefinition => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.cost.example.com', labels },
    spec: {
      group: 'cost.example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: listSchema("self.contains('abc')", maxItems) } }],
    },
  });
  const forbidden = (errs: { type: string }[]) => errs.filter((e) => e.type === 'FieldValueForbidden').length;

  it('keeps a stored over-budget rule while the version schema is unchanged, and refuses a changed one', () => {
    // 314574 × 40: 1.26 times the per-rule budget, well within the schema total
    const stored = crd(40);
    assert.equal(forbidden(validateCustomResourceDefinition(stored)), 1);
    assert.equal(forbidden(validateCustomResourceDefinitionUpdate(crd(40, { team: 'a' }), stored)), 0);
    assert.equal(forbidden(validateCustomResourceDefinitionUpdate(crd(41), stored)), 1);
    assert.equal(forbidden(validateCustomResourceDefinitionUpdate(crd(20), stored)), 0);
  });
});

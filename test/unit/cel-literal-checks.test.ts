/**
 * The compile-time literal checks (literal-checks.ts) on compileRule, the Go duration and RFC 3339
 * readings behind them, and the environment a CRD write compiles each expression in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRule } from '../../src/apimachinery/cel/compile.js';
import { crdWriteEnvironments } from '../../src/apimachinery/cel/environments.js';
import { isCelTimestamp, isGoDuration, parseGoDuration } from '../../src/apimachinery/cel/time-literals.js';
import { celTypeOf } from '../../src/apimachinery/cel/types.js';
import { findPreexistingExpressions } from '../../src/resources/customresourcedefinitions/preexisting-expressions.js';
import type { CustomResourceDefinition } from '../../src/resources/customresourcedefinitions/schema.js';

const SELF = celTypeOf({
  type: 'object',
  properties: { v: { type: 'string' }, n: { type: 'integer' }, ios: { 'x-kubernetes-int-or-string': true } },
});

/** The first line of each issue of a rule's compile error (undefined when it compiles). */
function issues(rule: string): string[] | undefined {
  const error = compileRule({ rule }, SELF).error;
  return error?.split('\n').filter((line) => line.startsWith('ERROR') || line.startsWith('compilation failed'));
}

describe('CEL literal checks', () => {
  it('reports duration, timestamp and regex literals that do not convert, at the literal', () => {
    assert.deepEqual(issues("duration('1d') > duration('1s')"), ['compilation failed: ERROR: <input>:1:10: invalid duration argument']);
    assert.deepEqual(issues("timestamp('2024-01-01') < timestamp('2024-01-01T24:00:00Z')"), [
      'compilation failed: ERROR: <input>:1:11: invalid timestamp argument',
      'ERROR: <input>:1:37: invalid timestamp argument',
    ]);
    assert.deepEqual(issues("self.v.matches('a(')"), ['compilation failed: ERROR: <input>:1:16: invalid matches argument']);
    // cel-go looks at a call's first argument: in the global form that is the string, not the pattern
    assert.deepEqual(issues("matches('(', self.v)"), ['compilation failed: ERROR: <input>:1:9: invalid matches argument']);
    assert.equal(issues("matches(self.v, '(')"), undefined);
    assert.equal(issues("duration('-1.5h') < duration('90m') && timestamp('2024-02-29T23:59:59.5+01:00') != timestamp(self.v)"), undefined);
  });

  it('reports the first mismatched element of each list literal and each mismatched map key and value', () => {
    assert.deepEqual(issues('[1, 2.0, 3u, "x"].size() == 4'), [
      "compilation failed: ERROR: <input>:1:5: expected type 'int' but found 'double'",
    ]);
    assert.deepEqual(issues("[[1, 'a'], [2]].size() == 2"), [
      "compilation failed: ERROR: <input>:1:6: expected type 'int' but found 'string'",
      "ERROR: <input>:1:12: expected type 'list(dyn)' but found 'list(int)'",
    ]);
    assert.deepEqual(issues("{'a': self.n, 'b': self.v}.size() == 2"), [
      "compilation failed: ERROR: <input>:1:24: expected type 'int' but found 'string'",
    ]);
    assert.deepEqual(issues('[self.n, null].size() == 2'), [
      "compilation failed: ERROR: <input>:1:10: expected type 'int' but found 'null_type'",
    ]);
    assert.equal(issues("[self.n, size(self.v), 3].size() == 3 && {'a': [1], 'b': []}.size() == 2"), undefined);
    // a format call's list is exempt, as the strings library exempts it
    assert.equal(issues("'%s is %d'.format([self.v, self.n]) != ''"), undefined);
  });

  it('evaluates int literals as cel-go does: timestamp(int) within years 1 to 9999, duration(int) never', () => {
    assert.deepEqual(issues('timestamp(253402300800) > timestamp(0)'), [
      'compilation failed: ERROR: <input>:1:11: invalid timestamp argument',
    ]);
    assert.deepEqual(issues('timestamp(-62135596801) < timestamp(0)'), [
      'compilation failed: ERROR: <input>:1:11: invalid timestamp argument',
    ]);
    assert.deepEqual(issues("duration(5) > duration('1s')"), ['compilation failed: ERROR: <input>:1:10: invalid duration argument']);
    assert.equal(issues('timestamp(253402300799) > timestamp(-62135596800)'), undefined);
  });

  it('reports dyn beside another type, as cel-go compares element types exactly (an int-or-string is dyn)', () => {
    assert.deepEqual(issues('[self.ios, 1].size() == 2'), ["compilation failed: ERROR: <input>:1:12: expected type 'dyn' but found 'int'"]);
    assert.deepEqual(issues('[1, self.ios].size() == 2'), ["compilation failed: ERROR: <input>:1:9: expected type 'int' but found 'dyn'"]);
    assert.deepEqual(issues('[dyn(1), 2].size() == 2'), ["compilation failed: ERROR: <input>:1:10: expected type 'dyn' but found 'int'"]);
    assert.deepEqual(issues("{'a': self.ios, 'b': self.n}.size() == 2"), [
      "compilation failed: ERROR: <input>:1:26: expected type 'dyn' but found 'int'",
    ]);
    assert.deepEqual(issues("[[self.ios], ['a']].size() == 2"), [
      "compilation failed: ERROR: <input>:1:14: expected type 'list(dyn)' but found 'list(string)'",
    ]);
    assert.equal(issues("[self.ios, dyn(2), self.ios].size() == 3 && {'a': dyn(1), 'b': self.ios}.size() == 2"), undefined);
    assert.equal(issues("'%v and %d'.format([self.ios, 1]) != ''"), undefined);
  });

  it('reads durations as Go and timestamps as Go RFC 3339 within CEL’s years', () => {
    const durations: [string, bigint][] = [
      ['1h30m', 5_400_000_000_000n],
      ['-1.5\u03bcs', -1500n],
      ['.5s', 500_000_000n],
      ['1.0000000019s', 1_000_000_001n],
      ['0.1h', 360_000_000_000n],
      ['2562047h47m16.854775807s', (1n << 63n) - 1n],
      ['-9223372036854775808ns', -(1n << 63n)],
    ];
    for (const [text, nanos] of durations) assert.equal(parseGoDuration(text), nanos, text);
    for (const ok of ['0', '-0', '+5m', '1h1h', '.5s', '5.s', '1µs', '1\u03bcs', '2562047h']) assert.ok(isGoDuration(ok), ok);
    for (const bad of ['', '1', '1d', '1S', ' 1s', '.s', '1e3s', '2562048h', '9223372036854775808ns']) assert.ok(!isGoDuration(bad), bad);
    for (const ok of [
      '2024-02-29T00:00:00Z',
      '2024-01-01T1:00:00Z',
      '2024-01-01T00:00:00,5Z',
      '0000-12-31T23:00:00-01:00',
      '9999-12-31T23:59:59Z',
    ]) {
      assert.ok(isCelTimestamp(ok), ok);
    }
    for (const bad of [
      '2023-02-29T00:00:00Z',
      '2024-01-01t00:00:00z',
      '2024-01-01T00:00:60Z',
      '0000-12-31T23:00:00Z',
      '9999-12-31T23:59:59-00:01',
    ]) {
      assert.ok(!isCelTimestamp(bad), bad);
    }
  });
});

describe('CEL environments of a CRD write', () => {
  it('compiles the semver library only for expressions the old CRD held', () => {
    const rule = { rule: 'isSemver(self.v)', messageExpression: "semver(self.v).major() > 1 ? 'new' : 'old'" };
    assert.match(compileRule(rule, SELF, undefined, crdWriteEnvironments(undefined)).error ?? '', /undeclared reference to 'isSemver'/);
    const ruleKnown = compileRule(
      rule,
      SELF,
      undefined,
      crdWriteEnvironments({ rules: new Set([rule.rule]), messageExpressions: new Set() }),
    );
    assert.equal(ruleKnown.error, undefined);
    assert.match(ruleKnown.messageExpressionError ?? '', /^messageExpression compilation failed: .*undeclared reference to 'semver'/);
    const both = crdWriteEnvironments({ rules: new Set([rule.rule]), messageExpressions: new Set([rule.messageExpression]) });
    assert.equal(compileRule(rule, SELF, undefined, both).messageExpressionError, undefined);
    // objects are validated with everything
    assert.equal(compileRule(rule, SELF).error, undefined);
  });

  it('finds the old CRD’s expressions in every version and wherever schemas nest', () => {
    const r = (rule: string, messageExpression?: string) => ({ 'x-kubernetes-validations': [{ rule, messageExpression }] });
    const old = {
      spec: {
        versions: [
          { name: 'v1', schema: { openAPIV3Schema: { ...r('root'), properties: { a: { items: r('items', "'m'") } } } } },
          {
            name: 'v2',
            schema: {
              openAPIV3Schema: {
                allOf: [r('allOf')],
                additionalProperties: r('additional'),
                not: r('not'),
                properties: { b: { default: r('in a default') } },
              },
            },
          },
        ],
      },
    } as unknown as CustomResourceDefinition;
    const found = findPreexistingExpressions(old);
    assert.deepEqual([...found.rules].sort(), ['additional', 'allOf', 'items', 'not', 'root']);
    assert.deepEqual([...found.messageExpressions], ["'m'"]);
  });
});

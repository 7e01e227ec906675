/**
 * CEL optional types in CRD validation rules (cel.OptionalTypes, in Kubernetes' CEL environments
 * since 1.28): the optional syntax @bufbuild/cel does not parse (`a.?b`, `a[?k]`, `{?k: v}`,
 * `[?v]`), the optional library's functions and macros with cel-go's results, compile errors and
 * runtime errors, their cost estimates, and the list extension functions a 1.33 server does not
 * have (ext.Lists comes with 1.34).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRule } from '../../src/apimachinery/cel/compile.js';
import { celTypeOf } from '../../src/apimachinery/cel/types.js';
import { toCel } from '../../src/apimachinery/cel/values.js';
import { declSizes } from '../../src/apimachinery/cel/decl-sizes.js';
import { optionalOf } from '../../src/apimachinery/cel/optional.js';
import { blankOptionalMarks } from '../../src/apimachinery/cel/optional-syntax.js';
import { MAX } from '../../src/apimachinery/cel/cost-estimate.js';
import type { JSONSchemaProps } from '../../src/apimachinery/structural-schema/types.js';

const SPEC: JSONSchemaProps = {
  type: 'object',
  properties: {
    replicas: { type: 'integer' },
    name: { type: 'string', maxLength: 10 },
    tags: { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 5 } },
    labels: { type: 'object', maxProperties: 5, additionalProperties: { type: 'string', maxLength: 5 } },
    sub: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } } },
    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};
const TYPE = celTypeOf(SPEC, false);
const VALUE = { replicas: 3, tags: ['a', 'b'], labels: { x: 'y' }, sub: { a: 1 }, extra: { deep: { n: 2 } } };

/** `rule` evaluated with `self` = `spec` (and an optional `oldSelf`), or its compile error. */
function evaluate(rule: string, spec: Record<string, unknown> = VALUE, old?: { value?: Record<string, unknown> }): unknown {
  const compiled = compileRule({ rule, optionalOldSelf: old !== undefined }, TYPE);
  if (compiled.error) return compiled.error;
  const oldSelf = old && optionalOf(old.value === undefined ? undefined : toCel(old.value, TYPE));
  const result = compiled.program!({ self: toCel(spec, TYPE), oldSelf });
  return result instanceof Error ? `error: ${result.message}` : result;
}

/** cel-go's one-issue compile error for `rule` at `column`. */
const compileError = (rule: string, column: number, message: string) =>
  `compilation failed: ERROR: <input>:1:${column}: ${message}\n | ${rule}\n | ${'.'.repeat(column - 1)}^`;

const expectAll = (cases: [rule: string, want: unknown][]) => {
  for (const [rule, want] of cases) assert.deepEqual(evaluate(rule), want, rule);
};

describe('the optional syntax', () => {
  it('a.?f is optional.of the field when set, optional.none() when not, and stays optional down the path', () => {
    expectAll([
      ['self.?replicas.orValue(0) == 3', true],
      ['self.?name.orValue("none") == "none"', true],
      ['self.?name.hasValue()', false],
      ['self.?replicas.hasValue()', true],
      ['self.?replicas == optional.of(3)', true],
      ['self.?name == optional.none()', true],
      ['self.sub.?b.hasValue()', false],
      ['self.?sub.a.orValue(0) == 1', true],
      ['self.?sub.b.orValue("z") == "z"', true],
      ['self.?sub.?b.orValue("z") == "z"', true],
      ['self.?extra.?deep.hasValue()', compileError('self.?extra.?deep.hasValue()', 12, "undefined field 'deep'")],
      ['self . ? replicas . orValue(0) == 3', true],
    ]);
  });

  it('m[?k] and l[?i] are optional.of the entry when there, optional.none() when not', () => {
    expectAll([
      ['self.labels[?"x"] == optional.of("y")', true],
      ['self.labels[?"q"].hasValue()', false],
      ['self.tags[?1].value() == "b"', true],
      ['self.tags[?2].hasValue()', false],
      ['self.tags[?-1].hasValue()', false],
      ['self.?labels["x"].value() == "y"', true],
      ['self.?labels.x.orValue("") == "y"', true],
      ['self.?tags[0].orValue("") == "a"', true],
      ['self.?tags[7].orValue("none") == "none"', true],
    ]);
  });

  it('[?o] and {?k: o} keep an element or entry only when the optional has a value', () => {
    expectAll([
      ["[?self.?name, ?self.?tags[0], 'c'] == ['a', 'c']", true],
      ['[?optional.of(1), ?optional.none(), 3] == [1, 3]', true],
      ['{?"a": self.?name, ?"b": self.?labels.x, "c": "z"} == {"b": "y", "c": "z"}', true],
      ['{"k": optional.none()}.size() == 1', true],
      ['[?[?optional.of(1)][?0]] == [1]', true],
      ['"a" in [?self.?tags[0]] && !("b" in [?self.?tags[5]])', true],
    ]);
  });

  it('a ? of a conditional, in a string or in a comment is no optional syntax', () => {
    expectAll([
      ['self.replicas > 1 ? self.?name.hasValue() == false : false', true],
      ["'.?x[?y]{?z}' == '.?x' + '[?y]{?z}'", true],
      ['r".?\\" + ".?" == r\'.?\\\' + ".?"', true],
      ['"""a.?b""".size() == 4', true],
      ['self.replicas == 3 // self.?name\n&& true', true],
    ]);
  });

  it('blanking keeps every other character where the user wrote it', () => {
    const rule = "self.?a[?'k'] + [?x, ?y] + {?'a': b} + (c ? d : e) // .?f";
    const { text, marks } = blankOptionalMarks(rule);
    assert.equal(text.length, rule.length);
    assert.equal(text, "self. a[ 'k'] + [ x,  y] + { 'a': b} + (c ? d : e) // .?f");
    assert.deepEqual(
      marks.map((m) => m.kind),
      ['select', 'index', 'element', 'element', 'entry'],
    );
  });

  it('is typed as cel-go types it, and misuse is refused with its errors at the user’s column', () => {
    expectAll([
      [
        "self.?name == 'a'",
        compileError("self.?name == 'a'", 12, "found no matching overload for '_==_' applied to '(optional_type(string), string)'"),
      ],
      ['self.?nope.hasValue()', compileError('self.?nope.hasValue()', 5, "undefined field 'nope'")],
      [
        'self.?name.size() == 0',
        compileError('self.?name.size() == 0', 16, "found no matching overload for 'size' applied to 'optional_type(string).()'"),
      ],
      ['[?1].size() == 1', compileError('[?1].size() == 1', 3, "expected type 'optional_type(int)' but found 'int'")],
      ["{?'a': 1}.size() == 1", compileError("{?'a': 1}.size() == 1", 8, "expected type 'optional_type(int)' but found 'int'")],
      ['self.replicas.?x.hasValue()', compileError('self.replicas.?x.hasValue()', 14, "type 'int' does not support field selection")],
      ['has(self.?name)', compileError('has(self.?name)', 9, 'invalid argument to has() macro')],
      ['has(self.sub) && has(self.sub.?a)', compileError('has(self.sub) && has(self.sub.?a)', 30, 'invalid argument to has() macro')],
      ['[?] == []', compileError('[?] == []', 2, "Syntax error: unexpected '?'")],
      [
        'self.?tags.all(t, t != "")',
        compileError(
          'self.?tags.all(t, t != "")',
          5,
          "expression of type 'optional_type(list(string))' cannot be range of a comprehension (must be list, map, or dynamic)",
        ),
      ],
    ]);
  });

  it('the literal checks join an optional element or entry by the type it holds', () => {
    expectAll([
      ['[?optional.of(1), 2] == [1, 2]', true],
      [
        "[?optional.of(1), 'a'].size() == 1",
        compileError("[?optional.of(1), 'a'].size() == 1", 19, "expected type 'int' but found 'string'"),
      ],
      [
        '[?self.?replicas, ?self.?name].size() == 1',
        compileError('[?self.?replicas, ?self.?name].size() == 1', 24, "expected type 'int' but found 'string'"),
      ],
      [
        '[optional.of(1), 2].size() == 2',
        compileError('[optional.of(1), 2].size() == 2', 18, "expected type 'optional_type(int)' but found 'int'"),
      ],
      [
        "{'x': 1, ?'y': optional.of('a')}.size() == 1",
        compileError("{'x': 1, ?'y': optional.of('a')}.size() == 1", 27, "expected type 'int' but found 'string'"),
      ],
      ["{?'y': optional.of('a'), 'x': 'b'}.size() == 2", true],
    ]);
  });
});

describe('the optional library', () => {
  it('optional.of, optional.ofNonZeroValue (none for a zero value), optional.none, hasValue and value', () => {
    expectAll([
      ['optional.of(0).hasValue()', true],
      ['optional.of("").value() == ""', true],
      ['optional.none().hasValue()', false],
      ['optional.ofNonZeroValue(0).hasValue()', false],
      ['optional.ofNonZeroValue(0.0).hasValue()', false],
      ['optional.ofNonZeroValue("").hasValue()', false],
      ['optional.ofNonZeroValue(false).hasValue()', false],
      ['optional.ofNonZeroValue([]).hasValue()', false],
      ['optional.ofNonZeroValue({}).hasValue()', false],
      ['optional.ofNonZeroValue(null).hasValue()', false],
      ['optional.ofNonZeroValue(duration("0s")).hasValue()', false],
      ['optional.ofNonZeroValue(2).value() == 2', true],
      ['optional.ofNonZeroValue("a").hasValue()', true],
      ['optional.ofNonZeroValue([0]).hasValue()', true],
      ['optional.ofNonZeroValue(self.replicas).value() == 3', true],
      ['optional.ofNonZeroValue(timestamp("1970-01-01T00:00:00Z")).hasValue()', true],
    ]);
  });

  it('an empty list or map of self has a value for optional.ofNonZeroValue (upstream’s unstructured values are no Zeroers)', () => {
    const empty = { tags: [], labels: {}, sub: {} };
    assert.equal(evaluate('optional.ofNonZeroValue(self.tags).hasValue()', empty), true);
    assert.equal(evaluate('optional.ofNonZeroValue(self.labels).hasValue()', empty), true);
    assert.equal(evaluate('optional.ofNonZeroValue(self.sub).hasValue()', empty), true);
    assert.equal(evaluate('optional.ofNonZeroValue(self.tags.filter(t, t != "")).hasValue()', empty), false);
    assert.equal(evaluate('optional.ofNonZeroValue(self.labels.filter(k, k != "")).hasValue()', empty), false);
  });

  it('or and orValue take the optional’s value when it has one, and evaluate their argument only when not', () => {
    expectAll([
      ['self.?name.or(optional.of("q")).value() == "q"', true],
      ['self.?replicas.or(optional.of(7)).value() == 3', true],
      ['self.?name.or(self.?tags[9]).hasValue()', false],
      ['self.?replicas.orValue(self.tags.size()) == 3', true],
      // the argument would fail (no such index), but is never evaluated
      ['self.?tags[0].orValue(self.tags[9]) == "a"', true],
      ['self.?replicas.or(optional.of(self.?name.value().size())).value() == 3', true],
      ['self.?name.orValue(self.?name.value()) == ""', 'error: optional.none() dereference'],
    ]);
  });

  it('first() and last() of a list, optional.unwrap and unwrapOpt', () => {
    expectAll([
      ['self.tags.first() == optional.of("a")', true],
      ['self.tags.last().value() == "b"', true],
      ['[].first().hasValue() || [].last().hasValue()', false],
      ['optional.unwrap([optional.of(1), optional.none(), optional.of(3)]) == [1, 3]', true],
      ['[optional.none(), optional.of("x")].unwrapOpt() == ["x"]', true],
    ]);
  });

  it('the optMap and optFlatMap macros', () => {
    expectAll([
      ['self.?sub.optMap(s, s.a).orValue(0) == 1', true],
      ['self.?name.optMap(n, n.size()).orValue(7) == 7', true],
      ['self.?sub.optFlatMap(s, s.?b).orValue("q") == "q"', true],
      ['self.?sub.optFlatMap(s, s.?a).value() == 1', true],
      [
        'self.?sub.optMap(s.x, 1).hasValue()',
        compileError('self.?sub.optMap(s.x, 1).hasValue()', 19, 'optMap() variable name must be a simple identifier'),
      ],
    ]);
  });

  it('runtime errors in cel-go’s words', () => {
    expectAll([
      ['self.?name.value() == ""', 'error: optional.none() dereference'],
      ['[?dyn(1)].size() == 1', 'error: cannot initialize optional list element from non-optional value 1'],
      ['{?"k": dyn(1)}.size() == 1', "error: cannot initialize optional entry 'k' from non-optional value 1"],
      ['optional.unwrap([dyn(1)]).size() == 1', 'error: value 1 is not optional'],
    ]);
  });

  it('calls no overload takes are refused when the rule compiles', () => {
    expectAll([
      ["'a'.hasValue()", compileError("'a'.hasValue()", 13, "found no matching overload for 'hasValue' applied to 'string.()'")],
      [
        "self.?replicas.orValue('x') == 'x'",
        compileError(
          "self.?replicas.orValue('x') == 'x'",
          23,
          "found no matching overload for 'orValue' applied to 'optional_type(int).(string)'",
        ),
      ],
      [
        'self.?replicas.or(self.?name).hasValue()',
        compileError(
          'self.?replicas.or(self.?name).hasValue()',
          18,
          "found no matching overload for 'or' applied to 'optional_type(int).(optional_type(string))'",
        ),
      ],
      [
        'self.replicas.first().hasValue()',
        compileError('self.replicas.first().hasValue()', 20, "found no matching overload for 'first' applied to 'int.()'"),
      ],
    ]);
  });

  it('oldSelf of an optionalOldSelf rule is optional(self’s type): a selection on it is optional too', () => {
    const rule = 'oldSelf.replicas.orValue(0) <= self.replicas';
    assert.equal(evaluate(rule, { replicas: 2 }, {}), true);
    assert.equal(evaluate(rule, { replicas: 2 }, { value: { replicas: 5 } }), false);
    assert.equal(
      evaluate('!oldSelf.hasValue() || oldSelf.value().replicas == self.replicas', { replicas: 2 }, { value: { replicas: 2 } }),
      true,
    );
    const compare = 'oldSelf.replicas == self.replicas';
    assert.equal(
      evaluate(compare, { replicas: 2 }, {}),
      compileError(compare, 18, "found no matching overload for '_==_' applied to '(optional_type(int), int)'"),
    );
  });

  it('a selection or index on a dyn that is an optional at run time is optional, as cel-go qualifies an optional', () => {
    expectAll([
      ['dyn(self.?sub).a == optional.of(1)', true],
      ['dyn(self.?sub).b == optional.none()', true],
      ['dyn(self.?name).a == optional.none()', true],
      ['dyn(self.?sub)["a"] == optional.of(1)', true],
      ['dyn(self.?tags)[1] == optional.of("b") && dyn(self.?tags)[5] == optional.none()', true],
      ['dyn(optional.of({"b": {"c": 2}})).b.c == optional.of(2)', true],
      ['[dyn(self.?sub), dyn(self.?name)].all(o, o.a.orValue(1) == 1)', true],
      // a dyn that is no optional is selected and indexed as before
      ['dyn(self.sub).a == 1 && dyn(self.tags)[0] == "a"', true],
      ['dyn(self.sub).b == 1', 'error: field not found: b'],
    ]);
  });
});

describe('list extension functions of a 1.33 server', () => {
  it('ext.Lists (slice, flatten, distinct, reverse, sort…) is not there: it comes with 1.34', () => {
    for (const [rule, column, name] of [
      ['self.tags.slice(0, 1) == ["a"]', 16, 'slice'],
      ['[[1]].flatten() == [1]', 14, 'flatten'],
      ['self.tags.sort() == self.tags', 15, 'sort'],
      ['self.tags.distinct() == self.tags', 19, 'distinct'],
      ['self.tags.reverse() == self.tags', 18, 'reverse'],
    ] as const) {
      assert.equal(evaluate(rule), compileError(rule, column, `undeclared reference to '${name}' (in container '')`), rule);
    }
  });
});

describe('the estimated cost of rules with optionals', () => {
  const costOf = (rule: string) => {
    const compiled = compileRule({ rule }, TYPE, declSizes(SPEC, false));
    assert.equal(compiled.error, undefined, compiled.error);
    return compiled.maxCost;
  };

  it('an optional selection or index costs what a call does (1 and its operands), as cel-go estimates it', () => {
    assert.equal(costOf('self.replicas > 1'), 3);
    assert.equal(costOf('self.?replicas.orValue(0) > 1'), 4);
    assert.equal(costOf('self.labels[?"k"].hasValue()'), 4);
    assert.equal(costOf('self.tags.first().orValue("") == "a"'), 5);
    assert.equal(costOf('[?self.?replicas].size() == 1'), 14);
  });

  it('a list reached through orValue has no schema bound (no path), so iterating it is unbounded, as in cel-go', () => {
    assert.equal(costOf('self.tags.all(t, t != "")'), 23);
    assert.equal(costOf('self.?tags.orValue([]).all(t, t != "")'), MAX);
  });
});

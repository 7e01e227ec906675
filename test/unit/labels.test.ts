import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLabelSelector,
  isNothingSelector,
  labelSelectorMatches,
  parseSelector,
  selectorFromLabelSelector,
  type LabelSelector,
} from '../../src/apimachinery/labels.js';
import { StatusError } from '../../src/apimachinery/status.js';

const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function badRequestMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${String(e)}`);
    assert.equal(e.code, 400);
    assert.equal(e.reason, 'BadRequest');
    return e.message;
  }
  assert.fail('expected a 400');
}

const L = (s: string): Record<string, string> => Object.fromEntries(s ? s.split(',').map((kv) => kv.split('=') as [string, string]) : []);

describe('parseSelector matching', () => {
  // [selector, labels ("k=v,k2=v2"), matches]
  const cases: [string, string, boolean][] = [
    ['', '', true],
    ['', 'a=b', true],
    ['  ', 'a=b', true],
    ['a=b', 'a=b', true],
    ['a=b', 'a=c', false],
    ['a=b', '', false],
    ['a==b', 'a=b', true],
    ['a==b', 'a=c', false],
    ['a!=b', 'a=b', false],
    ['a!=b', 'a=c', true],
    ['a!=b', '', true],
    ['a=', 'a=', true],
    ['a=', 'a=x', false],
    ['a=', '', false],
    ['a in (x,y,z)', 'a=y', true],
    ['a in (x,y,z)', 'a=w', false],
    ['a in (x,y,z)', '', false],
    ['a in (x)', 'a=x', true],
    ['a notin (x,y)', 'a=x', false],
    ['a notin (x,y)', 'a=z', true],
    ['a notin (x,y)', '', true],
    ['a in ()', 'a=', true],
    ['a in (,x)', 'a=', true],
    ['a in (x,)', 'a=', true],
    ['a in (x,,y)', 'a=', true],
    ['a in (in,notin)', 'a=notin', true],
    ['in=notin', 'in=notin', true],
    ['a', 'a=x', true],
    ['a', 'a=', true],
    ['a', 'b=x', false],
    ['!a', 'b=x', true],
    ['!a', 'a=x', false],
    ['a>5', 'a=6', true],
    ['a>5', 'a=5', false],
    ['a>5', 'a=x', false],
    ['a>5', '', false],
    ['a<5', 'a=4', true],
    ['a<5', 'a=05', false],
    ['a<5', 'a=5', false],
    ['a>0', 'a=99999999999999999999', false],
    ['a=b,c=d', 'a=b,c=d', true],
    ['a=b,c=d', 'a=b', false],
    ['a=b, c in (d, e), !f', 'a=b,c=e', true],
    ['a=b, c in (d, e), !f', 'a=b,c=e,f=1', false],
    ['a=b,c notin (d),e', 'a=b,e=', true],
    ['a=b,c notin (d),e', 'a=b,c=d,e=', false],
    ['\ta = b\n', 'a=b', true],
    ['example.com/app=web', 'example.com/app=web', true],
  ];
  for (const [sel, labels, want] of cases) {
    it(`${JSON.stringify(sel)} on {${labels}} → ${want}`, () => {
      assert.equal(parseSelector(sel).matches(L(labels)), want);
    });
  }
  it('undefined labels are treated as none', () => {
    assert.equal(parseSelector('!a').matches(undefined), true);
    assert.equal(parseSelector('a').matches(undefined), false);
  });
  it('does not see Object.prototype members as labels', () => {
    assert.equal(parseSelector('constructor').matches({}), false);
    assert.equal(parseSelector('!toString').matches({}), true);
  });
});

describe('parseSelector string form, emptiness and requiredEquals', () => {
  const cases: [string, string, boolean, Record<string, string>][] = [
    ['', '', true, {}],
    ['x=a', 'x=a', false, { x: 'a' }],
    ['x==a', 'x==a', false, { x: 'a' }],
    ['z=a,x!=b', 'x!=b,z=a', false, { z: 'a' }],
    ['x in (c,b,a)', 'x in (a,b,c)', false, {}],
    ['x in (a,a)', 'x in (a)', false, { x: 'a' }],
    ['x notin (b, a)', 'x notin (a,b)', false, {}],
    ['!x, y', '!x,y', false, {}],
    ['a>1,b<2', 'a>1,b<2', false, {}],
  ];
  for (const [sel, str, empty, eq] of cases) {
    it(JSON.stringify(sel), () => {
      const s = parseSelector(sel);
      assert.equal(s.toString(), str);
      assert.equal(s.empty, empty);
      assert.deepEqual(s.requiredEquals(), eq);
    });
  }
});

describe('parseSelector errors are 400s with upstream wording', () => {
  const ops = 'in, notin, =, ==, !=, gt, lt';
  const cases: [string, string][] = [
    ['a b', `unable to parse requirement: found 'b', expected: ${ops}`],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a=b,', "found '', expected: identifier after ','"],
    ['a=b,,c', "found ',', expected: identifier after ','"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['!(a)', "unable to parse requirement: found '(', expected: identifier"],
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (b c)', "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in', "unable to parse requirement: found '' expected: '('"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a in (,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['a=(b)', "unable to parse requirement: found '(', expected: identifier"],
    ['a>=1', "unable to parse requirement: found '=', expected: identifier"],
    ['a !b', `unable to parse requirement: found '!', expected: ${ops}`],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['-a=b', `unable to parse requirement: <nil>: Invalid value: "-a": ${NAME_PART_MSG}`],
    [
      'a/b/c',
      'unable to parse requirement: <nil>: Invalid value: "a/b/c": ' +
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
    ['a=-b', `unable to parse requirement: values[0][a]: Invalid value: "-b": ${LABEL_VALUE_MSG}`],
    ['a in (x,-y)', `unable to parse requirement: values[0][a]: Invalid value: "-y": ${LABEL_VALUE_MSG}`],
    ['a>b', `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['a<-1', `unable to parse requirement: values[0][a]: Invalid value: "-1": ${LABEL_VALUE_MSG}`],
    [
      'a>_1',
      `unable to parse requirement: [values[0]: Invalid value: "_1": for 'Gt', 'Lt' operators, the value must be an integer, values[0][a]: Invalid value: "_1": ${LABEL_VALUE_MSG}]`,
    ],
  ];
  for (const [sel, msg] of cases) {
    it(JSON.stringify(sel), () =>
      assert.equal(
        badRequestMessage(() => parseSelector(sel)),
        msg,
      ),
    );
  }
});

describe('selectorFromLabelSelector', () => {
  const cases: [string, LabelSelector | null | undefined, string, boolean][] = [
    ['null matches nothing', null, 'a=b', false],
    ['undefined matches nothing', undefined, '', false],
    ['{} matches everything', {}, 'a=b', true],
    ['empty lists match everything', { matchLabels: {}, matchExpressions: [] }, '', true],
    ['matchLabels', { matchLabels: { app: 'web', tier: 'fe' } }, 'app=web,tier=fe,x=y', true],
    ['matchLabels missing one', { matchLabels: { app: 'web', tier: 'fe' } }, 'app=web', false],
    ['In', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'qa'] }] }, 'env=qa', true],
    ['In absent', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, '', false],
    ['NotIn absent', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, '', true],
    ['NotIn hit', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, 'env=prod', false],
    ['Exists', { matchExpressions: [{ key: 'env', operator: 'Exists' }] }, 'env=', true],
    ['DoesNotExist', { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, 'env=x', false],
    [
      'combined',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] },
      'app=web,env=prod',
      true,
    ],
  ];
  for (const [name, ls, labels, want] of cases) {
    it(name, () => {
      assert.equal(selectorFromLabelSelector(ls).matches(L(labels)), want);
      assert.equal(labelSelectorMatches(ls, L(labels)), want);
    });
  }
  it('null is the nothing selector, {} is empty', () => {
    assert.equal(isNothingSelector(selectorFromLabelSelector(null)), true);
    assert.equal(selectorFromLabelSelector(null).empty, false);
    assert.equal(selectorFromLabelSelector({}).empty, true);
    assert.deepEqual(selectorFromLabelSelector({ matchLabels: { b: '2', a: '1' } }).requiredEquals(), { a: '1', b: '2' });
  });

  const errors: [string, LabelSelector, string][] = [
    [
      'unknown operator',
      { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
      '"Gt" is not a valid label selector operator',
    ],
    [
      'unknown operator with a control character (%q)',
      { matchExpressions: [{ key: 'a', operator: 'I\u0001n', values: ['1'] }] },
      '"I\\x01n" is not a valid label selector operator',
    ],
    [
      'In without values',
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      'NotIn with []',
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    ],
    ['bad key', { matchLabels: { '-a': 'x' } }, `key: Invalid value: "-a": ${NAME_PART_MSG}`],
    ['bad value', { matchLabels: { a: 'x y' } }, `values[0][a]: Invalid value: "x y": ${LABEL_VALUE_MSG}`],
  ];
  for (const [name, ls, msg] of errors) {
    it(`error: ${name}`, () =>
      assert.equal(
        badRequestMessage(() => selectorFromLabelSelector(ls)),
        msg,
      ));
  }
});

describe('formatLabelSelector', () => {
  const cases: [LabelSelector | null | undefined, string][] = [
    [null, '<none>'],
    [{}, '<none>'],
    [{ matchLabels: { app: 'x' } }, 'app=x'],
    [{ matchLabels: { tier: 'fe', app: 'x' } }, 'app=x,tier=fe'],
    [{ matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }, 'app=x,tier in (a,b)'],
    [
      {
        matchExpressions: [
          { key: 'a', operator: 'NotIn', values: ['z'] },
          { key: 'b', operator: 'Exists' },
          { key: 'c', operator: 'DoesNotExist' },
        ],
      },
      'a notin (z),b,!c',
    ],
    [{ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, '<error>'],
    [{ matchLabels: { a: '-' } }, '<error>'],
  ];
  for (const [ls, want] of cases) {
    it(`${JSON.stringify(ls)} → ${want}`, () => assert.equal(formatLabelSelector(ls), want));
  }
});

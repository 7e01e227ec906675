/**
 * The two prints of a *metav1.LabelSelector: a field error's (the pointer followed, the struct in
 * %#v, since String() has a pointer receiver) and %v's (the generated String(), in events).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderValue } from '../../src/apimachinery/field-errors.js';
import { goLabelSelectorString, goLabelSelectorValue } from '../../src/apimachinery/go-label-selector.js';

const both = {
  matchLabels: { b: '2', a: '1' },
  matchExpressions: [
    { key: 'k', operator: 'In', values: ['v1', 'v2'] },
    { key: 'e', operator: 'Exists' },
  ],
};

describe('goLabelSelectorValue (a field error bad value)', () => {
  const cases: [string, unknown, string][] = [
    ['nil pointer', undefined, '"null"'],
    [
      'empty object: nil map and slice',
      {},
      'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}',
    ],
    [
      'empty map and list are not nil',
      { matchLabels: {}, matchExpressions: [] },
      'v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement{}}',
    ],
    [
      'labels sorted and quoted, requirements in order, absent values nil',
      both,
      'v1.LabelSelector{MatchLabels:map[string]string{"a":"1", "b":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement{' +
        'v1.LabelSelectorRequirement{Key:"k", Operator:"In", Values:[]string{"v1", "v2"}}, ' +
        'v1.LabelSelectorRequirement{Key:"e", Operator:"Exists", Values:[]string(nil)}}}',
    ],
    [
      'strings use Go quoting',
      { matchLabels: { app: 'a\tb' } },
      'v1.LabelSelector{MatchLabels:map[string]string{"app":"a\\tb"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}',
    ],
  ];
  for (const [name, sel, want] of cases) it(name, () => assert.equal(renderValue(goLabelSelectorValue(sel)), want));
});

describe('goLabelSelectorString (%v of the pointer)', () => {
  const cases: [string, unknown, string][] = [
    ['nil pointer', null, 'nil'],
    [
      'labels only',
      { matchLabels: { app: 'x' } },
      '&LabelSelector{MatchLabels:map[string]string{app: x,},MatchExpressions:[]LabelSelectorRequirement{},}',
    ],
    [
      'labels and expressions',
      both,
      '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{' +
        'LabelSelectorRequirement{Key:k,Operator:In,Values:[v1 v2],},LabelSelectorRequirement{Key:e,Operator:Exists,Values:[],},},}',
    ],
  ];
  for (const [name, sel, want] of cases) it(name, () => assert.equal(goLabelSelectorString(sel), want));
});

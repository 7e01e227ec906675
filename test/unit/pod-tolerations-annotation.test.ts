/** ValidateTolerationsInPodAnnotations: the alpha annotation must decode into tolerations, and valid ones. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorString, path } from '../../src/apimachinery/field-errors.js';
import { validatePodSpecificAnnotations } from '../../src/resources/pods/validation-annotations.js';
import { validateTolerationsAnnotation } from '../../src/resources/pods/validation-tolerations-annotation.js';

const KEY = 'scheduler.alpha.kubernetes.io/tolerations';
const FLD = path('metadata', 'annotations');
const check = (value: string): string[] => validateTolerationsAnnotation(value, FLD).map(errorString);
const decodeError = (detail: string) => `metadata.annotations: Invalid value: "${KEY}": ${detail}`;

describe('validateTolerationsAnnotation', () => {
  it('accepts valid tolerations, null and an empty list', () => {
    assert.deepEqual(check('[{"key":"dedicated","operator":"Equal","value":"gpu","effect":"NoSchedule"}]'), []);
    assert.deepEqual(check('[{"operator":"Exists","effect":"NoExecute","tolerationSeconds":30}]'), []);
    assert.deepEqual(check('null'), []);
    assert.deepEqual(check('[]'), []);
  });

  it('reads a null item as the zero toleration, which needs operator Exists', () => {
    assert.deepEqual(check('[null]'), [
      `metadata.annotations.${KEY}[0].operator: Invalid value: "": operator must be Exists when \`key\` is empty, which means "match all values and all keys"`,
    ]);
  });

  it('reports a syntax error with encoding/json words, at the annotations with the key as the value', () => {
    assert.deepEqual(check('not json'), [decodeError("invalid character 'o' in literal null (expecting 'u')")]);
    assert.deepEqual(check('[{"key": "a"'), [decodeError('unexpected end of JSON input')]);
  });

  it('reports a value of the wrong type as an UnmarshalTypeError', () => {
    assert.deepEqual(check('{"key":"a"}'), [decodeError('json: cannot unmarshal object into Go value of type []core.Toleration')]);
    assert.deepEqual(check('["a"]'), [decodeError('json: cannot unmarshal string into Go value of type core.Toleration')]);
    assert.deepEqual(check('[{"key":1}]'), [
      decodeError('json: cannot unmarshal number into Go struct field Toleration.key of type string'),
    ]);
    assert.deepEqual(check('[{"operator":true}]'), [
      decodeError('json: cannot unmarshal bool into Go struct field Toleration.operator of type core.TolerationOperator'),
    ]);
    assert.deepEqual(check('[{"effect":"NoExecute","tolerationSeconds":"30"}]'), [
      decodeError('json: cannot unmarshal string into Go struct field Toleration.tolerationSeconds of type int64'),
    ]);
    assert.deepEqual(check('[{"effect":"NoExecute","tolerationSeconds":1.5}]'), [
      decodeError('json: cannot unmarshal number 1.5 into Go struct field Toleration.tolerationSeconds of type int64'),
    ]);
  });

  it('matches keys without regard to case and ignores unknown ones, as encoding/json does', () => {
    assert.deepEqual(check('[{"KEY":"a","Operator":"Exists","Value":"b","extra":{"x":1}}]'), [
      `metadata.annotations.${KEY}[0].operator: Invalid value: "b": value must be empty when \`operator\` is 'Exists'`,
    ]);
  });

  it('validates the decoded tolerations at <annotations>.<key>[i], as upstream names them', () => {
    assert.deepEqual(
      check('[{"key":"a","operator":"Exists","value":"b"},{"operator":"Equal","tolerationSeconds":5,"effect":"NoSchedule"}]'),
      [
        `metadata.annotations.${KEY}[0].operator: Invalid value: "b": value must be empty when \`operator\` is 'Exists'`,
        `metadata.annotations.${KEY}[1].operator: Invalid value: "Equal": operator must be Exists when \`key\` is empty, which means "match all values and all keys"`,
        `metadata.annotations.${KEY}[1].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when \`tolerationSeconds\` is set`,
      ],
    );
  });
});

describe('validatePodSpecificAnnotations with the tolerations annotation', () => {
  it('checks it after the mirror annotation and before the deletion cost; an empty value is not checked', () => {
    const errs = validatePodSpecificAnnotations(
      { 'kubernetes.io/config.mirror': 'x', [KEY]: '5', 'controller.kubernetes.io/pod-deletion-cost': 'x' },
      {},
      FLD,
    ).map((e) => e.field);
    assert.deepEqual(errs, [
      'metadata.annotations[kubernetes.io/config.mirror]',
      'metadata.annotations',
      'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]',
    ]);
    assert.deepEqual(validatePodSpecificAnnotations({ [KEY]: '' }, {}, FLD), []);
  });
});

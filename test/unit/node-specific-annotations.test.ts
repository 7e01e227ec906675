/** ValidateNodeSpecificAnnotations: the alpha taints and preferAvoidPods annotations of a node. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorString, path } from '../../src/apimachinery/field-errors.js';
import { validateNodeSpecificAnnotations } from '../../src/resources/nodes/validation-annotations.js';

const TAINTS = 'scheduler.alpha.kubernetes.io/taints';
const AVOID = 'scheduler.alpha.kubernetes.io/preferAvoidPods';
const FLD = path('metadata', 'annotations');
const check = (annotations: Record<string, string>): string[] => validateNodeSpecificAnnotations(annotations, FLD).map(errorString);

describe('the taints annotation', () => {
  it('accepts valid taints, null, an empty list and an empty value', () => {
    assert.deepEqual(check({ [TAINTS]: '[{"key":"dedicated","value":"gpu","effect":"NoSchedule"}]' }), []);
    assert.deepEqual(check({ [TAINTS]: '[{"key":"k","effect":"NoExecute","timeAdded":"2026-01-02T03:04:05Z"}]' }), []);
    assert.deepEqual(check({ [TAINTS]: 'null' }), []);
    assert.deepEqual(check({ [TAINTS]: '[]' }), []);
    assert.deepEqual(check({ [TAINTS]: '' }), []);
  });

  it('checks each taint as spec.taints, under the annotation key', () => {
    assert.deepEqual(check({ [TAINTS]: '[{"key":"k","effect":"Sometimes"}]' }), [
      `metadata.annotations.${TAINTS}[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
    ]);
  });

  it('reports encoding/json errors at the annotations, with the key as the value', () => {
    const bad = (detail: string) => `metadata.annotations: Invalid value: "${TAINTS}": ${detail}`;
    assert.deepEqual(check({ [TAINTS]: '{"key":"a"}' }), [bad('json: cannot unmarshal object into Go value of type []core.Taint')]);
    assert.deepEqual(check({ [TAINTS]: '[1]' }), [bad('json: cannot unmarshal number into Go value of type core.Taint')]);
    assert.deepEqual(check({ [TAINTS]: '[{"effect":true}]' }), [
      bad('json: cannot unmarshal bool into Go struct field Taint.effect of type core.TaintEffect'),
    ]);
    assert.deepEqual(check({ [TAINTS]: '[{"key":"k","effect":"NoSchedule","timeAdded":"yesterday"}]' }), [
      bad('parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'),
    ]);
    assert.deepEqual(check({ [TAINTS]: 'nope' }), [bad("invalid character 'o' in literal null (expecting 'u')")]);
  });
});

describe('the preferAvoidPods annotation', () => {
  const entry = (controller: unknown) =>
    JSON.stringify({
      preferAvoidPods: [
        {
          podSignature: { podController: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller } },
          evictionTime: '2026-01-02T03:04:05Z',
          reason: 'r',
        },
      ],
    });

  it('accepts entries that name a controller', () => {
    assert.deepEqual(check({ [AVOID]: entry(true) }), []);
    assert.deepEqual(check({ [AVOID]: '{}' }), []);
  });

  it('needs a pod controller, and one that is a controller', () => {
    assert.deepEqual(check({ [AVOID]: '{"preferAvoidPods":[{}]}' }), [`metadata.annotations.${AVOID}[0].PodSignature: Required value`]);
    assert.deepEqual(check({ [AVOID]: entry(false) }), [
      `metadata.annotations.${AVOID}[0].PodSignature.PodController.Controller: Invalid value: false: must point to a controller`,
    ]);
  });

  it('reports encoding/json errors at metadata.annotations.AvoidPods', () => {
    const bad = (detail: string) => `metadata.annotations.AvoidPods: Invalid value: "${AVOID}": ${detail}`;
    assert.deepEqual(check({ [AVOID]: '[]' }), [bad('json: cannot unmarshal array into Go value of type v1.AvoidPods')]);
    assert.deepEqual(check({ [AVOID]: '{"preferAvoidPods":"x"}' }), [
      bad('json: cannot unmarshal string into Go struct field AvoidPods.preferAvoidPods of type []v1.PreferAvoidPodsEntry'),
    ]);
    assert.deepEqual(check({ [AVOID]: entry('yes') }), [
      bad(
        'json: cannot unmarshal string into Go struct field OwnerReference.preferAvoidPods.podSignature.podController.controller of type bool',
      ),
    ]);
  });
});

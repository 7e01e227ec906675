/**
 * CRD validation rules through the real kubectl: applying a CRD whose rule does not compile,
 * then a custom object breaking several rules, and a patch breaking a transition rule, each
 * shows upstream's error text as kubectl prints it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const crdYaml = (rule: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.cel.example.com
spec:
  group: cel.example.com
  scope: Namespaced
  names:
    plural: widgets
    kind: Widget
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: ${JSON.stringify(rule)}
              message: must be at most maxReplicas
              fieldPath: .replicas
            - rule: "self.mode != 'locked' || self.replicas == 0"
              messageExpression: "'mode ' + self.mode + ' needs 0 replicas'"
              reason: FieldValueForbidden
            properties:
              replicas:
                type: integer
              maxReplicas:
                type: integer
              mode:
                type: string
              storageClass:
                type: string
                x-kubernetes-validations:
                - rule: self == oldSelf
                  message: storageClass is immutable
`;

const widgetYaml = (name: string, replicas: number, mode: string) => `apiVersion: cel.example.com/v1
kind: Widget
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  maxReplicas: 3
  mode: ${mode}
  storageClass: fast
`;

describe('kubectl and CRD validation rules', () => {
  const server = useServer({ nodes: 0 });

  it('shows a rule that does not compile, the failed rules of an object, and a broken transition rule', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const badCrd = await runKubectl(server, ['apply', '-f', '-'], { input: crdYaml('self.replica <= self.maxReplicas') });
    assert.notEqual(badCrd.code, 0);
    assert.equal(
      badCrd.stderr,
      'The CustomResourceDefinition "widgets.cel.example.com" is invalid: ' +
        'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: ' +
        'apiextensions.ValidationRule{Rule:"self.replica <= self.maxReplicas", Message:"must be at most maxReplicas", MessageExpression:"", ' +
        'Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:".replicas", OptionalOldSelf:(*bool)(nil)}: ' +
        "compilation failed: ERROR: <input>:1:5: undefined field 'replica'\n | self.replica <= self.maxReplicas\n | ....^\n",
    );

    await kubectlOk(server, ['apply', '-f', '-'], { input: crdYaml('self.replicas <= self.maxReplicas') });
    await kubectlOk(server, ['wait', '--for', 'condition=Established', 'crd/widgets.cel.example.com', '--timeout=10s']);

    const bad = await runKubectl(server, ['apply', '-f', '-'], { input: widgetYaml('bad', 5, 'locked') });
    assert.notEqual(bad.code, 0);
    assert.equal(
      bad.stderr,
      'The Widget "bad" is invalid: \n' +
        '* spec.replicas: Invalid value: "object": must be at most maxReplicas\n' +
        '* spec: Forbidden: mode locked needs 0 replicas\n',
    );

    await kubectlOk(server, ['apply', '-f', '-'], { input: widgetYaml('good', 0, 'locked') });
    const patched = await runKubectl(server, ['patch', 'widget', 'good', '--type=merge', '-p', '{"spec":{"storageClass":"slow"}}']);
    assert.notEqual(patched.code, 0);
    assert.equal(patched.stderr, 'The Widget "good" is invalid: spec.storageClass: Invalid value: "string": storageClass is immutable\n');
  });
});

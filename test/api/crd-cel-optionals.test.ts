/**
 * CEL optional types in CRD validation rules through the API (cel.OptionalTypes, in kube-apiserver's
 * CEL environments since 1.28): a rule defaulting absent fields with `self.?x.orValue(...)`, an
 * optional map index and an optional list literal decide what a write may hold, and a rule that
 * compares an optional with a plain value is refused with the CRD, with cel-go's error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { causesOf } from '../helpers/causes.js';
import { CRDS, established } from '../helpers/crd-established.js';
import { goRule } from '../helpers/go-rule.js';
import { widgetCrd } from '../helpers/widget-crd.js';

const WIDGETS = '/apis/optional.example.com/v1/namespaces/default/widgets';
const SPEC_AT = 'spec.versions[0].schema.openAPIV3Schema.properties[spec]';

const RULES = [
  { rule: 'self.?replicas.orValue(1) <= self.?maxReplicas.orValue(10)', message: 'replicas above the maximum' },
  { rule: "self.labels[?'tier'].orValue('web') in ['web', 'db']", message: 'unknown tier' },
  { rule: '[?self.?image, ?self.?imageRef].size() == 1', message: 'set exactly one of image and imageRef' },
];

const ruledWidgetCrd = (rules: Record<string, unknown>[]) =>
  widgetCrd({
    group: 'optional.example.com',
    schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': rules,
          properties: {
            replicas: { type: 'integer' },
            maxReplicas: { type: 'integer' },
            image: { type: 'string', maxLength: 64 },
            imageRef: { type: 'string', maxLength: 64 },
            labels: { type: 'object', maxProperties: 8, additionalProperties: { type: 'string', maxLength: 16 } },
          },
        },
      },
    },
  });

const widget = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'optional.example.com/v1',
  kind: 'Widget',
  metadata: { name },
  spec: { labels: {}, ...spec },
});

describe('CEL optional types in CRD rules', () => {
  it('absent fields take the orValue default, present ones their own value', async (t) => {
    const app = await buildTestApp(t);
    await established(app, ruledWidgetCrd(RULES));
    await app.http
      .post(WIDGETS)
      .send(widget('defaults', { image: 'nginx' }))
      .expect(201);
    await app.http
      .post(WIDGETS)
      .send(widget('set', { replicas: 20, maxReplicas: 30, imageRef: 'ref', labels: { tier: 'db' } }))
      .expect(201);
    const failing = async (spec: Record<string, unknown>) => {
      const res = await app.http.post(WIDGETS).send(widget('bad', spec)).expect(422);
      assert.equal(res.body.reason, 'Invalid');
      return causesOf(res.body);
    };
    // maxReplicas absent: 10
    assert.deepEqual(await failing({ replicas: 11, image: 'nginx' }), ['spec: Invalid value: "object": replicas above the maximum']);
    // replicas absent: 1
    assert.deepEqual(await failing({ maxReplicas: 0, image: 'nginx' }), ['spec: Invalid value: "object": replicas above the maximum']);
    assert.deepEqual(await failing({ image: 'nginx', labels: { tier: 'cache' } }), ['spec: Invalid value: "object": unknown tier']);
    assert.deepEqual(await failing({ image: 'nginx', imageRef: 'ref' }), [
      'spec: Invalid value: "object": set exactly one of image and imageRef',
    ]);
    assert.deepEqual(await failing({}), ['spec: Invalid value: "object": set exactly one of image and imageRef']);
  });

  it('a rule comparing an optional with a plain value, or defaulting it to another type, is refused with the CRD', async (t) => {
    const { http } = await buildTestApp(t);
    const bad = ['self.?replicas == 1', 'self.?replicas.orValue("one") == "one"'];
    const res = await http
      .post(CRDS)
      .send(ruledWidgetCrd(bad.map((rule) => ({ rule }))))
      .expect(422);
    const at = (i: number) => `${SPEC_AT}.x-kubernetes-validations[${i}].rule: Invalid value: ${goRule(bad[i])}`;
    assert.deepEqual(causesOf(res.body), [
      `${at(0)}: compilation failed: ERROR: <input>:1:16: found no matching overload for '_==_' applied to '(optional_type(int), int)'\n | ${bad[0]}\n | ${'.'.repeat(15)}^`,
      `${at(1)}: compilation failed: ERROR: <input>:1:23: found no matching overload for 'orValue' applied to 'optional_type(int).(string)'\n | ${bad[1]}\n | ${'.'.repeat(22)}^`,
    ]);
    await http.get(`${CRDS}/widgets.optional.example.com`).expect(404);
  });
});

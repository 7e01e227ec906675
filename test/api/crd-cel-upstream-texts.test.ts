/**
 * CRD validation rules where cel-go v0.23 and kube-apiserver 1.33 differ from @bufbuild/cel, as a
 * client sees them in the 422: run-time errors in cel-go's words ("index out of bounds: 2
 * evaluating rule: …", "'no such overload': call arguments did not match …",
 * "index out of range: 4" from substring), a
 * comprehension over an object refused when the CRD is written, a date-time field keeping its
 * offset (its clock and its string()), a duration field read by strfmt (`3 days`), and a
 * date-time that strfmt refuses failing the rules that read it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { causesOf } from '../helpers/causes.js';
import { CRDS, established } from '../helpers/crd-established.js';
import { widgetCrd } from '../helpers/widget-crd.js';

const WIDGETS = '/apis/texts.example.com/v1/namespaces/default/widgets';

const PROPERTIES = {
  items: { type: 'array', maxItems: 8, items: { type: 'integer' } },
  start: { type: 'string', format: 'date-time', maxLength: 64 },
  timeout: { type: 'string', format: 'duration', maxLength: 64 },
  port: { 'x-kubernetes-int-or-string': true, maxLength: 16 },
  owner: { type: 'object', properties: { name: { type: 'string', maxLength: 64 } } },
  name: { type: 'string', maxLength: 16 },
};

const RULES = [
  { rule: '!has(self.items) || self.items[2] >= 0' },
  { rule: '!has(self.start) || self.start.getHours() < 12', message: 'starts before noon' },
  { rule: "!has(self.start) || string(self.start) == '2024-01-02T11:00:00.5-05:00'", message: 'starts at 11:00:00.5 EST' },
  { rule: "!has(self.timeout) || self.timeout <= duration('72h')", message: 'timeout is at most three days' },
  { rule: '!has(self.port) || self.port + 1 > 0' },
  { rule: "!has(self.name) || self.name.substring(4) != 'x'" },
];

const ruledWidgetCrd = (rules: Record<string, unknown>[]) =>
  widgetCrd({
    group: 'texts.example.com',
    schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-validations': rules, properties: PROPERTIES } } },
  });

const widget = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'texts.example.com/v1',
  kind: 'Widget',
  metadata: { name },
  spec,
});

describe('CEL rules with cel-go’s texts and values', () => {
  it('run-time errors, offsets and strfmt durations in the 422 of a custom resource', async (t) => {
    const app = await buildTestApp(t);
    await established(app, ruledWidgetCrd(RULES));
    const failing = async (spec: Record<string, unknown>) => {
      const res = await app.http.post(WIDGETS).send(widget('bad', spec)).expect(422);
      return causesOf(res.body);
    };
    await app.http
      .post(WIDGETS)
      .send(widget('ok', { items: [1, 2, 3], start: '2024-01-02T11:00:00.500-05:00', timeout: '3 days', port: 80, name: 'abcd' }))
      .expect(201);
    assert.deepEqual(await failing({ items: [1, 2] }), [
      'spec: Invalid value: "object": index out of bounds: 2 evaluating rule: !has(self.items) || self.items[2] >= 0',
    ]);
    // getHours() reads the clock at the offset, as cel-go does: 11:00 at -05:00 (16:00 UTC) passed, 13:00 at +05:00 (08:00 UTC) fails
    assert.deepEqual(await failing({ start: '2024-01-02T13:00:00.5+05:00' }), [
      'spec: Invalid value: "object": starts before noon',
      'spec: Invalid value: "object": starts at 11:00:00.5 EST',
    ]);
    assert.deepEqual(await failing({ timeout: '4 days' }), ['spec: Invalid value: "object": timeout is at most three days']);
    assert.deepEqual(await failing({ port: 'http' }), [
      `spec: Invalid value: "object": 'no such overload': call arguments did not match a supported operator, function or macro signature for rule: !has(self.port) || self.port + 1 > 0`,
    ]);
    assert.deepEqual(await failing({ name: 'abc' }), [
      `spec: Invalid value: "object": index out of range: 4 evaluating rule: !has(self.name) || self.name.substring(4) != 'x'`,
    ]);
    const unreadable =
      'Invalid date-time formatted string 2024-01-02t03:04:05z: parsing time "2024-01-02t03:04:05z" as "2006-01-02T15:04:05": cannot parse "t03:04:05z" as "T"';
    assert.deepEqual(await failing({ start: '2024-01-02t03:04:05z' }), [
      `spec: Invalid value: "object": ${unreadable} evaluating rule: starts before noon`,
      `spec: Invalid value: "object": ${unreadable} evaluating rule: starts at 11:00:00.5 EST`,
    ]);
  });

  it('a comprehension over an object refuses the CRD with cel-go’s error naming the object type', async (t) => {
    const { http } = await buildTestApp(t);
    const rule = "self.owner.all(k, k != '')";
    const res = await http
      .post(CRDS)
      .send(ruledWidgetCrd([{ rule }]))
      .expect(422);
    const [cause] = causesOf(res.body);
    const at = 'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: ';
    assert.ok(cause.startsWith(at), cause);
    assert.match(
      cause,
      /: compilation failed: ERROR: <input>:1:5: expression of type 'selfType\d+\.owner' cannot be range of a comprehension \(must be list, map, or dynamic\)\n \| self\.owner\.all\(k, k != ''\)\n \| \.\.\.\.\^$/,
    );
    await http.get(`${CRDS}/widgets.texts.example.com`).expect(404);
  });
});

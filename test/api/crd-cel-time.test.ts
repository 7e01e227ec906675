/**
 * Durations and timestamps in CRD validation rules as a 1.33 kube-apiserver (cel-go v0.23) converts
 * them: duration(string) by Go's time.ParseDuration, timestamp(string) by Go's time.Parse of
 * RFC 3339, timestamp(int) as seconds since the epoch, both timestamps within years 1 to 9999. A
 * value that does not convert fails its rule with cel-go's error "… evaluating rule: …"; a literal
 * that does not convert, and a list literal mixing an int-or-string (dyn) with an int, refuse the CRD.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { causesOf } from '../helpers/causes.js';
import { CRDS, established } from '../helpers/crd-established.js';
import { goRule } from '../helpers/go-rule.js';
import { widgetCrd } from '../helpers/widget-crd.js';

const WIDGETS = '/apis/time.example.com/v1/namespaces/default/widgets';
const SPEC_AT = 'spec.versions[0].schema.openAPIV3Schema.properties[spec]';

const RULES = [
  { rule: "!has(self.timeout) || duration(self.timeout) <= duration('1h')", message: 'timeout is at most an hour' },
  { rule: "!has(self.start) || timestamp(self.start) >= timestamp('2000-01-01T00:00:00Z')", message: 'start is after 2000' },
  { rule: "!has(self.epoch) || timestamp(self.epoch) < timestamp('2100-01-01T00:00:00Z')", message: 'epoch is before 2100' },
  { rule: '!has(self.port) || [self.port, self.port].size() == 2' },
];

/** The Widget CRD of time.example.com, its spec checked by `rules`. */
const ruledWidgetCrd = (rules: Record<string, unknown>[]) =>
  widgetCrd({
    group: 'time.example.com',
    schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': rules,
          properties: {
            timeout: { type: 'string', maxLength: 64 },
            start: { type: 'string', maxLength: 64 },
            epoch: { type: 'integer' },
            port: { 'x-kubernetes-int-or-string': true, maxLength: 16 },
          },
        },
      },
    },
  });

const widget = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'time.example.com/v1',
  kind: 'Widget',
  metadata: { name },
  spec,
});

describe('CEL durations and timestamps in CRD rules', () => {
  it('values Go reads are accepted, and compared as the instants and lengths they name', async (t) => {
    const app = await buildTestApp(t);
    await established(app, ruledWidgetCrd(RULES));
    await app.http
      .post(WIDGETS)
      .send(widget('ok', { timeout: '59m60s', start: '2000-01-01T1:00:00,5+01:00', epoch: 4102444799, port: 'http' }))
      .expect(201);
    await app.http
      .post(WIDGETS)
      .send(widget('odd', { timeout: '1\u03bcs', start: '9999-12-31T23:59:59.999999999Z', epoch: -62135596800, port: 80 }))
      .expect(201);
    await app.http
      .post(WIDGETS)
      .send(widget('zero', { timeout: '-0' }))
      .expect(201);
  });

  it('a value that does not convert fails its rule with cel-go’s error; one that converts but breaks the rule, with its message', async (t) => {
    const app = await buildTestApp(t);
    await established(app, ruledWidgetCrd(RULES));
    const failing = async (spec: Record<string, unknown>) => {
      const res = await app.http.post(WIDGETS).send(widget('bad', spec)).expect(422);
      assert.equal(res.body.reason, 'Invalid');
      return causesOf(res.body);
    };
    const durationError = "type conversion error from 'string' to 'google.protobuf.Duration' evaluating rule: timeout is at most an hour";
    const timestampError = "type conversion error from 'string' to 'google.protobuf.Timestamp' evaluating rule: start is after 2000";
    for (const timeout of ['', '1d', '1', '1h ']) {
      assert.deepEqual(await failing({ timeout }), [`spec: Invalid value: "object": ${durationError}`], timeout);
    }
    assert.deepEqual(await failing({ timeout: '1h0m0.000000001s' }), ['spec: Invalid value: "object": timeout is at most an hour']);
    for (const start of ['2024-02-30T00:00:00Z', '2024-01-01', '2024-01-01T00:00:00', '2024-01-01 00:00:00Z']) {
      assert.deepEqual(await failing({ start }), [`spec: Invalid value: "object": ${timestampError}`], start);
    }
    assert.deepEqual(await failing({ start: '0000-12-31T23:59:59Z' }), [
      'spec: Invalid value: "object": timestamp overflow evaluating rule: start is after 2000',
    ]);
    assert.deepEqual(await failing({ start: '2000-01-01T00:30:00+01:00' }), ['spec: Invalid value: "object": start is after 2000']);
    assert.deepEqual(await failing({ epoch: 253402300800 }), [
      'spec: Invalid value: "object": timestamp overflow evaluating rule: epoch is before 2100',
    ]);
    assert.deepEqual(await failing({ epoch: 4102444800 }), ['spec: Invalid value: "object": epoch is before 2100']);
  });

  it('literals that do not convert, and list literals mixing dyn with int, refuse the CRD with cel-go’s errors', async (t) => {
    const { http } = await buildTestApp(t);
    const bad = [
      "duration('') < duration('1s')",
      "timestamp('2024-02-30T00:00:00Z') < timestamp(0)",
      'timestamp(253402300800) > timestamp(-62135596801)',
      "duration(5) > duration('1s')",
      '[self.port, 1].size() == 2',
      "[1, 'a'].size() == 2",
    ];
    const res = await http
      .post(CRDS)
      .send(ruledWidgetCrd(bad.map((rule) => ({ rule }))))
      .expect(422);
    const at = (i: number) => `${SPEC_AT}.x-kubernetes-validations[${i}].rule: Invalid value: ${goRule(bad[i])}`;
    const issue = (i: number, column: number, message: string) =>
      `ERROR: <input>:1:${column}: ${message}\n | ${bad[i]}\n | ${'.'.repeat(column - 1)}^`;
    assert.deepEqual(causesOf(res.body), [
      `${at(0)}: compilation failed: ${issue(0, 10, 'invalid duration argument')}`,
      `${at(1)}: compilation failed: ${issue(1, 11, 'invalid timestamp argument')}`,
      `${at(2)}: compilation failed: ${issue(2, 11, 'invalid timestamp argument')}\n${issue(2, 37, 'invalid timestamp argument')}`,
      `${at(3)}: compilation failed: ${issue(3, 10, 'invalid duration argument')}`,
      `${at(4)}: compilation failed: ${issue(4, 13, "expected type 'dyn' but found 'int'")}`,
      `${at(5)}: compilation failed: ${issue(5, 5, "expected type 'int' but found 'string'")}`,
    ]);
    await http.get(`${CRDS}/widgets.time.example.com`).expect(404);
  });
});

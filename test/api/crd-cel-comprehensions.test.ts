/**
 * Two-variable comprehensions in CRD validation rules, in kube-apiserver's CEL environment since
 * 1.32 (cel-go's ext.TwoVarComprehensions): all, exists, existsOne, transformList, transformMap and
 * transformMapEntry over lists (index, element) and maps (key, value), with upstream's compile
 * errors for their misuse, and functions a 1.33 server does not know still refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { causesOf } from '../helpers/causes.js';
import { CRDS, established } from '../helpers/crd-established.js';
import { goRule } from '../helpers/go-rule.js';
import { widgetCrd } from '../helpers/widget-crd.js';

const WIDGETS = '/apis/cel.example.com/v1/namespaces/default/widgets';
const SPEC_AT = 'spec.versions[0].schema.openAPIV3Schema.properties[spec]';

const RULES = [
  { rule: "self.labels.all(k, v, k.size() <= 16 && v != '')", message: 'labels need short keys and values' },
  { rule: "self.labels.exists(k, v, k == 'app')", message: 'needs an app label' },
  { rule: 'self.ports.all(i, p, i == 0 || self.ports[i - 1] < p)', message: 'ports must increase' },
  { rule: "self.names.existsOne(i, n, n == 'primary')", message: 'exactly one primary' },
  { rule: 'self.ports.transformList(i, p, p < 1024, p).size() == 0', message: 'ports must be unprivileged' },
  { rule: "self.labels.transformMap(k, v, k != 'app', v.size()).all(k, n, n <= 5)", message: 'other labels are short' },
  { rule: 'self.names.transformMapEntry(i, n, {n: i}).size() == self.names.size()', message: 'unreachable' },
];

/** The Widget CRD of cel.example.com, its spec checked by `rules`. */
const ruledWidgetCrd = (rules: Record<string, unknown>[]) =>
  widgetCrd({
    group: 'cel.example.com',
    schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': rules,
          properties: {
            labels: { type: 'object', maxProperties: 16, additionalProperties: { type: 'string', maxLength: 63 } },
            ports: { type: 'array', maxItems: 16, items: { type: 'integer' } },
            names: { type: 'array', maxItems: 16, items: { type: 'string', maxLength: 63 } },
          },
        },
      },
    },
  });

const widget = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'cel.example.com/v1',
  kind: 'Widget',
  metadata: { name },
  spec: { labels: { app: 'web' }, ports: [8080, 9090], names: ['primary', 'backup'], ...spec },
});

describe('CEL two-variable comprehensions', () => {
  it('objects that satisfy every comprehension rule are accepted', async (t) => {
    const app = await buildTestApp(t);
    await established(app, ruledWidgetCrd(RULES));
    await app.http
      .post(WIDGETS)
      .send(widget('ok', { labels: { app: 'web', tier: 'front' } }))
      .expect(201);
    await app.http
      .post(WIDGETS)
      .send(widget('empty', { labels: { app: 'x' }, ports: [], names: ['primary'] }))
      .expect(201);
  });

  it('each comprehension that fails is reported with its message, and a duplicate transformMapEntry key as upstream’s error', async (t) => {
    const app = await buildTestApp(t);
    await established(app, ruledWidgetCrd(RULES));
    const failing = async (spec: Record<string, unknown>) => {
      const res = await app.http.post(WIDGETS).send(widget('bad', spec)).expect(422);
      assert.equal(res.body.reason, 'Invalid');
      return causesOf(res.body);
    };
    assert.deepEqual(await failing({ labels: { app: '' } }), ['spec: Invalid value: "object": labels need short keys and values']);
    assert.deepEqual(await failing({ labels: { web: 'x' } }), ['spec: Invalid value: "object": needs an app label']);
    assert.deepEqual(await failing({ ports: [9090, 8080] }), ['spec: Invalid value: "object": ports must increase']);
    assert.deepEqual(await failing({ ports: [80, 8080] }), ['spec: Invalid value: "object": ports must be unprivileged']);
    assert.deepEqual(await failing({ names: ['backup'] }), ['spec: Invalid value: "object": exactly one primary']);
    assert.deepEqual(await failing({ labels: { app: 'a-long-app-name', tier: 'backend' } }), [
      'spec: Invalid value: "object": other labels are short',
    ]);
    assert.deepEqual(await failing({ names: ['primary', 'backup', 'backup'] }), [
      `spec: Invalid value: "object": insert failed: key backup already exists evaluating rule: unreachable`,
    ]);
    const one = await app.http
      .post(WIDGETS)
      .send(widget('bad', { ports: [9090, 8080] }))
      .expect(422);
    assert.equal(one.body.message, 'Widget.cel.example.com "bad" is invalid: spec: Invalid value: "object": ports must increase');
  });

  it('misused two-variable macros and functions a 1.33 server lacks are refused with the CRD, with cel-go’s errors', async (t) => {
    const { http } = await buildTestApp(t);
    const bad = [
      'self.ports.all(i, i, i > 0)',
      'self.ports.all(i.j, p, p > 0)',
      'self.ports.all(i, p, p)',
      'self.names.existsOne(i, n, n)',
      'self.ports.transformList(i, p)',
      'self.ports.transformList(i, p, p)',
      // ext.Lists comes with Kubernetes 1.34, strings' reverse() with version 3 of the strings library
      'self.ports.distinct() == self.ports',
      "self.names[0].reverse() == ''",
    ];
    const res = await http
      .post(CRDS)
      .send(ruledWidgetCrd(bad.map((rule) => ({ rule }))))
      .expect(422);
    const at = (i: number) => `${SPEC_AT}.x-kubernetes-validations[${i}].rule: Invalid value: ${goRule(bad[i])}`;
    assert.deepEqual(causesOf(res.body), [
      `${at(0)}: compilation failed: ERROR: <input>:1:19: duplicate variable name: i\n | self.ports.all(i, i, i > 0)\n | ..................^`,
      `${at(1)}: compilation failed: ERROR: <input>:1:17: argument must be a simple name\n | self.ports.all(i.j, p, p > 0)\n | ................^`,
      `${at(2)}: compilation failed: ERROR: <input>:1:15: found no matching overload for '_&&_' applied to '(bool, int)'\n | self.ports.all(i, p, p)\n | ..............^`,
      `${at(3)}: compilation failed: ERROR: <input>:1:21: found no matching overload for '_?_:_' applied to '(string, int, int)'\n | self.names.existsOne(i, n, n)\n | ....................^`,
      `${at(4)}: compilation failed: ERROR: <input>:1:25: undeclared reference to 'transformList' (in container '')\n | self.ports.transformList(i, p)\n | ........................^\n` +
        `ERROR: <input>:1:26: undeclared reference to 'i' (in container '')\n | self.ports.transformList(i, p)\n | .........................^\n` +
        `ERROR: <input>:1:29: undeclared reference to 'p' (in container '')\n | self.ports.transformList(i, p)\n | ............................^`,
      `${at(5)}: cel expression must evaluate to a bool`,
      `${at(6)}: compilation failed: ERROR: <input>:1:20: undeclared reference to 'distinct' (in container '')\n | self.ports.distinct() == self.ports\n | ...................^`,
      `${at(7)}: compilation failed: ERROR: <input>:1:22: undeclared reference to 'reverse' (in container '')\n | self.names[0].reverse() == ''\n | .....................^`,
    ]);
    await http.get(`${CRDS}/widgets.cel.example.com`).expect(404);
  });
});

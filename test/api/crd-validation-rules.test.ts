/**
 * CRD validation rules (x-kubernetes-validations) over HTTP: a CRD whose rules do not compile is
 * refused with upstream's paths and messages; custom objects are checked against the rules on
 * create, update, patch, server-side apply and /status, with message, messageExpression, reason,
 * fieldPath, rules on list items and map values, transition rules (oldSelf) evaluated only on
 * update, ratcheting of unchanged values, and all errors in one 422 with the schema's; rules over
 * the estimated cost budget refused with the CRD, and an evaluation over the runtime cost limit
 * stopped with upstream's error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';
import { causesOf, type Cause } from '../helpers/causes.js';
import { CRDS, established } from '../helpers/crd-established.js';

const WIDGETS = '/apis/cel.example.com/v1/namespaces/default/widgets';
const SCHEMA_AT = 'spec.versions[0].schema.openAPIV3Schema';

const rules = (...r: Record<string, unknown>[]) => ({ 'x-kubernetes-validations': r });

const WIDGET_SCHEMA = {
  type: 'object',
  ...rules({ rule: "self.metadata.name.startsWith('w-')", message: 'name must start with w-' }),
  properties: {
    spec: {
      type: 'object',
      ...rules(
        { rule: 'self.replicas <= self.maxReplicas', message: 'must be at most maxReplicas', fieldPath: '.replicas' },
        {
          rule: "!has(self.mode) || self.mode != 'locked' || self.replicas == 0",
          // format(), not + string(self.replicas): a string() of unknown size makes the concatenation's estimate unbounded
          messageExpression: "'mode %s needs 0 replicas, not %d'.format([self.mode, self.replicas])",
          reason: 'FieldValueForbidden',
        },
      ),
      properties: {
        replicas: { type: 'integer', minimum: 0 },
        maxReplicas: { type: 'integer' },
        mode: { type: 'string' },
        storageClass: { type: 'string', ...rules({ rule: 'self == oldSelf', message: 'storageClass is immutable' }) },
        version: { type: 'integer', ...rules({ rule: 'self >= oldSelf', message: 'version may not go back' }) },
        hosts: {
          // bounded, or kube-apiserver refuses the rules below as too costly
          type: 'array',
          maxItems: 16,
          ...rules({ rule: 'self.isSorted()', message: 'hosts must be sorted' }),
          items: {
            type: 'string',
            maxLength: 64,
            ...rules({ rule: "self.matches('^[a-z.]+$')", message: 'must be a lower-case host name' }),
          },
        },
        limits: {
          type: 'object',
          additionalProperties: { type: 'string', ...rules({ rule: 'isQuantity(self)', message: 'must be a quantity' }) },
        },
        config: { type: 'object', properties: { key: { type: 'integer' } }, ...rules({ rule: 'self.key > 0' }) },
        owner: {
          type: 'string',
          ...rules({ rule: '!oldSelf.hasValue() || oldSelf.value() == self', optionalOldSelf: true, message: 'owner is set once' }),
        },
      },
    },
    status: {
      type: 'object',
      properties: {
        phase: { type: 'string', ...rules({ rule: "self in ['Pending', 'Running']", reason: 'FieldValueInvalid' }) },
      },
    },
  },
};

function widgetCrd(schema: Record<string, unknown> = WIDGET_SCHEMA): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.cel.example.com' },
    spec: {
      group: 'cel.example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: schema } }],
    },
  };
}

const widget = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'cel.example.com/v1',
  kind: 'Widget',
  metadata: { name },
  spec: { replicas: 1, maxReplicas: 3, ...spec },
});

describe('CRD validation rules', () => {
  it('a CRD whose rules do not compile, or misuse oldSelf, reason or fieldPath, is refused with upstream paths and messages', async (t) => {
    const { http } = await buildTestApp(t);
    const bad = widgetCrd({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          ...rules(
            { rule: 'self.replica > 1' },
            { rule: 'self.size', message: 'm' },
            { rule: 'self.n > 0', messageExpression: 'self.n' },
            { rule: 'self.n > 0', reason: 'FieldValueWrong', fieldPath: '.nope' },
            { rule: 'self.n > 0', optionalOldSelf: true },
          ),
          properties: {
            n: { type: 'integer' },
            items: { type: 'array', items: { type: 'integer', ...rules({ rule: 'self >= oldSelf' }) } },
          },
        },
      },
    });
    const res = await http.post(CRDS).send(bad).expect(422);
    const spec = `${SCHEMA_AT}.properties[spec]`;
    const rule = (
      i: number,
      r: string,
      extra: Partial<Record<'message' | 'messageExpression', string>> & { optionalOldSelf?: boolean } = {},
    ) =>
      `apiextensions.ValidationRule{Rule:${JSON.stringify(r)}, Message:${JSON.stringify(extra.message ?? '')}, ` +
      `MessageExpression:${JSON.stringify(extra.messageExpression ?? '')}, Reason:(*apiextensions.FieldValueErrorReason)(nil), ` +
      `FieldPath:"", OptionalOldSelf:(*bool)(${extra.optionalOldSelf === undefined ? 'nil' : '0xc000000000'})}`;
    assert.deepEqual(causesOf(res.body), [
      `${spec}.x-kubernetes-validations[3].reason: Unsupported value: "FieldValueWrong": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
      `${spec}.x-kubernetes-validations[3].fieldPath: Invalid value: ".nope": must be a valid path`,
      `${spec}.properties[items].items.x-kubernetes-validations[0].rule: Invalid value: "self >= oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${spec}.properties[items]`,
    ]);
    // Once the other mistakes are gone the rules are compiled, and each failure is reported at its rule.
    const spec2 = bad.spec as { versions: { schema: { openAPIV3Schema: { properties: { spec: Record<string, unknown> } } } }[] };
    const specSchema = spec2.versions[0].schema.openAPIV3Schema.properties.spec;
    (specSchema['x-kubernetes-validations'] as Record<string, unknown>[])[3] = { rule: 'self.n > 0' };
    delete (specSchema.properties as Record<string, unknown>).items;
    const res2 = await http.post(CRDS).send(bad).expect(422);
    assert.deepEqual(causesOf(res2.body), [
      `${spec}.x-kubernetes-validations[0].rule: Invalid value: ${rule(0, 'self.replica > 1')}: compilation failed: ERROR: <input>:1:5: undefined field 'replica'\n | self.replica > 1\n | ....^`,
      `${spec}.x-kubernetes-validations[1].rule: Invalid value: ${rule(1, 'self.size', { message: 'm' })}: compilation failed: ERROR: <input>:1:5: undefined field 'size'\n | self.size\n | ....^`,
      `${spec}.x-kubernetes-validations[2].messageExpression: Invalid value: ${rule(2, 'self.n > 0', { messageExpression: 'self.n' })}: messageExpression must evaluate to a string`,
      `${spec}.x-kubernetes-validations[4].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule`,
    ]);
    assert.equal(res2.body.details.causes[0].reason, 'FieldValueInvalid');
    await http.get(`${CRDS}/widgets.cel.example.com`).expect(404);
  });

  it('every failed rule of an object is reported in one 422, at its path, with its message, messageExpression and reason', async (t) => {
    const app = await buildTestApp(t);
    await established(app, widgetCrd());
    const res = await app.http
      .post(WIDGETS)
      .send(widget('bad', { replicas: 5, mode: 'locked', hosts: ['b.example', 'A'], limits: { cpu: 'lots', memory: '1Gi' }, config: {} }))
      .expect(422);
    // Upstream visits an object's fields in Go map order; compared as sets.
    const byField = (a: Cause, b: Cause) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0);
    assert.deepEqual(
      [...(res.body.details.causes as Cause[])].sort(byField),
      [
        { reason: 'FieldValueInvalid', field: '<nil>', message: 'Invalid value: "object": name must start with w-' },
        { reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: "object": must be at most maxReplicas' },
        { reason: 'FieldValueForbidden', field: 'spec', message: 'Forbidden: mode locked needs 0 replicas, not 5' },
        { reason: 'FieldValueInvalid', field: 'spec.hosts', message: 'Invalid value: "array": hosts must be sorted' },
        { reason: 'FieldValueInvalid', field: 'spec.hosts[1]', message: 'Invalid value: "string": must be a lower-case host name' },
        { reason: 'FieldValueInvalid', field: 'spec.limits[cpu]', message: 'Invalid value: "string": must be a quantity' },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.config',
          message: 'Invalid value: "object": no such key: key evaluating rule: self.key > 0',
        },
      ].sort(byField),
    );
    // A node's own rules come before those of its fields: the root's, then spec's (in rule order).
    assert.deepEqual(
      (res.body.details.causes as Cause[]).slice(0, 3).map((c) => c.field),
      ['<nil>', 'spec.replicas', 'spec'],
    );
    assert.equal(res.body.reason, 'Invalid');
    const list = await app.http.get(WIDGETS).expect(200);
    assert.deepEqual(list.body.items, []);
    const one = await app.http
      .post(WIDGETS)
      .send(widget('w-one', { replicas: 4 }))
      .expect(422);
    assert.equal(
      one.body.message,
      'Widget.cel.example.com "w-one" is invalid: spec.replicas: Invalid value: "object": must be at most maxReplicas',
    );
    await app.http
      .post(WIDGETS)
      .send(widget('w-ok', { hosts: ['a.example', 'b.example'], limits: { cpu: '500m' } }))
      .expect(201);
  });

  it("schema errors come first; one that blocks the rules replaces their errors with upstream's note", async (t) => {
    const app = await buildTestApp(t);
    await established(app, widgetCrd());
    const blocked = await app.http
      .post(WIDGETS)
      .send(widget('bad', { maxReplicas: 'three' }))
      .expect(422);
    assert.deepEqual(causesOf(blocked.body), [
      'spec.maxReplicas: Invalid value: "string": spec.maxReplicas in body must be of type integer: "string"',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
    assert.equal(blocked.body.details.causes[0].reason, 'FieldValueTypeInvalid');
    const both = await app.http
      .post(WIDGETS)
      .send(widget('w-both', { replicas: -1, maxReplicas: -2 }))
      .expect(422);
    assert.deepEqual(causesOf(both.body), [
      'spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0',
      'spec.replicas: Invalid value: "object": must be at most maxReplicas',
    ]);
  });

  it('transition rules run only on update (immutability, a ratchet, optionalOldSelf), through merge patch, PUT and apply', async (t) => {
    const app = await buildTestApp(t);
    await established(app, widgetCrd());
    const at = `${WIDGETS}/w-t`;
    await app.http
      .post(WIDGETS)
      .send(widget('w-t', { storageClass: 'fast', version: 2 }))
      .expect(201);
    const merge = (spec: Record<string, unknown>) => app.http.patch(at).set('Content-Type', 'application/merge-patch+json').send({ spec });
    const immutable = await merge({ storageClass: 'slow', version: 1 }).expect(422);
    assert.deepEqual(causesOf(immutable.body), [
      'spec.storageClass: Invalid value: "string": storageClass is immutable',
      'spec.version: Invalid value: "integer": version may not go back',
    ]);
    const forward = await merge({ version: 3 }).expect(200);
    assert.equal(forward.body.spec.version, 3);
    // optionalOldSelf: evaluated on the update that first sets the field, and after it.
    await merge({ owner: 'ann' }).expect(200);
    const owner = await merge({ owner: 'bob' }).expect(422);
    assert.deepEqual(causesOf(owner.body), ['spec.owner: Invalid value: "string": owner is set once']);
    // A PUT goes through the same rules.
    const current = (await app.http.get(at).expect(200)).body;
    const put = await app.http
      .put(at)
      .send({ ...current, spec: { ...current.spec, version: 0 } })
      .expect(422);
    assert.deepEqual(causesOf(put.body), ['spec.version: Invalid value: "integer": version may not go back']);
    // Server-side apply too.
    const apply = await app.http
      .patch(`${at}?fieldManager=tester&force=true`)
      .set('Content-Type', 'application/apply-patch+yaml')
      .send(
        JSON.stringify({ apiVersion: 'cel.example.com/v1', kind: 'Widget', metadata: { name: 'w-t' }, spec: { storageClass: 'other' } }),
      )
      .expect(422);
    assert.deepEqual(causesOf(apply.body), ['spec.storageClass: Invalid value: "string": storageClass is immutable']);
  });

  it('rules without oldSelf ratchet: a value left as it was passes, with a warning, even if it breaks a rule the CRD gained since', async (t) => {
    const app = await buildTestApp(t);
    await established(app, widgetCrd());
    await app.http
      .post(WIDGETS)
      .send(widget('w-r', { mode: 'open' }))
      .expect(201);
    const crd = (await app.http.get(`${CRDS}/widgets.cel.example.com`).expect(200)).body;
    const spec = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    spec.properties.mode['x-kubernetes-validations'] = [{ rule: "self != 'open'", message: 'open is retired' }];
    await app.http.put(`${CRDS}/widgets.cel.example.com`).send(crd).expect(200);
    const at = `${WIDGETS}/w-r`;
    const merge = (s: Record<string, unknown>) => app.http.patch(at).set('Content-Type', 'application/merge-patch+json').send({ spec: s });
    // The CRD controller serves the new schema shortly after the update.
    await waitFor(async () => (await app.http.post(`${WIDGETS}?dryRun=All`).send(widget('w-r2', { mode: 'open' }))).status === 422);
    const created = await app.http
      .post(WIDGETS)
      .send(widget('w-r2', { mode: 'open' }))
      .expect(422);
    assert.deepEqual(causesOf(created.body), ['spec.mode: Invalid value: "string": open is retired']);
    const kept = await merge({ replicas: 2 }).expect(200);
    assert.equal(kept.body.spec.mode, 'open');
    assert.equal(kept.headers.warning, '299 - "spec.mode: Invalid value: \\"string\\": open is retired"');
    const changed = await merge({ mode: 'Open' }).expect(200);
    assert.equal(changed.body.spec.mode, 'Open');
    const back = await merge({ mode: 'open' }).expect(422);
    assert.deepEqual(causesOf(back.body), ['spec.mode: Invalid value: "string": open is retired']);
  });

  it('/status writes are checked against the status rules with the stored spec', async (t) => {
    const app = await buildTestApp(t);
    await established(app, widgetCrd());
    await app.http.post(WIDGETS).send(widget('w-s')).expect(201);
    const at = `${WIDGETS}/w-s/status`;
    const status = (phase: string) => app.http.patch(at).set('Content-Type', 'application/merge-patch+json').send({ status: { phase } });
    const bad = await status('Gone').expect(422);
    assert.deepEqual(causesOf(bad.body), [`status.phase: Invalid value: "string": failed rule: self in ['Pending', 'Running']`]);
    const ok = await status('Running').expect(200);
    assert.equal(ok.body.status.phase, 'Running');
  });

  it('a rule over the estimated cost budget is refused with the CRD; bounded by maxItems it is accepted, and a run over the per-call limit stops', async (t) => {
    const app = await buildTestApp(t);
    const cubic = (maxItems?: number) => ({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          ...rules({ rule: 'self.l.all(x, self.l.all(y, self.l.all(z, true)))' }),
          properties: { l: { type: 'array', maxItems, items: { type: 'string', maxLength: 16 } } },
        },
      },
    });
    const hint =
      '(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)';
    const refused = await app.http.post(CRDS).send(widgetCrd(cubic())).expect(422);
    assert.deepEqual(causesOf(refused.body), [
      `${SCHEMA_AT}.properties[spec].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x ${hint}`,
      `${SCHEMA_AT}.properties[spec].x-kubernetes-validations[0].rule: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema`,
      `${SCHEMA_AT}: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x ${hint}`,
    ]);
    assert.equal(refused.body.details.causes[0].reason, 'FieldValueForbidden');
    await app.http.get(`${CRDS}/widgets.cel.example.com`).expect(404);

    // 100 items: an estimated 3,050,502, within the 10M budget; but 100³ iterations cost more than one call may spend
    await established(app, widgetCrd(cubic(100)));
    const l = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
    await app.http
      .post(WIDGETS)
      .send({ apiVersion: 'cel.example.com/v1', kind: 'Widget', metadata: { name: 'small' }, spec: { l: l(20) } })
      .expect(201);
    const started = Date.now();
    const stopped = await app.http
      .post(WIDGETS)
      .send({ apiVersion: 'cel.example.com/v1', kind: 'Widget', metadata: { name: 'big' }, spec: { l: l(100) } })
      .expect(422);
    assert.ok(Date.now() - started < 2000, 'the evaluation stops early');
    assert.deepEqual(causesOf(stopped.body), [
      'spec: Invalid value: "object": \'operation cancelled: actual cost limit exceeded\': no further validation rules will be run due to call cost exceeds limit for rule: self.l.all(x, self.l.all(y, self.l.all(z, true)))',
    ]);
  });
});

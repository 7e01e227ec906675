/**
 * Nulls in a custom resource as kube-apiserver 1.33 decodes them before validation and the rules
 * (apiextensions' PruneNonNullableNullsWithoutDefaults, then structural defaulting): a null where
 * the schema is neither nullable nor defaulted is dropped, a defaulted one gets its default, a
 * nullable one is kept (and a rule sees it as absent, as unstructuredMap.Find has it), and a null
 * list item stays and is refused by validation. A date-time with a space for its T is refused by
 * strfmt's IsDateTime before any rule reads it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';
import { widgetCrd } from '../helpers/widget-crd.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const WIDGETS = '/apis/nulls.example.com/v1/namespaces/default/widgets';

const PROPERTIES = {
  n: { type: 'integer' },
  d: { type: 'integer', default: 5 },
  nn: { type: 'integer', nullable: true },
  at: { type: 'string', format: 'date-time', maxLength: 64 },
  m: { type: 'object', maxProperties: 4, additionalProperties: { type: 'string', maxLength: 8 } },
  l: { type: 'array', maxItems: 4, items: { type: 'string', maxLength: 8 } },
};

const RULES = [
  { rule: '!has(self.n) || self.n > 0', message: 'n is positive' },
  { rule: '!has(self.nn) || self.nn > 0', message: 'nn is positive' },
  { rule: 'self.d == 5 || self.d > 10', message: 'd is 5 or above 10' },
  { rule: '!has(self.at) || self.at > timestamp("2000-01-01T00:00:00Z")', message: 'at is after 2000' },
];

async function established(app: TestApp): Promise<void> {
  const schema = { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-validations': RULES, properties: PROPERTIES } } };
  await app.http
    .post(CRDS)
    .send(widgetCrd({ group: 'nulls.example.com', schema }))
    .expect(201);
  await waitFor(async () => {
    const res = await app.http.get(`${CRDS}/widgets.nulls.example.com`).expect(200);
    const conditions = (res.body.status?.conditions ?? []) as { type: string; status: string }[];
    return conditions.some((c) => c.type === 'Established' && c.status === 'True');
  });
}

const widget = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'nulls.example.com/v1',
  kind: 'Widget',
  metadata: { name },
  spec,
});

type Cause = { field: string; message: string };
const causesOf = (body: { details: { causes: Cause[] } }) => body.details.causes.map((c) => `${c.field}: ${c.message}`);

describe('nulls and date-times of a custom resource before its rules', () => {
  it('drops, defaults or keeps a null as its schema says, and refuses a null list item and a spaced date-time', async (t) => {
    const app = await buildTestApp(t);
    await established(app);
    const created = await app.http
      .post(WIDGETS)
      .send(widget('nulls', { n: null, d: null, nn: null, m: { a: null, b: 'x' } }))
      .expect(201);
    assert.deepEqual(created.body.spec, { d: 5, m: { b: 'x' }, nn: null });
    const stored = await app.http.get(`${WIDGETS}/nulls`).expect(200);
    assert.deepEqual(stored.body.spec, { d: 5, m: { b: 'x' }, nn: null });

    const listNull = await app.http
      .post(WIDGETS)
      .send(widget('list', { l: ['x', null] }))
      .expect(422);
    assert.deepEqual(causesOf(listNull.body), [
      'spec.l.1: Invalid value: "null": spec.l.1 in body must be of type string: "null"',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);

    const spaced = await app.http
      .post(WIDGETS)
      .send(widget('spaced', { at: '2024-01-02 03:04:05Z' }))
      .expect(422);
    assert.deepEqual(causesOf(spaced.body), [
      'spec.at: Invalid value: "2024-01-02 03:04:05Z": spec.at in body must be of type date-time: "2024-01-02 03:04:05Z"',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
    await app.http
      .post(WIDGETS)
      .send(widget('dated', { at: '2024-01-02T03:04:05Z' }))
      .expect(201);
  });
});

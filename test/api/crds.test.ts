/**
 * CustomResourceDefinitions over HTTP, as apiextensions-apiserver serves them: the CRD's own
 * validation, NamesAccepted / Established / acceptedNames / storedVersions, then the custom kind
 * served by the registry (discovery, CRUD, schema validation, defaulting and pruning, selectors,
 * watch, status and scale subresources, tables), garbage collection and namespace deletion of
 * custom objects, and a CRD's deletion taking its objects and its endpoints with it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';
import { causesOf } from '../helpers/causes.js';
import { CRDS, established } from '../helpers/crd-established.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TABS = '/apis/stable.example.com/v1/namespaces/default/crontabs';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

function crontabCrd(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'], categories: ['all'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: {
            status: {},
            scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
          },
          additionalPrinterColumns: [
            { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
            { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          ],
          selectableFields: [{ jsonPath: '.spec.color' }],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['cronSpec'],
                  properties: {
                    cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
                    image: { type: 'string', maxLength: 20 },
                    replicas: { type: 'integer', minimum: 0, default: 1 },
                    color: { type: 'string', enum: ['red', 'blue'] },
                    ports: { type: 'array', maxItems: 2, items: { type: 'integer' } },
                    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  },
                },
                status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
              },
            },
          },
        },
      ],
      ...overrides,
    },
  };
}

const crontab = (name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name, ...metadata },
  spec: { cronSpec: '* * * * */5', ...spec },
});

describe('CustomResourceDefinition', () => {
  it('is validated as upstream: name, group, scope, names, one storage version, structural schema', async (t) => {
    const { http } = await buildTestApp(t);
    const bad = crontabCrd({
      group: 'example',
      scope: 'Global',
      names: { plural: 'crontabs', kind: 'CronTab', listKind: 'CronTab' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: false,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { properties: {} } } } },
        },
      ],
    });
    const res = await http.post(CRDS).send(bad).expect(422);
    const causes = causesOf(res.body);
    assert.ok(
      causes.includes('metadata.name: Invalid value: "crontabs.stable.example.com": must be spec.names.plural+"."+spec.group'),
      causes.join('\n'),
    );
    assert.ok(causes.includes('spec.group: Invalid value: "example": should be a domain with at least one dot'));
    assert.ok(causes.includes('spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'));
    assert.ok(causes.includes('spec.names.listKind: Invalid value: "CronTab": kind and listKind may not be the same'));
    assert.ok(
      causes.some(
        (c) => c.startsWith('spec.versions: Invalid value: ') && c.endsWith('must have exactly one version marked as storage version'),
      ),
    );
    assert.ok(
      causes.includes(
        'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
      ),
    );
    assert.equal(
      res.body.message.startsWith('CustomResourceDefinition.apiextensions.k8s.io "crontabs.stable.example.com" is invalid: ['),
      true,
    );
    await http.get(`${CRDS}/crontabs.stable.example.com`).expect(404);
    const noSchema = crontabCrd({ versions: [{ name: 'v1', served: true, storage: true }] });
    const r2 = await http.post(CRDS).send(noSchema).expect(422);
    assert.match(r2.body.message, /spec\.versions\[0\]\.schema\.openAPIV3Schema: Required value: schemas are required/);
  });

  it("refuses defaults that are not values of their own schema, as the custom resource's validation words it", async (t) => {
    const { http } = await buildTestApp(t);
    const spec = {
      type: 'object',
      properties: {
        size: { type: 'string', default: 5 },
        count: { type: 'integer', minimum: 1, default: 0 },
        mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
        limits: { type: 'object', required: ['cpu'], properties: { cpu: { type: 'string' } }, default: { memory: '1Gi' } },
      },
    };
    const crd = crontabCrd({
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec } } } }],
    });
    const res = await http.post(CRDS).send(crd).expect(422);
    const at = 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties';
    assert.deepEqual(causesOf(res.body), [
      `${at}[size].default: Invalid value: "integer": . in body must be of type string: "integer"`,
      `${at}[count].default: Invalid value: 0: . in body should be greater than or equal to 1`,
      `${at}[limits].default.cpu: Required value`,
    ]);
    await http.get(`${CRDS}/crontabs.stable.example.com`).expect(404);
    spec.properties.size.default = '5' as unknown as number;
    spec.properties.count.default = 1;
    spec.properties.limits.default = { cpu: '1' } as unknown as { memory: string };
    await http.post(CRDS).send(crd).expect(201);
  });

  it("runs schema patterns as Go's regexp does (RE2): its syntax, its errors, linear time", { timeout: 20_000 }, async (t) => {
    const app = await buildTestApp(t);
    const withPattern = (pattern: string) =>
      crontabCrd({
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string', pattern } } } },
              },
            },
          },
        ],
      });
    const refused = await app.http.post(CRDS).send(withPattern('^(?=a)')).expect(422);
    assert.match(
      refused.body.message,
      /openAPIV3Schema\.properties\[spec\]\.properties\[cronSpec\]\.pattern: Invalid value: "\^\(\?=a\)": must be a valid regular expression, but isn't: error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`/,
    );
    await established(app, withPattern('^(a+)+$'));
    const res = await app.http
      .post(TABS)
      .send(crontab('slow', { cronSpec: `${'a'.repeat(60)}!` }))
      .expect(422);
    assert.match(res.body.message, /spec\.cronSpec: Invalid value: "a+!": spec\.cronSpec in body should match '\^\(a\+\)\+\$'/);
  });

  it('becomes NamesAccepted and Established, with acceptedNames (singular and listKind defaulted) and storedVersions', async (t) => {
    const app = await buildTestApp(t);
    const crd = await established(app, crontabCrd());
    const status = crd.status as {
      conditions: { type: string; status: string; reason: string }[];
      acceptedNames: unknown;
      storedVersions: string[];
    };
    assert.deepEqual(
      status.conditions.map((c) => [c.type, c.status, c.reason]),
      [
        ['NamesAccepted', 'True', 'NoConflicts'],
        ['Established', 'True', 'InitialNamesAccepted'],
      ],
    );
    assert.deepEqual(status.acceptedNames, {
      plural: 'crontabs',
      singular: 'crontab',
      shortNames: ['ct'],
      kind: 'CronTab',
      listKind: 'CronTabList',
      categories: ['all'],
    });
    assert.deepEqual(status.storedVersions, ['v1']);
    const res = await app.http.get('/apis/stable.example.com/v1').expect(200);
    assert.deepEqual(
      (res.body.resources as { name: string }[]).map((r) => r.name),
      ['crontabs', 'crontabs/scale', 'crontabs/status'],
    );
    const main = (res.body.resources as Record<string, unknown>[])[0];
    assert.deepEqual([main.kind, main.shortNames, main.categories, main.namespaced], ['CronTab', ['ct'], ['all'], true]);
  });

  it('a second CRD asking for names another one of the group holds is not accepted nor established', async (t) => {
    const app = await buildTestApp(t);
    await established(app, crontabCrd());
    const other = crontabCrd({ names: { plural: 'crontabz', kind: 'CronTabZ', shortNames: ['ct'] } });
    (other.metadata as { name: string }).name = 'crontabz.stable.example.com';
    await app.http.post(CRDS).send(other).expect(201);
    const crd = await waitFor(async () => {
      const res = await app.http.get(`${CRDS}/crontabz.stable.example.com`).expect(200);
      return res.body.status?.conditions?.length === 2 && res.body;
    });
    assert.deepEqual(
      (crd.status.conditions as { type: string; status: string; reason: string; message: string }[]).map((c) => [
        c.type,
        c.status,
        c.reason,
        c.message,
      ]),
      [
        ['NamesAccepted', 'False', 'ShortNamesConflict', '"ct" is already in use'],
        ['Established', 'False', 'NotAccepted', 'not all names are accepted'],
      ],
    );
    await app.http.get('/apis/stable.example.com/v1/namespaces/default/crontabz').expect(404);
  });
});

describe('custom resources', () => {
  it('metadata fields that do not read as ObjectMeta are dropped, the rest kept, on create and patch', async (t) => {
    const app = await buildTestApp(t);
    await established(app, crontabCrd());
    const created = await app.http
      .post(TABS)
      .send(crontab('coerced', {}, { labels: { a: 5 }, annotations: { x: { y: 1 } }, finalizers: ['example.com/f'] }))
      .expect(201);
    assert.equal(created.body.metadata.labels, undefined, 'labels with a number dropped whole');
    assert.equal(created.body.metadata.annotations, undefined);
    assert.deepEqual(created.body.metadata.finalizers, ['example.com/f']);
    const patched = await app.http
      .patch(`${TABS}/coerced`)
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ metadata: { labels: { ok: 'yes' }, annotations: { n: 1 } } }))
      .expect(200);
    assert.deepEqual(patched.body.metadata.labels, { ok: 'yes' });
    assert.equal(patched.body.metadata.annotations, undefined);
  });

  it('an unknown field pruned from a custom resource is named between plain quotes (`unknown field "%s"`), not escaped', async (t) => {
    const app = await buildTestApp(t);
    await established(app, crontabCrd());
    const strict = await app.http
      .post(`${TABS}?fieldValidation=Strict`)
      .send(crontab('s', { 'ju\u0001nk\u00a0': 1 }))
      .expect(400);
    assert.equal(
      strict.body.message,
      'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.ju\u0001nk\u00a0"',
    );
    await app.http.post(TABS).send(crontab('p')).expect(201);
    const patched = await app.http
      .patch(`${TABS}/p?fieldValidation=Strict`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { 'ju\u0001nk': 1 } });
    assert.ok(patched.body.message.endsWith('strict decoding error: unknown field "spec.ju\u0001nk"'), patched.body.message);
  });

  it('CRUD: defaults applied, unknown fields pruned (warned), keys sorted as unstructured JSON, generation on spec changes only', async (t) => {
    const app = await buildTestApp(t);
    await established(app, crontabCrd());
    const created = await app.http
      .post(`${TABS}?fieldValidation=Warn`)
      .send({ ...crontab('a', { junk: 1, extra: { anything: [1] } }), zzz: true })
      .expect(201);
    assert.deepEqual(Object.keys(created.body), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(created.body.spec, { cronSpec: '* * * * */5', extra: { anything: [1] }, replicas: 1 });
    assert.deepEqual(Object.keys(created.body.metadata), [
      'creationTimestamp',
      'generation',
      'managedFields',
      'name',
      'namespace',
      'resourceVersion',
      'uid',
    ]);
    assert.equal(String(created.headers.warning), '299 - "unknown field \\"spec.junk\\"", 299 - "unknown field \\"zzz\\""');
    const strict = await app.http
      .post(`${TABS}?fieldValidation=Strict`)
      .send(crontab('s', { junk: 1 }))
      .expect(400);
    assert.equal(
      strict.body.message,
      'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.junk"',
    );

    const got = await app.http.get(`${TABS}/a`).expect(200);
    assert.deepEqual(got.body, created.body);
    const patched = await app.http
      .patch(`${TABS}/a`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { image: 'nginx' } })
      .expect(200);
    assert.equal(patched.body.metadata.generation, 2);
    const labelled = await app.http
      .patch(`${TABS}/a`)
      .set('content-type', 'application/json-patch+json')
      .send([{ op: 'add', path: '/metadata/labels', value: { app: 'x' } }])
      .expect(200);
    assert.equal(labelled.body.metadata.generation, 2, 'metadata changes do not bump generation');
    const same = await app.http.put(`${TABS}/a`).send(labelled.body).expect(200);
    assert.equal(same.body.metadata.resourceVersion, labelled.body.metadata.resourceVersion, 'a write that changes nothing writes nothing');
    const smp = await app.http.patch(`${TABS}/a`).set('content-type', 'application/strategic-merge-patch+json').send({}).expect(415);
    assert.equal(
      smp.body.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
    await app.http.post(`${TABS}?dryRun=All`).send(crontab('dry')).expect(201);
    await app.http.get(`${TABS}/dry`).expect(404);
    await app.http.delete(`${TABS}/a`).expect(200);
    await app.http.get(`${TABS}/a`).expect(404);
  });

  it('are validated against the schema with upstream messages and paths (422, nothing written)', async (t) => {
    const app = await buildTestApp(t);
    await established(app, crontabCrd());
    const res = await app.http
      .post(TABS)
      .send({ ...crontab('bad', { cronSpec: 'nope', replicas: 'string', image: 'x'.repeat(21), color: 'green', ports: [1, 'a', 3] }) })
      .expect(422);
    const causes = causesOf(res.body);
    // Upstream's order follows Go map iteration; compared as sets.
    assert.deepEqual(
      causes.sort(),
      [
        `spec.cronSpec: Invalid value: "nope": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'`,
        'spec.color: Unsupported value: "green": supported values: "red", "blue"',
        'spec.image: Too long: may not be more than 20 bytes',
        'spec.ports: Too many: 3: must have at most 2 items',
        'spec.ports.1: Invalid value: "string": spec.ports.1 in body must be of type integer: "string"',
        'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      ].sort(),
    );
    const missing = await app.http
      .post(TABS)
      .send({ ...crontab('m'), spec: { replicas: -1 } })
      .expect(422);
    assert.equal(
      missing.body.message,
      'CronTab.stable.example.com "m" is invalid: [spec.cronSpec: Required value, spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0]',
    );
    // A whole number past int64 decodes as a float64, which is no integer for go-openapi past 2^53.
    const huge = await app.http
      .post(TABS)
      .set('content-type', 'application/json')
      .send(
        '{"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"h"},"spec":{"cronSpec":"* * * * */5","replicas":99999999999999999999999}}',
      )
      .expect(422);
    assert.match(huge.body.message, /spec\.replicas in body must be of type integer: "number"/);
    const list = await app.http.get(TABS).expect(200);
    assert.deepEqual(list.body.items, []);
    assert.equal(list.body.kind, 'CronTabList');
  });

  it('numbers decode as into interface{}: 1e2 is a whole float64 an integer field takes, 1e999999 is the 400 of the decoding', async (t) => {
    const app = await buildTestApp(t);
    await established(app, crontabCrd());
    const text = (name: string, replicas: string) =>
      `{"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"${name}"},"spec":{"cronSpec":"* * * * */5","replicas":${replicas}}}`;
    const created = await app.http.post(TABS).set('content-type', 'application/json').send(text('e2', '1e2')).expect(201);
    assert.equal(created.body.spec.replicas, 100);
    const overflow = await app.http.post(TABS).set('content-type', 'application/json').send(text('inf', '1e999999')).expect(400);
    assert.equal(
      overflow.body.message,
      'CronTab in version "v1" cannot be handled as a CronTab: json: cannot unmarshal number 1e999999 into Go value of type float64',
    );
    // Not even in a field the schema prunes: the whole body is decoded into interface{} first.
    const pruned = text('inf', '1').replace('"spec":{', '"spec":{"unknown":-1e400,');
    assert.match(
      (await app.http.post(TABS).set('content-type', 'application/json').send(pruned).expect(400)).body.message,
      /number -1e400 into Go value of type float64$/,
    );
    const patched = await app.http
      .patch(`${TABS}/e2`)
      .set('content-type', 'application/merge-patch+json')
      .send('{"spec":{"replicas":1e999999}}')
      .expect(400);
    assert.equal(patched.body.message, 'error decoding patch: json: cannot unmarshal number 1e999999 into Go value of type float64');
    const ignored = await app.http
      .patch(`${TABS}/e2?fieldValidation=Ignore`)
      .set('content-type', 'application/merge-patch+json')
      .send('{"spec":{"replicas":1e999999}}')
      .expect(422);
    assert.match(
      ignored.body.message,
      /^ "" is invalid: patch: Invalid value: ".*\\"replicas\\":1e999999.*": json: cannot unmarshal number 1e999999 into Go value of type float64$/,
    );
    // The scale subresource decodes into autoscaling/v1's Go types: 80.0 is no int32 there. The
    // failure is not shown: transformDecodeError cannot type the Scale with the CRD handler's typer.
    const scale = await app.http
      .put(`${TABS}/e2/scale`)
      .set('content-type', 'application/json')
      .send('{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"e2"},"spec":{"replicas":80.0}}')
      .expect(400);
    assert.equal(scale.body.message, 'no kind is registered for the type v1.Scale in scheme "pkg/apiserver/customresource_handler.go:725"');
    const scalePatch = await app.http
      .patch(`${TABS}/e2/scale`)
      .set('content-type', 'application/merge-patch+json')
      .send('{"spec":{"replicas":1e1}}')
      .expect(422);
    assert.match(
      scalePatch.body.message,
      /"replicas\\":1e1.*: json: cannot unmarshal number 1e1 into Go struct field ScaleSpec\.spec\.replicas of type int32$/,
    );
    assert.equal((await app.http.get(`${TABS}/e2`).expect(200)).body.spec.replicas, 100, 'nothing written');
  });

  it('list and watch with label selectors, metadata.name and selectableFields field selectors', async (t) => {
    const app = await buildTestApp(t);
    await established(app, crontabCrd());
    await app.http
      .post(TABS)
      .send(crontab('red', { color: 'red' }, { labels: { tier: 'a' } }))
      .expect(201);
    await app.http
      .post(TABS)
      .send(crontab('blue', { color: 'blue' }, { labels: { tier: 'b' } }))
      .expect(201);
    const names = async (q: string) =>
      ((await app.http.get(`${TABS}?${q}`).expect(200)).body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name);
    assert.deepEqual(await names('labelSelector=tier%3Da'), ['red']);
    assert.deepEqual(await names('fieldSelector=spec.color%3Dblue'), ['blue']);
    assert.deepEqual(await names('fieldSelector=metadata.name%3Dred'), ['red']);
    const bad = await app.http.get(`${TABS}?fieldSelector=spec.image%3Dx`).expect(400);
    assert.match(bad.body.message, /field label not supported: spec.image/);
    const all = await app.http.get('/apis/stable.example.com/v1/crontabs').expect(200);
    assert.equal(all.body.items.length, 2);
    const watch = await app.http.get(`${TABS}?watch=1&fieldSelector=spec.color%3Dred&timeoutSeconds=1`).expect(200);
    const events = String(watch.text)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata.name]),
      [['ADDED', 'red']],
    );
  });

  it('status subresource: the main resource keeps status, /status keeps the rest; scale reads and writes replicas', async (t) => {
    const app = await buildTestApp(t);
    await established(app, crontabCrd());
    await app.http
      .post(TABS)
      .send({ ...crontab('s', { replicas: 2 }), status: { replicas: 9 } })
      .expect(201);
    const st = await app.http
      .put(`${TABS}/s/status`)
      .send({ ...crontab('s', { replicas: 5 }), status: { replicas: 2, selector: 'app=s' } })
      .expect(200);
    assert.deepEqual([st.body.spec.replicas, st.body.status.replicas, st.body.metadata.generation], [2, 2, 1]);
    const main = await app.http
      .put(`${TABS}/s`)
      .send({ ...st.body, status: { replicas: 7 } })
      .expect(200);
    assert.equal(main.body.status.replicas, 2);
    const scale = await app.http.get(`${TABS}/s/scale`).expect(200);
    assert.deepEqual(
      [scale.body.kind, scale.body.apiVersion, scale.body.spec, scale.body.status],
      ['Scale', 'autoscaling/v1', { replicas: 2 }, { replicas: 2, selector: 'app=s' }],
    );
    const scaled = await app.http
      .patch(`${TABS}/s/scale`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { replicas: 4 } })
      .expect(200);
    assert.equal(scaled.body.spec.replicas, 4);
    const after = await app.http.get(`${TABS}/s`).expect(200);
    assert.deepEqual([after.body.spec.replicas, after.body.metadata.generation], [4, 2]);
    await app.http
      .patch(`${TABS}/s/scale`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { replicas: -1 } })
      .expect(422);
    // A Scale is decoded into autoscaling/v1's Go types: a replicas that is not an int32 does not
    // decode (the answer names the CRD handler's typer, which cannot type a Scale, not the failure).
    const put = await app.http
      .put(`${TABS}/s/scale`)
      .send({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 's' }, spec: { replicas: 'abc' } });
    assert.equal(put.status, 400);
    assert.equal(put.body.message, 'no kind is registered for the type v1.Scale in scheme "pkg/apiserver/customresource_handler.go:725"');
    const patched = await app.http
      .patch(`${TABS}/s/scale`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { replicas: 1.5 } });
    assert.equal(patched.status, 422);
    assert.match(
      patched.body.message,
      /^ "" is invalid: patch: Invalid value: ".*": json: cannot unmarshal number 1.5 into Go struct field ScaleSpec.spec.replicas of type int32$/,
    );
    assert.equal((await app.http.get(`${TABS}/s`).expect(200)).body.spec.replicas, 4, 'nothing written');
  });

  it('tables show the printer columns', async (t) => {
    const app = await buildTestApp(t);
    await established(app, crontabCrd());
    await app.http
      .post(TABS)
      .send(crontab('t', { replicas: 3 }))
      .expect(201);
    const res = await app.http.get(TABS).set('accept', TABLE).expect(200);
    assert.deepEqual(
      (res.body.columnDefinitions as { name: string; type: string }[]).map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Spec', 'string'],
        ['Replicas', 'integer'],
      ],
    );
    assert.deepEqual(res.body.rows[0].cells, ['t', '* * * * */5', 3]);
  });

  it('OpenAPI v2 and v3 describe the kind while its CRD exists', async (t) => {
    const app = await buildTestApp(t);
    const before = await app.http.get('/openapi/v2').expect(200);
    assert.equal(before.body.definitions['com.example.stable.v1.CronTab'], undefined);
    await established(app, crontabCrd());
    const v2 = await app.http.get('/openapi/v2').expect(200);
    const def = v2.body.definitions['com.example.stable.v1.CronTab'];
    assert.deepEqual(Object.keys(def.properties), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    assert.equal(def.properties.spec.properties.replicas.type, 'integer');
    const root = await app.http.get('/openapi/v3').expect(200);
    assert.ok(root.body.paths['apis/stable.example.com/v1']);
    await app.http.delete(`${CRDS}/crontabs.stable.example.com`).expect(200);
    await waitFor(async () => (await app.http.get(`${CRDS}/crontabs.stable.example.com`)).status === 404);
    const after = await app.http.get('/openapi/v2').expect(200);
    assert.equal(after.body.definitions['com.example.stable.v1.CronTab'], undefined);
  });

  it('deleting the CRD deletes its objects, then the CRD; the endpoints answer 404 and discovery forgets the group', async (t) => {
    const app = await buildTestApp(t);
    await established(app, crontabCrd());
    await app.http.post(TABS).send(crontab('x')).expect(201);
    const del = await app.http.delete(`${CRDS}/crontabs.stable.example.com`).expect(200);
    assert.deepEqual(del.body.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    await waitFor(async () => (await app.http.get(`${CRDS}/crontabs.stable.example.com`)).status === 404);
    await app.http.get(TABS).expect(404);
    await app.http.get('/apis/stable.example.com/v1').expect(404);
    const groups = await app.http.get('/apis').expect(200);
    assert.ok(!(groups.body.groups as { name: string }[]).some((g) => g.name === 'stable.example.com'));
    // A new CRD of the same name starts empty.
    await established(app, crontabCrd());
    assert.deepEqual((await app.http.get(TABS).expect(200)).body.items, []);
  });

  it('garbage collection follows ownerReferences to and from custom objects; namespace deletion removes them', async (t) => {
    const app = await buildTestApp(t, { controllers: true });
    await established(app, crontabCrd());
    const owner = await app.http.post(TABS).send(crontab('owner')).expect(201);
    const ref = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', name: 'owner', uid: owner.body.metadata.uid };
    await app.http
      .post('/api/v1/namespaces/default/configmaps')
      .send({ metadata: { name: 'dep', ownerReferences: [ref] } })
      .expect(201);
    await app.http
      .post(TABS)
      .send(crontab('child', {}, { ownerReferences: [ref] }))
      .expect(201);
    await app.http.delete(`${TABS}/owner`).expect(200);
    await waitFor(async () => (await app.http.get('/api/v1/namespaces/default/configmaps/dep')).status === 404);
    await waitFor(async () => (await app.http.get(`${TABS}/child`)).status === 404);

    await app.http
      .post('/api/v1/namespaces')
      .send({ metadata: { name: 'team' } })
      .expect(201);
    await app.http.post('/apis/stable.example.com/v1/namespaces/team/crontabs').send(crontab('in-team')).expect(201);
    await app.http.delete('/api/v1/namespaces/team').expect(200);
    await waitFor(async () => (await app.http.get('/api/v1/namespaces/team')).status === 404, { timeoutMs: 10_000 });
    await app.http.get('/apis/stable.example.com/v1/namespaces/team/crontabs/in-team').expect(404);
  });

  it('are served again after a restart on the same database, from the first request', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kubemock-crd-db-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, 'kubemock.db');
    const first = await buildTestApp(undefined, { db });
    await established(first, crontabCrd());
    await first.http.post(TABS).send(crontab('kept')).expect(201);
    await first.kubemock.close();
    const second = await buildTestApp(t, { db });
    const got = await second.http.get(`${TABS}/kept`).expect(200);
    assert.equal(got.body.spec.replicas, 1);
  });
});

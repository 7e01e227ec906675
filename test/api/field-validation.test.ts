import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';
import { warningLines as warnings } from '../helpers/warnings.js';

const DS = '/apis/apps/v1/namespaces/default/daemonsets';

const daemonSet = (
  name = 'logger',
  extra: { spec?: Record<string, unknown>; container?: Record<string, unknown>; top?: Record<string, unknown> } = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'busybox', ...extra.container }] } },
    ...extra.spec,
  },
  ...extra.top,
});

const typo = () => daemonSet('logger', { spec: { bogusField: true }, container: { imagee: 'x' } });
const post = (app: Awaited<ReturnType<typeof buildTestApp>>, body: unknown, query = '') =>
  app.http
    .post(`${DS}${query}`)
    .set('content-type', 'application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));

const STRICT_MESSAGE =
  'DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.template.spec.containers[0].imagee", unknown field "spec.bogusField"';

describe('create and update', () => {
  it('Warn (the default) stores the object without the unknown fields and warns once per field', async (t) => {
    const app = await buildTestApp(t);
    const res = await post(app, typo());
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), [
      '299 - "unknown field \\"spec.template.spec.containers[0].imagee\\""',
      '299 - "unknown field \\"spec.bogusField\\""',
    ]);
    assert.equal(res.body.spec.bogusField, undefined);
    const stored = (await app.http.get(`${DS}/logger`)).body;
    assert.equal(stored.spec.bogusField, undefined);
    assert.equal(stored.spec.template.spec.containers[0].imagee, undefined);
    assert.deepEqual(warnings(await post(app, daemonSet('w2', { spec: { x: 1 } }), '?fieldValidation=Warn')), [
      '299 - "unknown field \\"spec.x\\""',
    ]);
  });

  it('Strict answers 400 with every unknown field, in document order', async (t) => {
    const app = await buildTestApp(t);
    const res = await post(app, typo(), '?fieldValidation=Strict');
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: STRICT_MESSAGE,
      reason: 'BadRequest',
      code: 400,
    });
    assert.equal((await app.http.get(`${DS}/logger`)).status, 404);
  });

  it('Strict quotes field paths as strconv.Quote does', async (t) => {
    const app = await buildTestApp(t);
    const res = await post(app, daemonSet('logger', { spec: { 'bo\u0001gus\u00a0': true } }), '?fieldValidation=Strict');
    assert.equal(res.status, 400);
    assert.equal(
      res.body.message,
      'DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.bo\\x01gus\\u00a0"',
    );
    const dup = await post(
      app,
      '{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"d","labels":{"a\\u2028":"1","a\\u2028":"2"}}}',
      '?fieldValidation=Strict',
    );
    assert.equal(dup.status, 400);
    assert.equal(
      dup.body.message,
      'DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: duplicate field "metadata.labels.a\\u2028"',
    );
  });

  it('Ignore drops the fields silently', async (t) => {
    const app = await buildTestApp(t);
    const res = await post(app, typo(), '?fieldValidation=Ignore');
    assert.equal(res.status, 201);
    assert.deepEqual(warnings(res), []);
    assert.equal(res.body.spec.bogusField, undefined);
  });

  it('duplicate fields are found in the raw JSON', async (t) => {
    const app = await buildTestApp(t);
    const text = JSON.stringify(daemonSet()).replace('"metadata":{', '"metadata":{"name":"first",');
    const strict = await post(app, text, '?fieldValidation=Strict');
    assert.equal(strict.status, 400);
    assert.equal(
      strict.body.message,
      'DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: duplicate field "metadata.name"',
    );
    const warn = await post(app, text);
    assert.equal(warn.status, 201, JSON.stringify(warn.body));
    assert.deepEqual(warnings(warn), ['299 - "duplicate field \\"metadata.name\\""']);
    assert.equal(warn.body.metadata.name, 'logger', 'the last value wins');
  });

  it('PUT follows the same rules', async (t) => {
    const app = await buildTestApp(t);
    const created = (await post(app, daemonSet())).body;
    const body = { ...typo(), metadata: { ...created.metadata } };
    const strict = await app.http.put(`${DS}/logger?fieldValidation=Strict`).send(body);
    assert.equal(strict.status, 400);
    assert.equal(strict.body.message, STRICT_MESSAGE);
    const warn = await app.http.put(`${DS}/logger`).send(body);
    assert.equal(warn.status, 200, JSON.stringify(warn.body));
    assert.equal(warnings(warn).length, 2);
  });

  it('warnings ride along when the object is then rejected', async (t) => {
    const app = await buildTestApp(t);
    const res = await post(app, daemonSet('Bad_Name', { spec: { x: 1 } }));
    assert.equal(res.status, 422);
    assert.deepEqual(warnings(res), ['299 - "unknown field \\"spec.x\\""']);
  });

  it('a value of the wrong type is a 400 worded as Go words it', async (t) => {
    const app = await buildTestApp(t);
    const res = await post(app, daemonSet('logger', { spec: { template: 'x' } }));
    assert.equal(res.status, 400);
    assert.equal(
      res.body.message,
      'DaemonSet in version "v1" cannot be handled as a DaemonSet: json: cannot unmarshal string into Go struct field DaemonSetSpec.spec.template of type v1.PodTemplateSpec',
    );
  });

  it('a body that is not JSON, or not an object', async (t) => {
    const app = await buildTestApp(t);
    const broken = await post(app, '{"kind":"DaemonSet",');
    assert.equal(broken.status, 400);
    assert.equal(
      broken.body.message,
      'the object provided is unrecognized (must be of type DaemonSet): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"kind":"DaemonSet",)',
    );
    const list = await post(app, '[]');
    assert.equal(
      list.body.message,
      'the object provided is unrecognized (must be of type DaemonSet): couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b5d)',
    );
  });

  it('an unknown fieldValidation value is a 422 naming CreateOptions', async (t) => {
    const app = await buildTestApp(t);
    const res = await post(app, daemonSet(), '?fieldValidation=strict');
    assert.equal(res.status, 422);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
      reason: 'Invalid',
      details: {
        group: 'meta.k8s.io',
        kind: 'CreateOptions',
        causes: [
          {
            reason: 'FieldValueNotSupported',
            message: 'Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
            field: 'fieldValidation',
          },
        ],
      },
      code: 422,
    });
    const put = await app.http.put(`${DS}/logger?fieldValidation=x`).send(daemonSet());
    assert.match(put.body.message, /^UpdateOptions\.meta\.k8s\.io "" is invalid: fieldValidation: Unsupported value: "x"/);
  });

  it('fieldManager is accepted, up to 128 bytes of printable text', async (t) => {
    const app = await buildTestApp(t);
    assert.equal((await post(app, daemonSet(), '?fieldManager=kubectl-create')).status, 201);
    const long = await post(app, daemonSet('other'), `?fieldManager=${'m'.repeat(129)}`);
    assert.equal(long.status, 422);
    assert.equal(long.body.message, 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes');
    // The value prints with Go's %q: BEL is \a (JSON would say \u0007).
    const bell = await post(app, daemonSet('other'), '?fieldManager=a%07b');
    assert.equal(
      bell.body.message,
      'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\ab": invalid character U+0007 (at position 1)',
    );
  });
});

describe('patches', () => {
  async function withDaemonSet(t: Parameters<typeof buildTestApp>[0]) {
    const app = await buildTestApp(t);
    assert.equal((await post(app, daemonSet())).status, 201);
    return app;
  }
  const patch = (app: Awaited<ReturnType<typeof buildTestApp>>, type: string, body: unknown, query = '') =>
    app.http
      .patch(`${DS}/logger${query}`)
      .set('content-type', type)
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  it('a merge patch adding an unknown field: Warn warns, Strict is the 422 upstream gives for patches', async (t) => {
    const app = await withDaemonSet(t);
    const warn = await patch(app, 'application/merge-patch+json', { spec: { bogus: 1 } });
    assert.equal(warn.status, 200);
    assert.deepEqual(warnings(warn), ['299 - "unknown field \\"spec.bogus\\""']);
    assert.equal(warn.body.spec.bogus, undefined);
    const strict = await patch(app, 'application/merge-patch+json', { spec: { bogus: 1 } }, '?fieldValidation=Strict');
    assert.equal(strict.status, 422);
    assert.equal(strict.body.reason, 'Invalid');
    assert.match(
      strict.body.message,
      /^ "" is invalid: patch: Invalid value: "\{.*\}": strict decoding error: unknown field "spec\.bogus"$/s,
    );
    assert.equal(strict.body.details.causes[0].field, 'patch');
    assert.equal(strict.body.details.kind, undefined);
  });

  it('a strategic merge patch under Strict prints the patch as Go prints a map', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(
      app,
      'application/strategic-merge-patch+json',
      { metadata: { labels: { a: 'b' } }, spec: { bogus: [1, 'x'] } },
      '?fieldValidation=Strict',
    );
    assert.equal(res.status, 422);
    assert.equal(
      res.body.message,
      ' "" is invalid: patch: Invalid value: "map[metadata:map[labels:map[a:b]] spec:map[bogus:[1 x]]]": strict decoding error: unknown field "spec.bogus"',
    );
  });

  it('duplicate fields in the patch text come first', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(app, 'application/strategic-merge-patch+json', '{"metadata":{"labels":{"a":"1","a":"2"}},"spec":{"zz":1}}');
    assert.equal(res.status, 200);
    assert.deepEqual(warnings(res), ['299 - "duplicate field \\"metadata.labels.a\\""', '299 - "unknown field \\"spec.zz\\""']);
  });

  it('a JSON patch operation with an unknown key is reported as upstream prefixes it', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(app, 'application/json-patch+json', [{ op: 'add', path: '/metadata/labels/x', value: 'y', valu: 'z' }]);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), ['299 - "json patch unknown field \\"[0].valu\\""']);
  });

  it('Ignore says nothing about patches either', async (t) => {
    const app = await withDaemonSet(t);
    const res = await patch(app, 'application/merge-patch+json', { spec: { bogus: 1 } }, '?fieldValidation=Ignore');
    assert.equal(res.status, 200);
    assert.deepEqual(warnings(res), []);
  });

  it('an apply patch with a repeated key: Warn warns per line, Strict fails', async (t) => {
    const app = await withDaemonSet(t);
    const text = JSON.stringify(daemonSet()).replace('"labels":{"app":"logger"}', '"labels":{"app":"logger","app":"logger"}');
    const warn = await patch(app, 'application/apply-patch+yaml', text, '?fieldManager=m');
    assert.equal(warn.status, 200, JSON.stringify(warn.body));
    assert.deepEqual(warnings(warn), ['299 - "line 1: key \\"app\\" already set in map"']);
    const strict = await patch(app, 'application/apply-patch+yaml', text, '?fieldManager=m&fieldValidation=Strict');
    assert.equal(strict.status, 400);
    assert.equal(
      strict.body.message,
      'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 1: key "app" already set in map',
    );
  });
});

describe('types that decode themselves: quantities and int-or-string', () => {
  it('a quantity Go cannot parse is a 400 and creates nothing', async (t) => {
    const app = await buildTestApp(t);
    const res = await post(app, daemonSet('sized', { container: { resources: { requests: { cpu: 'abc' } } } }));
    assert.equal(res.status, 400);
    assert.equal(
      res.body.message,
      'DaemonSet in version "v1" cannot be handled as a DaemonSet: quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
    );
    assert.equal((await app.http.get(`${DS}/sized`)).status, 404);
    assert.equal(
      (await post(app, daemonSet('sized', { container: { resources: { requests: { cpu: '250m', memory: '1Gi' } } } }))).status,
      201,
    );
  });

  it('an int-or-string that is a fraction is the 400 Go gives for an int32, with the field', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http
      .post('/apis/policy/v1/namespaces/default/poddisruptionbudgets')
      .send({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'half' }, spec: { minAvailable: 1.5 } });
    assert.equal(res.status, 400);
    assert.equal(
      res.body.message,
      'PodDisruptionBudget in version "v1" cannot be handled as a PodDisruptionBudget: json: cannot unmarshal number 1.5 into Go struct field PodDisruptionBudgetSpec.spec.minAvailable of type int32',
    );
  });
});

describe('quantities are stored in their canonical text, as resource.Quantity prints them', () => {
  it('create and merge patch', async (t) => {
    const app = await buildTestApp(t);
    const resources = { requests: { cpu: '0.5', memory: '1024Mi' }, limits: { cpu: 1, memory: '1.5Gi' } };
    const res = await post(app, daemonSet('sized', { container: { resources } }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.spec.template.spec.containers[0].resources, {
      limits: { cpu: '1', memory: '1536Mi' },
      requests: { cpu: '500m', memory: '1Gi' },
    });
    const patched = await app.http
      .patch(`${DS}/sized`)
      .set('content-type', 'application/merge-patch+json')
      .send(
        JSON.stringify({
          spec: { template: { spec: { containers: [{ name: 'sized', image: 'busybox', resources: { requests: { cpu: '1000m' } } }] } } },
        }),
      );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.spec.template.spec.containers[0].resources, { requests: { cpu: '1' } });
  });

  it('a huge exponent and the forms only Go reads as zero', { timeout: 20_000 }, async (t) => {
    const app = await buildTestApp(t);
    const res = await post(app, daemonSet('vast', { container: { resources: { requests: { cpu: '1e1000000', memory: '-' } } } }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.spec.template.spec.containers[0].resources, { requests: { cpu: '10e999999', memory: '0' } });
    // The server still answers at once.
    assert.equal((await app.http.get(`${DS}/vast`)).status, 200);
  });
});

describe('numbers are read from their text, as Go reads them', () => {
  const PODS = '/api/v1/namespaces/default/pods';
  const podText = (port: string) =>
    `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":${port}}]}]}}`;
  const dsText = (spec: string) => JSON.stringify(daemonSet()).replace('"spec":{', `"spec":{${spec},`);

  it('an int field refuses 80.0 and 1e2 (400, nothing created); 80 is taken', async (t) => {
    const app = await buildTestApp(t);
    const pod = await app.http.post(PODS).set('content-type', 'application/json').send(podText('80.0'));
    assert.equal(pod.status, 400);
    assert.equal(
      pod.body.message,
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number 80.0 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
    assert.equal((await app.http.get(`${PODS}/web`)).status, 404);
    const ds = await post(app, dsText('"revisionHistoryLimit":1e2'));
    assert.equal(ds.status, 400);
    assert.equal(
      ds.body.message,
      'DaemonSet in version "v1" cannot be handled as a DaemonSet: json: cannot unmarshal number 1e2 into Go struct field DaemonSetSpec.spec.revisionHistoryLimit of type int32',
    );
    assert.equal((await app.http.get(`${DS}/logger`)).status, 404);
    assert.equal((await app.http.post(PODS).set('content-type', 'application/json').send(podText('80'))).status, 201);
  });

  it('a number past an int field is quoted as written', async (t) => {
    const app = await buildTestApp(t);
    for (const [spec, message] of [
      ['"minReadySeconds":1e18', 'number 1e18 into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32'],
      [
        '"minReadySeconds":1000000000000000000000',
        'number 1000000000000000000000 into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32',
      ],
      ['"minReadySeconds":1e999999', 'number 1e999999 into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32'],
    ]) {
      const res = await post(app, dsText(spec));
      assert.equal(res.status, 400, spec);
      assert.equal(res.body.message, `DaemonSet in version "v1" cannot be handled as a DaemonSet: json: cannot unmarshal ${message}`);
    }
    const res = await post(
      app,
      JSON.stringify(daemonSet()).replace('"name":"logger"', '"name":"logger","generation":99999999999999999999'),
    );
    assert.equal(res.status, 400);
    assert.equal(
      res.body.message,
      'DaemonSet in version "v1" cannot be handled as a DaemonSet: json: cannot unmarshal number 99999999999999999999 into Go struct field ObjectMeta.metadata.generation of type int64',
    );
  });

  describe('patches', () => {
    async function withDaemonSet(t: Parameters<typeof buildTestApp>[0]) {
      const app = await buildTestApp(t);
      assert.equal((await post(app, daemonSet())).status, 201);
      return app;
    }
    const patch = (app: Awaited<ReturnType<typeof buildTestApp>>, type: string, body: string, query = '') =>
      app.http.patch(`${DS}/logger${query}`).set('content-type', type).send(body);
    const MERGE = 'application/merge-patch+json';

    it('a merge patch keeps the number as written: 1e2 in an int field is the 422 of the patched object', async (t) => {
      const app = await withDaemonSet(t);
      const res = await patch(app, MERGE, '{"spec":{"minReadySeconds":1e2}}');
      assert.equal(res.status, 422);
      assert.match(
        res.body.message,
        /^ "" is invalid: patch: Invalid value: ".*\\"minReadySeconds\\":1e2.*": json: cannot unmarshal number 1e2 into Go struct field DaemonSetSpec\.spec\.minReadySeconds of type int32$/,
      );
      assert.equal((await app.http.get(`${DS}/logger`)).body.metadata.generation, 1, 'nothing written');
      assert.equal((await patch(app, MERGE, '{"spec":{"minReadySeconds":100}}')).status, 200);
    });

    it('a number past float64 fails the patch decoding (400) under Warn and Strict; under Ignore the typed decoding', async (t) => {
      const app = await withDaemonSet(t);
      const body = '{"spec":{"minReadySeconds":1e999999}}';
      const warn = await patch(app, MERGE, body);
      assert.equal(warn.status, 400);
      assert.equal(warn.body.message, 'error decoding patch: json: cannot unmarshal number 1e999999 into Go value of type float64');
      const ignored = await patch(app, MERGE, body, '?fieldValidation=Ignore');
      assert.equal(ignored.status, 422);
      assert.match(
        ignored.body.message,
        /json: cannot unmarshal number 1e999999 into Go struct field DaemonSetSpec\.spec\.minReadySeconds of type int32$/,
      );
      const smp = await patch(app, 'application/strategic-merge-patch+json', body, '?fieldValidation=Ignore');
      assert.equal(smp.status, 400);
      assert.equal(smp.body.message, 'json: cannot unmarshal number 1e999999 into Go value of type float64');
      const jsonPatch = await patch(app, 'application/json-patch+json', '[{"op":"add","path":"/spec/minReadySeconds","value":1e999999}]');
      assert.equal(jsonPatch.status, 400);
      assert.equal(
        jsonPatch.body.message,
        'error decoding patch: json: cannot unmarshal number 1e999999 into Go struct field jsonPatchOp.value of type float64',
      );
      assert.equal((await app.http.get(`${DS}/logger`)).body.metadata.generation, 1, 'nothing written');
    });

    it('a JSON patch carries its numbers as written wherever its operations put them', async (t) => {
      const app = await withDaemonSet(t);
      const JSON_PATCH = 'application/json-patch+json';
      const added = await patch(app, JSON_PATCH, '[{"op":"add","path":"/spec/minReadySeconds","value":1e2}]');
      assert.equal(added.status, 422);
      assert.match(
        added.body.message,
        /\\"minReadySeconds\\":1e2.*": json: cannot unmarshal number 1e2 into Go struct field DaemonSetSpec\.spec\.minReadySeconds of type int32$/,
      );
      // Copied from where an earlier operation put it: still the number as written.
      const copied = await patch(
        app,
        JSON_PATCH,
        '[{"op":"add","path":"/metadata/annotations","value":{"n":80.0}},{"op":"copy","from":"/metadata/annotations/n","path":"/spec/revisionHistoryLimit"},{"op":"remove","path":"/metadata/annotations"}]',
      );
      assert.equal(copied.status, 422);
      assert.match(
        copied.body.message,
        /cannot unmarshal number 80\.0 into Go struct field DaemonSetSpec\.spec\.revisionHistoryLimit of type int32$/,
      );
      // `test` compares the raw text: 10.0 is not the stored 10.
      assert.equal((await patch(app, JSON_PATCH, '[{"op":"add","path":"/spec/minReadySeconds","value":10}]')).status, 200);
      assert.equal((await patch(app, JSON_PATCH, '[{"op":"test","path":"/spec/minReadySeconds","value":10.0}]')).status, 422);
      assert.equal((await patch(app, JSON_PATCH, '[{"op":"test","path":"/spec/minReadySeconds","value":10}]')).status, 200);
      // A text that is not JSON is its syntax error, whatever numbers it holds.
      for (const text of [',1.5]', '[{"value":1.5}', '"\\u12"1e5']) {
        const bad = await patch(app, JSON_PATCH, text);
        assert.equal(bad.status, 400, text);
        assert.match(bad.body.message, /^error decoding patch: (invalid character|unexpected end)/, text);
      }
      // A number an int field takes goes through, whatever else the patch carries.
      const ok = await patch(
        app,
        JSON_PATCH,
        '[{"op":"replace","path":"/spec/minReadySeconds","value":12},{"op":"add","path":"/metadata/labels/x","value":"1.5"}]',
      );
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.spec.minReadySeconds, 12);
    });

    it('a strategic merge patch decodes its numbers as float64 values: 1e2 and 80.0 are whole numbers an int field takes', async (t) => {
      const app = await withDaemonSet(t);
      const res = await patch(app, 'application/strategic-merge-patch+json', '{"spec":{"minReadySeconds":1e2,"revisionHistoryLimit":8.0}}');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.spec.minReadySeconds, res.body.spec.revisionHistoryLimit], [100, 8]);
    });
  });
});

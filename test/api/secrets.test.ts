/**
 * core/v1 Secret over HTTP, as kube-apiserver serves it: stringData folded into data and never
 * returned, type Opaque by default, ValidateSecret's key, size and per-type rules, ValidateSecretUpdate's
 * immutable type and frozen data, and the NAME TYPE DATA AGE table.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';
import { storageVersionHash } from '../../src/http/discovery/documents.js';

const SECRETS = '/api/v1/namespaces/default/secrets';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const MERGE = 'application/merge-patch+json';

function secret(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name }, ...fields };
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('secrets', () => {
  it('are served in core/v1 as secrets, no short name, every verb', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.get('/api/v1').expect(200);
    const found = (res.body.resources as { name: string }[]).find((r) => r.name === 'secrets');
    assert.deepEqual(found, {
      name: 'secrets',
      singularName: 'secret',
      namespaced: true,
      kind: 'Secret',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      storageVersionHash: storageVersionHash('', 'v1', 'Secret'),
    });
  });

  it('stringData is merged into data as base64 (winning over data), defaults type to Opaque, and is never returned', async (t) => {
    const { kubemock, http } = await buildTestApp(t);
    const w = await openWatch(kubemock, `${SECRETS}?watch=true`);
    t.after(() => w.close());
    const created = await http
      .post(SECRETS)
      .send(secret('s', { data: { kept: b64('old'), both: b64('from data') }, stringData: { both: 'from stringData', text: 'héllo' } }));
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(Object.keys(created.body), ['kind', 'apiVersion', 'metadata', 'data', 'type']);
    assert.deepEqual(created.body.data, { both: b64('from stringData'), kept: b64('old'), text: b64('héllo') });
    assert.equal(created.body.type, 'Opaque');

    const got = await http.get(`${SECRETS}/s`).expect(200);
    assert.equal(got.text, created.text);
    const list = await http.get(SECRETS).expect(200);
    assert.equal(list.body.kind, 'SecretList');
    assert.equal(list.body.items[0].stringData, undefined);
    const [added] = await w.waitFor(1);
    assert.equal(added.type, 'ADDED');
    assert.equal(added.object.stringData, undefined);
    assert.deepEqual(added.object.data, created.body.data);

    // On update and patch too: stringData lands in data, and stays out of what is stored.
    const put = await http
      .put(`${SECRETS}/s`)
      .send({ ...got.body, stringData: { kept: 'new' } })
      .expect(200);
    assert.equal(put.body.stringData, undefined);
    assert.equal(put.body.data.kept, b64('new'));
    const patched = await http
      .patch(`${SECRETS}/s`)
      .set('content-type', MERGE)
      .send({ stringData: { added: 'x' } })
      .expect(200);
    assert.equal(patched.body.stringData, undefined);
    assert.equal(patched.body.data.added, b64('x'));
    const events = await w.waitFor(3);
    assert.ok(events.every((e) => e.object.stringData === undefined));
    assert.equal((await http.get(`${SECRETS}/s`)).body.stringData, undefined);
  });

  it('refuses bad keys (in data and in stringData) with the IsConfigMapKey messages', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(SECRETS).send(secret('bad', { data: { 'a b': '' }, stringData: { '..': 'y' } }));
    assert.equal(res.status, 422, res.text);
    const regex =
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    assert.deepEqual(res.body.details.causes, [
      { reason: 'FieldValueInvalid', message: `Invalid value: "..": must not be '..'`, field: 'data[..]' },
      { reason: 'FieldValueInvalid', message: `Invalid value: "a b": ${regex}`, field: 'data[a b]' },
    ]);
    await http.get(`${SECRETS}/bad`).expect(404);
  });

  it('data that is not base64 fails decoding: a 400 BadRequest, as Go decoding []byte answers, and nothing is written (422 when a patch made it)', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(SECRETS).send(secret('b64', { data: { ok: 'AA==', bad: 'aGVsbG8' } }));
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.reason, 'BadRequest');
    assert.equal(res.body.message, 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4');
    await http.get(`${SECRETS}/b64`).expect(404);
    await http
      .post(SECRETS)
      .send(secret('b64', { data: { a: 'AA==' } }))
      .expect(201);
    const patched = await http
      .patch(`${SECRETS}/b64`)
      .set('content-type', MERGE)
      .send({ data: { a: 'not base64!' } });
    // A patch is decoded after it is applied: upstream answers that as an invalid patch (422), like any type error there.
    assert.equal(patched.status, 422, patched.text);
    assert.match(patched.body.message, /illegal base64 data at input byte 3$/);
    assert.equal((await http.get(`${SECRETS}/b64`)).body.data.a, 'AA==');
  });

  it('refuses more than 1 MiB of decoded values', async (t) => {
    const { http } = await buildTestApp(t);
    const half = 512 * 1024;
    await http
      .post(SECRETS)
      .send(secret('exactly', { data: { a: Buffer.alloc(half).toString('base64') }, stringData: { b: 'x'.repeat(half) } }))
      .expect(201);
    const res = await http
      .post(SECRETS)
      .send(secret('over', { data: { a: Buffer.alloc(half + 1).toString('base64') }, stringData: { b: 'x'.repeat(half) } }));
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.message, 'Secret "over" is invalid: data: Too long: may not be more than 1048576 bytes');
  });

  it('each built-in type requires its keys, with the upstream messages', async (t) => {
    const { http } = await buildTestApp(t);
    const refused = async (name: string, fields: Record<string, unknown>) => {
      const res = await http.post(SECRETS).send(secret(name, fields));
      assert.equal(res.status, 422, res.text);
      return res.body.message as string;
    };
    assert.equal(
      await refused('sa', { type: 'kubernetes.io/service-account-token' }),
      'Secret "sa" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value',
    );
    assert.equal(await refused('cfg', { type: 'kubernetes.io/dockercfg' }), 'Secret "cfg" is invalid: data[.dockercfg]: Required value');
    assert.equal(
      await refused('cfgjson', { type: 'kubernetes.io/dockerconfigjson' }),
      'Secret "cfgjson" is invalid: data[.dockerconfigjson]: Required value',
    );
    assert.equal(
      await refused('badjson', { type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': 'xyz' } }),
      `Secret "badjson" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'x' looking for beginning of value`,
    );
    assert.equal(
      await refused('basic', { type: 'kubernetes.io/basic-auth' }),
      'Secret "basic" is invalid: [data[username]: Required value, data[password]: Required value]',
    );
    assert.equal(
      await refused('ssh', { type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } }),
      'Secret "ssh" is invalid: data[ssh-privatekey]: Required value',
    );
    assert.equal(
      await refused('tls', { type: 'kubernetes.io/tls', stringData: { 'tls.key': 'k' } }),
      'Secret "tls" is invalid: data[tls.crt]: Required value',
    );

    const ok = async (name: string, fields: Record<string, unknown>) => {
      const res = await http.post(SECRETS).send(secret(name, fields));
      assert.equal(res.status, 201, res.text);
    };
    await ok('sa-ok', {
      type: 'kubernetes.io/service-account-token',
      metadata: { name: 'sa-ok', annotations: { 'kubernetes.io/service-account.name': 'default' } },
    });
    await ok('json-ok', { type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{}}' } });
    await ok('basic-ok', { type: 'kubernetes.io/basic-auth', stringData: { password: '' } });
    await ok('tls-ok', { type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c', 'tls.key': 'k' } });
    await ok('token', { type: 'bootstrap.kubernetes.io/token' });
    await ok('custom', { type: 'example.com/anything' });
  });

  it('type cannot change on update; once immutable, data and immutable cannot either, metadata can', async (t) => {
    const { http } = await buildTestApp(t);
    await http
      .post(SECRETS)
      .send(secret('typed', { stringData: { a: '1' } }))
      .expect(201);
    const retyped = await http.patch(`${SECRETS}/typed`).set('content-type', MERGE).send({ type: 'example.com/other' });
    assert.equal(retyped.status, 422, retyped.text);
    assert.equal(retyped.body.message, 'Secret "typed" is invalid: type: Invalid value: "example.com/other": field is immutable');

    await http
      .post(SECRETS)
      .send(secret('frozen', { immutable: true, stringData: { a: '1' } }))
      .expect(201);
    const before = await http.get(`${SECRETS}/frozen`).expect(200);
    const viaStringData = await http
      .patch(`${SECRETS}/frozen`)
      .set('content-type', MERGE)
      .send({ stringData: { a: '2' } });
    assert.equal(viaStringData.status, 422, viaStringData.text);
    assert.equal(viaStringData.body.message, 'Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    const thawed = await http.patch(`${SECRETS}/frozen`).set('content-type', MERGE).send({ immutable: false });
    assert.equal(thawed.status, 422);
    assert.deepEqual(
      thawed.body.details.causes.map((c: { field: string }) => c.field),
      ['immutable'],
    );
    assert.equal((await http.get(`${SECRETS}/frozen`)).body.metadata.resourceVersion, before.body.metadata.resourceVersion);
    const labelled = await http
      .patch(`${SECRETS}/frozen`)
      .set('content-type', MERGE)
      .send({ metadata: { labels: { a: 'b' } } });
    assert.equal(labelled.status, 200, labelled.text);
  });

  it('kubectl get secrets: a NAME TYPE DATA AGE table', async (t) => {
    const { http } = await buildTestApp(t);
    await http
      .post(SECRETS)
      .send(secret('two', { stringData: { a: '1', b: '2' } }))
      .expect(201);
    await http
      .post(SECRETS)
      .send(secret('tls', { type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c', 'tls.key': 'k' } }))
      .expect(201);
    const res = await http.get(SECRETS).set('Accept', TABLE).expect(200);
    assert.deepEqual(
      res.body.columnDefinitions.map((c: { name: string }) => c.name),
      ['Name', 'Type', 'Data', 'Age'],
    );
    assert.deepEqual(
      res.body.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 3)),
      [
        ['tls', 'kubernetes.io/tls', 2],
        ['two', 'Opaque', 2],
      ],
    );
  });

  it("a kubernetes.io/tls Secret whose pair does not load is stored with tls.X509KeyPair's error as a warning, on create and update", async (t) => {
    const { http } = await buildTestApp(t);
    const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8');
    const good = await http
      .post(SECRETS)
      .send(secret('good', { type: 'kubernetes.io/tls', stringData: { 'tls.crt': fixture('tls.crt'), 'tls.key': fixture('tls.key') } }));
    assert.equal(good.status, 201, good.text);
    assert.equal(good.headers.warning, undefined);

    const switched = await http
      .post(SECRETS)
      .send(
        secret('switched', { type: 'kubernetes.io/tls', stringData: { 'tls.crt': fixture('tls.key'), 'tls.key': fixture('tls.crt') } }),
      );
    assert.equal(switched.status, 201, switched.text);
    assert.equal(
      switched.headers.warning,
      '299 - "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched"',
    );
    const patched = await http
      .patch(`${SECRETS}/good`)
      .set('Content-Type', MERGE)
      .send({ stringData: { 'tls.key': '' } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.headers.warning, '299 - "tls: failed to find any PEM data in key input"');
    const opaque = await http.post(SECRETS).send(secret('opaque', { stringData: { 'tls.crt': 'x' } }));
    assert.equal(opaque.headers.warning, undefined);
  });

  it("field selector `type`, as upstream's secret SelectableFields", async (t) => {
    const { http } = await buildTestApp(t);
    await http.post(SECRETS).send(secret('plain')).expect(201);
    await http
      .post(SECRETS)
      .send(secret('auth', { type: 'kubernetes.io/basic-auth', stringData: { username: 'u' } }))
      .expect(201);
    const names = async (selector: string) =>
      (await http.get(`${SECRETS}?fieldSelector=${encodeURIComponent(selector)}`).expect(200)).body.items.map(
        (s: { metadata: { name: string } }) => s.metadata.name,
      );
    assert.deepEqual(await names('type=kubernetes.io/basic-auth'), ['auth']);
    assert.deepEqual(await names('type!=kubernetes.io/basic-auth'), ['plain']);
    const bad = await http.get(`${SECRETS}?fieldSelector=spec.type%3Dx`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'field label not supported: spec.type');
  });
});

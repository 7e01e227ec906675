import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { buildOpenApiDocuments, openApiFiles } from '../../src/http/openapi/documents.js';
import { resources } from '../../src/resources/index.js';
import { servedDefinitions } from '../../src/registry/served-versions.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const OPENAPI_DIR = fileURLToPath(new URL('../../openapi/', import.meta.url));
const PROTOBUF_ACCEPT_127 = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf'; // what kubectl 1.27/1.28 send
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

type Json = Record<string, any>;

/** Go's mime.ParseMediaType grammar: token "/" token *(";" token "=" (token | quoted-string)). */
function goParsesMediaType(value: string): boolean {
  const token = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
  const param = `\\s*;\\s*${token}=(?:${token}|"(?:[^"\\\\]|\\\\.)*")`;
  return new RegExp(`^${token}/${token}(?:${param})*\\s*$`).test(value);
}

/** Top-level fields of a protobuf message: field number → values (Buffer for length-delimited, number for varints). */
function protobufFields(buf: Buffer): Map<number, (Buffer | number)[]> {
  const fields = new Map<number, (Buffer | number)[]>();
  let pos = 0;
  const varint = () => {
    let result = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = buf[pos++];
      result += (byte & 127) * shift;
      if (byte < 128) return result;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const [field, wire] = [Math.floor(key / 8), key % 8];
    let value: Buffer | number;
    if (wire === 0) value = varint();
    else if (wire === 1) value = buf.readDoubleLE((pos += 8) - 8);
    else if (wire === 2) {
      const len = varint();
      value = buf.subarray(pos, (pos += len));
    } else throw new Error(`unexpected wire type ${wire} at ${pos}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  assert.equal(pos, buf.length, 'protobuf message overruns its buffer');
  return fields;
}

function operationsOf(doc: Json): { path: string; method: string; op: Json }[] {
  return Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
  );
}

describe('committed OpenAPI files', () => {
  it('match what the schemas generate', () => {
    const expected = openApiFiles(buildOpenApiDocuments(servedDefinitions(resources)));
    const hint = 'run `npm run openapi:update` and commit the openapi/ folder';
    for (const [name, text] of expected) {
      const path = join(OPENAPI_DIR, name);
      assert.ok(existsSync(path), `openapi/${name} is missing: ${hint}`);
      assert.ok(readFileSync(path, 'utf8') === text, `openapi/${name} is out of date with the schemas: ${hint}`);
    }
    for (const name of readdirSync(join(OPENAPI_DIR, 'v3'))) {
      assert.ok(expected.has(`v3/${name}`), `openapi/v3/${name} is no longer generated: ${hint}`);
    }
  });
});

describe('OpenAPI endpoints', () => {
  let app: TestApp;
  let root: { paths: Record<string, { serverRelativeURL: string }> };
  const docs = new Map<string, Json>();

  before(async () => {
    app = await buildTestApp(undefined);
    root = (await app.http.get('/openapi/v3').expect(200)).body;
    for (const [key, { serverRelativeURL }] of Object.entries(root.paths)) {
      docs.set(key, (await app.http.get(serverRelativeURL).set('Accept', 'application/json').expect(200)).body);
    }
  });
  after(() => app?.kubemock.close());

  it('/openapi/v3 lists every served group-version with a hashed URL', async () => {
    const res = await app.http.get('/openapi/v3').expect(200);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.match(res.headers.etag ?? '', /^"[0-9A-F]{128}"$/);
    for (const key of ['api', 'api/v1', 'apis', 'apis/apps', 'apis/apps/v1']) {
      assert.match(root.paths[key]?.serverRelativeURL ?? '', new RegExp(`^/openapi/v3/${key}\\?hash=[0-9A-F]{128}$`), key);
    }
    for (const def of servedDefinitions(resources))
      assert.ok(root.paths[def.group ? `apis/${def.group}/${def.version}` : `api/${def.version}`], def.kind);
  });

  it('a hashed group-version URL is immutable, a stale hash redirects, an ETag revalidates', async () => {
    const url = root.paths['apis/apps/v1'].serverRelativeURL;
    const res = await app.http.get(url).expect(200);
    assert.equal(res.headers['cache-control'], 'public, immutable');
    assert.ok(Date.parse(res.headers.expires ?? '') > Date.now() + 300 * 24 * 3600 * 1000, res.headers.expires);
    assert.equal(res.headers.etag, `"${url.split('hash=')[1]}"`);
    assert.equal(res.headers.vary, 'Accept');
    const stale = await app.http.get('/openapi/v3/apis/apps/v1?hash=0123').expect(301);
    assert.equal(stale.headers.location, url);
    await app.http.get('/openapi/v3/apis/apps/v1').set('If-None-Match', res.headers.etag).expect(304);
    const plain = await app.http.get('/openapi/v3/apis/apps/v1').expect(200);
    assert.equal(plain.headers['cache-control'], undefined);
    const missing = await app.http.get('/openapi/v3/apis/nope.example.com/v1').expect(404);
    assert.equal(missing.body.kind, 'Status');
  });

  it('every PATCH of a kind lists fieldValidation inline, with the GVK of its kind', () => {
    for (const def of servedDefinitions(resources)) {
      if (def.virtual) continue; // create-only reviews have no PATCH
      const doc = docs.get(def.group ? `apis/${def.group}/${def.version}` : `api/${def.version}`)!;
      const patches = operationsOf(doc).filter(
        ({ method, op }) => method === 'patch' && op['x-kubernetes-group-version-kind']?.kind === def.kind,
      );
      assert.ok(patches.length > 0, `no PATCH operation for ${def.kind}`);
      for (const { path, op } of patches) {
        assert.deepEqual(op['x-kubernetes-group-version-kind'], { group: def.group, version: def.version, kind: def.kind }, path);
        assert.ok(
          (op.parameters as Json[]).some((p) => p.name === 'fieldValidation' && p.in === 'query'),
          `${path}: no fieldValidation`,
        );
        assert.ok(op.requestBody.content['application/strategic-merge-patch+json'], `${path}: no strategic merge patch body`);
      }
    }
  });

  it('every operation has an action; every verb of a kind is there; refs resolve in their own document', () => {
    const ds = docs.get('apis/apps/v1')!;
    const actions = operationsOf(ds)
      .filter(({ op }) => op['x-kubernetes-group-version-kind']?.kind === 'DaemonSet')
      .map(({ op }) => op['x-kubernetes-action']);
    for (const action of ['get', 'list', 'watch', 'watchlist', 'post', 'put', 'patch', 'delete', 'deletecollection'])
      assert.ok(actions.includes(action), action);
    assert.ok(ds.paths['/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}/status'].patch);
    for (const [key, doc] of docs) {
      const groupVersion = /^(api\/[^/]+|apis\/[^/]+\/[^/]+)$/.test(key);
      for (const { path, method, op } of operationsOf(doc)) {
        if (groupVersion && !path.endsWith('/'))
          assert.ok(op['x-kubernetes-action'], `${key}: ${method} ${path} has no x-kubernetes-action`);
      }
      const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
      for (const ref of refs) {
        const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
        assert.ok(doc.components.schemas[name], `${key}: dangling ${ref}`);
      }
    }
  });

  it('kind schemas carry the GVK list explain looks for, and the merge keys apply uses', () => {
    const core = docs.get('api/v1')!.components.schemas as Json;
    const apps = docs.get('apis/apps/v1')!.components.schemas as Json;
    assert.deepEqual(apps['io.k8s.api.apps.v1.DaemonSet']['x-kubernetes-group-version-kind'], [
      { group: 'apps', version: 'v1', kind: 'DaemonSet' },
    ]);
    assert.deepEqual(core['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
    const containers = core['io.k8s.api.core.v1.PodSpec'].properties.containers;
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(containers['x-kubernetes-list-type'], 'map');
    assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
    assert.deepEqual(containers.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
    const spec = apps['io.k8s.api.apps.v1.DaemonSetSpec'];
    assert.deepEqual(spec.required, ['selector', 'template']);
    assert.deepEqual(spec.properties.updateStrategy.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DaemonSetUpdateStrategy' }]);
    assert.equal(typeof spec.properties.updateStrategy.description, 'string');
    const labels = core['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.labels;
    assert.deepEqual([labels.type, labels.additionalProperties, labels.patternProperties], ['object', { type: 'string' }, undefined]);
    assert.ok(!JSON.stringify(docs.get('api/v1')).includes('"$id"'), 'TypeBox $id left in the document');
  });

  it('/openapi/v2 answers kubectl 1.27 with protobuf under a Content-Type Go can parse', async () => {
    const res = await app.http
      .get('/openapi/v2')
      .set('Accept', PROTOBUF_ACCEPT_127)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const type = res.headers['content-type'];
    assert.equal(type, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.ok(goParsesMediaType(type) && !type.includes('@'), type);
    const doc = protobufFields(res.body as Buffer);
    assert.equal(doc.get(1)?.[0]?.toString(), '2.0'); // Document.swagger
    const definitions = protobufFields(doc.get(9)![0] as Buffer).get(1)!; // Definitions.additional_properties
    const names = definitions.map((d) =>
      protobufFields(d as Buffer)
        .get(1)![0]
        .toString(),
    );
    assert.ok(names.includes('io.k8s.api.apps.v1.DaemonSet') && names.includes('io.k8s.api.core.v1.PodSpec'), names.join(' '));
  });

  it('/openapi/v2 as JSON is the Swagger 2.0 document, with the same ETag; other types get 406', async () => {
    const json = await app.http.get('/openapi/v2').set('Accept', 'application/json').expect(200);
    const proto = await app.http.get('/openapi/v2').set('Accept', PROTOBUF_ACCEPT_127).expect(200);
    assert.equal(json.headers['content-type'], 'application/json');
    assert.equal(json.headers.etag, proto.headers.etag);
    const swagger = json.body as Json;
    assert.equal(swagger.swagger, '2.0');
    const patch = swagger.paths['/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}'].patch;
    assert.ok((patch.parameters as Json[]).some((p) => p.name === 'fieldValidation' && p.in === 'query'));
    assert.deepEqual(
      swagger.definitions['io.k8s.api.apps.v1.DaemonSetSpec'].properties.updateStrategy.$ref,
      '#/definitions/io.k8s.api.apps.v1.DaemonSetUpdateStrategy',
    );
    await app.http.get('/openapi/v2').set('Accept', 'text/html').expect(406);
  });

  it('the human docs are served by @fastify/swagger under /docs', async () => {
    const res = await app.http.get('/docs/openapi.json').expect(200);
    assert.equal(res.body.openapi, '3.0.0');
    assert.ok(res.body.paths['/apis/apps/v1/namespaces/{namespace}/daemonsets']);
    assert.ok(res.body.paths['/api/v1/namespaces/{namespace}/pods/{name}']);
    const yaml = await app.http.get('/docs/openapi.yaml').expect(200);
    assert.match(yaml.text, /^openapi: 3\.0\.0$/m);
  });
});

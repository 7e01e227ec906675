/**
 * Malformed requests, as an attacker or a buggy client sends them, over every route family of a
 * kubemock listening on 127.0.0.1 only: resource collections and objects of built-in and custom
 * kinds, subresources, discovery, OpenAPI, health and the control API; every method; JSON, YAML,
 * protobuf, patch and unknown content types; bodies that are valid objects, mutated objects,
 * random JSON, random bytes, deep nesting, YAML alias tricks and protobuf envelopes; query
 * parameters repeated and garbled; odd Accept headers.
 *
 * Asserted for each answer: no 500 unless it is one of kube-apiserver's own (ALLOWED_500 below),
 * every error is a Status whose code is the HTTP status; and afterwards the server still answers
 * and every object it lists reads back as listed.
 *
 * Bounded and seeded: FUZZ_RUNS requests (default 250, a few seconds) from FUZZ_SEED (default
 * 16016). fast-check prints the seed and path of a failing run; rerun with them to replay.
 * A longer run: `FUZZ_RUNS=100000 node --import tsx --test test/fuzz/malformed-requests.test.ts`.
 * The faults and chaos control endpoints are left out: injecting failures is their job.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fc from 'fast-check';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { listening } from '../helpers/watch-client.js';
import { waitFor } from '../helpers/eventually.js';
import { widgetCrd } from '../helpers/widget-crd.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const SEED = Number(process.env.FUZZ_SEED ?? 16016);

/**
 * The 500s kube-apiserver itself answers (ErrorToAPIStatus's default branch for the
 * strategic-merge-patch and structured-merge-diff errors, the allocators' internal errors, the
 * impersonation filter's InternalError for Impersonate-Group/-Extra/-Uid without Impersonate-User).
 */
const ALLOWED_500: readonly RegExp[] = [
  /^failed to create typed patch object /,
  /does not contain declared merge key: /,
  /^expected a .+, but received a /,
  /^unknown patch type: /,
  /^unable to find api field in struct /,
  /^list elements may not be null$/,
  /^list element types are not identical: /,
  /^no elements in any of the given slices$/,
  /^value for key \d+ is not a map\.$/,
  /^merging lists cannot yet be specified in the patch$/,
  /^cannot merge lists without merge key for type /,
  /^unexpected patch strategy: /,
  /^The order in patch list:/,
  /^Internal error occurred: failed to allocate /,
  /^Internal error occurred: requested impersonation of groups, extra or uid without impersonating a user$/,
];

const NS = '/api/v1/namespaces/default';
const CRONTABS = '/apis/stable.example.com/v1/namespaces/default/crontabs';

const PATHS: readonly string[] = [
  '/api',
  '/api/v1',
  '/apis',
  '/apis/apps/v1',
  '/version',
  '/healthz',
  '/readyz?verbose',
  '/livez',
  '/openapi/v2',
  '/openapi/v3',
  '/openapi/v3/api/v1',
  '/api/v1/namespaces',
  '/api/v1/namespaces/default',
  '/api/v1/namespaces/default/status',
  '/api/v1/namespaces/default/finalize',
  '/api/v1/nodes',
  '/api/v1/nodes/n1',
  '/api/v1/nodes/n1/status',
  '/api/v1/pods',
  `${NS}/pods`,
  `${NS}/pods/p1`,
  `${NS}/pods/p1/status`,
  `${NS}/pods/p1/log`,
  `${NS}/pods/p1/binding`,
  `${NS}/pods/p1/eviction`,
  `${NS}/configmaps`,
  `${NS}/configmaps/c1`,
  `${NS}/secrets`,
  `${NS}/secrets/s1`,
  `${NS}/services`,
  `${NS}/services/svc1`,
  `${NS}/endpoints`,
  `${NS}/events`,
  `${NS}/serviceaccounts`,
  `${NS}/serviceaccounts/default/token`,
  '/apis/apps/v1/namespaces/default/daemonsets',
  '/apis/apps/v1/namespaces/default/daemonsets/ds1',
  '/apis/apps/v1/namespaces/default/daemonsets/ds1/status',
  '/apis/apps/v1/namespaces/default/controllerrevisions',
  '/apis/policy/v1/namespaces/default/poddisruptionbudgets',
  '/apis/coordination.k8s.io/v1/namespaces/default/leases',
  '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
  '/apis/events.k8s.io/v1/namespaces/default/events',
  '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  CRONTABS,
  `${CRONTABS}/t1`,
  `${CRONTABS}/t1/status`,
  `${CRONTABS}/t1/scale`,
  '/kubemock/v1',
  '/kubemock/v1/journal',
  '/kubemock/v1/clock',
  '/kubemock/v1/clock/advance',
  '/kubemock/v1/snapshots',
  '/kubemock/v1/nodes',
  '/kubemock/v1/settle',
];

const JUNK_SEGMENTS = ['%', '%00', '..', '.', '%2F', 'a%20b', '%C3%84%C3%96', '%FF', '~', '*', 'x'.repeat(300), '%E0%A4%A', '?', '#'];

const MEDIA = [
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  '*/*',
  '',
  ';;;',
];

const ACCEPT = [
  undefined,
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'application/json;as=Table;v=v1;g=meta.k8s.io',
  'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
  'application/json;as=Bogus;v=v9;g=x',
  'text/html',
  '*/*;q=0',
  ',,;q=x',
];

const PARAMS = [
  'labelSelector',
  'fieldSelector',
  'resourceVersion',
  'resourceVersionMatch',
  'limit',
  'continue',
  'watch',
  'allowWatchBookmarks',
  'sendInitialEvents',
  'timeoutSeconds',
  'dryRun',
  'fieldManager',
  'fieldValidation',
  'force',
  'gracePeriodSeconds',
  'propagationPolicy',
  'orphanDependents',
  'container',
  'follow',
  'tailLines',
  'limitBytes',
  'sinceSeconds',
  'previous',
  'timestamps',
  'includeObject',
  'hash',
  'verb',
  'exclude',
  'pretty',
  '__proto__',
  'constructor',
];

const VALUES = fc.oneof(
  fc.constantFrom('', 'true', 'false', 'True', '0', '1', '-1', 'All', 'Strict', 'Warn', 'Foreground', 'Orphan', 'NotOlderThan', 'Exact'),
  fc.constantFrom(
    'a=b',
    'a!=b',
    'a in (x,y)',
    '!a',
    'metadata.name=p1',
    'spec.nodeName=',
    'status.phase!=Running',
    '=',
    ',,',
    'a in (',
    '9'.repeat(30),
  ),
  fc.constantFrom('1e400', 'NaN', '0x10', '%', '%zz', '\u0000', 'Object', 'hasOwnProperty'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

// ---- bodies ----

const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

function varint(n: bigint): Buffer {
  let v = BigInt.asUintN(64, n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}
const pbInt = (field: number, n: bigint) => Buffer.concat([varint(BigInt(field << 3)), varint(n)]);
const pbBytes = (field: number, ...parts: (Buffer | string)[]) => {
  const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
  return Buffer.concat([varint(BigInt((field << 3) | 2)), varint(BigInt(body.length)), body]);
};
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from('k8s\0', 'latin1'), pbBytes(1, pbBytes(1, apiVersion), pbBytes(2, kind)), pbBytes(2, raw)]);

const objects = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', labels: { a: 'b' } }, data: { k: 'v' } },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p1' },
    spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] },
  },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, data: { k: 'dmFsdWU=' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc1' }, spec: { ports: [{ port: 80 }], selector: { a: 'b' } } },
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } },
  {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 't1' },
    spec: { cronSpec: '* * * * */5', extra: { x: [1, { y: null }] } },
  },
  { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground', preconditions: { uid: 'x' } },
  { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p1' } },
  { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { kind: 'Node', name: 'n1' } },
  [{ op: 'add', path: '/metadata/labels/x', value: 'y' }],
  [{ op: 'move', from: '/spec', path: '/spec/x' }],
  { $patch: 'replace', spec: { containers: [{ $patch: 'delete', name: 'c' }] }, $setElementOrder: { x: [1] } },
  { ms: 1000 },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ds1' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    },
  },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'pdb1' },
    spec: { minAvailable: '50%', selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] } },
  },
  {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'l1' },
    spec: { holderIdentity: 'x', leaseDurationSeconds: 10, renewTime: '2026-01-01T00:00:00.000000Z' },
  },
  { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['x'], expirationSeconds: 1e12 } },
  widgetCrd({
    schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': [{ rule: 'self.a > 1' }],
          properties: {
            a: { type: 'integer', format: 'int32' },
            b: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'map' },
          },
        },
      },
    },
  }),
];

/** A JSON value with some node replaced by something of another type or shape. */
const mutated = fc
  .tuple(fc.constantFrom(...objects), fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })), { maxLength: 3 }))
  .map(([base, edits]) => {
    const value = structuredClone(base) as Record<string, unknown>;
    for (const [key, v] of edits) {
      const path = ['metadata', 'spec', 'data', 'status', key];
      let at: unknown = value;
      for (const p of path.slice(0, Math.abs(key.length % 4))) {
        if (at && typeof at === 'object' && (at as Record<string, unknown>)[p] && typeof (at as Record<string, unknown>)[p] === 'object')
          at = (at as Record<string, unknown>)[p];
      }
      if (at && typeof at === 'object') (at as Record<string, unknown>)[key || 'name'] = v;
    }
    return JSON.stringify(value);
  });

const yamlTricks = fc.constantFrom(
  'metadata: &a\n  name: self\n  labels: *a\n',
  'metadata:\n  name: *missing\n',
  'a0: &a0 [x, x, x, x, x, x, x, x, x]\na1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\na2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\na3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\na4: [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]\n',
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c1}\ndata: ${nested(12000, '[', ']')}\n`,
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c1}\ndata: ${'- '.repeat(3000)}x\n`,
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c1, labels: {a: b, a: c}}\n',
  '---\na: 1\n---\nb: 2\n',
  '%YAML 1.1\n---\n!!binary x: y\n',
  'key: [unclosed\n',
  '? [a, b]\n: c\n',
  '<<: {a: 1}\nmetadata: {name: c1}\n',
  'a: !!int "x"\n',
  '\t- tab\n',
);

const protobufBodies = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(['v1', 'Namespace'], ['v1', 'ConfigMap'], ['v1', 'Pod'], ['events.k8s.io/v1', 'Event'], ['x/y', 'Nope']),
      fc.uint8Array({ maxLength: 64 }),
    )
    .map(([[v, k], raw]) => envelope(v, k, Buffer.from(raw))),
  fc
    .tuple(
      fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
      fc.constantFrom(['v1', 'Namespace', 8], ['events.k8s.io/v1', 'Event', 2]),
    )
    .map(([seconds, [v, k, field]]) => {
      const time = pbBytes(field, pbInt(1, seconds));
      const raw =
        field === 8
          ? pbBytes(1, pbBytes(1, 'ns1'), time)
          : Buffer.concat([
              pbBytes(1, pbBytes(1, 'e1')),
              time,
              pbBytes(4, 'c'),
              pbBytes(5, 'i'),
              pbBytes(6, 'a'),
              pbBytes(7, 'r'),
              pbBytes(11, 'Normal'),
            ]);
      return envelope(v, k, raw);
    }),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(b)])),
);

const bodies: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...objects).map((o) => Buffer.from(JSON.stringify(o))),
  mutated.map((s) => Buffer.from(s)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v))),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 100 }).map((s) => Buffer.from(s)),
  fc
    .tuple(
      fc.integer({ min: 1, max: 12000 }),
      fc.constantFrom(['[', ']'], ['{"a":', '}']),
      fc.constantFrom('{"metadata":{"name":"c1"},"data":', '{"spec":', '['),
    )
    .map(([depth, [open, close], head]) =>
      Buffer.from(
        head + (open === '[' ? nested(depth, open, close) : open.repeat(depth) + '1' + close.repeat(depth)) + (head === '[' ? ']' : '}'),
      ),
    ),
  yamlTricks.map((s) => Buffer.from(s)),
  protobufBodies,
  fc
    .constantFrom(
      '{"a":1,"a":2}',
      '{"metadata":{"name":"c1","name":"c2"}}',
      '[]',
      'null',
      '"x"',
      '1e999',
      '{"a":"\\ud800"}',
      '\ufeff{}',
      '{"a":1}garbage',
    )
    .map((s) => Buffer.from(s)),
);

interface FuzzRequest {
  method: string;
  path: string;
  query: [string, string][];
  contentType: string | undefined;
  accept: string | undefined;
  headers: [string, string][];
  body: Buffer | undefined;
}

/** Other headers a client may send, well-formed for the HTTP parser but odd for the server. */
const HEADERS = fc.array(
  fc.oneof(
    fc.tuple(fc.constant('content-encoding'), fc.constantFrom('gzip', 'br', 'deflate', 'x')),
    fc.tuple(fc.constant('authorization'), fc.constantFrom('Bearer x', 'Basic eDp5', 'Bearer', 'x')),
    fc.tuple(
      fc.constantFrom('impersonate-user', 'impersonate-group', 'impersonate-uid', 'impersonate-extra-x'),
      fc.constantFrom('x', 'system:admin', ''),
    ),
    fc.tuple(
      fc.constantFrom('user-agent', 'x-forwarded-for', 'if-match', 'range', 'accept-encoding', 'accept-language'),
      fc.constantFrom('', 'x', 'gzip', 'bytes=0-1', 'x'.repeat(1000)),
    ),
  ),
  { maxLength: 3 },
);

const paths = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom(...JUNK_SEGMENTS)).map(([p, junk]) => `${p}/${junk}`) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom('api', 'apis', 'v1', 'namespaces', 'default', 'pods', 'status', 'x', ...JUNK_SEGMENTS), { maxLength: 8 })
      .map((s) => `/${s.join('/')}`),
  },
);

const requests: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
  path: paths,
  query: fc.array(fc.tuple(fc.constantFrom(...PARAMS), VALUES), { maxLength: 5 }).chain((q) =>
    // Now and then a parameter given twice.
    fc.boolean().map((twice) => (twice && q.length ? [...q, q[0]] : q)),
  ),
  contentType: fc.constantFrom(...MEDIA).map((m) => m || undefined),
  accept: fc.constantFrom(...ACCEPT),
  headers: HEADERS,
  body: bodies,
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request over a fresh loopback connection; streams (watch, follow) are cut after 300 ms. */
function send(port: number, r: FuzzRequest): Promise<Answer> {
  const qs = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const headers: Record<string, string> = {};
  if (r.contentType) headers['content-type'] = r.contentType;
  if (r.accept) headers.accept = r.accept;
  for (const [name, value] of r.headers) headers[name] = value;
  if (r.body) headers['content-length'] = String(r.body.length);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: r.method, path: qs ? `${r.path}?${qs}` : r.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        const cut = setTimeout(() => {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        }, 300);
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(cut);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

function describeRequest(r: FuzzRequest): string {
  const body = r.body ? `${r.body.length} bytes: ${JSON.stringify(r.body.subarray(0, 120).toString('latin1'))}` : 'no body';
  return `${r.method} ${r.path} ${JSON.stringify(r.query)} content-type=${r.contentType} accept=${r.accept} headers=${JSON.stringify(r.headers)} ${body}`;
}

function checkAnswer(r: FuzzRequest, a: Answer): void {
  const what = `${describeRequest(r)}\n-> ${a.status} ${a.text.slice(0, 300)}`;
  assert.ok(a.status >= 100 && a.status < 600, what);
  if (a.status < 400 || r.method === 'HEAD') return;
  assert.match(String(a.headers['content-type']), /^application\/json/, `an error is a JSON Status: ${what}`);
  let status: Record<string, unknown>;
  try {
    status = JSON.parse(a.text) as Record<string, unknown>;
  } catch {
    assert.fail(`an error body is not JSON: ${what}`);
  }
  assert.equal(status.kind, 'Status', what);
  assert.equal(status.apiVersion, 'v1', what);
  assert.equal(status.status, 'Failure', what);
  assert.equal(status.code, a.status, what);
  assert.equal(typeof status.message, 'string', what);
  if (a.status === 500) {
    const message = status.message as string;
    assert.ok(
      ALLOWED_500.some((re) => re.test(message)),
      `an unhandled 500 (not one of kube-apiserver's own): ${what}`,
    );
  }
}

async function seed(app: TestApp): Promise<void> {
  const post = (url: string, body: unknown) => app.http.post(url).send(body as object);
  await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', kind: 'CronTab' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    cronSpec: { type: 'string' },
                    replicas: { type: 'integer' },
                    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  },
                },
                status: { type: 'object', properties: { replicas: { type: 'integer' } } },
              },
            },
          },
        },
      ],
    },
  });
  await waitFor(async () => (await app.http.get(CRONTABS)).status === 200);
  for (const o of objects.slice(0, 6)) {
    const o2 = o as { kind: string; metadata: { name: string } };
    const url = {
      ConfigMap: `${NS}/configmaps`,
      Pod: `${NS}/pods`,
      Secret: `${NS}/secrets`,
      Service: `${NS}/services`,
      Node: '/api/v1/nodes',
      CronTab: CRONTABS,
    }[o2.kind]!;
    const res = await post(url, o);
    assert.equal(res.status, 201, `${o2.kind}: ${JSON.stringify(res.body)}`);
  }
}

/** Every object a list answers reads back by name with the same resourceVersion. */
async function assertConsistent(app: TestApp): Promise<void> {
  for (const list of [
    `${NS}/configmaps`,
    `${NS}/pods`,
    `${NS}/secrets`,
    `${NS}/services`,
    '/api/v1/nodes',
    '/api/v1/namespaces',
    CRONTABS,
  ]) {
    const res = await app.http.get(list);
    if (list === CRONTABS && res.status === 404) {
      // The fuzz may have deleted the CRD (a DELETE of the CRD collection is a deletecollection).
      const crd = await app.http.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com');
      assert.equal(crd.status, 404, 'custom resources are served while their CRD exists');
      continue;
    }
    assert.equal(res.status, 200, `${list}: ${JSON.stringify(res.body).slice(0, 300)}`);
    for (const item of res.body.items as { metadata: { name: string; resourceVersion: string } }[]) {
      const one = await app.http.get(`${list}/${item.metadata.name}`);
      assert.equal(one.status, 200, `${list}/${item.metadata.name}`);
      assert.equal(one.body.metadata.resourceVersion, item.metadata.resourceVersion, `${list}/${item.metadata.name}`);
    }
  }
}

test(`malformed requests over every route family get no unhandled 500 (${RUNS} runs, seed ${SEED})`, async (t) => {
  const app = await buildTestApp(t);
  const port = await listening(app.kubemock); // 127.0.0.1 only, before supertest would listen anywhere
  await seed(app);
  t.diagnostic(`FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);
  await fc.assert(
    fc.asyncProperty(requests, async (r) => {
      checkAnswer(r, await send(port, r));
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
  );
  // Alive and consistent afterwards.
  const health = await app.http.get('/healthz');
  assert.equal(health.status, 200);
  await assertConsistent(app);
  const probe = await app.http.post(`${NS}/configmaps`).send({ metadata: { name: 'after-the-fuzz' }, data: { ok: 'yes' } });
  assert.equal(probe.status, 201, JSON.stringify(probe.body));
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type Kubemock } from '../../src/app.js';
import { decodeObjectBody } from '../../src/http/content.js';
import { protobufMessageOf } from '../../src/resources/protobuf-messages.js';
import { statusOf } from '../helpers/status-error.js';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from '../../src/http/protobuf/decode.js';

// A minimal protobuf writer for hand-built test messages.
function varint(n: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}
const int = (field: number, n: number | bigint) => Buffer.concat([varint(field << 3), varint(n)]);
const bytes = (field: number, ...parts: (Buffer | string)[]) => {
  const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
  return Buffer.concat([varint((field << 3) | 2), varint(body.length), body]);
};
const str = (field: number, s: string) => bytes(field, s);
const entry = (field: number, k: string, v: string) => bytes(field, str(1, k), str(2, v));
const envelope = (apiVersion: string, kind: string, raw: Buffer, magic = 'k8s\0') =>
  Buffer.concat([Buffer.from(magic, 'latin1'), bytes(1, str(1, apiVersion), str(2, kind)), bytes(2, raw), str(3, ''), str(4, '')]);

describe('protobuf request bodies', () => {
  it('decodes a Namespace with labels, leaving out zero values as Go JSON does', () => {
    // ObjectMeta: name, empty generateName/namespace, generation 0, zero creationTimestamp, labels, annotation; spec {}; status {phase: ""}.
    const meta = Buffer.concat([
      str(1, 'team'),
      str(2, ''),
      str(3, ''),
      int(7, 0),
      bytes(8),
      entry(11, 'team', 'blue'),
      entry(11, 'tier', 'web'),
      entry(12, 'note', ''),
      int(99, 7), // an unknown field number is skipped
    ]);
    const raw = Buffer.concat([bytes(1, meta), bytes(2), bytes(3, str(1, ''))]);
    assert.deepEqual(decodeProtobufObject(envelope('v1', 'Namespace', raw), protobufMessageOf), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team', labels: { team: 'blue', tier: 'web' }, annotations: { note: '' } },
      spec: {},
      status: {},
    });
  });

  it('decodes the exact body kubectl 1.32 sends for `create namespace team`', () => {
    const body = Buffer.from(
      '6b3873000a0f0a02763112094e616d65737061636512' + '1c0a140a047465616d12001a0022002a0032003800420012001a020a001a002200',
      'hex',
    );
    assert.deepEqual(decodeProtobufObject(body, protobufMessageOf), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
      spec: {},
      status: {},
    });
  });

  it('decodes an IngressClass: a field whose .proto name (aPIGroup) is not its JSON name (apiGroup)', () => {
    // IngressClassParametersReference: aPIGroup 1, kind 2, name 3, scope 4.
    const parameters = Buffer.concat([str(1, 'k8s.example.com'), str(2, 'LBConfig'), str(3, 'lb'), str(4, 'Cluster')]);
    const raw = Buffer.concat([bytes(1, str(1, 'nginx')), bytes(2, str(1, 'example.com/ingress'), bytes(2, parameters))]);
    assert.deepEqual(decodeProtobufObject(envelope('networking.k8s.io/v1', 'IngressClass', raw), protobufMessageOf), {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx' },
      spec: {
        controller: 'example.com/ingress',
        parameters: { apiGroup: 'k8s.example.com', kind: 'LBConfig', name: 'lb', scope: 'Cluster' },
      },
    });
  });

  it('decodes a Service: repeated ports, IntOrString both ways, selector map', () => {
    const port = (name: string, p: number, target: Buffer) => bytes(1, str(1, name), str(2, 'TCP'), int(3, p), bytes(4, target), int(5, 0));
    const spec = Buffer.concat([
      port('http', 80, Buffer.concat([int(1, 0), int(2, 8080), str(3, '')])),
      port('https', 443, Buffer.concat([int(1, 1), int(2, 0), str(3, 'https')])),
      entry(2, 'app', 'web'),
      str(3, 'None'),
      str(4, 'ClusterIP'),
      str(5, '10.0.0.9'),
      str(5, '10.0.0.10'),
      bytes(14, bytes(1, int(1, 10800))),
    ]);
    const raw = Buffer.concat([bytes(1, str(1, 'web'), str(3, 'team')), bytes(2, spec), bytes(3, bytes(1))]);
    assert.deepEqual(decodeProtobufObject(envelope('v1', 'Service', raw), protobufMessageOf), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'team' },
      spec: {
        ports: [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 },
          { name: 'https', protocol: 'TCP', port: 443, targetPort: 'https' },
        ],
        selector: { app: 'web' },
        clusterIP: 'None',
        type: 'ClusterIP',
        externalIPs: ['10.0.0.9', '10.0.0.10'],
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      },
      status: { loadBalancer: {} },
    });
  });

  it('decodes a Pod: inlined volume source, quantities, times, pointers kept at zero, negative ints', () => {
    const container = Buffer.concat([
      str(1, 'debugger'),
      str(2, 'busybox'),
      str(3, 'sh'),
      str(3, '-c'),
      bytes(8, bytes(1, str(1, 'cpu'), bytes(2, str(1, '100m'))), bytes(2, str(1, 'memory'), bytes(2, str(1, '64Mi')))),
      bytes(9, str(1, 'host-root'), int(2, 1), str(3, '/host')),
      bytes(15, int(2, 1)), // securityContext.privileged: true
    ]);
    const volume = bytes(1, str(1, 'host-root'), bytes(2, bytes(1, str(1, '/'), str(2, ''))));
    const spec = Buffer.concat([
      volume,
      bytes(2, container),
      str(3, 'Never'),
      int(4, 0),
      str(10, 'node-1'),
      int(11, 1),
      int(21, 0),
      bytes(22, str(2, 'Exists')),
      int(25, -5),
    ]);
    const meta = Buffer.concat([str(1, 'dbg'), bytes(8, int(1, 1_700_000_000)), bytes(9, int(1, 1_700_000_060), int(2, 0)), int(10, 0)]);
    const raw = Buffer.concat([bytes(1, meta), bytes(2, spec)]);
    assert.deepEqual(decodeProtobufObject(envelope('v1', 'Pod', raw), protobufMessageOf), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'dbg',
        creationTimestamp: '2023-11-14T22:13:20Z',
        deletionTimestamp: '2023-11-14T22:14:20Z',
        deletionGracePeriodSeconds: 0,
      },
      spec: {
        volumes: [{ name: 'host-root', hostPath: { path: '/', type: '' } }],
        containers: [
          {
            name: 'debugger',
            image: 'busybox',
            command: ['sh', '-c'],
            resources: { limits: { cpu: '100m' }, requests: { memory: '64Mi' } },
            volumeMounts: [{ name: 'host-root', readOnly: true, mountPath: '/host' }],
            securityContext: { privileged: true },
          },
        ],
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 0,
        nodeName: 'node-1',
        hostNetwork: true,
        automountServiceAccountToken: false,
        tolerations: [{ operator: 'Exists' }],
        priority: -5,
      },
    });
  });

  it('answers 400 for a body without the k8s prefix, or cut short', () => {
    const raw = bytes(1, str(1, 'team'));
    const wrong = statusOf(() => decodeObjectBody(PROTOBUF_MEDIA_TYPE, envelope('v1', 'Namespace', raw, 'k9s\0')));
    assert.equal(wrong.code, 400);
    assert.equal(wrong.reason, 'BadRequest');
    assert.match(wrong.message, /k8s\\x00/);
    const cut = envelope('v1', 'Namespace', raw);
    const short = statusOf(() => decodeObjectBody(PROTOBUF_MEDIA_TYPE, cut.subarray(0, cut.length - 9)));
    assert.equal(short.code, 400);
    assert.match(short.message, /error decoding protobuf request body/);
    assert.equal(statusOf(() => decodeObjectBody(PROTOBUF_MEDIA_TYPE, Buffer.alloc(0))).code, 400);
  });

  it('answers 415 for a kind it has no message for', () => {
    const err = statusOf(() =>
      decodeObjectBody(`${PROTOBUF_MEDIA_TYPE}; charset=utf-8`, envelope('v1', 'PersistentVolumeClaim', bytes(1, str(1, 'cm')))),
    );
    assert.equal(err.code, 415);
    assert.equal(err.reason, 'UnsupportedMediaType');
    assert.match(err.message, /PersistentVolumeClaim in version "v1".*cannot decode from application\/vnd\.kubernetes\.protobuf/);
  });

  describe('over HTTP', () => {
    let km: Kubemock;
    before(async () => {
      km = await buildApp({ db: ':memory:', logLevel: 'silent' });
    });
    after(() => km.close());

    it('creates a Namespace from a protobuf body, answering in JSON', async () => {
      const raw = Buffer.concat([bytes(1, str(1, 'team'), entry(11, 'team', 'blue')), bytes(2), bytes(3, str(1, ''))]);
      const res = await km.fastify.inject({
        method: 'POST',
        url: '/api/v1/namespaces?fieldManager=kubectl-create&fieldValidation=Strict',
        headers: { 'content-type': PROTOBUF_MEDIA_TYPE, accept: `${PROTOBUF_MEDIA_TYPE}, application/json` },
        payload: envelope('v1', 'Namespace', raw),
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      const ns = res.json();
      assert.equal(ns.metadata.name, 'team');
      assert.deepEqual(ns.metadata.labels, { team: 'blue', 'kubernetes.io/metadata.name': 'team' });
      assert.equal(ns.status.phase, 'Active');
    });

    it('answers a Status for a bad prefix (400) and a kind without a table (415)', async () => {
      const post = (payload: Buffer) =>
        km.fastify.inject({ method: 'POST', url: '/api/v1/namespaces', headers: { 'content-type': PROTOBUF_MEDIA_TYPE }, payload });
      const bad = await post(Buffer.from('{"kind":"Namespace"}'));
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().kind, 'Status');
      assert.equal(bad.json().reason, 'BadRequest');
      const unknown = await post(envelope('v1', 'LimitRange', bytes(1, str(1, 'l'))));
      assert.equal(unknown.statusCode, 415);
      assert.equal(unknown.json().reason, 'UnsupportedMediaType');
    });
  });
});

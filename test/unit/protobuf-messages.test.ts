/**
 * Protobuf bodies of messages the upstream .proto defines, encoded here with the same descriptor
 * (protobufjs) and decoded by decodeProtobufObject into what their JSON form would be.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { protobufMessageOf } from '../../src/resources/protobuf-messages.js';
import { decodeProtobufObject } from '../../src/http/protobuf/decode.js';
import { messageType } from '../../src/http/protobuf/descriptor.js';
import { statusOf } from '../helpers/status-error.js';
import { buildTestApp } from '../helpers/build-app.js';
import { widgetCrd } from '../helpers/widget-crd.js';

const CORE = 'k8s.io.api.core.v1';
const APIEXTENSIONS = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';

function encode(message: string, fields: Record<string, unknown>): Uint8Array {
  const type = messageType(message);
  assert.ok(type, message);
  return type.encode(type.fromObject(fields)).finish();
}

/** The `k8s\0` prefix and the runtime.Unknown around an object's message. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const unknown = encode('k8s.io.apimachinery.pkg.runtime.Unknown', { typeMeta: { apiVersion, kind }, raw });
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

describe('protobuf bodies of upstream messages', () => {
  it('decodes a kind given by its upstream message name: a ConfigMap, its false immutable (a Go pointer) kept', () => {
    const configMap = encode(`${CORE}.ConfigMap`, {
      metadata: { name: 'settings', namespace: 'team', generation: 0 },
      data: { 'app.conf': 'debug = true\n' },
      binaryData: { 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
      immutable: false,
    });
    const messageOf = (apiVersion: string, kind: string) => (`${apiVersion}/${kind}` === 'v1/ConfigMap' ? `${CORE}.ConfigMap` : undefined);
    assert.deepEqual(decodeProtobufObject(envelope('v1', 'ConfigMap', configMap), messageOf), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'team' },
      data: { 'app.conf': 'debug = true\n' },
      binaryData: { 'logo.png': 'iVBORw==' },
      immutable: false,
    });
  });

  it('answers 415 when the kind names no message, or one that is not vendored', () => {
    const namespace = envelope('v1', 'Namespace', encode(`${CORE}.Namespace`, { metadata: { name: 'team' } }));
    const noMessage = statusOf(() => decodeProtobufObject(namespace, () => undefined));
    assert.equal(noMessage.code, 415);
    assert.match(noMessage.message, /Namespace in version "v1"/);
    const job = envelope('batch/v1', 'Job', encode(`${CORE}.ConfigMap`, { metadata: { name: 'j' } }));
    const notVendored = statusOf(() => decodeProtobufObject(job, () => 'k8s.io.api.batch.v1.Job'));
    assert.equal(notVendored.code, 415);
    assert.match(notVendored.message, /Job in version "batch\/v1"/);
  });

  it('inlines the embedded structs of a Pod: a probe handler, the name of a ConfigMap key reference', () => {
    const pod = encode(`${CORE}.Pod`, {
      metadata: { name: 'web' },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx',
            env: [
              {
                name: 'MODE',
                valueFrom: { configMapKeyRef: { localObjectReference: { name: 'settings' }, key: 'mode', optional: false } },
              },
            ],
            livenessProbe: {
              handler: { httpGet: { path: '/healthz', port: { type: 0, intVal: 8080 } } },
              periodSeconds: 5,
              initialDelaySeconds: 0,
            },
          },
        ],
        volumes: [{ name: 'conf', volumeSource: { configMap: { localObjectReference: { name: 'settings' }, defaultMode: 0 } } }],
      },
    });
    assert.deepEqual(decodeProtobufObject(envelope('v1', 'Pod', pod), protobufMessageOf), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: {
        volumes: [{ name: 'conf', configMap: { name: 'settings', defaultMode: 0 } }],
        containers: [
          {
            name: 'web',
            image: 'nginx',
            env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode', optional: false } } }],
            livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
          },
        ],
      },
    });
  });

  it('answers 400 for a field sent with another wire type than its own', () => {
    // ObjectMeta.name (field 1, a string) sent as a varint.
    const err = statusOf(() => decodeProtobufObject(envelope('v1', 'Namespace', Buffer.from([0x0a, 0x02, 0x08, 0x07])), protobufMessageOf));
    assert.equal(err.code, 400);
    assert.match(
      err.message,
      /^error decoding protobuf request body: v1\/Namespace: field k8s\.io\.apimachinery\.pkg\.apis\.meta\.v1\.ObjectMeta\.name was sent with wire type 0/,
    );
  });

  it('a Pod created from protobuf keeps its liveness probe', async (t) => {
    const { http } = await buildTestApp(t);
    const pod = encode(`${CORE}.Pod`, {
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx',
            livenessProbe: { handler: { tcpSocket: { port: { type: 1, strVal: 'http' } } }, periodSeconds: 7 },
          },
        ],
      },
    });
    const res = await http
      .post('/api/v1/namespaces/default/pods')
      .set('Content-Type', 'application/vnd.kubernetes.protobuf')
      .set('Accept', 'application/vnd.kubernetes.protobuf,application/json')
      .send(envelope('v1', 'Pod', pod))
      .expect(201);
    assert.deepEqual(res.body.spec.containers[0].livenessProbe, {
      tcpSocket: { port: 'http' },
      periodSeconds: 7,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('a CustomResourceDefinition from protobuf: JSON defaults, schema-or-bool, schema-or-array and x-kubernetes names as in JSON', async (t) => {
    const { http } = await buildTestApp(t);
    // The Widget CRD with its schema in the proto message's own field names (fromObject skips apiVersion and kind: the envelope carries them).
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          required: ['size'],
          properties: {
            size: { type: 'integer', default: { raw: Buffer.from('3') }, maximum: 5 },
            tags: { type: 'array', items: { schema: { type: 'string' } }, xKubernetesListType: 'set' },
            labels: { type: 'object', additionalProperties: { schema: { type: 'string' } } },
            closed: { type: 'object', additionalProperties: { allows: false } },
            extra: { type: 'object', xKubernetesPreserveUnknownFields: true },
          },
        },
      },
    };
    const crd = encode(`${APIEXTENSIONS}.CustomResourceDefinition`, widgetCrd({ schema }));
    const res = await http
      .post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')
      .set('Content-Type', 'application/vnd.kubernetes.protobuf')
      .send(envelope('apiextensions.k8s.io/v1', 'CustomResourceDefinition', crd))
      .expect(201);
    assert.deepEqual(res.body.spec.versions[0].schema.openAPIV3Schema.properties.spec, {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', default: 3, maximum: 5 },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        closed: { type: 'object', additionalProperties: false },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    });
    assert.deepEqual(res.body.spec.names, { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' });
  });
});

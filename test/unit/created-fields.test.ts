import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../src/resources/index.js';
import { recordUpdateOwnership } from '../../src/registry/field-ownership.js';
import { encodeManagers, type ManagedFieldsEntry } from '../../src/apimachinery/managed-fields/managers.js';
import { recordUpdate } from '../../src/apimachinery/managed-fields/updater.js';
import { FieldSet } from '../../src/apimachinery/managed-fields/field-set.js';
import { fieldElement } from '../../src/apimachinery/managed-fields/path-element.js';
import { CreatedFieldsMemo, shapeHash, shapeKey } from '../../src/apimachinery/managed-fields/created-fields.js';
import { DEFAULT_RESET_FIELDS, apiVersionOf, type ResourceDefinition } from '../../src/registry/resource-definition.js';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { rfc3339 } from '../../src/apimachinery/object.js';

const NOW = Date.UTC(2026, 11, 4, 21, 0, 0);

function def(resource: string, group = ''): ResourceDefinition {
  const d = resources.find((r) => r.plural === resource && r.group === group);
  assert.ok(d, resource);
  return d;
}

/** What a create records through recordUpdate itself, from nothing (no shape table). */
function direct(d: ResourceDefinition, obj: KubeObject, manager: string): unknown {
  const { managedFields: _m, ...metadata } = obj.metadata;
  const declared = d.resetFields ?? (d.statusStrategy ? DEFAULT_RESET_FIELDS : { main: [], status: [] });
  const reset = FieldSet.of(...declared.main.map((p) => p.split('.').map(fieldElement)));
  const next = recordUpdate(
    () => new Map(),
    {},
    { ...obj, metadata },
    {
      schema: d.schema,
      manager,
      apiVersion: apiVersionOf(d),
      reset,
      now: rfc3339(NOW),
      ...(d.protobuf ? { message: d.protobuf } : {}),
    },
  );
  return next && encodeManagers(next);
}

function recorded(d: ResourceDefinition, obj: KubeObject, manager: string): unknown {
  const copy = structuredClone(obj);
  recordUpdateOwnership(d, d.schema, undefined, copy, { fieldManager: manager }, NOW);
  return copy.metadata.managedFields;
}

/** A NodeSelector (an atomic struct) that pins a pod to `node`, as the DaemonSet controller writes it. */
const pinnedTo = (node: string) => ({
  nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
});

const pod = (name: string, extra: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-12-04T21:00:00Z', ...extra },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] }], ...spec },
  status: { phase: 'Pending' },
});

describe('fields a create records, by the object shape', () => {
  it('match what recordUpdate records for every object, whatever objects of the same shape came before', () => {
    const pods = def('pods');
    const cms = def('configmaps');
    const slices = def('endpointslices', 'discovery.k8s.io');
    // addressType is always written (no omitempty): set to "", its Go zero, it is no change from the zero.
    const slice = (name: string, addressType: string) =>
      ({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name, namespace: 'default' },
        addressType,
        endpoints: [],
      }) as unknown as KubeObject;
    const objects: [ResourceDefinition, KubeObject][] = [
      [pods, pod('a', { labels: { app: 'x' } })],
      [pods, pod('b', { labels: { app: 'y' } })],
      [pods, pod('c', { labels: { tier: 'y' } })],
      [pods, pod('d', {}, { containers: [{ name: 'other', image: 'nginx:1.25' }] })],
      [pods, pod('e', {}, { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 81, protocol: 'TCP' }] }] })],
      [pods, pod('f', {}, { nodeName: '' })],
      [pods, pod('g', {}, { nodeName: 'node-1' })],
      [pods, pod('h', {}, { hostNetwork: false })],
      [pods, pod('i', {}, { hostNetwork: true })],
      [pods, pod('j', {}, { priority: 0 })],
      [pods, pod('k', {}, { priority: 7 })],
      [pods, pod('l', { annotations: {} })],
      [pods, pod('m', { annotations: { a: '' } })],
      [pods, pod('n', { generateName: 'n-', managedFields: [] })],
      // An atomic node selector (one leaf, whatever it names), empty or not, and an atomic list.
      [pods, pod('o', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pinnedTo('node-1') } } })],
      [pods, pod('p', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pinnedTo('node-2') } } })],
      [pods, pod('q', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } })],
      [pods, pod('r', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } })],
      [cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data: { k: 'v' } }],
      [cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y', namespace: 'default' }, data: { k: '' } }],
      [cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'z', namespace: 'default' } }],
      [slices, slice('a', 'IPv4')],
      [slices, slice('b', '')],
      [slices, slice('c', 'IPv6')],
    ];
    // Twice: the second round is answered from the table.
    for (let round = 0; round < 2; round++)
      for (const [d, obj] of objects)
        for (const manager of ['kubectl-create', 'kube-controller-manager'])
          assert.deepEqual(recorded(d, obj, manager), direct(d, obj, manager), `${obj.metadata.name} (${manager}, round ${round})`);
  });

  it('gives the objects of one shape the one encoding (read only: stored objects are never changed in place)', () => {
    const pods = def('pods');
    const a = pod('a2');
    const b = pod('b2');
    recordUpdateOwnership(pods, pods.schema, undefined, a, {}, NOW);
    recordUpdateOwnership(pods, pods.schema, undefined, b, {}, NOW);
    const entry = (o: KubeObject) => (o.metadata.managedFields as ManagedFieldsEntry[])[0];
    assert.equal(entry(a).fieldsV1, entry(b).fieldsV1);
    assert.deepEqual(a.metadata.managedFields, b.metadata.managedFields);
  });

  it('tells apart what a field set may depend on: keys, list items, containers, Go zeros', () => {
    assert.equal(shapeKey({ a: 'x', b: { c: 1 } }), shapeKey({ a: 'y', b: { c: 2 } }));
    assert.notEqual(shapeKey({ a: 'x' }), shapeKey({ b: 'x' }));
    assert.notEqual(shapeKey({ a: 'x' }), shapeKey({ a: '' }));
    assert.notEqual(shapeKey({ a: 1 }), shapeKey({ a: 0 }));
    assert.notEqual(shapeKey({ a: true }), shapeKey({ a: false }));
    assert.notEqual(shapeKey({ a: 'x' }), shapeKey({ a: 1 }));
    assert.notEqual(shapeKey({ a: {} }), shapeKey({ a: null }));
    assert.notEqual(shapeKey({ a: [{ name: 'p' }] }), shapeKey({ a: [{ name: 'q' }] }));
    assert.notEqual(shapeKey({ a: [] }), shapeKey({ a: {} }));
  });

  it('writes every key as a JSON string, and reads a field name along the schema node it is under', () => {
    assert.equal(shapeKey({ 'a"b': 'x', 'c\\d': 1, e: {} }), '{"a\\"b":s,"c\\\\d":n,"e":{},}');
    assert.notEqual(shapeKey({ 'a"': 'x' }), shapeKey({ 'a\\"': 'x' }));
    const schema = def('pods').schema;
    // nodeSelector (atomic under a pod's spec) and a label of the same name: one read as a leaf, the other walked.
    const selector = { nodeSelector: { a: 'x' } };
    assert.equal(shapeKey(pod('x', {}, selector), schema), shapeKey(pod('x', {}, { nodeSelector: { b: 'y' } }), schema));
    const labelled = (labels: Record<string, string>) => ({ ...pod('x'), metadata: { ...pod('x').metadata, labels } });
    assert.notEqual(shapeKey(labelled({ nodeSelector: 'x' }), schema), shapeKey(labelled({ other: 'x' }), schema));
    // A map with more names than a node remembers (they start afresh): the same key every time.
    const many = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${i}`, String(i)]));
    assert.equal(shapeKey(labelled(many), schema), shapeKey(labelled({ ...many }), schema));
    assert.match(shapeKey(labelled(many), schema), /"k1":s,.*"k599":s,/);
  });

  it('reads an atomic value (a leaf however it is made) as empty or not, along the schema', () => {
    const schema = def('pods').schema;
    const pinned = (node: string) =>
      pod('x', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pinnedTo(node) } } });
    assert.equal(shapeKey(pinned('node-1'), schema), shapeKey(pinned('node-2'), schema), 'pods pinned to two nodes: one shape');
    assert.notEqual(shapeKey(pinned('node-1')), shapeKey(pinned('node-2')), 'without the schema every value counts');
    const empty = pod('x', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } });
    assert.notEqual(shapeKey(empty, schema), shapeKey(pinned('node-1'), schema));
    const ports = (n: number) => pod('x', {}, { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: n, protocol: 'TCP' }] }] });
    assert.notEqual(shapeKey(ports(80), schema), shapeKey(ports(81), schema), 'a granular list keeps its items');
  });

  it('tells apart two shapes of one hash', () => {
    // Objects of one key each, differing in its name: find two whose shapes hash alike.
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const key = `k${i}`;
      const hash = shapeHash({ [key]: {} });
      const other = seen.get(hash);
      if (other !== undefined) pair = [other, key];
      else seen.set(hash, key);
    }
    const [a, b] = pair;
    assert.notEqual(shapeKey({ [a]: {} }), shapeKey({ [b]: {} }));
    const memo = new CreatedFieldsMemo();
    const computed: string[] = [];
    const encodedFor = (key: string) =>
      memo.encoded({ [key]: {} }, () => {
        computed.push(key);
        return FieldSet.of([fieldElement(key)]);
      });
    assert.deepEqual(encodedFor(a), { [`f:${a}`]: {} });
    assert.deepEqual(encodedFor(b), { [`f:${b}`]: {} });
    assert.deepEqual(encodedFor(a), { [`f:${a}`]: {} });
    assert.deepEqual(encodedFor(b), { [`f:${b}`]: {} });
    assert.deepEqual(computed, [a, b], 'each shape computed once');
  });
});

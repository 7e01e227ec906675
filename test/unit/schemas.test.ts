import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { X } from '../../src/apimachinery/schemas/extensions.js';
import { DeleteOptionsSchema, ObjectMetaSchema, StatusSchema } from '../../src/apimachinery/schemas/meta.js';
import { RollingUpdateDaemonSetSchema } from '../../src/resources/apps-schemas/daemonset.js';
import { ContainerSchema, EphemeralContainerSchema } from '../../src/resources/core-schemas/container.js';
import { PodSpecSchema } from '../../src/resources/core-schemas/pod-spec.js';
import { kindSchemas, listSchemas, type DaemonSet, type Pod } from '../../src/resources/schemas.js';

type Schema = Record<string, unknown> & {
  $id?: string;
  description?: string;
  type?: string;
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  items?: Schema;
};

const all: [string, Schema][] = [
  ...Object.entries(kindSchemas),
  ...Object.entries(listSchemas),
  ['meta/Status', StatusSchema],
  ['meta/DeleteOptions', DeleteOptionsSchema],
] as [string, Schema][];

/** Visits every schema reachable through properties, items and map values, with its JSON path. */
function walk(schema: Schema, visit: (s: Schema, path: string) => void, path = ''): void {
  visit(schema, path);
  for (const [name, child] of Object.entries(schema.properties ?? {})) walk(child, visit, `${path}.${name}`);
  if (schema.items) walk(schema.items, visit, `${path}[]`);
  for (const child of Object.values(schema.patternProperties ?? {})) walk(child, visit, `${path}{}`);
}

/** Paths of `value` that `schema` does not declare (open maps and preserve-unknown objects excepted). */
function undeclared(value: unknown, schema: Schema, path = ''): string[] {
  if (schema[X.preserveUnknownFields] === true || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) {
    return schema.items ? value.flatMap((v, i) => undeclared(v, schema.items!, `${path}[${i}]`)) : [];
  }
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const child = schema.properties?.[key] ?? Object.values(schema.patternProperties ?? {})[0];
    if (!child) out.push(`${path}.${key}`);
    else out.push(...undeclared(v, child, `${path}.${key}`));
  }
  return out;
}

function byPath(schema: Schema, path: string): Schema {
  let s = schema;
  for (const part of path.split('.')) {
    const name = part.replace(/\[\]$/, '');
    s = s.properties![name]!;
    assert.ok(s, `no property ${name} in ${path}`);
    if (part.endsWith('[]')) s = s.items!;
  }
  return s;
}

describe('resource schemas', () => {
  it('give every top-level schema an $id and every kind a group-version-kind', () => {
    for (const [key, schema] of all) {
      assert.match(schema.$id ?? '', /^io\.k8s\./, `${key} has no $id`);
      const gvk = schema[X.gvk] as { group: string; version: string; kind: string }[] | undefined;
      assert.ok(gvk && gvk.length > 0, `${key} has no ${X.gvk}`);
      if (key.includes('/') && !key.startsWith('meta/')) {
        const { group, version, kind } = gvk[0];
        assert.equal(`${group ? `${group}/` : ''}${version}/${kind}`, key);
      }
    }
  });

  it('give every nested object type an $id and keep one shape per $id', () => {
    const shapes = new Map<string, string>();
    const strip = (s: unknown): unknown => JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === 'description' ? undefined : v)));
    for (const [key, schema] of all) {
      walk(schema, (s, path) => {
        if (s.type === 'object' && s.properties) assert.ok(s.$id, `${key}${path} is an object type without $id`);
        if (!s.$id) return;
        const shape = JSON.stringify(strip(s));
        const seen = shapes.get(s.$id);
        if (seen === undefined) shapes.set(s.$id, shape);
        else assert.equal(shape, seen, `${s.$id} has two different shapes (seen at ${key}${path})`);
      });
    }
    assert.ok(shapes.size > 100, `only ${shapes.size} named types`);
  });

  it('describe every type and every property', () => {
    for (const [key, schema] of all) {
      walk(schema, (s, path) => {
        if (s.$id) assert.ok(s.description?.trim(), `${key}${path} (${s.$id}) has no description`);
        for (const [name, prop] of Object.entries(s.properties ?? {})) {
          assert.ok(prop.description?.trim(), `${key}${path}.${name} has no description`);
        }
      });
    }
  });

  it('carry the strategic-merge keys and list types of upstream', () => {
    const cases: [Schema, string, string, string[]][] = [
      [PodSpecSchema, 'containers', 'name', ['name']],
      [PodSpecSchema, 'initContainers', 'name', ['name']],
      [PodSpecSchema, 'ephemeralContainers', 'name', ['name']],
      [PodSpecSchema, 'volumes', 'name', ['name']],
      [PodSpecSchema, 'imagePullSecrets', 'name', ['name']],
      [ContainerSchema, 'env', 'name', ['name']],
      [ContainerSchema, 'ports', 'containerPort', ['containerPort', 'protocol']],
      [ContainerSchema, 'volumeMounts', 'mountPath', ['mountPath']],
      [EphemeralContainerSchema, 'volumeMounts', 'mountPath', ['mountPath']],
      [ObjectMetaSchema, 'ownerReferences', 'uid', ['uid']],
    ];
    for (const [schema, name, key, mapKeys] of cases) {
      const list = schema.properties![name];
      assert.equal(list[X.patchMergeKey], key, `${schema.$id}.${name}`);
      assert.match(String(list[X.patchStrategy]), /^merge/, `${schema.$id}.${name}`);
      assert.equal(list[X.listType], 'map', `${schema.$id}.${name}`);
      assert.deepEqual(list[X.listMapKeys], mapKeys, `${schema.$id}.${name}`);
    }
    assert.equal(PodSpecSchema.properties.volumes[X.patchStrategy], 'merge,retainKeys');
    assert.equal(PodSpecSchema.properties.tolerations[X.listType], 'atomic');
    assert.equal(PodSpecSchema.properties.tolerations[X.patchMergeKey], undefined);
    assert.equal(PodSpecSchema.properties.nodeSelector[X.mapType], 'atomic');
    const finalizers = (ObjectMetaSchema as Schema).properties!.finalizers;
    assert.equal(finalizers[X.listType], 'set');
    assert.equal(finalizers[X.patchStrategy], 'merge');
    const ds = kindSchemas['apps/v1/DaemonSet'] as Schema;
    assert.equal(byPath(ds, 'status.conditions')[X.patchMergeKey], 'type');
    assert.equal(byPath(ds, 'spec.selector')[X.mapType], 'atomic');
    assert.equal(byPath(kindSchemas['v1/Node'] as Schema, 'status.addresses')[X.patchMergeKey], 'type');
  });

  it('mark int-or-string, quantities, integers and timestamps', () => {
    const ds = kindSchemas['apps/v1/DaemonSet'] as Schema;
    assert.equal(byPath(ds, 'spec.updateStrategy.rollingUpdate.maxUnavailable')[X.intOrString], true);
    assert.equal(byPath(ds, 'status.observedGeneration').format, 'int64');
    assert.equal(byPath(ds, 'spec.minReadySeconds').format, 'int32');
    assert.equal(byPath(ds, 'metadata.creationTimestamp').format, 'date-time');
    const limits = byPath(ds, 'spec.template.spec.containers[].resources.limits');
    assert.equal(Object.values(limits.patternProperties!)[0][X.intOrString], true);
    const data = byPath(kindSchemas['apps/v1/ControllerRevision'], 'data');
    assert.equal(data[X.preserveUnknownFields], true);
    const rolling = RollingUpdateDaemonSetSchema;
    assert.ok(Value.Check(rolling, { maxUnavailable: '10%', maxSurge: 1 }));
    assert.ok(!Value.Check(rolling, { maxUnavailable: 1.5 }));
    assert.ok(Value.Check(ObjectMetaSchema, { creationTimestamp: '2025-01-02T03:04:05Z' }));
    assert.ok(!Value.Check(ObjectMetaSchema, { creationTimestamp: 'yesterday' }));
    const resources = byPath(ds, 'spec.template.spec.containers[].resources');
    assert.ok(Value.Check(resources as never, { limits: { cpu: 0.5, memory: '200Mi' } }));
    assert.ok(!Value.Check(resources as never, { limits: { cpu: true } }));
  });

  it('declare every field of the tutorial DaemonSet, which validates', () => {
    const ds = parse(readFileSync(new URL('../fixtures/tutorial-daemonset.yaml', import.meta.url), 'utf8')) as unknown;
    const schema = kindSchemas['apps/v1/DaemonSet'] as Schema;
    assert.deepEqual(undeclared(ds, schema), []);
    assert.deepEqual(
      [...Value.Errors(kindSchemas['apps/v1/DaemonSet'], ds)].map((e) => `${e.path}: ${e.message}`),
      [],
    );
    const typed = ds as DaemonSet;
    const container = typed.spec?.template.spec?.containers[0];
    assert.equal(container?.resources?.limits?.['memory'], '200Mi');
    assert.equal(typed.spec?.template.spec?.volumes?.[0]?.hostPath?.path, '/var/log');
    const pod: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } };
    assert.ok(Value.Check(kindSchemas['v1/Pod'], pod));
    const typo = structuredClone(ds) as { spec: { template: { spec: Record<string, unknown> } } };
    typo.spec.template.spec['tolerationz'] = [];
    assert.deepEqual(undeclared(typo, schema), ['.spec.template.spec.tolerationz']);
  });
});

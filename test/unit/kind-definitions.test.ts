/**
 * The list of kind definitions is the one source: each folder of src/resources with a definition
 * joins it, each definition carries its schemas and protobuf message, and the schema maps, the
 * protobuf message look-up and the status strategy derive from it.
 */
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { X } from '../../src/apimachinery/schemas/extensions.js';
import { apiVersionOf, statusKeepsSpec } from '../../src/registry/resource-definition.js';
import { servedDefinitions } from '../../src/registry/served-versions.js';
import { resources } from '../../src/resources/index.js';
import { inServingOrder } from '../../src/resources/kind-order.js';
import { protobufMessageOf } from '../../src/resources/protobuf-messages.js';
import { kindSchemas, listSchemas, schemaFor } from '../../src/resources/schemas.js';

const RESOURCES_DIR = fileURLToPath(new URL('../../src/resources/', import.meta.url));

describe('kind definitions', () => {
  it('every folder with a definition.ts joins the list; groups in the order of their discovery priorities (the core group first)', () => {
    const folders = readdirSync(RESOURCES_DIR).filter((f) => existsSync(`${RESOURCES_DIR}${f}/definition.ts`));
    assert.ok(folders.includes('configmaps') && folders.includes('pods'), folders.join(' '));
    assert.ok(resources.length >= folders.length);
    assert.deepEqual(
      [...new Set(resources.map((d) => d.group))],
      [
        '',
        'apps',
        'authentication.k8s.io',
        'authorization.k8s.io',
        'networking.k8s.io',
        'policy',
        'rbac.authorization.k8s.io',
        'apiextensions.k8s.io',
        'coordination.k8s.io',
        'node.k8s.io',
        'discovery.k8s.io',
      ],
    );
    assert.ok(resources.some((d) => d.kind === 'ConfigMap' && d.plural === 'configmaps'));
  });

  it('a group without a discovery priority comes after those with one, by name; a group keeps its folders in order', () => {
    const kind = (group: string, kind: string) => ({ default: { ...resources[0], group, kind } });
    const ordered = inServingOrder([
      ['a', kind('zz.example.com', 'A')],
      ['b', kind('policy', 'B')],
      ['c', kind('aa.example.com', 'C')],
      ['d', kind('apps', 'D')],
      ['e', kind('', 'E')],
      ['f', kind('apps', 'F')],
    ]);
    assert.deepEqual(
      ordered.map((d) => `${d.group}:${d.kind}`),
      [':E', 'apps:D', 'apps:F', 'policy:B', 'aa.example.com:C', 'zz.example.com:A'],
    );
  });

  it('each served kind carries schemas naming its own group, version and kind, and an upstream protobuf message', () => {
    for (const def of servedDefinitions(resources)) {
      const id = `${apiVersionOf(def)}/${def.kind}`;
      assert.deepEqual(def.schema[X.gvk], [{ group: def.group, version: def.version, kind: def.kind }], id);
      assert.deepEqual(def.listSchema[X.gvk], [{ group: def.group, version: def.version, kind: def.listKind }], id);
      // apiextensions' messages live in their own Go module's package.
      const module = def.group === 'apiextensions.k8s.io' ? 'apiextensions_apiserver\\.pkg\\.apis' : 'api';
      assert.match(def.protobuf, new RegExp(`^k8s\\.io\\.${module}\\.[a-z]+\\.${def.version}\\.${def.kind}$`), id);
    }
  });

  it("kindSchemas, listSchemas and schemaFor are the definitions' schemas", () => {
    const stored = resources.filter((d) => !d.virtual);
    assert.deepEqual(Object.keys(kindSchemas).sort(), stored.map((d) => `${apiVersionOf(d)}/${d.kind}`).sort());
    for (const def of stored) {
      assert.equal(kindSchemas[`${apiVersionOf(def)}/${def.kind}`], def.schema);
      assert.equal(listSchemas[`${apiVersionOf(def)}/${def.listKind}`], def.listSchema);
    }
    const configMaps = resources.find((d) => d.plural === 'configmaps')!;
    assert.equal(schemaFor('v1', 'ConfigMap'), configMaps.schema);
    assert.equal(schemaFor('v1', 'ConfigMapList'), configMaps.listSchema);
    const eventsV1 = servedDefinitions(resources).find((d) => d.group === 'events.k8s.io')!;
    assert.equal(schemaFor('events.k8s.io/v1', 'Event'), eventsV1.schema);
    assert.equal(schemaFor('v1', 'Nothing'), undefined);
  });

  it('protobufMessageOf names the upstream message of every kind a request body may carry', () => {
    const cases: [string, string, string | undefined][] = [
      ['v1', 'Pod', 'k8s.io.api.core.v1.Pod'],
      ['v1', 'ConfigMap', 'k8s.io.api.core.v1.ConfigMap'],
      ['apps/v1', 'DaemonSet', 'k8s.io.api.apps.v1.DaemonSet'],
      ['coordination.k8s.io/v1', 'Lease', 'k8s.io.api.coordination.v1.Lease'],
      ['events.k8s.io/v1', 'Event', 'k8s.io.api.events.v1.Event'],
      ['v1', 'Binding', 'k8s.io.api.core.v1.Binding'],
      ['policy/v1', 'Eviction', 'k8s.io.api.policy.v1.Eviction'],
      ['policy/v1beta1', 'Eviction', 'k8s.io.api.policy.v1beta1.Eviction'],
      ['meta.k8s.io/v1', 'DeleteOptions', 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions'],
      ['v1', 'DeleteOptions', 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions'],
      ['authorization.k8s.io/v1', 'SelfSubjectAccessReview', 'k8s.io.api.authorization.v1.SelfSubjectAccessReview'],
      ['authentication.k8s.io/v1', 'SelfSubjectReview', 'k8s.io.api.authentication.v1.SelfSubjectReview'],
      ['v1', 'PodList', undefined],
      ['policy/v1', 'PodDisruptionBudget', 'k8s.io.api.policy.v1.PodDisruptionBudget'],
      ['policy/v1beta1', 'PodDisruptionBudget', undefined],
      ['node.k8s.io/v1', 'RuntimeClass', 'k8s.io.api.node.v1.RuntimeClass'],
      ['node.k8s.io/v1beta1', 'RuntimeClass', undefined],
      ['networking.k8s.io/v1', 'NetworkPolicy', 'k8s.io.api.networking.v1.NetworkPolicy'],
      ['networking.k8s.io/v1', 'Ingress', 'k8s.io.api.networking.v1.Ingress'],
      ['networking.k8s.io/v1', 'IngressClass', 'k8s.io.api.networking.v1.IngressClass'],
      ['networking.k8s.io/v1', 'ServiceCIDR', 'k8s.io.api.networking.v1.ServiceCIDR'],
      ['networking.k8s.io/v1', 'IPAddress', 'k8s.io.api.networking.v1.IPAddress'],
      ['networking.k8s.io/v1beta1', 'Ingress', undefined],
      ['networking.k8s.io/v1beta1', 'IPAddress', undefined],
      ['apps/v1', 'Pod', undefined],
    ];
    for (const [apiVersion, kind, message] of cases) assert.equal(protobufMessageOf(apiVersion, kind), message, `${apiVersion}/${kind}`);
  });

  it("statusKeepsSpec: a status write keeps the stored spec, then applies the kind's own rules", () => {
    const seen: string[] = [];
    const strategy = statusKeepsSpec<KubeObject>({
      prepareForUpdate: (obj) => void seen.push(JSON.stringify(obj.spec)),
      validateUpdate: () => [],
    });
    const old: KubeObject = { metadata: { name: 'a' }, spec: { replicas: 1 }, status: { ready: 0 } };
    const obj: KubeObject = { metadata: { name: 'a' }, spec: { replicas: 5 }, status: { ready: 1 } };
    strategy.prepareForUpdate!(obj, old);
    assert.deepEqual([obj.spec, obj.status], [{ replicas: 1 }, { ready: 1 }]);
    assert.deepEqual(seen, ['{"replicas":1}'], "the kind's hook sees the kept spec");
    assert.ok(strategy.validateUpdate);
    const bare = { metadata: { name: 'b' }, spec: { x: 2 } } as KubeObject;
    statusKeepsSpec().prepareForUpdate!(bare, { metadata: { name: 'b' } });
    assert.equal(bare.spec, undefined, 'a stored object without a spec keeps none');
  });
});

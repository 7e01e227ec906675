/**
 * Go's field order: the schemas declare each type's fields in the order of its Go struct (read in
 * k8s.io/api and k8s.io/apimachinery types.go), and inSchemaOrder puts any value into that order,
 * map keys sorted as encoding/json sorts them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type, type TSchema } from '@sinclair/typebox';
import { inSchemaOrder } from '../../src/apimachinery/schema-order.js';
import { propertyNames } from '../../src/apimachinery/schema-walk.js';
import { openObject, stringMap } from '../../src/apimachinery/schemas/extensions.js';
import {
  ManagedFieldsEntrySchema,
  ObjectMetaSchema,
  StatusCauseSchema,
  StatusDetailsSchema,
  StatusSchema,
} from '../../src/apimachinery/schemas/meta.js';
import { canonicalize } from '../../src/registry/serialize.js';
import {
  ContainerSchema,
  ContainerStatusSchema,
  DaemonSetSchema,
  DaemonSetSpecSchema,
  DaemonSetStatusSchema,
  EventSchema,
  kindSchemas,
  listSchemas,
  PodSpecSchema,
  PodStatusSchema,
  schemaFor,
  ServiceSpecSchema,
} from '../../src/resources/schemas.js';
import { NodeStatusSchema } from '../../src/resources/core-schemas/node.js';
import { LeaseSpecSchema } from '../../src/resources/coordination-schemas/lease.js';
import { PodDisruptionBudgetSpecSchema, PodDisruptionBudgetStatusSchema } from '../../src/resources/poddisruptionbudgets/schema.js';
import { OverheadSchema, RuntimeClassSchema, SchedulingSchema } from '../../src/resources/runtimeclasses/schema.js';
import {
  IPBlockSchema,
  NetworkPolicyPeerSchema,
  NetworkPolicyPortSchema,
  NetworkPolicySpecSchema,
} from '../../src/resources/networkpolicies/schema.js';
import { IngressClassParametersReferenceSchema, IngressClassSpecSchema } from '../../src/resources/ingressclasses/schema.js';
import {
  HTTPIngressPathSchema,
  IngressBackendSchema,
  IngressLoadBalancerIngressSchema,
  IngressSchema,
  IngressSpecSchema,
  IngressTLSSchema,
} from '../../src/resources/ingresses/schema.js';
import { ServiceCIDRSchema, ServiceCIDRSpecSchema, ServiceCIDRStatusSchema } from '../../src/resources/servicecidrs/schema.js';
import { IPAddressSchema, IPAddressSpecSchema, ParentReferenceSchema } from '../../src/resources/ipaddresses/schema.js';
import { ConditionSchema } from '../../src/apimachinery/schemas/condition.js';
import { orderProblems, scrambled } from '../helpers/field-order.js';
import { seededRandom } from '../../src/http/control/fault-rules.js';

// The json names of each Go struct's fields in declaration order (embedded structs inlined), as in
// k8s.io/api core/v1, apps/v1, coordination/v1, networking/v1, node/v1, policy/v1 and k8s.io/apimachinery meta/v1 types.go.
const TYPE_META = ['kind', 'apiVersion'];
const GO_ORDER: [string, TSchema, string[]][] = [
  [
    'Container',
    ContainerSchema,
    [
      'name',
      'image',
      'command',
      'args',
      'workingDir',
      'ports',
      'envFrom',
      'env',
      'resources',
      'resizePolicy',
      'restartPolicy',
      'restartPolicyRules',
      'volumeMounts',
      'volumeDevices',
      'livenessProbe',
      'readinessProbe',
      'startupProbe',
      'lifecycle',
      'terminationMessagePath',
      'terminationMessagePolicy',
      'imagePullPolicy',
      'securityContext',
      'stdin',
      'stdinOnce',
      'tty',
    ],
  ],
  [
    'PodSpec',
    PodSpecSchema,
    [
      'volumes',
      'initContainers',
      'containers',
      'ephemeralContainers',
      'restartPolicy',
      'terminationGracePeriodSeconds',
      'activeDeadlineSeconds',
      'dnsPolicy',
      'nodeSelector',
      'serviceAccountName',
      'serviceAccount',
      'automountServiceAccountToken',
      'nodeName',
      'hostNetwork',
      'hostPID',
      'hostIPC',
      'shareProcessNamespace',
      'securityContext',
      'imagePullSecrets',
      'hostname',
      'subdomain',
      'affinity',
      'schedulerName',
      'tolerations',
      'hostAliases',
      'priorityClassName',
      'priority',
      'dnsConfig',
      'readinessGates',
      'runtimeClassName',
      'enableServiceLinks',
      'preemptionPolicy',
      'overhead',
      'topologySpreadConstraints',
      'setHostnameAsFQDN',
      'os',
      'hostUsers',
      'schedulingGates',
      'resourceClaims',
      'resources',
    ],
  ],
  [
    'PodStatus',
    PodStatusSchema,
    [
      'observedGeneration',
      'phase',
      'conditions',
      'message',
      'reason',
      'nominatedNodeName',
      'hostIP',
      'hostIPs',
      'podIP',
      'podIPs',
      'startTime',
      'initContainerStatuses',
      'containerStatuses',
      'qosClass',
      'ephemeralContainerStatuses',
      'resize',
      'resourceClaimStatuses',
    ],
  ],
  [
    'ContainerStatus',
    ContainerStatusSchema,
    [
      'name',
      'state',
      'lastState',
      'ready',
      'restartCount',
      'image',
      'imageID',
      'containerID',
      'started',
      'allocatedResources',
      'resources',
      'volumeMounts',
      'user',
      'allocatedResourcesStatus',
      'stopSignal',
    ],
  ],
  ['DaemonSet', DaemonSetSchema, [...TYPE_META, 'metadata', 'spec', 'status']],
  ['DaemonSetSpec', DaemonSetSpecSchema, ['selector', 'template', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit']],
  [
    'DaemonSetStatus',
    DaemonSetStatusSchema,
    [
      'currentNumberScheduled',
      'numberMisscheduled',
      'desiredNumberScheduled',
      'numberReady',
      'observedGeneration',
      'updatedNumberScheduled',
      'numberAvailable',
      'numberUnavailable',
      'collisionCount',
      'conditions',
    ],
  ],
  [
    'NodeStatus',
    NodeStatusSchema,
    [
      'capacity',
      'allocatable',
      'phase',
      'conditions',
      'addresses',
      'daemonEndpoints',
      'nodeInfo',
      'images',
      'volumesInUse',
      'volumesAttached',
      'config',
      'runtimeHandlers',
      'features',
    ],
  ],
  [
    'ServiceSpec',
    ServiceSpecSchema,
    [
      'ports',
      'selector',
      'clusterIP',
      'clusterIPs',
      'type',
      'externalIPs',
      'sessionAffinity',
      'loadBalancerIP',
      'loadBalancerSourceRanges',
      'externalName',
      'externalTrafficPolicy',
      'healthCheckNodePort',
      'publishNotReadyAddresses',
      'sessionAffinityConfig',
      'ipFamilies',
      'ipFamilyPolicy',
      'allocateLoadBalancerNodePorts',
      'loadBalancerClass',
      'internalTrafficPolicy',
      'trafficDistribution',
    ],
  ],
  ['PodDisruptionBudgetSpec', PodDisruptionBudgetSpecSchema, ['minAvailable', 'selector', 'maxUnavailable', 'unhealthyPodEvictionPolicy']],
  [
    'PodDisruptionBudgetStatus',
    PodDisruptionBudgetStatusSchema,
    ['observedGeneration', 'disruptedPods', 'disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods', 'conditions'],
  ],
  ['RuntimeClass', RuntimeClassSchema, [...TYPE_META, 'metadata', 'handler', 'overhead', 'scheduling']],
  ['Overhead', OverheadSchema, ['podFixed']],
  ['Scheduling', SchedulingSchema, ['nodeSelector', 'tolerations']],
  // k8s.io/api networking/v1 types.go.
  ['NetworkPolicySpec', NetworkPolicySpecSchema, ['podSelector', 'ingress', 'egress', 'policyTypes']],
  ['NetworkPolicyPort', NetworkPolicyPortSchema, ['protocol', 'port', 'endPort']],
  ['NetworkPolicyPeer', NetworkPolicyPeerSchema, ['podSelector', 'namespaceSelector', 'ipBlock']],
  ['IPBlock', IPBlockSchema, ['cidr', 'except']],
  ['Ingress', IngressSchema, [...TYPE_META, 'metadata', 'spec', 'status']],
  ['IngressSpec', IngressSpecSchema, ['ingressClassName', 'defaultBackend', 'tls', 'rules']],
  ['IngressTLS', IngressTLSSchema, ['hosts', 'secretName']],
  ['HTTPIngressPath', HTTPIngressPathSchema, ['path', 'pathType', 'backend']],
  ['IngressBackend', IngressBackendSchema, ['service', 'resource']],
  ['IngressLoadBalancerIngress', IngressLoadBalancerIngressSchema, ['ip', 'hostname', 'ports']],
  ['IngressClassSpec', IngressClassSpecSchema, ['controller', 'parameters']],
  ['IngressClassParametersReference', IngressClassParametersReferenceSchema, ['apiGroup', 'kind', 'name', 'scope', 'namespace']],
  ['ServiceCIDR', ServiceCIDRSchema, [...TYPE_META, 'metadata', 'spec', 'status']],
  ['ServiceCIDRSpec', ServiceCIDRSpecSchema, ['cidrs']],
  ['ServiceCIDRStatus', ServiceCIDRStatusSchema, ['conditions']],
  ['IPAddress', IPAddressSchema, [...TYPE_META, 'metadata', 'spec']],
  ['IPAddressSpec', IPAddressSpecSchema, ['parentRef']],
  ['ParentReference', ParentReferenceSchema, ['group', 'resource', 'namespace', 'name']],
  ['Condition', ConditionSchema, ['type', 'status', 'observedGeneration', 'lastTransitionTime', 'reason', 'message']],
  [
    'LeaseSpec',
    LeaseSpecSchema,
    ['holderIdentity', 'leaseDurationSeconds', 'acquireTime', 'renewTime', 'leaseTransitions', 'strategy', 'preferredHolder'],
  ],
  [
    'Event',
    EventSchema,
    [
      ...TYPE_META,
      'metadata',
      'involvedObject',
      'reason',
      'message',
      'source',
      'firstTimestamp',
      'lastTimestamp',
      'count',
      'type',
      'eventTime',
      'series',
      'action',
      'related',
      'reportingComponent',
      'reportingInstance',
    ],
  ],
  [
    'ObjectMeta',
    ObjectMetaSchema,
    [
      'name',
      'generateName',
      'namespace',
      'selfLink',
      'uid',
      'resourceVersion',
      'generation',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'labels',
      'annotations',
      'ownerReferences',
      'finalizers',
      'managedFields',
    ],
  ],
  ['ManagedFieldsEntry', ManagedFieldsEntrySchema, ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource']],
  ['Status', StatusSchema, [...TYPE_META, 'metadata', 'status', 'message', 'reason', 'details', 'code']],
  ['StatusDetails', StatusDetailsSchema, ['name', 'group', 'kind', 'uid', 'causes', 'retryAfterSeconds']],
  ['StatusCause', StatusCauseSchema, ['reason', 'message', 'field']],
];

describe('schemas declare fields in Go struct order', () => {
  for (const [name, schema, goOrder] of GO_ORDER) {
    it(name, () => {
      const ours = propertyNames(schema);
      assert.deepEqual(
        ours.filter((k) => !goOrder.includes(k)),
        [],
        `${name} has fields its Go struct lacks`,
      );
      assert.deepEqual(
        ours,
        goOrder.filter((k) => ours.includes(k)),
      );
    });
  }

  it('every kind and list starts with kind, apiVersion (metav1.TypeMeta), then metadata', () => {
    for (const [key, schema] of Object.entries({ ...kindSchemas, ...listSchemas })) {
      assert.deepEqual(propertyNames(schema).slice(0, 3), [...TYPE_META, 'metadata'], key);
    }
  });
});

const Item = Type.Object({ b: Type.Optional(Type.String()), a: Type.Optional(Type.String()) });
const Sample = Type.Object({
  kind: Type.Optional(Type.String()),
  apiVersion: Type.Optional(Type.String()),
  items: Type.Optional(Type.Array(Item)),
  labels: Type.Optional(stringMap('labels')),
  byName: Type.Optional(Type.Record(Type.String(), Item)),
  raw: Type.Optional(openObject('kept as given')),
});

describe('inSchemaOrder', () => {
  it('puts struct fields in schema order, list items and map values included, and sorts map keys', () => {
    const value = {
      raw: { z: 1, a: { y: 2, b: 3 } },
      byName: { y: { a: '1', b: '2' }, x: { a: '3' } },
      labels: { b: '1', a: '2' },
      items: [{ a: '1', b: '2' }],
      apiVersion: 'v1',
      kind: 'K',
    };
    assert.equal(
      JSON.stringify(inSchemaOrder(value, Sample)),
      '{"kind":"K","apiVersion":"v1","items":[{"b":"2","a":"1"}],"labels":{"a":"2","b":"1"},"byName":{"x":{"a":"3"},"y":{"b":"2","a":"1"}},"raw":{"z":1,"a":{"y":2,"b":3}}}',
    );
  });

  it('keeps fields the schema does not know after the known ones, in their order', () => {
    assert.equal(
      JSON.stringify(inSchemaOrder({ zz: 1, apiVersion: 'v1', aa: 2, kind: 'K' }, Sample)),
      '{"kind":"K","apiVersion":"v1","zz":1,"aa":2}',
    );
  });

  it('returns a value already in order as it is, and never changes its argument', () => {
    const inOrder = { kind: 'K', items: [{ b: '1', a: '2' }], labels: { a: '1', b: '2' } };
    assert.equal(inSchemaOrder(inOrder, Sample), inOrder);
    const nested = { kind: 'K', items: [{ a: '2', b: '1' }], labels: { a: '1' } };
    const text = JSON.stringify(nested);
    const out = inSchemaOrder(nested, Sample);
    assert.equal(JSON.stringify(nested), text);
    assert.notEqual(out, nested);
    assert.equal(out.labels, nested.labels, 'parts already in order are shared');
  });

  it('puts a scrambled DaemonSet back into the order of its schema at every level', () => {
    const ds = {
      kind: 'DaemonSet',
      apiVersion: 'apps/v1',
      metadata: {
        name: 'ds',
        namespace: 'default',
        creationTimestamp: '2026-12-07T00:00:00Z',
        labels: { app: 'x', tier: 'node' },
        annotations: { a: '1', b: '2' },
      },
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'x' } },
          spec: {
            containers: [
              {
                name: 'c',
                image: 'nginx',
                ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
                resources: { limits: { cpu: '1', memory: '1Gi' } },
                imagePullPolicy: 'Always',
              },
            ],
            restartPolicy: 'Always',
            tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
          },
        },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      },
      status: { currentNumberScheduled: 1, numberMisscheduled: 0, desiredNumberScheduled: 1, numberReady: 1 },
    };
    for (const random of [undefined, seededRandom(1), seededRandom(2)]) {
      const out = canonicalize(scrambled(ds, random), DaemonSetSchema);
      assert.deepEqual(orderProblems(out, DaemonSetSchema), []);
      assert.equal(JSON.stringify(out), JSON.stringify(ds));
    }
  });
});

it('writes the fields Go always writes, as their zeros where unset, and only for upstream structs', () => {
  const ds = {
    kind: 'DaemonSet',
    apiVersion: 'apps/v1',
    metadata: { name: 'ds', creationTimestamp: '2026-12-07T00:00:00Z' },
    spec: {
      selector: { matchLabels: { app: 'x' } },
      template: {
        metadata: { labels: { app: 'x' } },
        spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
  const out = canonicalize(ds, DaemonSetSchema) as unknown as {
    spec: { template: { metadata: Record<string, unknown>; spec: { containers: Record<string, unknown>[] } } };
    status: Record<string, unknown>;
  };
  assert.deepEqual(out.spec.template.metadata, { creationTimestamp: null, labels: { app: 'x' } }, 'a value-typed metav1.Time is null');
  assert.deepEqual(out.spec.template.spec.containers[0].resources, {}, 'a struct is its zero');
  assert.deepEqual(out.status, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
  assert.equal(ds.spec.template.metadata.labels.app, 'x');
  assert.equal((ds.spec.template.metadata as Record<string, unknown>).creationTimestamp, undefined, 'the input is not changed');
  assert.equal(inSchemaOrder(out, DaemonSetSchema), out, 'a complete object comes back as it is');
  // A schema of no upstream struct (a custom resource's) gets no zeros.
  const custom = Type.Object(
    { metadata: Type.Object({ creationTimestamp: Type.Optional(Type.String()) }) },
    { $id: 'com.example.v1.Widget' },
  );
  assert.deepEqual(inSchemaOrder({ metadata: {} }, custom), { metadata: {} });
});

it('a part shared with a value known to be in order is not walked again; parts not shared are ordered', () => {
  const schema = Type.Object({
    a: Type.Object({ x: Type.String(), y: Type.String() }),
    b: Type.Object({ x: Type.String(), y: Type.String() }),
  });
  // `known` is trusted: its part `a` (out of order on purpose here) is taken as it is when shared.
  const known = { a: { y: '2', x: '1' }, b: { x: '3', y: '4' } };
  const next = { a: known.a, b: { y: '5', x: '6' } };
  const out = inSchemaOrder(next, schema, known);
  assert.equal(out.a, known.a);
  assert.equal(JSON.stringify(out), '{"a":{"y":"2","x":"1"},"b":{"x":"6","y":"5"}}');
  // Without it, every part is walked and ordered.
  assert.equal(JSON.stringify(inSchemaOrder(next, schema)), '{"a":{"x":"1","y":"2"},"b":{"x":"6","y":"5"}}');
});

describe('inSchemaOrder writes what encoding/json writes of the Go struct', () => {
  const configMap = schemaFor('v1', 'ConfigMap')!;
  const clusterRole = schemaFor('rbac.authorization.k8s.io/v1', 'ClusterRole')!;
  const pod = schemaFor('v1', 'Pod')!;

  it('leaves out empty omitempty slices and maps, at any depth', () => {
    assert.deepEqual(inSchemaOrder({ metadata: { name: 'c', labels: {}, finalizers: [] }, data: {} }, configMap), {
      metadata: { name: 'c', creationTimestamp: null },
    });
    const written = inSchemaOrder(
      { spec: { nodeSelector: {}, tolerations: [], containers: [{ name: 'c', image: 'i', env: [], command: [], ports: [] }] } },
      pod,
    ) as { spec: Record<string, unknown> };
    assert.deepEqual(Object.keys(written.spec), ['containers']);
    assert.deepEqual(written.spec.containers, [{ name: 'c', image: 'i', resources: {} }]);
  });

  it('keeps an empty slice Go always writes, empty structs, and a custom resource as it is', () => {
    // ClusterRole.rules has no omitempty: [] stays [], an absent one is written null.
    const meta = { creationTimestamp: null };
    assert.deepEqual(inSchemaOrder({ rules: [] }, clusterRole), { metadata: meta, rules: [] });
    assert.deepEqual(inSchemaOrder({}, clusterRole), { metadata: meta, rules: null });
    const written = inSchemaOrder({ spec: { containers: [], securityContext: {}, volumes: [{ name: 'v', emptyDir: {} }] } }, pod) as {
      spec: Record<string, unknown>;
    };
    assert.deepEqual(written.spec.containers, []);
    assert.deepEqual(written.spec.securityContext, {});
    assert.deepEqual(written.spec.volumes, [{ name: 'v', emptyDir: {} }]);
    const custom = Type.Object({ spec: Type.Optional(Type.Object({ list: Type.Optional(Type.Array(Type.String())) })) });
    assert.deepEqual(inSchemaOrder({ spec: { list: [] } }, custom), { spec: { list: [] } });
  });
});

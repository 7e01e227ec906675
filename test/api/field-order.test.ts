/**
 * Go's field order in every body: kube-apiserver writes typed structs with encoding/json, so each
 * object's fields come in declaration order and map keys sorted. Clients that compare bytes (and
 * operators' golden-file tests) see the difference. Stored objects follow their schema (checked
 * against the Go types in test/unit/field-order.test.ts) whatever order a request used and
 * whoever wrote them: clients through every write verb, the controllers and the kubelet.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TSchema } from '@sinclair/typebox';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { manualCluster } from '../helpers/manual-cluster.js';
import { openWatch } from '../helpers/watch-client.js';
import { keysInOrder, orderProblems, scrambled } from '../helpers/field-order.js';
import { seededRandom } from '../../src/http/control/fault-rules.js';
import { ListMetaSchema, ObjectMetaSchema } from '../../src/apimachinery/schemas/meta.js';
import { kindSchemas, listSchemas, schemaFor } from '../../src/resources/schemas.js';
import { resources } from '../../src/resources/index.js';

type Obj = Record<string, any>;

// Go's json field order of the types below (k8s.io/apimachinery meta/v1 types.go, pkg/version,
// k8s.io/api apidiscovery/v2).
const STATUS = ['kind', 'apiVersion', 'metadata', 'status', 'message', 'reason', 'details', 'code'];
const STATUS_DETAILS = ['name', 'group', 'kind', 'uid', 'causes', 'retryAfterSeconds'];
const STATUS_CAUSE = ['reason', 'message', 'field'];
const API_VERSIONS = ['kind', 'apiVersion', 'versions', 'serverAddressByClientCIDRs'];
const SERVER_ADDRESS = ['clientCIDR', 'serverAddress'];
const API_GROUP_LIST = ['kind', 'apiVersion', 'groups'];
const API_GROUP = ['kind', 'apiVersion', 'name', 'versions', 'preferredVersion', 'serverAddressByClientCIDRs'];
const GROUP_VERSION = ['groupVersion', 'version'];
const API_RESOURCE_LIST = ['kind', 'apiVersion', 'groupVersion', 'resources'];
const API_RESOURCE = [
  'name',
  'singularName',
  'namespaced',
  'group',
  'version',
  'kind',
  'verbs',
  'shortNames',
  'categories',
  'storageVersionHash',
];
const GROUP_DISCOVERY_LIST = ['kind', 'apiVersion', 'metadata', 'items'];
const GROUP_DISCOVERY = ['kind', 'apiVersion', 'metadata', 'versions'];
const VERSION_DISCOVERY = ['version', 'resources', 'freshness'];
const RESOURCE_DISCOVERY = ['resource', 'responseKind', 'scope', 'singularResource', 'verbs', 'shortNames', 'categories', 'subresources'];
const SUBRESOURCE_DISCOVERY = ['subresource', 'responseKind', 'acceptedTypes', 'verbs'];
const GVK = ['group', 'version', 'kind'];
const VERSION_INFO = [
  'major',
  'minor',
  'emulationMajor',
  'emulationMinor',
  'minCompatibilityMajor',
  'minCompatibilityMinor',
  'gitVersion',
  'gitCommit',
  'gitTreeState',
  'buildDate',
  'goVersion',
  'compiler',
  'platform',
];
const TABLE = ['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows'];
const COLUMN = ['name', 'type', 'format', 'description', 'priority'];
const ROW = ['cells', 'conditions', 'object'];
const PARTIAL_OBJECT_METADATA = ['kind', 'apiVersion', 'metadata'];
const LIST = ['kind', 'apiVersion', 'metadata', 'items'];
const WATCH_EVENT = ['type', 'object'];

function assertGoOrder(value: unknown, order: readonly string[], what: string): void {
  const { actual, expected } = keysInOrder(value, order);
  assert.deepEqual(actual, expected, what);
}

/** JSON.parse keeps the document's key order, so the parsed text shows the order on the wire. */
const parsed = (text: string): Obj => JSON.parse(text) as Obj;

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

describe('Status bodies', () => {
  test('a 404 is byte for byte what kube-apiserver writes: details before code', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.get('/apis/apps/v1/namespaces/default/daemonsets/missing');
    assert.equal(res.status, 404);
    assert.equal(
      res.text,
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"daemonsets.apps \\"missing\\" not found","reason":"NotFound","details":{"name":"missing","group":"apps","kind":"daemonsets"},"code":404}',
    );
  });

  test('a 409 AlreadyExists, byte for byte', async (t) => {
    const { http } = await buildTestApp(t);
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    assert.equal((await http.post('/api/v1/namespaces/default/pods').send(pod)).status, 201);
    const res = await http.post('/api/v1/namespaces/default/pods').send(pod);
    assert.equal(res.status, 409);
    assert.equal(
      res.text,
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"p\\" already exists","reason":"AlreadyExists","details":{"name":"p","kind":"pods"},"code":409}',
    );
  });

  test('a 422 with causes: Status, details and every cause in Go order', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http
      .post('/apis/apps/v1/namespaces/default/daemonsets')
      .send({ metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c' }] } } } });
    assert.equal(res.status, 422);
    const body = parsed(res.text);
    assertGoOrder(body, STATUS, 'Status');
    assert.deepEqual(Object.keys(body), STATUS);
    assertGoOrder(body.details, STATUS_DETAILS, 'StatusDetails');
    assert.deepEqual(Object.keys(body.details), ['name', 'group', 'kind', 'causes']);
    assert.ok(body.details.causes.length >= 2);
    for (const cause of body.details.causes) assert.deepEqual(Object.keys(cause), STATUS_CAUSE);
  });

  test('a watch ERROR event carries its Status in Go order', async (t) => {
    const { kubemock } = await buildTestApp(t);
    const stream = await openWatch(
      kubemock,
      '/api/v1/namespaces/default/pods?watch=1&resourceVersion=999999&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true',
    );
    await stream.ended;
    assert.equal(stream.events.length, 1);
    const [event] = stream.events;
    assert.deepEqual(Object.keys(event), WATCH_EVENT);
    assert.equal(event.type, 'ERROR');
    assert.deepEqual(Object.keys(event.object), STATUS);
    assertGoOrder(event.object.details, STATUS_DETAILS, 'StatusDetails');
    assert.deepEqual(Object.keys(event.object.details), ['causes', 'retryAfterSeconds']);
    for (const cause of event.object.details.causes) assert.deepEqual(Object.keys(cause), ['reason', 'message']);
  });
});

describe('discovery and /version', () => {
  test('legacy discovery documents list their fields in Go order', async (t) => {
    const { http } = await buildTestApp(t);
    const api = parsed((await http.get('/api').expect(200)).text);
    assertGoOrder(api, API_VERSIONS, 'APIVersions');
    for (const a of api.serverAddressByClientCIDRs) assertGoOrder(a, SERVER_ADDRESS, 'ServerAddressByClientCIDR');
    const groups = parsed((await http.get('/apis').expect(200)).text);
    assertGoOrder(groups, API_GROUP_LIST, 'APIGroupList');
    for (const g of groups.groups) {
      assertGoOrder(g, API_GROUP, 'APIGroup');
      for (const v of [...g.versions, g.preferredVersion]) assertGoOrder(v, GROUP_VERSION, 'GroupVersionForDiscovery');
    }
    assertGoOrder(parsed((await http.get('/apis/apps').expect(200)).text), API_GROUP, 'APIGroup');
    for (const path of ['/api/v1', '/apis/apps/v1', '/apis/authorization.k8s.io/v1']) {
      const list = parsed((await http.get(path).expect(200)).text);
      assertGoOrder(list, API_RESOURCE_LIST, path);
      for (const r of list.resources) assertGoOrder(r, API_RESOURCE, `${path} ${r.name}`);
    }
  });

  test('aggregated discovery (apidiscovery.k8s.io/v2) lists its fields in Go order', async (t) => {
    const { http } = await buildTestApp(t);
    for (const path of ['/api', '/apis']) {
      const res = await http.get(path).set('accept', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList').expect(200);
      const doc = parsed(res.text);
      assert.equal(doc.kind, 'APIGroupDiscoveryList');
      assertGoOrder(doc, GROUP_DISCOVERY_LIST, 'APIGroupDiscoveryList');
      for (const group of doc.items) {
        assertGoOrder(group, GROUP_DISCOVERY, 'APIGroupDiscovery');
        assertGoOrder(group.metadata, ['name', 'creationTimestamp'], 'its ObjectMeta');
        for (const version of group.versions) {
          assertGoOrder(version, VERSION_DISCOVERY, 'APIVersionDiscovery');
          for (const r of version.resources) {
            assertGoOrder(r, RESOURCE_DISCOVERY, `APIResourceDiscovery ${r.resource}`);
            assertGoOrder(r.responseKind, GVK, 'GroupVersionKind');
            for (const s of r.subresources ?? []) {
              assertGoOrder(s, SUBRESOURCE_DISCOVERY, 'APISubresourceDiscovery');
              assertGoOrder(s.responseKind, GVK, 'GroupVersionKind');
            }
          }
        }
      }
    }
  });

  test('/version is version.Info in Go order', async (t) => {
    const { http } = await buildTestApp(t);
    assert.deepEqual(Object.keys(parsed((await http.get('/version').expect(200)).text)), VERSION_INFO);
  });
});

describe('lists and tables', () => {
  test('a list is kind, apiVersion, metadata, items, with ListMeta in Go order', async (t) => {
    const { http } = await buildTestApp(t);
    for (const name of ['a', 'b'])
      await http
        .post('/api/v1/namespaces')
        .send({ metadata: { name: `ns-${name}` } })
        .expect(201);
    const list = parsed((await http.get('/api/v1/namespaces?limit=1').expect(200)).text);
    assert.deepEqual(Object.keys(list), LIST);
    assert.deepEqual(orderProblems(list.metadata, ListMetaSchema), []);
    assert.deepEqual(Object.keys(list.metadata), ['resourceVersion', 'continue', 'remainingItemCount']);
  });

  test('a Table and its rows are in Go order, and so is the object a row carries', async (t) => {
    const { http } = await buildTestApp(t);
    const pod = {
      metadata: { name: 'p', labels: { zone: 'b', app: 'web' } },
      spec: { containers: [{ image: 'nginx', name: 'c', ports: [{ protocol: 'TCP', containerPort: 80 }] }], restartPolicy: 'Always' },
    };
    await http.post('/api/v1/namespaces/default/pods').send(pod).expect(201);
    for (const include of ['Object', 'Metadata']) {
      const table = parsed(
        (await http.get(`/api/v1/namespaces/default/pods?includeObject=${include}`).set('accept', TABLE_ACCEPT).expect(200)).text,
      );
      assert.deepEqual(Object.keys(table), TABLE);
      for (const c of table.columnDefinitions) assert.deepEqual(Object.keys(c), COLUMN);
      assert.equal(table.rows.length, 1);
      const row = table.rows[0];
      assertGoOrder(row, ROW, 'TableRow');
      if (include === 'Object') {
        assert.deepEqual(orderProblems(row.object, schemaFor('v1', 'Pod')), [], 'the Pod in the row');
        assert.deepEqual(Object.keys(row.object).slice(0, 2), ['kind', 'apiVersion']);
      } else {
        assert.deepEqual(Object.keys(row.object), PARTIAL_OBJECT_METADATA);
        assert.deepEqual(orderProblems(row.object.metadata, ObjectMetaSchema), [], 'the PartialObjectMetadata');
      }
    }
  });
});

test('authorization reviews echo their spec decoded: Go order, unknown fields dropped', async (t) => {
  const { http } = await buildTestApp(t);
  const spec = {
    resourceAttributes: {
      namespace: 'kube-system',
      verb: 'list',
      group: 'apps',
      version: 'v1',
      resource: 'daemonsets',
      labelSelector: { rawSelector: 'app=x', requirements: [{ key: 'app', operator: 'In', values: ['x'] }] },
    },
  };
  const body = {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec: scrambled({ ...spec, extra: { a: 1 } }),
  };
  const res = await http
    .post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')
    .set('content-type', 'application/json')
    .send(scrambled(body));
  assert.equal(res.status, 201);
  assert.equal(
    res.text,
    `{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{},"spec":${JSON.stringify(spec)},"status":{"allowed":true}}`,
  );
});

test('a SelfSubjectReview answers the user in upstream order: creationTimestamp only, then status.userInfo', async (t) => {
  const { http } = await buildTestApp(t);
  const res = await http
    .post('/apis/authentication.k8s.io/v1/selfsubjectreviews')
    .set('content-type', 'application/json')
    .send({ metadata: { name: 'ignored' }, apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  assert.equal(res.status, 201);
  assert.match(
    res.text,
    /^\{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io\/v1","metadata":\{"creationTimestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\},"status":\{"userInfo":\{"username":"system:unsecured","groups":\["system:masters","system:authenticated"\]\}\}\}$/,
  );
});

/** A collection path and an object of every stored kind, with nested structs, lists and maps. */
const SAMPLES: { key: string; path: string; object: Obj }[] = [
  {
    key: 'v1/Namespace',
    path: '/api/v1/namespaces',
    object: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'ordered', labels: { zeta: '1', alpha: '2' } },
      spec: { finalizers: ['kubernetes'] },
    },
  },
  {
    key: 'v1/Node',
    path: '/api/v1/nodes',
    object: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'n1',
        labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': 'n1', disk: 'ssd' },
        annotations: { 'z.example/x': '1', 'a.example/y': '2' },
      },
      spec: { podCIDR: '10.244.9.0/24', podCIDRs: ['10.244.9.0/24'], taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] },
      status: {
        capacity: { pods: '110', memory: '1Gi', cpu: '2' },
        allocatable: { pods: '110', memory: '1Gi', cpu: '2' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            lastHeartbeatTime: '2025-01-01T00:00:00Z',
            lastTransitionTime: '2025-01-01T00:00:00Z',
            reason: 'KubeletReady',
            message: 'ready',
          },
        ],
        addresses: [{ type: 'InternalIP', address: '10.0.0.9' }],
        nodeInfo: {
          machineID: 'm',
          systemUUID: 's',
          bootID: 'b',
          kernelVersion: 'k',
          osImage: 'o',
          containerRuntimeVersion: 'c',
          kubeletVersion: 'v1.33.1',
          kubeProxyVersion: '',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    },
  },
  {
    key: 'v1/Pod',
    path: '/api/v1/namespaces/default/pods',
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { zeta: '1', alpha: '2' }, annotations: { 'b.example/x': '1', 'a.example/y': '2' } },
      spec: {
        volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }],
        containers: [
          {
            name: 'c',
            image: 'nginx',
            command: ['sh'],
            args: ['-c', 'sleep 1'],
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            ],
            resources: { limits: { memory: '128Mi', cpu: '200m' }, requests: { memory: '64Mi', cpu: '100m' } },
            volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }],
            readinessProbe: { httpGet: { path: '/', port: 80, scheme: 'HTTP' }, periodSeconds: 5 },
            securityContext: { runAsUser: 1000, runAsNonRoot: true },
          },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 5,
        nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }],
            },
          },
        },
        tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }],
      },
    },
  },
  {
    key: 'v1/Event',
    path: '/api/v1/namespaces/default/events',
    object: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1', labels: { b: '1', a: '2' } },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u', apiVersion: 'v1' },
      reason: 'Started',
      message: 'Started container c',
      source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: '2025-01-01T00:00:00Z',
      lastTimestamp: '2025-01-01T00:00:00Z',
      count: 1,
      type: 'Normal',
    },
  },
  {
    key: 'v1/Service',
    path: '/api/v1/namespaces/default/services',
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', labels: { b: '1', a: '2' } },
      spec: {
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
        selector: { tier: 'web', app: 'x' },
        type: 'ClusterIP',
        sessionAffinity: 'None',
      },
    },
  },
  {
    key: 'apps/v1/DaemonSet',
    path: '/apis/apps/v1/namespaces/default/daemonsets',
    object: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ds', labels: { zeta: '1', alpha: '2' } },
      spec: {
        selector: { matchLabels: { app: 'x', tier: 'node' } },
        template: {
          metadata: { labels: { app: 'x', tier: 'node' } },
          spec: {
            containers: [
              {
                name: 'c',
                image: 'nginx',
                ports: [{ containerPort: 80, protocol: 'TCP' }],
                resources: { limits: { memory: '1Gi', cpu: '1' } },
              },
            ],
            tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
          },
        },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        minReadySeconds: 1,
        revisionHistoryLimit: 5,
      },
    },
  },
  {
    key: 'apps/v1/ControllerRevision',
    path: '/apis/apps/v1/namespaces/default/controllerrevisions',
    object: {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'cr', labels: { b: '1', a: '2' } },
      data: { spec: { template: { z: 1, a: 2 } } },
      revision: 1,
    },
  },
  {
    key: 'v1/ConfigMap',
    path: '/api/v1/namespaces/default/configmaps',
    object: {
      binaryData: { zb: 'AA==', ab: 'AQ==' },
      data: { z: '1', a: '2' },
      immutable: false,
      metadata: { labels: { b: '1', a: '2' }, name: 'cm' },
      kind: 'ConfigMap',
      apiVersion: 'v1',
    },
  },
  {
    key: 'v1/Secret',
    path: '/api/v1/namespaces/default/secrets',
    object: {
      type: 'Opaque',
      stringData: { s: 'text' },
      data: { z: 'AA==', a: 'AQ==' },
      immutable: false,
      metadata: { labels: { b: '1', a: '2' }, name: 's' },
      kind: 'Secret',
      apiVersion: 'v1',
    },
  },
  {
    key: 'policy/v1/PodDisruptionBudget',
    path: '/apis/policy/v1/namespaces/default/poddisruptionbudgets',
    object: {
      spec: { unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: { z: '1', a: '2' } }, minAvailable: '50%' },
      metadata: { labels: { b: '1', a: '2' }, name: 'pdb' },
      kind: 'PodDisruptionBudget',
      apiVersion: 'policy/v1',
    },
  },
  {
    key: 'node.k8s.io/v1/RuntimeClass',
    path: '/apis/node.k8s.io/v1/runtimeclasses',
    object: {
      scheduling: {
        tolerations: [{ effect: 'NoExecute', tolerationSeconds: 30, operator: 'Exists', key: 'sandbox' }],
        nodeSelector: { 'z.example/runtime': 'gvisor', 'a.example/zone': 'z1' },
      },
      overhead: { podFixed: { memory: '64Mi', cpu: '100m' } },
      handler: 'runsc',
      metadata: { labels: { b: '1', a: '2' }, name: 'gvisor' },
      kind: 'RuntimeClass',
      apiVersion: 'node.k8s.io/v1',
    },
  },
  {
    key: 'networking.k8s.io/v1/NetworkPolicy',
    path: '/apis/networking.k8s.io/v1/namespaces/default/networkpolicies',
    object: {
      spec: {
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          { to: [{ ipBlock: { except: ['10.1.0.0/16'], cidr: '10.0.0.0/8' } }], ports: [{ endPort: 90, port: 80, protocol: 'TCP' }] },
        ],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { z: '1', a: '2' } }, podSelector: {} }], ports: [{ port: 'http' }] }],
        podSelector: { matchLabels: { z: '1', a: '2' } },
      },
      metadata: { labels: { b: '1', a: '2' }, name: 'np' },
      kind: 'NetworkPolicy',
      apiVersion: 'networking.k8s.io/v1',
    },
  },
  {
    key: 'networking.k8s.io/v1/ServiceCIDR',
    path: '/apis/networking.k8s.io/v1/servicecidrs',
    object: {
      status: { conditions: [{ message: 'm', reason: 'R', lastTransitionTime: '2025-01-01T00:00:00Z', status: 'True', type: 'Ready' }] },
      spec: { cidrs: ['10.200.0.0/24'] },
      metadata: { labels: { b: '1', a: '2' }, name: 'extra' },
      kind: 'ServiceCIDR',
      apiVersion: 'networking.k8s.io/v1',
    },
  },
  {
    key: 'networking.k8s.io/v1/IngressClass',
    path: '/apis/networking.k8s.io/v1/ingressclasses',
    object: {
      spec: {
        parameters: { namespace: 'infra', scope: 'Namespace', name: 'lb', kind: 'LBConfig', apiGroup: 'example.com' },
        controller: 'example.com/ingress',
      },
      metadata: { labels: { b: '1', a: '2' }, name: 'fast' },
      kind: 'IngressClass',
      apiVersion: 'networking.k8s.io/v1',
    },
  },
  {
    key: 'networking.k8s.io/v1/Ingress',
    path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
    object: {
      spec: {
        rules: [
          {
            http: { paths: [{ backend: { service: { port: { number: 80 }, name: 'web' } }, pathType: 'Prefix', path: '/' }] },
            host: 'a.example.com',
          },
        ],
        tls: [{ secretName: 'tls', hosts: ['a.example.com'] }],
        defaultBackend: { resource: { name: 'bucket', kind: 'Bucket', apiGroup: 'example.com' } },
        ingressClassName: 'fast',
      },
      metadata: { labels: { b: '1', a: '2' }, name: 'ing' },
      kind: 'Ingress',
      apiVersion: 'networking.k8s.io/v1',
    },
  },
  {
    key: 'networking.k8s.io/v1/IPAddress',
    path: '/apis/networking.k8s.io/v1/ipaddresses',
    object: {
      spec: { parentRef: { name: 'web', namespace: 'default', resource: 'gateways', group: 'gateway.example.com' } },
      metadata: { labels: { b: '1', a: '2' }, name: '192.168.7.9' },
      kind: 'IPAddress',
      apiVersion: 'networking.k8s.io/v1',
    },
  },
  {
    key: 'v1/ServiceAccount',
    path: '/api/v1/namespaces/default/serviceaccounts',
    object: {
      automountServiceAccountToken: true,
      imagePullSecrets: [{ name: 'registry' }],
      secrets: [{ name: 'token' }],
      metadata: { labels: { b: '1', a: '2' }, name: 'sa' },
      kind: 'ServiceAccount',
      apiVersion: 'v1',
    },
  },
  {
    key: 'v1/Endpoints',
    path: '/api/v1/namespaces/default/endpoints',
    object: {
      subsets: [
        {
          ports: [{ appProtocol: 'http', protocol: 'TCP', port: 80, name: 'web' }],
          notReadyAddresses: [{ targetRef: { uid: 'u', name: 'p', kind: 'Pod' }, nodeName: 'n', hostname: 'h', ip: '10.0.0.2' }],
          addresses: [{ nodeName: 'n', ip: '10.0.0.1' }],
        },
      ],
      metadata: { labels: { b: '1', a: '2' }, name: 'ep' },
      kind: 'Endpoints',
      apiVersion: 'v1',
    },
  },
  {
    key: 'discovery.k8s.io/v1/EndpointSlice',
    path: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
    object: {
      ports: [{ appProtocol: 'http', port: 80, protocol: 'TCP', name: 'web' }],
      endpoints: [
        {
          hints: { forZones: [{ name: 'z' }] },
          zone: 'z',
          nodeName: 'n',
          targetRef: { name: 'p', kind: 'Pod' },
          hostname: 'h',
          conditions: { terminating: false, serving: true, ready: true },
          addresses: ['10.0.0.1'],
        },
      ],
      addressType: 'IPv4',
      metadata: { labels: { b: '1', a: '2' }, name: 'es' },
      kind: 'EndpointSlice',
      apiVersion: 'discovery.k8s.io/v1',
    },
  },
  {
    key: 'coordination.k8s.io/v1/Lease',
    path: '/apis/coordination.k8s.io/v1/namespaces/default/leases',
    object: {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l', labels: { b: '1', a: '2' } },
      spec: {
        holderIdentity: 'me',
        leaseDurationSeconds: 40,
        acquireTime: '2025-01-01T00:00:00.000000Z',
        renewTime: '2025-01-01T00:00:10.000000Z',
        leaseTransitions: 0,
      },
    },
  },
  {
    key: 'apiextensions.k8s.io/v1/CustomResourceDefinition',
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    object: {
      spec: {
        versions: [
          {
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { b: { type: 'string' }, a: { type: 'integer' } } } },
              },
            },
            additionalPrinterColumns: [{ jsonPath: '.spec.a', type: 'integer', name: 'A' }],
            subresources: { scale: { statusReplicasPath: '.status.r', specReplicasPath: '.spec.a' }, status: {} },
            storage: true,
            served: true,
            name: 'v1',
          },
        ],
        scope: 'Namespaced',
        names: { kind: 'Widget', shortNames: ['wd'], plural: 'widgets' },
        group: 'order.example.com',
      },
      metadata: { labels: { b: '1', a: '2' }, name: 'widgets.order.example.com' },
      kind: 'CustomResourceDefinition',
      apiVersion: 'apiextensions.k8s.io/v1',
    },
  },
  {
    key: 'rbac.authorization.k8s.io/v1/Role',
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
    object: {
      rules: [{ resourceNames: ['a'], resources: ['pods'], apiGroups: [''], verbs: ['get'] }],
      metadata: { name: 'reader', namespace: 'default' },
      kind: 'Role',
      apiVersion: 'rbac.authorization.k8s.io/v1',
    },
  },
  {
    key: 'rbac.authorization.k8s.io/v1/ClusterRole',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    object: {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'order.example/x': 'true' } }] },
      rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
      metadata: { name: 'order:reader' },
      kind: 'ClusterRole',
      apiVersion: 'rbac.authorization.k8s.io/v1',
    },
  },
  {
    key: 'rbac.authorization.k8s.io/v1/RoleBinding',
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
    object: {
      roleRef: { name: 'view', kind: 'ClusterRole', apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [{ namespace: 'default', name: 'default', kind: 'ServiceAccount' }],
      metadata: { name: 'viewers', namespace: 'default' },
      kind: 'RoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
    },
  },
  {
    key: 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    object: {
      roleRef: { name: 'view', kind: 'ClusterRole', apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [{ name: 'team', kind: 'Group', apiGroup: 'rbac.authorization.k8s.io' }],
      metadata: { name: 'order:viewers' },
      kind: 'ClusterRoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
    },
  },
];

test('the samples cover every stored kind', () => {
  assert.deepEqual(SAMPLES.map((s) => s.key).sort(), Object.keys(kindSchemas).sort());
});

/** Every write verb, each from a body whose keys are in another order at every level. */
async function writeEveryWay(http: TestApp['http'], path: string, object: Obj, seed: number): Promise<{ verb: string; text: string }[]> {
  const random = seededRandom(seed);
  const name = object.metadata.name as string;
  const item = `${path}/${name}`;
  const answers: { verb: string; text: string }[] = [];
  const record = (verb: string, res: { status: number; text: string }) => {
    assert.ok(res.status === 200 || res.status === 201, `${verb} ${item}: ${res.status} ${res.text}`);
    answers.push({ verb, text: res.text });
  };
  record('create', await http.post(path).send(scrambled(object)));
  record('get', await http.get(item));
  const current = parsed((await http.get(item)).text);
  current.metadata.labels = { ...current.metadata.labels, updated: 'yes' };
  record('update', await http.put(item).send(scrambled(current, random)));
  const merge = scrambled({ metadata: { labels: { merged: 'yes' }, annotations: { 'm.example/z': '1', 'm.example/a': '2' } } }, random);
  record('merge patch', await http.patch(item).set('content-type', 'application/merge-patch+json').send(merge));
  record(
    'strategic merge patch',
    await http
      .patch(item)
      .set('content-type', 'application/strategic-merge-patch+json')
      .send(scrambled({ metadata: { labels: { strategic: 'yes' } } }, random)),
  );
  record(
    'json patch',
    await http
      .patch(item)
      .set('content-type', 'application/json-patch+json')
      .send([{ op: 'add', path: '/metadata/labels/json', value: 'yes' }]),
  );
  const applied = scrambled(
    { apiVersion: object.apiVersion, kind: object.kind, metadata: { name, labels: { applied: 'yes', also: 'yes' } } },
    random,
  );
  record(
    'apply',
    await http.patch(`${item}?fieldManager=order-test`).set('content-type', 'application/apply-patch+yaml').send(JSON.stringify(applied)),
  );
  record('get', await http.get(item));
  record('list', await http.get(path));
  return answers;
}

describe('stored objects come back in Go order whatever order the request used', () => {
  for (const sample of SAMPLES) {
    test(`${sample.key}: create, update, the three patch types and apply`, async (t) => {
      const { http } = await buildTestApp(t);
      const schema = kindSchemas[sample.key] as TSchema;
      const listSchema = listSchemas[`${sample.key}List`] as TSchema;
      for (const { verb, text } of await writeEveryWay(http, sample.path, sample.object, sample.key.length)) {
        const body = parsed(text);
        assert.deepEqual(orderProblems(body, verb === 'list' ? listSchema : schema), [], `${sample.key} ${verb}`);
        assert.deepEqual(Object.keys(body).slice(0, 3), ['kind', 'apiVersion', 'metadata'], `${sample.key} ${verb}`);
      }
    });
  }
});

test('objects the controllers and the kubelet write are in Go order too', async (t) => {
  const cluster = await manualCluster(t, 2);
  const ds = SAMPLES.find((s) => s.key === 'apps/v1/DaemonSet')!.object;
  await cluster.app.http.post('/apis/apps/v1/namespaces/default/daemonsets').send(scrambled(ds)).expect(201);
  await cluster.settle();
  await cluster.pass(5000);
  const pods = await cluster.get('/api/v1/namespaces/default/pods');
  assert.equal(pods.items.length, 2);
  for (const pod of pods.items) assert.equal(pod.status.phase, 'Running');
  const status = (await cluster.get('/apis/apps/v1/namespaces/default/daemonsets/ds')).status;
  assert.equal(status.numberReady, 2);
  // Every stored kind, listed across namespaces; the controllers and the kubelet wrote at least these.
  const written = [
    '/api/v1/pods',
    '/api/v1/nodes',
    '/api/v1/events',
    '/apis/apps/v1/daemonsets',
    '/apis/apps/v1/controllerrevisions',
    '/apis/coordination.k8s.io/v1/leases',
  ];
  for (const def of resources.filter((d) => !d.virtual)) {
    const path = `${def.group ? `/apis/${def.group}` : '/api'}/${def.version}/${def.plural}`;
    const list = parsed((await cluster.app.http.get(path).expect(200)).text);
    if (written.includes(path)) assert.ok(list.items.length > 0, `${path}: something was written`);
    const schema = def.schema;
    for (const item of list.items) assert.deepEqual(orderProblems(item, schema), [], `${path} ${item.metadata.name}`);
  }
});

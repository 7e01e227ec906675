/**
 * metadata.managedFields exactly as kube-apiserver records them for the writes a cluster sees
 * most. Each expected fieldsV1 is what `kubectl get -o yaml --show-managed-fields` prints on a
 * real cluster for the same write: upstream decodes each write into its Go struct, so fields Go
 * always writes (non-pointer structs such as `spec.template`, `updateStrategy`, `daemonEndpoints`;
 * non-omitempty scalars and lists) exist before and after and get no `.` of their own, unchanged
 * zeros are nobody's, and a new list item owns its `resources: {}`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { buildTestApp } from '../helpers/build-app.js';
import { manualCluster } from '../helpers/manual-cluster.js';
import { CRDS, waitEstablished } from '../helpers/crd-established.js';

type Obj = Record<string, any>;

const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const daemonSet = (annotations?: Record<string, string>): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'web', labels: { app: 'web' }, ...(annotations ? { annotations } : {}) },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
  },
});

/** The spec part of what a create of `daemonSet()` records: what was sent and what defaulting added. */
const CREATED_SPEC = `
f:spec:
  f:revisionHistoryLimit: {}
  f:selector: {}
  f:template:
    f:metadata:
      f:labels:
        .: {}
        f:app: {}
    f:spec:
      f:containers:
        k:{"name":"nginx"}:
          .: {}
          f:image: {}
          f:imagePullPolicy: {}
          f:name: {}
          f:resources: {}
          f:terminationMessagePath: {}
          f:terminationMessagePolicy: {}
      f:dnsPolicy: {}
      f:restartPolicy: {}
      f:schedulerName: {}
      f:securityContext: {}
      f:terminationGracePeriodSeconds: {}
  f:updateStrategy:
    f:rollingUpdate:
      .: {}
      f:maxSurge: {}
      f:maxUnavailable: {}
    f:type: {}
`;

const fieldsOf = (obj: Obj, manager: string, subresource?: string): unknown => {
  const entry = (obj.metadata.managedFields as Obj[] | undefined)?.find((e) => e.manager === manager && e.subresource === subresource);
  assert.ok(entry, `no entry of ${manager}: ${JSON.stringify(obj.metadata.managedFields)}`);
  return entry.fieldsV1;
};

/** Key order is part of the encoding: compare the JSON text. */
const assertFields = (actual: unknown, expectedYaml: string) => assert.equal(JSON.stringify(actual), JSON.stringify(parse(expectedYaml)));

describe('managedFields as kube-apiserver records them', () => {
  it('kubectl create: an Update entry with the sent and defaulted fields, no `.` on Go structs that always exist', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(`${DS}?fieldManager=kubectl-create`).send(daemonSet());
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const [entry] = res.body.metadata.managedFields as Obj[];
    assert.deepEqual(
      [entry.manager, entry.operation, entry.apiVersion, entry.subresource],
      ['kubectl-create', 'Update', 'apps/v1', undefined],
    );
    assertFields(
      entry.fieldsV1,
      `
f:metadata:
  f:labels:
    .: {}
    f:app: {}
${CREATED_SPEC}`,
    );
  });

  it('kubectl apply (client-side) create: the same, with the last-applied annotation', async (t) => {
    const app = await buildTestApp(t);
    const body = daemonSet({ [LAST_APPLIED]: JSON.stringify(daemonSet()) });
    const res = await app.http.post(`${DS}?fieldManager=kubectl-client-side-apply`).send(body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assertFields(
      fieldsOf(res.body, 'kubectl-client-side-apply'),
      `
f:metadata:
  f:annotations:
    .: {}
    f:${LAST_APPLIED}: {}
  f:labels:
    .: {}
    f:app: {}
${CREATED_SPEC}`,
    );
  });

  it('kubectl apply --server-side create: an Apply entry with the applied fields only', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http
      .patch(`${DS}/web?fieldManager=kubectl&fieldValidation=Strict`)
      .set('content-type', 'application/apply-patch+yaml')
      .send(JSON.stringify(daemonSet()));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.metadata.managedFields.length, 1);
    assertFields(
      fieldsOf(res.body, 'kubectl'),
      `
f:metadata:
  f:labels:
    f:app: {}
f:spec:
  f:selector: {}
  f:template:
    f:metadata:
      f:labels:
        f:app: {}
    f:spec:
      f:containers:
        k:{"name":"nginx"}:
          .: {}
          f:image: {}
          f:name: {}
`,
    );
  });

  it('a status write records what changed from the stored status, not the zeros it kept', async (t) => {
    const app = await buildTestApp(t);
    const created = (await app.http.post(DS).send(daemonSet())).body as Obj;
    const status = {
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
      desiredNumberScheduled: 2,
      numberReady: 0,
      observedGeneration: 1,
      updatedNumberScheduled: 2,
    };
    const res = await app.http.put(`${DS}/web/status?fieldManager=kube-controller-manager`).send({ ...created, status });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertFields(
      fieldsOf(res.body, 'kube-controller-manager', 'status'),
      `
f:status:
  f:currentNumberScheduled: {}
  f:desiredNumberScheduled: {}
  f:observedGeneration: {}
  f:updatedNumberScheduled: {}
`,
    );
  });

  it("the kubelet's node status: Go's always-written daemonEndpoints and nodeInfo have no `.`, an empty kubeProxyVersion is nobody's", async (t) => {
    const app = await buildTestApp(t);
    const node = (
      await app.http.post('/api/v1/nodes?fieldManager=kubelet').send({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } })
    ).body as Obj;
    const nodeInfo = {
      machineID: 'm1',
      systemUUID: 'u1',
      bootID: 'b1',
      kernelVersion: '6.1.0',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: 'containerd://1.7.13',
      kubeletVersion: 'v1.33.0',
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    };
    const status = {
      capacity: { cpu: '2', pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: '2026-01-01T00:00:00Z',
          lastTransitionTime: '2026-01-01T00:00:00Z',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo,
    };
    const res = await app.http.put('/api/v1/nodes/n1/status?fieldManager=kubelet').send({ ...node, status });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertFields(
      fieldsOf(res.body, 'kubelet', 'status'),
      `
f:status:
  f:addresses:
    .: {}
    k:{"type":"InternalIP"}:
      .: {}
      f:address: {}
      f:type: {}
  f:capacity:
    .: {}
    f:cpu: {}
    f:pods: {}
  f:conditions:
    .: {}
    k:{"type":"Ready"}:
      .: {}
      f:lastHeartbeatTime: {}
      f:lastTransitionTime: {}
      f:message: {}
      f:reason: {}
      f:status: {}
      f:type: {}
  f:daemonEndpoints:
    f:kubeletEndpoint:
      f:Port: {}
  f:nodeInfo:
    f:architecture: {}
    f:bootID: {}
    f:containerRuntimeVersion: {}
    f:kernelVersion: {}
    f:kubeletVersion: {}
    f:machineID: {}
    f:operatingSystem: {}
    f:osImage: {}
    f:systemUUID: {}
`,
    );
  });

  it("a DaemonSet's pod: kube-controller-manager's create and the kubelet's status, as on a cluster", async (t) => {
    const c = await manualCluster(t, 1);
    const ds = (await c.app.http.post(DS).send(daemonSet())).body as Obj;
    await c.pass(2000);
    const [pod] = (await c.get('/api/v1/namespaces/default/pods')).items as Obj[];
    assertFields(
      fieldsOf(pod, 'kube-controller-manager'),
      `
f:metadata:
  f:generateName: {}
  f:labels:
    .: {}
    f:app: {}
    f:controller-revision-hash: {}
    f:pod-template-generation: {}
  f:ownerReferences:
    .: {}
    k:{"uid":"${ds.metadata.uid}"}: {}
f:spec:
  f:affinity:
    .: {}
    f:nodeAffinity:
      .: {}
      f:requiredDuringSchedulingIgnoredDuringExecution: {}
  f:containers:
    k:{"name":"nginx"}:
      .: {}
      f:image: {}
      f:imagePullPolicy: {}
      f:name: {}
      f:resources: {}
      f:terminationMessagePath: {}
      f:terminationMessagePolicy: {}
  f:dnsPolicy: {}
  f:enableServiceLinks: {}
  f:restartPolicy: {}
  f:schedulerName: {}
  f:securityContext: {}
  f:terminationGracePeriodSeconds: {}
  f:tolerations: {}
`,
    );
    const kubelet = fieldsOf(pod, 'kubelet', 'status') as Obj;
    // Conditions the kubelet adds own their null lastProbeTime (Go writes the zero Time as null).
    assert.deepEqual(Object.keys(kubelet['f:status']['f:conditions']['k:{"type":"Ready"}']), [
      '.',
      'f:lastProbeTime',
      'f:lastTransitionTime',
      'f:status',
      'f:type',
    ]);
    assert.deepEqual(kubelet['f:status']['f:containerStatuses'], {}, 'an atomic list');
  });
});

const crd = (plural: string, kind: string): Obj => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.example.com` },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural, kind },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } },
        },
      },
    ],
  },
});

/** Go's v1 CRD: spec.names, status.acceptedNames are structs, status.conditions a list without omitempty. */
const CRD_STATUS = `
f:status:
  f:acceptedNames:
    f:kind: {}
    f:listKind: {}
    f:plural: {}
    f:singular: {}
  f:conditions:
    k:{"type":"Established"}:
      .: {}
      f:lastTransitionTime: {}
      f:message: {}
      f:reason: {}
      f:status: {}
      f:type: {}
    k:{"type":"NamesAccepted"}:
      .: {}
      f:lastTransitionTime: {}
      f:message: {}
      f:reason: {}
      f:status: {}
      f:type: {}
`;

describe('managedFields of a CustomResourceDefinition as kube-apiserver records them', () => {
  it('kubectl create: spec.names (a Go struct) has no `.`, the defaulted conversion (a pointer) has; the status is kube-apiserver’s', async (t) => {
    const { http } = await buildTestApp(t);
    await http.post(`${CRDS}?fieldManager=kubectl-create`).send(crd('widgets', 'Widget')).expect(201);
    const got: Obj = await waitEstablished({ http }, 'widgets.example.com');
    assert.deepEqual(got.status.storedVersions, ['v1']);
    assertFields(
      fieldsOf(got, 'kubectl-create'),
      `
f:spec:
  f:conversion:
    .: {}
    f:strategy: {}
  f:group: {}
  f:names:
    f:kind: {}
    f:listKind: {}
    f:plural: {}
    f:singular: {}
  f:scope: {}
  f:versions: {}
`,
    );
    // storedVersions came with the create (the strategy's), so the status writer changed only these.
    assertFields(fieldsOf(got, 'kube-apiserver', 'status'), CRD_STATUS);
    assert.deepEqual((got.metadata.managedFields as Obj[]).map((e) => [e.manager, e.operation, e.subresource]).sort(), [
      ['kube-apiserver', 'Update', 'status'],
      ['kubectl-create', 'Update', undefined],
    ]);
  });

  it('kubectl apply --server-side: the applied fields only, versions atomic; the status the same', async (t) => {
    const { http } = await buildTestApp(t);
    await http
      .patch(`${CRDS}/gadgets.example.com?fieldManager=kubectl&fieldValidation=Strict`)
      .set('content-type', 'application/apply-patch+yaml')
      .send(JSON.stringify(crd('gadgets', 'Gadget')))
      .expect(201);
    const got: Obj = await waitEstablished({ http }, 'gadgets.example.com');
    assertFields(
      fieldsOf(got, 'kubectl'),
      `
f:spec:
  f:group: {}
  f:names:
    f:kind: {}
    f:plural: {}
  f:scope: {}
  f:versions: {}
`,
    );
    assertFields(fieldsOf(got, 'kube-apiserver', 'status'), CRD_STATUS);
  });
});

describe("reset fields: what a kind's strategy resets is nobody's", () => {
  const applyTo = (app: Awaited<ReturnType<typeof buildTestApp>>, path: string, body: Obj, manager: string) =>
    app.http
      .patch(`${path}?fieldManager=${manager}&force=true`)
      .set('content-type', 'application/apply-patch+yaml')
      .send(JSON.stringify(body));

  it('DaemonSet: an apply to the main resource does not own the status it sent, one to /status not the spec', async (t) => {
    const app = await buildTestApp(t);
    const withStatus = {
      ...daemonSet(),
      status: { numberReady: 3, currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0 },
    };
    let res = await applyTo(app, `${DS}/web`, withStatus, 'alice');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(fieldsOf(res.body, 'alice') as Obj), ['f:metadata', 'f:spec']);
    assert.equal(res.body.status.numberReady, 0);

    const statusApply = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'web' },
      spec: { minReadySeconds: 9 },
      status: withStatus.status,
    };
    res = await applyTo(app, `${DS}/web/status`, statusApply, 'bob');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertFields(
      fieldsOf(res.body, 'bob', 'status'),
      `
f:status:
  f:currentNumberScheduled: {}
  f:desiredNumberScheduled: {}
  f:numberMisscheduled: {}
  f:numberReady: {}
`,
    );
    assert.equal(res.body.spec.minReadySeconds, undefined);
    assert.equal(res.body.status.numberReady, 3);
  });

  it('Pod: /status resets the spec, deletionTimestamp and ownerReferences; the main resource resets the status', async (t) => {
    const app = await buildTestApp(t);
    const PODS = '/api/v1/namespaces/default/pods';
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
      status: { phase: 'Running' },
    };
    let res = await applyTo(app, `${PODS}/p`, pod, 'alice');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(fieldsOf(res.body, 'alice') as Obj), ['f:spec']);
    assert.equal(res.body.status.phase, 'Pending');

    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: '0b9c7f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f' };
    const statusApply = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', ownerReferences: [owner] },
      spec: { activeDeadlineSeconds: 5 },
      status: { phase: 'Running', message: 'up' },
    };
    res = await applyTo(app, `${PODS}/p/status`, statusApply, 'kubelet');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertFields(
      fieldsOf(res.body, 'kubelet', 'status'),
      `
f:status:
  f:message: {}
  f:phase: {}
`,
    );
    assert.equal(res.body.metadata.ownerReferences, undefined);
    assert.equal(res.body.spec.activeDeadlineSeconds, undefined);
  });
});

/**
 * The causes of a 422 on update, kind by kind, as kube-apiserver 1.33 lists them.
 *
 * rest.BeforeUpdate (staging/src/k8s.io/apiserver/pkg/registry/rest/update.go) runs
 * validateCommonFields first: apimachinery's ValidateObjectMetaAccessor of the new object (labels,
 * annotations, owner references, finalizers …) and ValidateObjectMetaAccessorUpdate of new against
 * old (the immutable fields, labels, annotations, owner references, no finalizer names). It then
 * appends the strategy's ValidateUpdate errors, and most kinds' ValidateXUpdate validate the
 * metadata again: ValidateObjectMetaUpdate, ValidateObjectMeta, or both. errors.NewInvalid makes
 * every error a cause, repeats included; the message (ErrorList.ToAggregate) prints each text once.
 * So a bad label is one cause per validation that checks labels, a changed uid one per
 * ValidateObjectMetaUpdate (BeforeUpdate's and the kind's own, if it calls it).
 *
 * The uid is changed with a merge patch: a PUT's uid is a precondition (409) before any validation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { widgetCrd } from '../helpers/widget-crd.js';
import { waitFor } from '../helpers/eventually.js';
import { causesOf, type Cause } from '../helpers/causes.js';
import { established } from '../helpers/crd-established.js';

const BAD_VALUE = 'bad value!';
const LABEL_MESSAGE =
  `Invalid value: "${BAD_VALUE}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', ` +
  "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is " +
  "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const LABEL_CAUSE = `metadata.labels: ${LABEL_MESSAGE}`;
const UID_CAUSE = 'metadata.uid: Invalid value: "not-the-uid": field is immutable';

const selector = { matchLabels: { app: 'd' } };
const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };

interface KindCase {
  kind: string;
  /** The collection to POST to; the object is at `${collection}/${name}`. */
  collection: string;
  /** The object's name (default x). */
  name?: string;
  body: Record<string, unknown>;
  /** How many times the bad label is a cause, and the changed uid. */
  labels: number;
  uid: number;
  /** The upstream path that makes those counts (after BeforeUpdate's two). */
  upstream: string;
}

const CASES: KindCase[] = [
  {
    kind: 'ConfigMap',
    collection: '/api/v1/namespaces/default/configmaps',
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } },
    labels: 4,
    uid: 2,
    upstream: 'ValidateConfigMapUpdate: ValidateObjectMetaUpdate, then ValidateConfigMap → ValidateObjectMeta',
  },
  {
    kind: 'Pod',
    collection: '/api/v1/namespaces/default/pods',
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: podSpec },
    labels: 4,
    uid: 2,
    upstream: 'ValidatePodUpdate: ValidateObjectMetaUpdate, then validatePodMetadataAndSpec → ValidateObjectMeta',
  },
  {
    kind: 'DaemonSet.apps',
    collection: '/apis/apps/v1/namespaces/default/daemonsets',
    body: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'x' },
      spec: { selector, template: { metadata: { labels: { app: 'd' } }, spec: podSpec } },
    },
    labels: 4,
    uid: 2,
    upstream:
      'daemonSetStrategy.ValidateUpdate: ValidateDaemonSet → ValidateObjectMeta, then ValidateDaemonSetUpdate → ValidateObjectMetaUpdate',
  },
  {
    kind: 'Lease.coordination.k8s.io',
    collection: '/apis/coordination.k8s.io/v1/namespaces/default/leases',
    body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'x' }, spec: { holderIdentity: 'me' } },
    labels: 3,
    uid: 2,
    upstream: "ValidateLeaseUpdate: apimachinery's ValidateObjectMetaUpdate, then the spec",
  },
  {
    kind: 'Namespace',
    collection: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } },
    labels: 4,
    uid: 2,
    upstream:
      'namespaceStrategy.ValidateUpdate: ValidateNamespace → ValidateObjectMeta, then ValidateNamespaceUpdate → ValidateObjectMetaUpdate',
  },
  {
    kind: 'Node',
    collection: '/api/v1/nodes',
    body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'x' } },
    labels: 4,
    uid: 2,
    upstream: 'nodeStrategy.ValidateUpdate: ValidateNode → ValidateObjectMeta, then ValidateNodeUpdate → ValidateObjectMetaUpdate',
  },
  {
    kind: 'Widget.example.com',
    collection: '/apis/example.com/v1/namespaces/default/widgets',
    body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' }, spec: {} },
    labels: 3,
    uid: 2,
    upstream: 'customResourceValidator.ValidateUpdate (apiextensions-apiserver): ValidateObjectMetaAccessorUpdate, then the schema',
  },
  {
    kind: 'Role.rbac.authorization.k8s.io',
    collection: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
    body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'x' }, rules: [] },
    labels: 5,
    uid: 2,
    upstream:
      'role strategy ValidateUpdate: ValidateRole → ValidateObjectMeta, then ValidateRoleUpdate → ValidateRole again, ValidateObjectMetaUpdate',
  },
  {
    kind: 'EndpointSlice.discovery.k8s.io',
    collection: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
    body: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'x' }, addressType: 'IPv4', endpoints: [] },
    labels: 3,
    uid: 1,
    upstream: 'ValidateEndpointSliceUpdate: ValidateEndpointSlice → ValidateObjectMeta; no ValidateObjectMetaUpdate',
  },
  {
    kind: 'PodDisruptionBudget.policy',
    collection: '/apis/policy/v1/namespaces/default/poddisruptionbudgets',
    body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'x' }, spec: { minAvailable: 1, selector } },
    labels: 2,
    uid: 1,
    upstream: 'ValidatePodDisruptionBudget validates the spec alone',
  },
  {
    kind: 'Event',
    collection: '/api/v1/namespaces/default/events',
    body: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'x' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' } },
    labels: 2,
    uid: 1,
    upstream: 'ValidateEventUpdate through core/v1: legacyValidateEvent alone',
  },
  {
    kind: 'NetworkPolicy.networking.k8s.io',
    collection: '/apis/networking.k8s.io/v1/namespaces/default/networkpolicies',
    body: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: {} } },
    labels: 4,
    uid: 2,
    upstream:
      'networkPolicyStrategy.ValidateUpdate: ValidateNetworkPolicy → ValidateObjectMeta, then ValidateNetworkPolicyUpdate → ValidateObjectMetaUpdate',
  },
  {
    kind: 'Ingress.networking.k8s.io',
    collection: '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
    body: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'x' },
      spec: { defaultBackend: { service: { name: 's', port: { number: 80 } } } },
    },
    labels: 4,
    uid: 2,
    upstream: 'ValidateIngressUpdate: ValidateObjectMetaUpdate, then validateIngress → ValidateObjectMeta',
  },
  {
    kind: 'IngressClass.networking.k8s.io',
    collection: '/apis/networking.k8s.io/v1/ingressclasses',
    body: { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'x' }, spec: { controller: 'example.com/c' } },
    labels: 4,
    uid: 2,
    upstream: 'ValidateIngressClassUpdate: ValidateObjectMetaUpdate, then ValidateIngressClass → ValidateObjectMeta',
  },
  {
    kind: 'IPAddress.networking.k8s.io',
    collection: '/apis/networking.k8s.io/v1/ipaddresses',
    name: '10.96.200.7',
    body: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IPAddress',
      metadata: { name: '10.96.200.7' },
      spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 's' } },
    },
    labels: 4,
    uid: 2,
    upstream:
      'ipAddressStrategy.ValidateUpdate: ValidateIPAddress → ValidateObjectMeta, then ValidateIPAddressUpdate → ValidateObjectMetaUpdate',
  },
  {
    kind: 'ServiceCIDR.networking.k8s.io',
    collection: '/apis/networking.k8s.io/v1/servicecidrs',
    body: { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: 'x' }, spec: { cidrs: ['10.200.0.0/24'] } },
    labels: 4,
    uid: 2,
    upstream:
      'serviceCIDRStrategy.ValidateUpdate: ValidateServiceCIDR → ValidateObjectMeta, then ValidateServiceCIDRUpdate → ValidateObjectMetaUpdate',
  },
];

async function installWidgets(app: TestApp): Promise<void> {
  await established(app, widgetCrd());
  await waitFor(async () => (await app.http.get('/apis/example.com/v1/namespaces/default/widgets')).status === 200);
}

const mergePatch = (app: TestApp, url: string, body: object) =>
  app.http.patch(url).set('content-type', 'application/merge-patch+json').send(body);

describe('the causes of an invalid update, kind by kind', () => {
  for (const c of CASES) {
    it(`${c.kind}: a bad label is ${c.labels} causes, a changed uid ${c.uid}; each once in the message (${c.upstream})`, async (t) => {
      const app = await buildTestApp(t);
      if (c.kind.startsWith('Widget')) await installWidgets(app);
      const created = await app.http.post(c.collection).send(c.body);
      assert.equal(created.status, 201, created.text);
      const name = c.name ?? 'x';
      const url = `${c.collection}/${name}`;

      const labelled = await mergePatch(app, url, { metadata: { labels: { app: BAD_VALUE } } });
      assert.equal(labelled.status, 422, labelled.text);
      assert.deepEqual(causesOf(labelled.body), Array<string>(c.labels).fill(LABEL_CAUSE));
      assert.deepEqual(
        labelled.body.details.causes.map((x: Cause) => x.reason),
        Array<string>(c.labels).fill('FieldValueInvalid'),
      );
      assert.equal(labelled.body.message, `${c.kind} "${name}" is invalid: ${LABEL_CAUSE}`);

      const moved = await mergePatch(app, url, { metadata: { uid: 'not-the-uid' } });
      assert.equal(moved.status, 422, moved.text);
      assert.deepEqual(causesOf(moved.body), Array<string>(c.uid).fill(UID_CAUSE));
      assert.equal(moved.body.message, `${c.kind} "${name}" is invalid: ${UID_CAUSE}`);
    });
  }
});

describe('a /status write', () => {
  // The status strategies keep the writer's labels (pods, nodes); their ValidateUpdate is
  // ValidatePodStatusUpdate / ValidateNodeUpdate, each beginning with ValidateObjectMetaUpdate alone.
  for (const [kind, collection, body] of [
    ['Pod', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: podSpec }],
    ['Node', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'x' } }],
  ] as const) {
    it(`${kind}: a bad label is 3 causes (BeforeUpdate's two, the status validation's ValidateObjectMetaUpdate)`, async (t) => {
      const app = await buildTestApp(t);
      await app.http.post(collection).send(body).expect(201);
      const res = await mergePatch(app, `${collection}/x/status`, { metadata: { labels: { app: BAD_VALUE } } });
      assert.equal(res.status, 422, res.text);
      assert.deepEqual(causesOf(res.body), Array<string>(3).fill(LABEL_CAUSE));
      assert.equal(res.body.message, `${kind} "x" is invalid: ${LABEL_CAUSE}`);
    });
  }
});

describe('the order of the causes', () => {
  const CMS = '/api/v1/namespaces/default/configmaps';

  it('ConfigMap: BeforeUpdate’s two, ValidateObjectMetaUpdate, the immutable data, then ValidateConfigMap’s ObjectMeta', async (t) => {
    const app = await buildTestApp(t);
    await app.http
      .post(CMS)
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'frozen' }, immutable: true, data: { a: '1' } })
      .expect(201);
    const res = await mergePatch(app, `${CMS}/frozen`, { metadata: { labels: { app: BAD_VALUE } }, data: { a: '2' } });
    assert.equal(res.status, 422, res.text);
    const data = 'data: Forbidden: field is immutable when `immutable` is set';
    assert.deepEqual(causesOf(res.body), [LABEL_CAUSE, LABEL_CAUSE, LABEL_CAUSE, data, LABEL_CAUSE]);
    assert.equal(res.body.message, `ConfigMap "frozen" is invalid: [${LABEL_CAUSE}, ${data}]`);
  });

  it('a PUT lists the causes as a patch does; only the uid is a precondition there', async (t) => {
    const app = await buildTestApp(t);
    const created = await app.http
      .post(CMS)
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })
      .expect(201);
    const put = await app.http
      .put(`${CMS}/c`)
      .send({ ...created.body, metadata: { ...created.body.metadata, labels: { app: BAD_VALUE } } });
    assert.equal(put.status, 422, put.text);
    assert.deepEqual(causesOf(put.body), Array<string>(4).fill(LABEL_CAUSE));
    const uid = await app.http.put(`${CMS}/c`).send({ ...created.body, metadata: { ...created.body.metadata, uid: 'not-the-uid' } });
    assert.equal(uid.status, 409, uid.text);
  });

  it('a finalizer name: ValidateObjectMetaAccessor’s check, then the built-in kinds’ rule in each of their validations', async (t) => {
    // BeforeUpdate's ValidateObjectMetaAccessor checks a finalizer as a qualified name (no error
    // for "custom"), ValidateObjectMetaAccessorUpdate checks none; core's ValidateObjectMetaUpdate
    // and ValidateObjectMeta each add validateKubeFinalizerName.
    const app = await buildTestApp(t);
    await app.http
      .post(CMS)
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f' } })
      .expect(201);
    const res = await mergePatch(app, `${CMS}/f`, { metadata: { finalizers: ['custom'] } });
    assert.equal(res.status, 422, res.text);
    const kube = 'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified';
    assert.deepEqual(causesOf(res.body), [kube, kube]);
    assert.equal(res.body.message, `ConfigMap "f" is invalid: ${kube}`);

    // Not a qualified name: ValidateObjectMetaAccessor's generic check (unindexed path), none from
    // ValidateObjectMetaAccessorUpdate, the kube rule from ValidateObjectMetaUpdate, then both from ValidateObjectMeta.
    const bad = await mergePatch(app, `${CMS}/f`, { metadata: { finalizers: ['bad name!'] } });
    assert.equal(bad.status, 422, bad.text);
    const generic =
      "metadata.finalizers: Invalid value: \"bad name!\": name part must consist of alphanumeric characters, '-', '_' or '.', " +
      "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
      "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    const kubeBad =
      'metadata.finalizers[0]: Invalid value: "bad name!": name is neither a standard finalizer name nor is it fully qualified';
    assert.deepEqual(causesOf(bad.body), [generic, kubeBad, generic, kubeBad]);
    assert.equal(bad.body.message, `ConfigMap "f" is invalid: [${generic}, ${kubeBad}]`);
  });
});

describe('a create lists each metadata error once, after the kind’s own checks when they come first', () => {
  // rest.BeforeCreate (staging/src/k8s.io/apiserver/pkg/registry/rest/create.go) answers the
  // strategy's Validate errors alone; only when there are none does it run apimachinery's
  // ValidateObjectMetaAccessor (path segment name rule, no kube finalizer rule) and answer those.
  it('ConfigMap: ValidateConfigMap begins with ValidateObjectMeta: one cause', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http
      .post('/api/v1/namespaces/default/configmaps')
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { app: BAD_VALUE } }, data: { 'bad key!': 'x' } });
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(causesOf(res.body), [
      LABEL_CAUSE,
      "data[bad key!]: Invalid value: \"bad key!\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
  });

  it('PodDisruptionBudget: ValidatePodDisruptionBudget checks the spec alone, the metadata only after', async (t) => {
    const app = await buildTestApp(t);
    const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
    const pdb = (name: string, labels: Record<string, string>, spec: Record<string, unknown>) => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, labels },
      spec: { selector, ...spec },
    });
    const both = await app.http.post(PDBS).send(pdb('p', { app: BAD_VALUE }, { minAvailable: -1 }));
    assert.equal(both.status, 422, both.text);
    assert.deepEqual(causesOf(both.body), ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
    const label = await app.http.post(PDBS).send(pdb('p', { app: BAD_VALUE }, { minAvailable: 1 }));
    assert.equal(label.status, 422, label.text);
    assert.deepEqual(causesOf(label.body), [LABEL_CAUSE]);
    // The name is held to the path segment rule alone, and a finalizer to the generic rule.
    const named = await app.http.post(PDBS).send({ ...pdb('Not_A_DNS_Name', {}, { minAvailable: 1 }) });
    assert.equal(named.status, 201, named.text);
    const slash = await app.http.post(PDBS).send(pdb('a%b', {}, { minAvailable: 1 }));
    assert.equal(slash.status, 422, slash.text);
    assert.deepEqual(causesOf(slash.body), ['metadata.name: Invalid value: "a%b": may not contain \'%\'']);
  });

  it('core/v1 Event: legacyValidateEvent alone, then the metadata; events.k8s.io/v1: ValidateObjectMeta after the legacy checks', async (t) => {
    const app = await buildTestApp(t);
    const CORE = '/api/v1/namespaces/default/events';
    const core = (name: string, labels: Record<string, string>, involvedNamespace: string) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, labels },
      involvedObject: { kind: 'Pod', name: 'p', namespace: involvedNamespace },
    });
    const mismatch = 'involvedObject.namespace: Invalid value: "other": does not match event.namespace';
    const both = await app.http.post(CORE).send(core('e', { app: BAD_VALUE }, 'other'));
    assert.equal(both.status, 422, both.text);
    assert.deepEqual(causesOf(both.body), [mismatch]);
    const label = await app.http.post(CORE).send(core('e', { app: BAD_VALUE }, 'default'));
    assert.deepEqual(causesOf(label.body), [LABEL_CAUSE]);
    assert.equal((await app.http.post(CORE).send(core('Not_A_DNS_Name', {}, 'default'))).status, 201);

    const strict = await app.http.post('/apis/events.k8s.io/v1/namespaces/default/events').send({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'Not_A_DNS_Name', labels: { app: BAD_VALUE } },
      regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
      eventTime: '2026-12-07T10:00:00.000000Z',
      reportingController: 'example.com/c',
      reportingInstance: 'i',
      action: '',
      reason: 'Why',
      type: 'Normal',
    });
    assert.equal(strict.status, 422, strict.text);
    assert.deepEqual(
      causesOf(strict.body).map((c) => c.split(':')[0]),
      ['action', 'metadata.name', 'metadata.labels'],
    );
  });
});

describe('a CRD’s name rule is ValidateObjectMeta’s', () => {
  // ValidateCustomResourceDefinition (apiextensions-apiserver) hands ValidateObjectMeta a name
  // function that adds 'must be spec.names.plural+"."+spec.group' to NameIsDNSSubdomain: the error
  // sits with the name's, before the labels', and a generateName prefix gets it too.
  const CRD_CREATE = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const PLURAL_RULE = 'must be spec.names.plural+"."+spec.group';

  it('a wrong name is listed before a bad label', async (t) => {
    const app = await buildTestApp(t);
    const crd = widgetCrd();
    const res = await app.http.post(CRD_CREATE).send({ ...crd, metadata: { name: 'gadgets.example.com', labels: { app: BAD_VALUE } } });
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(causesOf(res.body), [`metadata.name: Invalid value: "gadgets.example.com": ${PLURAL_RULE}`, LABEL_CAUSE]);
  });

  it('a generateName is held to the rule, and so is the name generated from it', async (t) => {
    const app = await buildTestApp(t);
    const crd = widgetCrd();
    const res = await app.http.post(CRD_CREATE).send({ ...crd, metadata: { generateName: 'widgets-' } });
    assert.equal(res.status, 422, res.text);
    const [prefix, generated, ...rest] = causesOf(res.body);
    assert.equal(prefix, `metadata.generateName: Invalid value: "widgets-": ${PLURAL_RULE}`);
    assert.match(
      generated,
      new RegExp(`^metadata\\.name: Invalid value: "widgets-[a-z0-9]{5}": ${PLURAL_RULE.replace(/[.+"]/g, '\\$&')}$`),
    );
    assert.deepEqual(rest, []);
  });
});

describe('managedFields in both of rest.BeforeUpdate’s checks and in the kind’s', () => {
  // ValidateObjectMetaAccessor and ValidateObjectMetaAccessorUpdate both end with
  // ValidateManagedFields (after the finalizers, after the owner references), so an entry whose
  // manager is too long is a cause wherever a bad label is, right after it.
  it('ConfigMap: a manager over 128 bytes is four causes, each after the label’s', async (t) => {
    const app = await buildTestApp(t);
    const CMS = '/api/v1/namespaces/default/configmaps';
    await app.http
      .post(CMS)
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' }, data: { a: '1' } })
      .expect(201);
    const entry = {
      manager: 'm'.repeat(129),
      operation: 'Update',
      apiVersion: 'v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:a': {} } },
    };
    const manager = 'metadata.managedFields[0].manager: Too long: may not be more than 128 bytes';

    const alone = await mergePatch(app, `${CMS}/m`, { metadata: { managedFields: [entry] } });
    assert.equal(alone.status, 422, alone.text);
    assert.deepEqual(causesOf(alone.body), Array<string>(4).fill(manager));
    assert.equal(alone.body.message, `ConfigMap "m" is invalid: ${manager}`);

    const both = await mergePatch(app, `${CMS}/m`, { metadata: { labels: { app: BAD_VALUE }, managedFields: [entry] } });
    assert.equal(both.status, 422, both.text);
    assert.deepEqual(causesOf(both.body), [LABEL_CAUSE, manager, LABEL_CAUSE, manager, LABEL_CAUSE, manager, LABEL_CAUSE, manager]);

    const unprintable = await mergePatch(app, `${CMS}/m`, { metadata: { managedFields: [{ ...entry, manager: 'a\u0007b' }] } });
    assert.equal(unprintable.status, 422, unprintable.text);
    const bell = 'metadata.managedFields[0].manager: Invalid value: "a\\ab": invalid character U+0007 (at position 1)';
    assert.deepEqual(causesOf(unprintable.body), Array<string>(4).fill(bell));
  });
});

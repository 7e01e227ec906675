/**
 * The server side of the everyday kubectl commands that need more than CRUD: the create-only
 * authorization reviews (`auth can-i`, JSON and protobuf bodies), Services (`cluster-info`, `get
 * svc`) with the system ones created at start, and DELETE's dryRun validated as the other writes'.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { messageType } from '../../src/http/protobuf/descriptor.js';

const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const SSRR = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

function encode(message: string, fields: Record<string, unknown>): Uint8Array {
  const type = messageType(message)!;
  return type.encode(type.fromObject(fields)).finish();
}

/** What kubectl 1.32+ sends: the `k8s\0` magic, then a runtime.Unknown around the review's message. */
function protobufReview(kind: string, fields: Record<string, unknown>): Buffer {
  const raw = encode(`k8s.io.api.authorization.v1.${kind}`, fields);
  const unknown = encode('k8s.io.apimachinery.pkg.runtime.Unknown', { typeMeta: { apiVersion: 'authorization.k8s.io/v1', kind }, raw });
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

describe('authorization.k8s.io/v1 reviews', () => {
  it('discovery lists the four reviews with the single verb create and no storage hash', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.get('/apis/authorization.k8s.io/v1');
    assert.equal(res.status, 200);
    const byName = new Map((res.body.resources as { name: string; verbs: string[] }[]).map((r) => [r.name, r]));
    assert.deepEqual(byName.get('selfsubjectaccessreviews'), {
      name: 'selfsubjectaccessreviews',
      singularName: 'selfsubjectaccessreview',
      namespaced: false,
      kind: 'SelfSubjectAccessReview',
      verbs: ['create'],
    });
    assert.deepEqual(byName.get('selfsubjectrulesreviews')?.verbs, ['create']);
    const agg = await http.get('/apis').set('Accept', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const group = (
      agg.body.items as { metadata: { name: string }; versions: { resources: { resource: string; verbs: string[] }[] }[] }[]
    ).find((g) => g.metadata.name === 'authorization.k8s.io');
    assert.deepEqual(
      group?.versions[0]?.resources.map((r) => [r.resource, r.verbs]),
      [
        ['localsubjectaccessreviews', ['create']],
        ['selfsubjectaccessreviews', ['create']],
        ['selfsubjectrulesreviews', ['create']],
        ['subjectaccessreviews', ['create']],
      ],
    );
  });

  it('a JSON SelfSubjectAccessReview (kubectl 1.27-1.31) is answered 201, allowed, with its spec echoed', async (t) => {
    const { http } = await buildTestApp(t);
    const spec = { resourceAttributes: { namespace: 'kube-system', verb: 'delete', group: 'apps', resource: 'daemonsets' } };
    const res = await http
      .post(SSAR)
      .set('Content-Type', 'application/json')
      .send({
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec,
        status: { allowed: false },
      });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.body.kind, 'SelfSubjectAccessReview');
    assert.equal(res.body.apiVersion, 'authorization.k8s.io/v1');
    assert.deepEqual(res.body.spec, spec);
    assert.equal(res.body.status.allowed, true);
  });

  it('a protobuf body (kubectl 1.32+) is decoded and answered for what it asks, in JSON', async (t) => {
    const { http } = await buildTestApp(t);
    const ask = (kind: string, fields: Record<string, unknown>) =>
      http
        .post(kind === 'SelfSubjectAccessReview' ? SSAR : SSRR)
        .set('Content-Type', PROTOBUF)
        .set('Accept', `${PROTOBUF},application/json`)
        .send(protobufReview(kind, fields));
    const denied = await ask('SelfSubjectAccessReview', {
      spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'secrets' } },
    }).set('Impersonate-User', 'jane');
    assert.equal(denied.status, 201, denied.text);
    assert.equal(denied.headers['content-type'], 'application/json');
    assert.deepEqual(denied.body.spec, { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'secrets' } });
    assert.equal(denied.body.status.allowed, false);
    const rules = await ask('SelfSubjectRulesReview', { spec: { namespace: 'default' } });
    assert.equal(rules.status, 201, rules.text);
    assert.deepEqual(rules.body.status.resourceRules[0], { verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
  });

  it('SelfSubjectRulesReview lists the rules of the bindings that apply: cluster-admin for the unsecured user, the basics for another', async (t) => {
    const { http } = await buildTestApp(t);
    const body = { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', spec: { namespace: 'default' } };
    const res = await http.post(SSRR).send(body);
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.spec, { namespace: 'default' });
    assert.deepEqual(res.body.status.resourceRules[0], { verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    assert.deepEqual(res.body.status.nonResourceRules[0], { verbs: ['*'], nonResourceURLs: ['*'] });
    assert.equal(res.body.status.incomplete, false);
    const jane = await http.post(SSRR).set('Impersonate-User', 'jane').send(body);
    assert.deepEqual(jane.body.status.resourceRules, [
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    ]);
    assert.ok(jane.body.status.nonResourceRules.some((r: { nonResourceURLs: string[] }) => r.nonResourceURLs.includes('/api/*')));
    const missingNamespace = await http.post(SSRR).send({ ...body, spec: {} });
    assert.equal(missingNamespace.status, 400);
    assert.equal(missingNamespace.body.message, 'no namespace on request');
  });

  it('reviews refuse every verb but create, and check what a JSON body says it is', async (t) => {
    const { http } = await buildTestApp(t);
    const list = await http.get(SSAR);
    assert.equal(list.status, 405);
    assert.equal(list.body.reason, 'MethodNotAllowed');
    assert.equal((await http.get(`${SSAR}/x`)).status, 404);
    assert.equal((await http.delete(SSAR)).status, 405);
    const wrongKind = await http.post(SSAR).send({ kind: 'Pod', apiVersion: 'v1' });
    assert.equal(wrongKind.status, 400);
    const neither = await http.post(SSAR).send({ kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: {} });
    assert.equal(neither.status, 422);
    assert.equal(
      neither.body.message,
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
    const badDryRun = await http.post(`${SSAR}?dryRun=Bogus`).send({});
    assert.equal(badDryRun.status, 422);
  });
});

describe('services', () => {
  it('the kubernetes and kube-dns Services exist from the start, kube-dns labelled for cluster-info', async (t) => {
    const { http } = await buildTestApp(t);
    const k = await http.get('/api/v1/namespaces/default/services/kubernetes');
    assert.equal(k.status, 200);
    assert.equal(k.body.spec.clusterIP, '10.96.0.1');
    assert.deepEqual(k.body.spec.ports, [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }]);
    const listed = await http.get('/api/v1/namespaces/kube-system/services?labelSelector=kubernetes.io/cluster-service=true');
    assert.deepEqual(
      listed.body.items.map((s: { metadata: { name: string; labels: Record<string, string> } }) => [
        s.metadata.name,
        s.metadata.labels['kubernetes.io/name'],
      ]),
      [['kube-dns', 'CoreDNS']],
    );
  });

  it('create defaults type, protocol, targetPort and sessionAffinity, and allocates a cluster IP in 10.96.0.0/12', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http
      .post('/api/v1/namespaces/default/services')
      .send({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const spec = res.body.spec;
    assert.equal(spec.type, 'ClusterIP');
    assert.equal(spec.sessionAffinity, 'None');
    assert.deepEqual(spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    const octets = (spec.clusterIP as string).split('.').map(Number);
    assert.equal(octets[0], 10);
    assert.ok(octets[1] >= 96 && octets[1] < 112, spec.clusterIP);
    assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
    assert.deepEqual(res.body.status, { loadBalancer: {} });

    // A PUT that leaves the IP out keeps it; one that changes it is refused.
    const put = await http
      .put('/api/v1/namespaces/default/services/web')
      .send({ ...res.body, spec: { ...spec, clusterIP: undefined, clusterIPs: undefined } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.spec.clusterIP, spec.clusterIP);
    const moved = await http
      .put('/api/v1/namespaces/default/services/web')
      .send({ ...put.body, spec: { ...put.body.spec, clusterIP: '10.96.0.99', clusterIPs: ['10.96.0.99'] } });
    assert.equal(moved.status, 422);
  });

  it('a Service without ports is invalid; a NodePort Service gets node ports', async (t) => {
    const { http } = await buildTestApp(t);
    const bad = await http
      .post('/api/v1/namespaces/default/services')
      .send({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad' }, spec: {} });
    assert.equal(bad.status, 422);
    assert.match(bad.body.message, /spec\.ports: Required value/);
    const np = await http
      .post('/api/v1/namespaces/default/services')
      .send({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    assert.equal(np.status, 201);
    const nodePort = np.body.spec.ports[0].nodePort as number;
    assert.ok(nodePort >= 30000 && nodePort <= 32767, String(nodePort));
    assert.equal(np.body.spec.externalTrafficPolicy, 'Cluster');
  });
});

describe('DELETE dryRun', () => {
  const SVC = '/api/v1/namespaces/default/services';
  const create = (http: Awaited<ReturnType<typeof buildTestApp>>['http'], name: string) =>
    http.post(SVC).send({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels: { dry: 'run' } }, spec: { ports: [{ port: 80 }] } });

  it('an unsupported value is a 422 naming DeleteOptions, for delete and deletecollection, from the query or the body', async (t) => {
    const { http } = await buildTestApp(t);
    await create(http, 'keep');
    for (const req of [
      http.delete(`${SVC}/keep?dryRun=Bogus`),
      http.delete(`${SVC}?dryRun=Bogus`),
      http.delete(`${SVC}/keep`).send({ dryRun: ['Bogus'] }),
    ]) {
      const res = await req;
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.reason, 'Invalid');
      assert.equal(
        res.body.message,
        'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Bogus"}: supported values: "All"',
      );
      assert.deepEqual(res.body.details, { group: 'meta.k8s.io', kind: 'DeleteOptions', causes: res.body.details.causes });
    }
    assert.equal((await http.get(`${SVC}/keep`)).status, 200);
  });

  it('dryRun All in the body (what kubectl delete --dry-run=server sends) or in the query deletes nothing', async (t) => {
    const { http } = await buildTestApp(t);
    await create(http, 'keep');
    assert.equal((await http.delete(`${SVC}/keep`).send({ dryRun: ['All'] })).status, 200);
    assert.equal((await http.delete(`${SVC}/keep?dryRun=All`)).status, 200);
    const collection = await http.delete(`${SVC}?dryRun=All&labelSelector=dry%3Drun`);
    assert.equal(collection.status, 200);
    assert.deepEqual(
      collection.body.items.map((s: { metadata: { name: string } }) => s.metadata.name),
      ['keep'],
    );
    assert.equal((await http.get(`${SVC}/keep`)).status, 200);
  });
});

it('pods/binding and namespaces/finalize validate dryRun like every other write', async (t) => {
  const { http } = await buildTestApp(t);
  await http
    .post('/api/v1/namespaces/default/pods')
    .send({ metadata: { name: 'b' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  const binding = await http
    .post('/api/v1/namespaces/default/pods/b/binding')
    .query({ dryRun: 'Bogus' })
    .send({ target: { kind: 'Node', name: 'n' } });
  assert.equal(binding.status, 422);
  assert.match(binding.body.message, /^CreateOptions\.meta\.k8s\.io "" is invalid: dryRun: Unsupported value/);
  assert.equal((await http.get('/api/v1/namespaces/default/pods/b')).body.spec.nodeName, undefined, 'nothing bound');
  const ns = (await http.get('/api/v1/namespaces/default')).body;
  const finalize = await http.put('/api/v1/namespaces/default/finalize').query({ dryRun: 'Bogus' }).send(ns);
  assert.equal(finalize.status, 422);
  assert.match(finalize.body.message, /^UpdateOptions\.meta\.k8s\.io "" is invalid: dryRun: Unsupported value/);
});

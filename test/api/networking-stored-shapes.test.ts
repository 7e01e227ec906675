/**
 * Updates of networking.k8s.io objects whose stored copy is of another shape than this version
 * writes (written by an older kubemock or under the API: fields missing, values this version
 * refuses), as kube-apiserver 1.33's strategies take them: never a 500, and what the stored object
 * already had wrong ratchets where upstream lets it (NetworkPolicy's AllowInvalidLabelValueInSelector,
 * computed from the stored podSelector by ValidationOptionsForNetworking).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

type Obj = Record<string, any>;
const NP = '/apis/networking.k8s.io/v1/namespaces/default/networkpolicies';
const BAD = 'bad value!';
const BAD_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Rewrites the stored object under the API, as a database from elsewhere holds it. */
function storeAs(app: TestApp, resource: string, namespace: string | undefined, name: string, change: (o: Obj) => void): void {
  const store = app.kubemock.registry.store<KubeObject>(resource, 'networking.k8s.io');
  const stored = store.get(namespace, name);
  const old = structuredClone(stored);
  change(stored);
  assert.ok(store.commit('MODIFIED', stored, Number(old.metadata.resourceVersion), old));
}

const mergePatch = (http: TestApp['http'], url: string, body: Obj) =>
  http.patch(url).set('Content-Type', 'application/merge-patch+json').send(JSON.stringify(body));

const policy = (name: string): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name },
  spec: {
    podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
    ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] } }] }],
  },
});

describe('networking.k8s.io updates over stored objects of another shape', () => {
  it('NetworkPolicy: a stored podSelector with invalid values lets every selector’s values through; a create still refuses them', async (t) => {
    const app = await buildTestApp(t);
    const { http } = app;
    await http.post(NP).send(policy('ratchet')).expect(201);
    storeAs(app, 'networkpolicies', 'default', 'ratchet', (o) => {
      o.spec.podSelector.matchExpressions[0].values = [BAD];
    });
    await mergePatch(http, `${NP}/ratchet`, { metadata: { labels: { touched: 'yes' } } }).expect(200);
    // The peers' selectors too, as the option covers the whole spec.
    const peer = { ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: [BAD] }] } }] }] };
    await mergePatch(http, `${NP}/ratchet`, { spec: peer }).expect(200);
    // Keys and matchLabels are still checked.
    const badLabels = await mergePatch(http, `${NP}/ratchet`, { spec: { podSelector: { matchLabels: { app: BAD } } } });
    assert.equal(badLabels.status, 422, badLabels.text);

    const created = await http.post(NP).send({
      ...policy('fresh'),
      spec: { ...policy('fresh').spec, podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [BAD] }] } },
    });
    assert.equal(created.status, 422);
    assert.deepEqual(
      created.body.details.causes.map((c: Obj) => [c.field, c.message]),
      [['spec.podSelector.matchExpressions[0].values[0]', `Invalid value: "${BAD}": ${BAD_MSG}`]],
    );
  });

  it('NetworkPolicy: invalid values stored only in a peer’s selector are not let through (only the podSelector counts)', async (t) => {
    const app = await buildTestApp(t);
    await app.http.post(NP).send(policy('peer')).expect(201);
    storeAs(app, 'networkpolicies', 'default', 'peer', (o) => {
      o.spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values = [BAD];
    });
    const res = await mergePatch(app.http, `${NP}/peer`, { metadata: { labels: { touched: 'yes' } } });
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(
      [...new Set(res.body.details.causes.map((c: Obj) => c.field))],
      ['spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values[0]'],
    );
  });

  it('stored copies without a spec or with parts missing update without a 500', async (t) => {
    const app = await buildTestApp(t);
    const { http } = app;
    const label = { metadata: { labels: { touched: 'yes' } } };

    await http.post(NP).send(policy('bare')).expect(201);
    storeAs(app, 'networkpolicies', 'default', 'bare', (o) => {
      o.spec = { ingress: [{}, { from: [{ ipBlock: {} }] }], egress: [{ to: [{}] }] };
    });
    const np = await mergePatch(http, `${NP}/bare`, label);
    assert.equal(np.status, 422, np.text);
    assert.deepEqual(
      np.body.details.causes.map((c: Obj) => c.field),
      ['spec.ingress[1].from[0].ipBlock.cidr', 'spec.egress[0].to[0]', 'spec.ingress[1].from[0].ipBlock.cidr', 'spec.egress[0].to[0]'],
    );

    const INGRESSES = '/apis/networking.k8s.io/v1/namespaces/default/ingresses';
    const ingress = await http
      .post(INGRESSES)
      .send({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'ing' },
        spec: { defaultBackend: { service: { name: 's', port: { number: 80 } } } },
      })
      .expect(201);
    storeAs(app, 'ingresses', 'default', 'ing', (o) => {
      o.spec = { defaultBackend: { service: { name: 's', port: { number: 80 } } }, tls: [{}], rules: [{ host: '*.example.com' }] };
      delete o.status;
    });
    const updated = await mergePatch(http, `${INGRESSES}/ing`, label).expect(200);
    assert.deepEqual(updated.body.status, ingress.body.status, 'a copy without status keeps an empty one');
    // Entries Go would read as empty ones (null) in the stored TLS, rules and load balancer.
    storeAs(app, 'ingresses', 'default', 'ing', (o) => {
      o.spec.tls = [null];
      o.spec.rules = [null, { host: '*.example.com', http: null }];
      o.status = { loadBalancer: { ingress: [null] } };
    });
    const fresh = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'ing' } };
    await http
      .put(`${INGRESSES}/ing`)
      .send({ ...fresh, spec: { defaultBackend: { service: { name: 's', port: { number: 80 } } } } })
      .expect(200);
    await http
      .put(`${INGRESSES}/ing/status`)
      .send({ ...fresh, status: { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } } })
      .expect(200);

    const CLASSES = '/apis/networking.k8s.io/v1/ingressclasses';
    await http
      .post(CLASSES)
      .send({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'ic' }, spec: { controller: 'example.com/ic' } })
      .expect(201);
    storeAs(app, 'ingressclasses', undefined, 'ic', (o) => {
      delete o.spec;
    });
    const ic = await mergePatch(http, `${CLASSES}/ic`, label);
    assert.equal(ic.status, 422, ic.text);
    assert.deepEqual(
      ic.body.details.causes.map((c: Obj) => [c.field, c.reason]),
      [['spec.controller', 'FieldValueRequired']],
    );

    const CIDRS = '/apis/networking.k8s.io/v1/servicecidrs';
    await http
      .post(CIDRS)
      .send({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: 'extra' }, spec: { cidrs: ['10.200.0.0/24'] } })
      .expect(201);
    storeAs(app, 'servicecidrs', undefined, 'extra', (o) => {
      delete o.spec;
      delete o.status;
    });
    const sc = await mergePatch(http, `${CIDRS}/extra`, label);
    assert.equal(sc.status, 422, sc.text);
    // ValidateServiceCIDR runs on the update too: the copy without CIDRs cannot be kept.
    assert.deepEqual(sc.body.details.causes, [
      { reason: 'FieldValueRequired', message: 'Required value: at least one CIDR required', field: 'spec.cidrs' },
    ]);
    // The status subresource checks no spec.
    await mergePatch(http, `${CIDRS}/extra/status`, { status: { conditions: [] } }).expect(200);

    const IPS = '/apis/networking.k8s.io/v1/ipaddresses';
    await http
      .post(IPS)
      .send({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IPAddress',
        metadata: { name: '10.96.0.99' },
        spec: { parentRef: { resource: 'gateways', name: 'gw' } },
      })
      .expect(201);
    storeAs(app, 'ipaddresses', undefined, '10.96.0.99', (o) => {
      delete o.spec;
    });
    const ip = await mergePatch(http, `${IPS}/10.96.0.99`, label);
    assert.equal(ip.status, 422, ip.text);
    assert.deepEqual(
      ip.body.details.causes.map((c: Obj) => c.field),
      ['spec.parentRef'],
    );
  });
});

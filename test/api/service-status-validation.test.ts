/**
 * Writes to services/{name}/status as kube-apiserver 1.33 answers them: an ingress IP without an
 * ipMode defaults to VIP, and ValidateServiceStatusUpdate's load balancer checks refuse a bad
 * ingress with a 422 whose causes name the field, in upstream's order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const SVC = '/api/v1/namespaces/default/services';
type Http = TestApp['http'];
type Cause = { reason: string; field: string; message: string };
type Ingress = Record<string, unknown>;

const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with " +
  "an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

async function createService(http: Http, name: string, type: string) {
  const res = await http.post(SVC).send({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type, ports: [{ port: 80 }] } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as Record<string, unknown>;
}

const putStatus = (http: Http, svc: Record<string, unknown>, ingress: Ingress[]) =>
  http.put(`${SVC}/${(svc.metadata as { name: string }).name}/status`).send({ ...svc, status: { loadBalancer: { ingress } } });

function assertInvalid(res: { status: number; body: Record<string, unknown> }, name: string, causes: Cause[]) {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  const lines = causes.map((c) => `${c.field}: ${c.message}`);
  assert.deepEqual(res.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Service "${name}" is invalid: ${lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`}`,
    reason: 'Invalid',
    details: { name, kind: 'Service', causes },
    code: 422,
  });
}

describe('Service status writes (ValidateServiceStatusUpdate)', () => {
  it('defaults ipMode to VIP for an ingress IP and keeps a given one; no warnings', async (t) => {
    const { http } = await buildTestApp(t);
    const svc = await createService(http, 'lb', 'LoadBalancer');
    const res = await putStatus(http, svc, [
      { ip: '203.0.113.10' },
      { ip: '2001:db8::10', ipMode: 'Proxy', ports: [{ port: 80, protocol: 'TCP' }] },
      { hostname: 'lb.example.com' },
    ]);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers.warning, undefined);
    assert.deepEqual(res.body.status.loadBalancer.ingress, [
      { ip: '203.0.113.10', ipMode: 'VIP' },
      { ip: '2001:db8::10', ipMode: 'Proxy', ports: [{ port: 80, protocol: 'TCP' }] },
      { hostname: 'lb.example.com' },
    ]);
    const patched = await http
      .patch(`${SVC}/lb/status`)
      .set('Content-Type', 'application/merge-patch+json')
      .send({ status: { loadBalancer: { ingress: [{ ip: '198.51.100.1' }] } } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.status.loadBalancer.ingress, [{ ip: '198.51.100.1', ipMode: 'VIP' }]);
  });

  it('refuses an ingress on a Service that is not a LoadBalancer, once for the list', async (t) => {
    const { http } = await buildTestApp(t);
    const svc = await createService(http, 'plain', 'ClusterIP');
    const res = await putStatus(http, svc, [{ ip: 'not-an-ip' }, { hostname: '1.2.3.4' }]);
    assertInvalid(res, 'plain', [
      {
        reason: 'FieldValueForbidden',
        field: 'status.loadBalancer.ingress',
        message: "Forbidden: may only be used when `spec.type` is 'LoadBalancer'",
      },
    ]);
    // An empty load balancer status is fine for any type.
    assert.equal((await putStatus(http, svc, [])).status, 200);
  });

  it('checks each ingress: ip, then ipMode, then hostname', async (t) => {
    const { http } = await buildTestApp(t);
    const svc = await createService(http, 'lb', 'LoadBalancer');
    const res = await putStatus(http, svc, [
      { ip: '300.1.2.3', ipMode: 'VIP' },
      { ip: '10.0.0.1', ipMode: 'Direct' },
      { hostname: 'lb.example.com', ipMode: 'Proxy' },
      { ip: '10.0.0.2', ipMode: '', hostname: 'Bad_Name' },
      { hostname: '192.0.2.1' },
    ]);
    assertInvalid(res, 'lb', [
      {
        reason: 'FieldValueInvalid',
        field: 'status.loadBalancer.ingress[0].ip',
        message: 'Invalid value: "300.1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      },
      {
        reason: 'FieldValueNotSupported',
        field: 'status.loadBalancer.ingress[1].ipMode',
        message: 'Unsupported value: "Direct": supported values: "Proxy", "VIP"',
      },
      {
        reason: 'FieldValueForbidden',
        field: 'status.loadBalancer.ingress[2].ipMode',
        message: 'Forbidden: may not be specified when `ip` is not set',
      },
      {
        reason: 'FieldValueNotSupported',
        field: 'status.loadBalancer.ingress[3].ipMode',
        message: 'Unsupported value: "": supported values: "Proxy", "VIP"',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'status.loadBalancer.ingress[3].hostname',
        message: `Invalid value: "Bad_Name": ${DNS1123_SUBDOMAIN}`,
      },
      {
        reason: 'FieldValueInvalid',
        field: 'status.loadBalancer.ingress[4].hostname',
        message: 'Invalid value: "192.0.2.1": must be a DNS name, not an IP address',
      },
    ]);
    const stored = await http.get(`${SVC}/lb`);
    assert.deepEqual(stored.body.status, { loadBalancer: {} }, 'nothing stored on refusal');
  });
});

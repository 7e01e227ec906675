/**
 * IP and CIDR fields as kube-apiserver 1.33 answers them with StrictIPCIDRValidation off: values in a
 * non-standard form (leading zeros, IPv4-mapped IPv6, host bits in a CIDR) are stored as written and
 * answered with `Warning: 299` headers; values that are no address at all are a 422.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';

type Res = { status: number; headers: Record<string, unknown>; body: Record<string, any> };

/** Every warn-text of the response's Warning headers, unescaped (Node joins repeated headers with ', '). */
function warnings(res: Res): string[] {
  const header = res.headers.warning;
  const text = Array.isArray(header) ? header.join(', ') : typeof header === 'string' ? header : '';
  return [...text.matchAll(/299 - "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
}

const ENDPOINTS_DEPRECATED = 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';
const nonStandard = (field: string, value: string, use: string) =>
  `${field}: non-standard IP address "${value}" will be considered invalid in a future Kubernetes release: use "${use}"`;

describe('IP and CIDR fields (1.33, legacy validation)', () => {
  it('a Service takes external IPs and source ranges in non-standard forms, and warns of each', async (t) => {
    const { http } = await buildTestApp(t);
    const res: Res = await http.post('/api/v1/namespaces/default/services').send({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lb' },
      spec: {
        type: 'LoadBalancer',
        ports: [{ port: 80 }],
        externalIPs: ['010.0.0.1', '2001:DB8::1'],
        loadBalancerIP: '::ffff:192.0.2.1',
        loadBalancerSourceRanges: ['10.0.0.1/8', '192.012.2.0/024', '2001:db8:0:0::/64'],
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.spec.externalIPs, ['010.0.0.1', '2001:DB8::1'], 'stored as written');
    assert.deepEqual(warnings(res), [
      nonStandard('spec.externalIPs[0]', '010.0.0.1', '10.0.0.1'),
      'spec.externalIPs[1]: IPv6 address "2001:DB8::1" should be in RFC 5952 canonical format ("2001:db8::1")',
      nonStandard('spec.loadBalancerIP', '::ffff:192.0.2.1', '192.0.2.1'),
      'spec.loadBalancerSourceRanges[0]: CIDR value "10.0.0.1/8" is ambiguous in this context (should be "10.0.0.0/8" or "10.0.0.1/32"?)',
      'spec.loadBalancerSourceRanges[1]: non-standard CIDR value "192.012.2.0/024" will be considered invalid in a future Kubernetes release: use "192.12.2.0/24"',
      'spec.loadBalancerSourceRanges[2]: IPv6 CIDR value "2001:db8:0:0::/64" should be in RFC 5952 canonical format ("2001:db8::/64")',
    ]);
    const standard: Res = await http.post('/api/v1/namespaces/default/services').send({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'plain' },
      spec: { ports: [{ port: 80 }], externalIPs: ['10.0.0.2'] },
    });
    assert.equal(standard.status, 201);
    assert.equal(standard.headers.warning, undefined);
  });

  it("a Service's other 1.33 warnings: headless fields that are ignored, the deprecated topology annotation", async (t) => {
    const { http } = await buildTestApp(t);
    const res: Res = await http.post('/api/v1/namespaces/default/services').send({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'headless', annotations: { 'service.kubernetes.io/topology-aware-hints': 'auto' } },
      spec: { clusterIP: 'None', ports: [{ port: 80 }], externalName: 'example.com', loadBalancerIP: '10.0.0.9' },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), [
      'annotation service.kubernetes.io/topology-aware-hints is deprecated, please use service.kubernetes.io/topology-mode instead',
      'spec.loadBalancerIP is ignored for headless services',
      'spec.externalName is ignored when spec.type is not "ExternalName"',
    ]);
  });

  it('a Service whose external IP or source range is no address is a 422 with the legacy wording', async (t) => {
    const { http } = await buildTestApp(t);
    const res: Res = await http.post('/api/v1/namespaces/default/services').send({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'bad' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }], externalIPs: ['fe80::1%eth0'], loadBalancerSourceRanges: ['10.0.0.0/33'] },
    });
    assert.equal(res.status, 422);
    assert.deepEqual(
      res.body.details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`),
      [
        'spec.externalIPs[0]: Invalid value: "fe80::1%eth0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ],
    );
  });

  it('Endpoints take an IPv4-mapped or zero-padded address with a warning; the endpoints controller is trusted', async (t) => {
    const { http } = await buildTestApp(t);
    const post = (name: string, labels: Record<string, string> = {}): Promise<Res> =>
      http.post('/api/v1/namespaces/default/endpoints').send({
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, labels },
        subsets: [{ addresses: [{ ip: '::ffff:10.1.2.3' }], notReadyAddresses: [{ ip: '010.1.2.4' }] }],
      });
    const res = await post('mapped');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), [
      ENDPOINTS_DEPRECATED,
      nonStandard('subsets[0].addresses[0].ip', '::ffff:10.1.2.3', '10.1.2.3'),
      nonStandard('subsets[0].notReadyAddresses[0].ip', '010.1.2.4', '10.1.2.4'),
    ]);
    const managed = await post('managed', { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' });
    assert.equal(managed.status, 201);
    assert.deepEqual(warnings(managed), [ENDPOINTS_DEPRECATED]);
  });

  it('an EndpointSlice warns of non-standard addresses, and of the FQDN type on create', async (t) => {
    const { http } = await buildTestApp(t);
    const SLICES = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
    const v4: Res = await http.post(SLICES).send({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'v4' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.1.2.3', '010.1.2.4'] }, { addresses: ['::ffff:10.1.2.5'] }],
    });
    assert.equal(v4.status, 201, JSON.stringify(v4.body));
    assert.deepEqual(warnings(v4), [
      nonStandard('endpoints[0].addresses[1]', '010.1.2.4', '10.1.2.4'),
      nonStandard('endpoints[1].addresses[0]', '::ffff:10.1.2.5', '10.1.2.5'),
    ]);
    const fqdn: Res = await http.post(SLICES).send({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'names' },
      addressType: 'FQDN',
      endpoints: [{ addresses: ['example.com'] }],
    });
    assert.equal(fqdn.status, 201);
    assert.deepEqual(warnings(fqdn), ['spec.addressType: FQDN endpoints are deprecated']);
    const bad: Res = await http.post(SLICES).send({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'bad' },
      addressType: 'IPv6',
      endpoints: [{ addresses: ['nope', '10.1.2.3'] }],
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      bad.body.details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`),
      [
        'endpoints[0].addresses[0]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        'endpoints[0].addresses[1]: Invalid value: "10.1.2.3": must be an IPv6 address',
      ],
    );
  });

  it('a Node takes a podCIDR with host bits (no warning in 1.33); a bad one of two also fails the dual-stack check', async (t) => {
    const { http } = await buildTestApp(t);
    const post = (name: string, spec: Record<string, unknown>): Promise<Res> =>
      http.post('/api/v1/nodes').send({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec });
    const hostBits = await post('n1', { podCIDR: '10.244.1.7/24' });
    assert.equal(hostBits.status, 201, JSON.stringify(hostBits.body));
    assert.equal(hostBits.body.spec.podCIDR, '10.244.1.7/24');
    assert.equal(hostBits.headers.warning, undefined);
    const bad = await post('n2', { podCIDRs: ['10.244.2.0/24', 'fd00::/129'] });
    assert.equal(bad.status, 422);
    assert.equal(
      bad.body.message,
      'Node "n2" is invalid: [spec.podCIDRs[1]: Invalid value: "fd00::/129": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64), ' +
        'spec.podCIDRs: Internal error: invalid PodCIDRs. failed to check with dual stack with error:invalid CIDR[1]: <nil> (invalid CIDR address: fd00::/129), ' +
        'spec.podCIDRs: Invalid value: []string{"10.244.2.0/24", "fd00::/129"}: may specify no more than one CIDR for each IP family]',
    );
  });

  it('a pod status write takes zero-padded pod and host IPs and warns of each; a standard status has no warning', async (t) => {
    const { http } = await buildTestApp(t);
    const PODS = '/api/v1/namespaces/default/pods';
    const created: Res = await http
      .post(PODS)
      .send({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(created.status, 201);
    const patch = (status: Record<string, unknown>): Promise<Res> =>
      http.patch(`${PODS}/p/status`).set('content-type', 'application/merge-patch+json').send(JSON.stringify({ status }));
    const padded = await patch({ hostIP: '172.018.0.2', podIP: '10.244.000.7', podIPs: [{ ip: '10.244.000.7' }, { ip: 'fd00::7' }] });
    assert.equal(padded.status, 200, JSON.stringify(padded.body));
    assert.deepEqual(warnings(padded), [
      nonStandard('status.podIPs[0].ip', '10.244.000.7', '10.244.0.7'),
      nonStandard('status.hostIPs[0].ip', '172.018.0.2', '172.18.0.2'),
    ]);
    const standard = await patch({
      hostIP: '172.18.0.2',
      hostIPs: [{ ip: '172.18.0.2' }],
      podIP: '10.244.0.7',
      podIPs: [{ ip: '10.244.0.7' }],
    });
    assert.equal(standard.status, 200, JSON.stringify(standard.body));
    assert.equal(standard.headers.warning, undefined);
    const bogus = await patch({ podIP: '10.244.0.7', podIPs: [{ ip: '10.244.0.7' }, { ip: 'bogus' }] });
    assert.equal(bogus.status, 422);
    assert.match(bogus.body.message, /status\.podIPs: Internal error: failed to check for dual stack with error:invalid IP\[1\]: bogus/);
  });
});

/**
 * Service validation as kube-apiserver's ValidateService answers it: the 422 Invalid Status with
 * the same message and causes (field, reason, wording, order), and nothing stored on refusal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const SVC = '/api/v1/namespaces/default/services';
type Http = TestApp['http'];
type Spec = Record<string, unknown>;
type Cause = { reason: string; field: string; message: string };

const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, " +
  "and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

const manifest = (name: string, spec: Spec, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...metadata },
  spec: { ports: [{ port: 80 }], ...spec },
});

const cause = (reason: string, field: string, message: string): Cause => ({ reason, field, message });
const invalid = (field: string, message: string) => cause('FieldValueInvalid', field, message);

/** The 422 Invalid Status kube-apiserver answers, with these causes in this order. */
function assertInvalid(res: { status: number; body: Record<string, unknown> }, name: string, causes: Cause[]) {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  const lines = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `Service "${name}" is invalid: ${lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`}`;
  assert.deepEqual(res.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Invalid',
    details: { name, kind: 'Service', causes },
    code: 422,
  });
}

async function refused(http: Http, name: string, spec: Spec, causes: Cause[], metadata: Record<string, unknown> = {}) {
  const res = await http.post(SVC).send(manifest(name, spec, metadata));
  assertInvalid(res, name, causes);
  if (name) assert.equal((await http.get(`${SVC}/${name}`)).status, 404, `${name} must not be stored`);
}

describe('Service validation (ValidateService)', () => {
  it('accepts a valid Service with every checked field set well', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(SVC).send(
      manifest('web-1', {
        type: 'LoadBalancer',
        selector: { app: 'web', 'example.com/tier': 'front' },
        ports: [
          { name: 'http', port: 80, targetPort: 'http-alt', appProtocol: 'kubernetes.io/h2c' },
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 },
        ],
        externalIPs: ['203.0.113.7', '2001:db8::7'],
        loadBalancerSourceRanges: ['10.0.0.0/8', ' 192.168.1.0/24 '],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 86400 } },
        externalTrafficPolicy: 'Local',
        trafficDistribution: 'PreferClose',
        loadBalancerClass: 'example.com/lb',
      }),
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const ext = await http.post(SVC).send(manifest('alias', { type: 'ExternalName', externalName: 'db.example.com.', ports: [] }));
    assert.equal(ext.status, 201, JSON.stringify(ext.body));
    // A ClusterIP Service with external IPs is externally accessible: its policy defaults to Cluster.
    const cip = await http.post(SVC).send(manifest('with-ips', { externalIPs: ['198.51.100.1'] }));
    assert.equal(cip.status, 201, JSON.stringify(cip.body));
    assert.equal(cip.body.spec.externalTrafficPolicy, 'Cluster');
  });

  it('wants metadata.name (and a generateName prefix) to be a DNS-1035 label', async (t) => {
    const { http } = await buildTestApp(t);
    await refused(http, '1abc', {}, [invalid('metadata.name', `Invalid value: "1abc": ${DNS1035}`)]);
    await refused(http, 'a.b', {}, [invalid('metadata.name', `Invalid value: "a.b": ${DNS1035}`)]);
    const long = 'a'.repeat(64);
    await refused(http, long, {}, [invalid('metadata.name', `Invalid value: "${long}": must be no more than 63 characters`)]);
    // As upstream, the name is generated before validation, and both the prefix and the name are judged.
    const res = await http.post(SVC).send({ ...manifest('', {}), metadata: { generateName: '9web-' } });
    const generated = String((res.body.details as { name: string }).name);
    assert.match(generated, /^9web-[a-z0-9]{5}$/);
    assertInvalid(res, generated, [
      invalid('metadata.generateName', `Invalid value: "9web-": ${DNS1035}`),
      invalid('metadata.name', `Invalid value: "${generated}": ${DNS1035}`),
    ]);
    const ok = await http.post(SVC).send({ ...manifest('', {}), metadata: { generateName: 'web-' } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.match(ok.body.metadata.name, /^web-[a-z0-9]{5}$/);
  });

  it('checks port names, named target ports and appProtocol', async (t) => {
    const { http } = await buildTestApp(t);
    await refused(http, 'target', { ports: [{ port: 80, targetPort: 'Bad_Name' }] }, [
      invalid(
        'spec.ports[0].targetPort',
        'Invalid value: "Bad_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      ),
    ]);
    await refused(http, 'target-long', { ports: [{ port: 80, targetPort: 'a-very-long-port-name' }] }, [
      invalid('spec.ports[0].targetPort', 'Invalid value: "a-very-long-port-name": must be no more than 15 characters'),
    ]);
    await refused(http, 'target-num', { ports: [{ port: 80, targetPort: 70000 }] }, [
      invalid('spec.ports[0].targetPort', 'Invalid value: 70000: must be between 1 and 65535, inclusive'),
    ]);
    await refused(http, 'portname', { ports: [{ name: 'Web', port: 80 }] }, [
      invalid(
        'spec.ports[0].name',
        'Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', ' +
          "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      ),
    ]);
    await refused(
      http,
      'dup',
      {
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 80 },
        ],
      },
      [
        cause(
          'FieldValueDuplicate',
          'spec.ports[1]',
          'Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, ' +
            'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
        ),
      ],
    );
  });

  it('wants the selector to be valid labels', async (t) => {
    const { http } = await buildTestApp(t);
    await refused(http, 'sel', { selector: { 'bad key!': 'x', app: 'bad value!' } }, [
      invalid(
        'spec.selector',
        'Invalid value: "bad value!": a valid label must be an empty string or consist of alphanumeric characters, ' +
          "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', " +
          "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ),
      invalid(
        'spec.selector',
        "Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start " +
          "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
          "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
    ]);
  });

  it('wants externalName to be a DNS-1123 subdomain, one trailing dot allowed', async (t) => {
    const { http } = await buildTestApp(t);
    const subdomain =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end " +
      "with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
      "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    await refused(http, 'ext', { type: 'ExternalName', externalName: 'Bad_Host.example.com.', ports: [] }, [
      invalid('spec.externalName', `Invalid value: "Bad_Host.example.com": ${subdomain}`),
    ]);
    await refused(http, 'ext-dots', { type: 'ExternalName', externalName: 'example.com..', ports: [] }, [
      invalid('spec.externalName', `Invalid value: "example.com.": ${subdomain}`),
    ]);
    await refused(http, 'ext-dot', { type: 'ExternalName', externalName: '.', ports: [] }, [
      cause('FieldValueRequired', 'spec.externalName', 'Required value'),
    ]);
  });

  it('wants externalIPs to be IP addresses that are not special', async (t) => {
    const { http } = await buildTestApp(t);
    await refused(http, 'ips', { externalIPs: ['1.2.3', '0.0.0.0', '127.0.0.1', '169.254.1.1', '224.0.0.5', '10.0.0.1'] }, [
      invalid('spec.externalIPs[0]', `Invalid value: "1.2.3": ${IP_MSG}`),
      invalid('spec.externalIPs[1]', 'Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)'),
      invalid('spec.externalIPs[2]', 'Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'),
      invalid('spec.externalIPs[3]', 'Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)'),
      invalid('spec.externalIPs[4]', 'Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'),
    ]);
  });

  it('wants loadBalancerSourceRanges to be CIDRs, and only on a LoadBalancer', async (t) => {
    const { http } = await buildTestApp(t);
    await refused(http, 'ranges', { type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8', ' foo ', '10.0.0.0/33'] }, [
      invalid('spec.LoadBalancerSourceRanges[1]', `Invalid value: "foo": ${CIDR_MSG}`),
      invalid('spec.LoadBalancerSourceRanges[2]', `Invalid value: "10.0.0.0/33": ${CIDR_MSG}`),
    ]);
    await refused(http, 'ranges-cip', { loadBalancerSourceRanges: ['10.0.0.0/8'] }, [
      cause('FieldValueForbidden', 'spec.LoadBalancerSourceRanges', "Forbidden: may only be used when `type` is 'LoadBalancer'"),
    ]);
    const annotation = 'service.beta.kubernetes.io/load-balancer-source-ranges';
    await refused(
      http,
      'ranges-ann',
      { type: 'LoadBalancer' },
      [invalid(`metadata.annotations[${annotation}]`, `Invalid value: "x": ${CIDR_MSG}`)],
      {
        annotations: { [annotation]: '10.0.0.0/8, x' },
      },
    );
  });

  it('bounds the ClientIP affinity timeout and forbids a config with affinity None', async (t) => {
    const { http } = await buildTestApp(t);
    const affinity = (timeoutSeconds: number) => ({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds } } });
    await refused(http, 'aff-zero', affinity(0), [
      invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', 'Invalid value: 0: must be greater than 0 and less than 86400'),
    ]);
    await refused(http, 'aff-big', affinity(86401), [
      invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', 'Invalid value: 86401: must be greater than 0 and less than 86400'),
    ]);
    await refused(http, 'aff-none', { sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10 } } }, [
      cause('FieldValueForbidden', 'spec.sessionAffinityConfig', 'Forbidden: must not be set when session affinity is None'),
    ]);
  });

  it('refuses externalTrafficPolicy, allocateLoadBalancerNodePorts and loadBalancerClass where they do not apply', async (t) => {
    const { http } = await buildTestApp(t);
    await refused(http, 'etp', { externalTrafficPolicy: 'Local' }, [
      invalid('spec.externalTrafficPolicy', 'Invalid value: "Local": may only be set for externally-accessible services'),
    ]);
    await refused(http, 'etp-np', { type: 'NodePort', externalTrafficPolicy: 'Sometimes' }, [
      cause('FieldValueNotSupported', 'spec.externalTrafficPolicy', 'Unsupported value: "Sometimes": supported values: "Cluster", "Local"'),
    ]);
    await refused(http, 'lbfields', { allocateLoadBalancerNodePorts: true, loadBalancerClass: 'example.com/lb' }, [
      cause('FieldValueForbidden', 'spec.allocateLoadBalancerNodePorts', "Forbidden: may only be used when `type` is 'LoadBalancer'"),
      cause('FieldValueForbidden', 'spec.loadBalancerClass', "Forbidden: may only be used when `type` is 'LoadBalancer'"),
    ]);
    await refused(http, 'td', { trafficDistribution: 'Anywhere' }, [
      cause('FieldValueNotSupported', 'spec.trafficDistribution', 'Unsupported value: "Anywhere": supported values: "PreferClose"'),
    ]);
  });

  it('reports several problems in upstream order', async (t) => {
    const { http } = await buildTestApp(t);
    await refused(
      http,
      '1bad',
      {
        ports: [{ port: 80, targetPort: 'Bad_Name' }],
        selector: { 'bad key!': 'x' },
        externalIPs: ['nope'],
        externalTrafficPolicy: 'Local',
        sessionAffinity: 'None',
        sessionAffinityConfig: {},
      },
      [
        invalid('metadata.name', `Invalid value: "1bad": ${DNS1035}`),
        invalid(
          'spec.ports[0].targetPort',
          'Invalid value: "Bad_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        ),
        invalid(
          'spec.selector',
          "Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start " +
            "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ),
        cause('FieldValueForbidden', 'spec.sessionAffinityConfig', 'Forbidden: must not be set when session affinity is None'),
        invalid('spec.externalIPs[0]', `Invalid value: "nope": ${IP_MSG}`),
        // With an (invalid) external IP the Service counts as externally accessible: the policy stands.
      ],
    );
  });

  it('keeps updates of valid Services working and validates the update', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http.post(SVC).send(manifest('np', { type: 'NodePort', selector: { app: 'a' } }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // A PUT of what was read back is valid.
    const put = await http.put(`${SVC}/np`).send(created.body);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    // NodePort → ClusterIP keeping the defaulted policy: it is dropped, not refused.
    const back = structuredClone(put.body);
    back.spec.type = 'ClusterIP';
    for (const p of back.spec.ports) delete p.nodePort;
    const toClusterIP = await http.put(`${SVC}/np`).send(back);
    assert.equal(toClusterIP.status, 200, JSON.stringify(toClusterIP.body));
    assert.equal(toClusterIP.body.spec.externalTrafficPolicy, undefined);
    // Now setting it anew on the ClusterIP Service is refused, and nothing changes.
    const patch = await http
      .patch(`${SVC}/np`)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ spec: { externalTrafficPolicy: 'Local', selector: { 'bad key!': 'x' } } }));
    assertInvalid(patch, 'np', [
      invalid(
        'spec.selector',
        "Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start " +
          "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
          "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
      invalid('spec.externalTrafficPolicy', 'Invalid value: "Local": may only be set for externally-accessible services'),
    ]);
    const after = await http.get(`${SVC}/np`);
    assert.deepEqual(after.body.spec.selector, { app: 'a' });
    assert.equal(after.body.metadata.resourceVersion, toClusterIP.body.metadata.resourceVersion);
  });
});

/**
 * networking.k8s.io/v1 NetworkPolicy as kube-apiserver 1.33 serves it: namespaced, short name
 * netpol, no status; SetDefaults_NetworkPolicy (policyTypes from the presence of egress rules) and
 * SetDefaults_NetworkPolicyPort (TCP); ValidateNetworkPolicySpec's ports, peers, IP blocks and
 * policy types with upstream's paths and messages; generation moving with the spec; NAME
 * POD-SELECTOR AGE; warnings for ipBlock CIDRs in a non-standard form.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';

type Obj = Record<string, any>;
const GROUP = '/apis/networking.k8s.io/v1';
const NPS = `${GROUP}/namespaces/default/networkpolicies`;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const policy = (name: string, spec: Obj = { podSelector: {} }, metadata: Obj = {}): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, ...metadata },
  spec,
});

/** Every warn-text of the response's Warning headers, unescaped (Node joins repeated headers with ', '). */
function warnings(res: { headers: Record<string, unknown> }): string[] {
  const header = res.headers.warning;
  const text = Array.isArray(header) ? header.join(', ') : typeof header === 'string' ? header : '';
  return [...text.matchAll(/299 - "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
}

/** The causes of a 422, as [field, message] pairs. */
function causes(res: { status: number; body: Obj }): [string, string][] {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.reason, 'Invalid');
  return res.body.details.causes.map((c: Obj) => [c.field, c.message]);
}

describe('networkpolicies', () => {
  it('discovery lists networkpolicies in networking.k8s.io/v1: namespaced, every verb, short name netpol, no categories', async (t) => {
    const { http } = await buildTestApp(t);
    const list = await http.get(GROUP).expect(200);
    const found = (list.body.resources as Obj[]).filter((r) => r.name.startsWith('networkpolicies'));
    assert.deepEqual(found, [
      {
        name: 'networkpolicies',
        singularName: 'networkpolicy',
        namespaced: true,
        kind: 'NetworkPolicy',
        verbs: ALL_VERBS,
        shortNames: ['netpol'],
        // As a real 1.33 cluster answers.
        storageVersionHash: 'YpfwF18m1G8=',
      },
    ]);
  });

  it('defaults: policyTypes Ingress, plus Egress when egress rules are given; ports TCP; generation 1', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http.post(NPS).send(
      policy('db', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }, { protocol: 'UDP', port: 53 }] }],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 'dns', endPort: undefined }] }],
      }),
    );
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(Object.keys(created.body), ['kind', 'apiVersion', 'metadata', 'spec']);
    assert.deepEqual(Object.keys(created.body.spec), ['podSelector', 'ingress', 'egress', 'policyTypes']);
    assert.deepEqual(created.body.spec.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(created.body.spec.ingress[0].ports, [
      { protocol: 'TCP', port: 5432 },
      { protocol: 'UDP', port: 53 },
    ]);
    assert.deepEqual(created.body.spec.egress[0].ports, [{ protocol: 'TCP', port: 'dns' }]);
    assert.equal(created.body.metadata.generation, 1);
    assert.equal(created.body.status, undefined);

    const bare = await http.post(NPS).send({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bare' } });
    assert.equal(bare.status, 201, bare.text);
    assert.deepEqual(bare.body.spec, { podSelector: {}, policyTypes: ['Ingress'] });

    const egressOnly = await http.post(NPS).send(policy('egress-only', { podSelector: {}, policyTypes: ['Egress'] }));
    assert.deepEqual(egressOnly.body.spec.policyTypes, ['Egress'], 'set policy types are kept');
    assert.equal((await http.get(`${NPS}/db`).expect(200)).text, created.text);
  });

  it('the spec moves the generation; labels do not', async (t) => {
    const { http } = await buildTestApp(t);
    assert.equal((await http.post(NPS).send(policy('np'))).status, 201);
    const merge = (body: Obj) => http.patch(`${NPS}/np`).set('content-type', 'application/merge-patch+json').send(body);
    const labelled = await merge({ metadata: { labels: { team: 'a' } } });
    assert.equal(labelled.body.metadata.generation, 1);
    const changed = await merge({ spec: { podSelector: { matchLabels: { app: 'x' } } } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.metadata.generation, 2);
  });

  it('ports: protocol, number range, endPort rules, port names', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(NPS).send(
      policy('ports', {
        podSelector: {},
        ingress: [
          {
            ports: [
              { protocol: 'ICMP', port: 80 },
              { port: 0 },
              { port: 80, endPort: 70 },
              { port: 'http', endPort: 90 },
              { endPort: 90 },
              { port: 'web--x' },
              { port: 1000, endPort: 70000 },
            ],
          },
        ],
      }),
    );
    const p = 'spec.ingress[0].ports';
    assert.deepEqual(causes(res), [
      [`${p}[0].protocol`, 'Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"'],
      [`${p}[1].port`, 'Invalid value: 0: must be between 1 and 65535, inclusive'],
      [`${p}[2].endPort`, 'Invalid value: 70: must be greater than or equal to `port`'],
      [`${p}[3].endPort`, 'Invalid value: 90: may not be specified when `port` is non-numeric'],
      [`${p}[4].endPort`, 'Invalid value: 90: may not be specified when `port` is not specified'],
      [`${p}[5].port`, 'Invalid value: "web--x": must not contain consecutive hyphens'],
      [`${p}[6].endPort`, 'Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ]);
  });

  it('peers: one at least, ipBlock alone, CIDRs valid and excepts strictly inside', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(NPS).send(
      policy('peers', {
        podSelector: { matchLabels: { 'bad key!': 'x' } },
        ingress: [{ from: [{}, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }, { namespaceSelector: {}, podSelector: {} }] }],
        egress: [
          {
            to: [
              { ipBlock: { cidr: '10.0.0.0/33' } },
              { ipBlock: { cidr: '' } },
              { ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.0.0/16', '10.0.1.0/24', 'nonsense', '2001:db8::/64'] } },
            ],
          },
        ],
      }),
    );
    const found = causes(res);
    assert.equal(found[0][0], 'spec.podSelector.matchLabels');
    assert.deepEqual(found.slice(1), [
      ['spec.ingress[0].from[0]', 'Required value: must specify a peer'],
      ['spec.ingress[0].from[1]', 'Forbidden: may not specify both ipBlock and another peer'],
      [
        'spec.egress[0].to[0].ipBlock.cidr',
        'Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ],
      ['spec.egress[0].to[1].ipBlock.cidr', 'Required value'],
      ['spec.egress[0].to[2].ipBlock.except[0]', 'Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`'],
      ['spec.egress[0].to[2].ipBlock.except[1]', 'Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`'],
      [
        'spec.egress[0].to[2].ipBlock.except[3]',
        'Invalid value: "nonsense": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ],
      ['spec.egress[0].to[2].ipBlock.except[4]', 'Invalid value: "2001:db8::/64": must be a strict subset of `cidr`'],
    ]);
  });

  it('policyTypes: Ingress and Egress only, two at most', async (t) => {
    const { http } = await buildTestApp(t);
    const unknown = await http.post(NPS).send(policy('types', { podSelector: {}, policyTypes: ['Ingress', 'Sideways'] }));
    assert.deepEqual(causes(unknown), [['spec.policyTypes[1]', 'Unsupported value: "Sideways": supported values: "Ingress", "Egress"']]);
    const many = await http.post(NPS).send(policy('types', { podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Nope'] }));
    assert.deepEqual(causes(many), [
      [
        'spec.policyTypes',
        'Invalid value: []networking.PolicyType{"Ingress", "Egress", "Nope"}: may not specify more than two policyTypes',
      ],
    ]);
    assert.equal(
      many.body.message,
      'NetworkPolicy.networking.k8s.io "types" is invalid: spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Nope"}: may not specify more than two policyTypes',
    );
  });

  it('ipBlock CIDRs in a non-standard form are stored as written, with a warning on create and update', async (t) => {
    const { http } = await buildTestApp(t);
    const spec = {
      podSelector: {},
      ingress: [{ from: [{ podSelector: {} }, { ipBlock: { cidr: '10.0.0.1/8', except: ['10.1.0.0/16', '010.2.0.0/16'] } }] }],
      egress: [{ to: [{ ipBlock: { cidr: '2001:DB8::/32' } }] }],
    };
    const expected = [
      'spec.ingress[0].from[1].ipBlock.cidr: CIDR value "10.0.0.1/8" is ambiguous in this context (should be "10.0.0.0/8" or "10.0.0.1/32"?)',
      'spec.ingress[0].from[1].ipBlock.except[1]: non-standard CIDR value "010.2.0.0/16" will be considered invalid in a future Kubernetes release: use "10.2.0.0/16"',
      'spec.egress[0].to[0].ipBlock.cidr: IPv6 CIDR value "2001:DB8::/32" should be in RFC 5952 canonical format ("2001:db8::/32")',
    ];
    const created = await http.post(NPS).send(policy('cidrs', spec));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.spec.ingress[0].from[1].ipBlock.cidr, '10.0.0.1/8');
    assert.deepEqual(warnings(created), expected);
    const updated = await http.put(`${NPS}/cidrs`).send({ ...created.body, metadata: { ...created.body.metadata, labels: { a: 'b' } } });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(warnings(updated), expected);
    const plain = await http.post(NPS).send(policy('plain', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }));
    assert.equal(plain.status, 201);
    assert.equal(plain.headers.warning, undefined);
  });

  it('kubectl get netpol: NAME POD-SELECTOR AGE, <none> for the empty selector', async (t) => {
    const { http } = await buildTestApp(t);
    await http.post(NPS).send(policy('all')).expect(201);
    await http
      .post(NPS)
      .send(
        policy('web', {
          podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
        }),
      )
      .expect(201);
    const res = await http.get(NPS).set('Accept', TABLE).expect(200);
    assert.deepEqual(
      res.body.columnDefinitions.map((c: Obj) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Pod-Selector', 'string', '', 0],
        ['Age', 'string', '', 0],
      ],
    );
    assert.deepEqual(
      res.body.rows.map((r: Obj) => r.cells.slice(0, 2)),
      [
        ['all', '<none>'],
        ['web', 'app=web,tier in (a,b)'],
      ],
    );
  });
});

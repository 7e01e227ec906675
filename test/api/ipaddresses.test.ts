/**
 * networking.k8s.io/v1 IPAddress as kube-apiserver 1.33 serves it and its IPAddress-based Service
 * allocator keeps it: one IPAddress per cluster IP, named by the address, labelled with its family
 * and ipallocator.k8s.io, its parentRef the Service; created with the Service's write, deleted when
 * the Service goes or releases the address; addresses from the ready ServiceCIDRs only. Also
 * ValidateIPAddress's messages, the immutable parentRef and the NAME PARENTREF table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { storageVersionHash } from '../../src/http/discovery/documents.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { useTempDir } from '../helpers/temp-dir.js';

type Obj = Record<string, any>;
type Http = TestApp['http'];
const IPS = '/apis/networking.k8s.io/v1/ipaddresses';
const CIDRS = '/apis/networking.k8s.io/v1/servicecidrs';
const SVC = '/api/v1/namespaces/default/services';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const ALLOCATOR_LABELS = { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' };

const ipAddress = (name: string, parentRef?: Obj): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IPAddress',
  metadata: { name },
  spec: parentRef ? { parentRef } : {},
});
const service = (name: string, spec: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { ports: [{ port: 80 }], ...spec },
});

/** The causes of a 422, as [field, message] pairs. */
function causes(res: { status: number; body: Obj }): [string, string][] {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  return res.body.details.causes.map((c: Obj) => [c.field, c.message]);
}

/** Every IPAddress as [name, parentRef]. */
async function addresses(http: Http): Promise<[string, Obj][]> {
  const list = await http.get(IPS).expect(200);
  return list.body.items.map((i: Obj) => [i.metadata.name, i.spec.parentRef]);
}

const ref = (namespace: string, name: string) => ({ resource: 'services', namespace, name });

describe('ipaddresses', () => {
  const tempDir = useTempDir('kubemock-ipaddresses-');

  it('discovery lists ipaddresses in networking.k8s.io/v1: cluster-scoped, every verb, no status', async (t) => {
    const { http } = await buildTestApp(t);
    const list = await http.get('/apis/networking.k8s.io/v1').expect(200);
    const mine = (list.body.resources as Obj[]).filter((r) => r.name.startsWith('ipaddresses'));
    assert.deepEqual(mine, [
      {
        name: 'ipaddresses',
        singularName: 'ipaddress',
        namespaced: false,
        kind: 'IPAddress',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        storageVersionHash: storageVersionHash('networking.k8s.io', 'v1', 'IPAddress'),
      },
    ]);
  });

  it('the system Services hold their addresses from the start: 10.96.0.1 default/kubernetes, 10.96.0.10 kube-dns', async (t) => {
    const { http } = await buildTestApp(t);
    assert.deepEqual(await addresses(http), [
      ['10.96.0.1', ref('default', 'kubernetes')],
      ['10.96.0.10', ref('kube-system', 'kube-dns')],
    ]);
    const ip = (await http.get(`${IPS}/10.96.0.1`).expect(200)).body;
    assert.deepEqual(ip.metadata.labels, ALLOCATOR_LABELS);
    // The core group is empty and left out; the API server made it.
    assert.deepEqual(Object.keys(ip.spec.parentRef), ['resource', 'namespace', 'name']);
    assert.deepEqual(
      ip.metadata.managedFields.map((m: Obj) => [m.manager, m.operation]),
      [['kube-apiserver', 'Update']],
    );
  });

  it('follows Services: created with the Service, deleted with it or when its address is released', async (t) => {
    const { http } = await buildTestApp(t);
    const a = (
      await http
        .post(SVC)
        .send(service('a', { clusterIP: '10.96.0.50' }))
        .expect(201)
    ).body;
    const b = (await http.post(SVC).send(service('b')).expect(201)).body;
    await http
      .post(SVC)
      .send(service('headless', { clusterIP: 'None' }))
      .expect(201);
    await http
      .post(SVC)
      .send(service('ext', { type: 'ExternalName', externalName: 'example.com', ports: undefined }))
      .expect(201);
    const ipA = (await http.get(`${IPS}/10.96.0.50`).expect(200)).body;
    assert.deepEqual([ipA.metadata.labels, ipA.spec.parentRef], [ALLOCATOR_LABELS, ref('default', 'a')]);
    // The IPAddress is written first, in the same write as the Service.
    assert.ok(Number(ipA.metadata.resourceVersion) < Number(a.metadata.resourceVersion));
    assert.deepEqual((await http.get(`${IPS}/${b.spec.clusterIP}`).expect(200)).body.spec.parentRef, ref('default', 'b'));
    assert.equal((await addresses(http)).length, 4, 'none for the headless and ExternalName Services');

    // A type change to ExternalName releases the address.
    const toExternal = await http
      .patch(`${SVC}/b`)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ spec: { type: 'ExternalName', externalName: 'example.com', clusterIP: null, clusterIPs: null } }));
    assert.equal(toExternal.status, 200, toExternal.text);
    assert.equal((await http.get(`${IPS}/${b.spec.clusterIP}`)).status, 404);
    // And back: a new one.
    const back = await http
      .patch(`${SVC}/b`)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ spec: { type: 'ClusterIP', externalName: null } }));
    assert.equal(back.status, 200, back.text);
    assert.deepEqual((await http.get(`${IPS}/${back.body.spec.clusterIP}`).expect(200)).body.spec.parentRef, ref('default', 'b'));

    await http.delete(`${SVC}/a`).expect(200);
    assert.equal((await http.get(`${IPS}/10.96.0.50`)).status, 404);
    // A dry run and a refused create hold nothing.
    await http
      .post(`${SVC}?dryRun=All`)
      .send(service('dry', { clusterIP: '10.96.0.60' }))
      .expect(201);
    assert.equal((await http.post(SVC).send(service('b', { clusterIP: '10.96.0.61' }))).status, 409);
    for (const ip of ['10.96.0.60', '10.96.0.61']) assert.equal((await http.get(`${IPS}/${ip}`)).status, 404, ip);
  });

  it('an address held by an IPAddress is refused to a Service; one outside every ServiceCIDR too, until one holds it', async (t) => {
    const { http } = await buildTestApp(t);
    await http
      .post(IPS)
      .send(ipAddress('10.96.0.77', { group: 'gateway.example.com', resource: 'gateways', namespace: 'default', name: 'gw' }))
      .expect(201);
    const taken = await http.post(SVC).send(service('a', { clusterIP: '10.96.0.77' }));
    assert.deepEqual(causes(taken), [
      ['spec.clusterIPs', 'Invalid value: []string{"10.96.0.77"}: failed to allocate IP 10.96.0.77: provided IP is already allocated'],
    ]);
    const outside = await http.post(SVC).send(service('b', { clusterIP: '10.200.0.5' }));
    assert.equal(
      outside.body.message,
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.200.0.5"}: failed to allocate IP 10.200.0.5: the provided network does not match the current range',
    );
    await http
      .post(CIDRS)
      .send({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: 'extra' }, spec: { cidrs: ['10.200.0.0/24'] } })
      .expect(201);
    const inside = await http.post(SVC).send(service('b', { clusterIP: '10.200.0.5' }));
    assert.equal(inside.status, 201, inside.text);
    assert.deepEqual((await http.get(`${IPS}/10.200.0.5`).expect(200)).body.spec.parentRef, ref('default', 'b'));
    // The broadcast address of the ServiceCIDR is not handed out.
    const broadcast = await http.post(SVC).send(service('c', { clusterIP: '10.200.0.255' }));
    assert.match(broadcast.body.message, /failed to allocate IP 10\.200\.0\.255: provided IP 10\.200\.0\.255 is not in the valid range$/);
  });

  it('ValidateIPAddress: the name is a canonical IP; the parentRef is required, its fields path segments; it never changes', async (t) => {
    const { http } = await buildTestApp(t);
    const parent = ref('default', 'a');
    const cases: [string, Obj | undefined, [string, string][]][] = [
      ['10.01.2.3', parent, [['metadata.name', 'Invalid value: "10.01.2.3": must not have leading 0s']]],
      ['2001:db8:0:0:0::1', parent, [['metadata.name', 'Invalid value: "2001:db8:0:0:0::1": must be in canonical form ("2001:db8::1")']]],
      ['::ffff:10.0.0.1', parent, [['metadata.name', 'Invalid value: "::ffff:10.0.0.1": must not be an IPv4-mapped IPv6 address']]],
      ['web', parent, [['metadata.name', 'Invalid value: "web": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']]],
      ['10.0.0.1', undefined, [['spec.parentRef', 'Required value']]],
      [
        '10.0.0.1',
        {},
        [
          ['spec.parentRef.resource', 'Required value'],
          ['spec.parentRef.name', 'Required value'],
        ],
      ],
      [
        '10.0.0.1',
        { group: 'Bad_Group', resource: 'a/b', namespace: '..', name: 'x%y' },
        [
          [
            'spec.parentRef.group',
            "Invalid value: \"Bad_Group\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
          ],
          ['spec.parentRef.resource', `Invalid value: "a/b": may not contain '/'`],
          ['spec.parentRef.name', `Invalid value: "x%y": may not contain '%'`],
          ['spec.parentRef.namespace', `Invalid value: "..": may not be '..'`],
        ],
      ],
    ];
    for (const [name, parentRef, want] of cases) {
      assert.deepEqual(causes(await http.post(IPS).send(ipAddress(name, parentRef))), want, `${name} ${JSON.stringify(parentRef)}`);
    }

    const created = (await http.post(IPS).send(ipAddress('2001:db8::1', parent)).expect(201)).body;
    assert.deepEqual(Object.keys(created), ['kind', 'apiVersion', 'metadata', 'spec']);
    const moved = await http.put(`${IPS}/2001:db8::1`).send({ ...created, spec: { parentRef: ref('default', 'b') } });
    assert.deepEqual(causes(moved), [
      [
        'spec.parentRef',
        'Invalid value: networking.ParentReference{Group:"", Resource:"services", Namespace:"default", Name:"b"}: field is immutable',
      ],
    ]);
    const dropped = await http.put(`${IPS}/2001:db8::1`).send({ ...created, spec: {} });
    assert.deepEqual(causes(dropped), [
      ['spec.parentRef', 'Required value'],
      ['spec.parentRef', 'Invalid value: "null": field is immutable'],
    ]);
    const relabelled = await http.put(`${IPS}/2001:db8::1`).send({ ...created, metadata: { ...created.metadata, labels: { a: 'b' } } });
    assert.equal(relabelled.status, 200, relabelled.text);
  });

  it('the table: NAME and PARENTREF columns (upstream defines no AGE column, though each row carries the age)', async (t) => {
    const { http } = await buildTestApp(t);
    await http
      .post(IPS)
      .send(ipAddress('10.96.0.77', { group: 'gateway.example.com', resource: 'Gateways', name: 'gw' }))
      .expect(201);
    const table = await http.get(IPS).set('Accept', TABLE).expect(200);
    assert.deepEqual(
      table.body.columnDefinitions.map((c: Obj) => [c.name, c.type, c.format]),
      [
        ['Name', 'string', 'name'],
        ['ParentRef', 'string', ''],
      ],
    );
    const cells = Object.fromEntries(table.body.rows.map((r: Obj) => [r.cells[0], r.cells.slice(1)]));
    assert.equal(cells['10.96.0.1'][0], 'services/default/kubernetes');
    assert.equal(cells['10.96.0.77'][0], 'gateways.gateway.example.com/gw');
    assert.match(cells['10.96.0.77'][1], /^\d+s$/);
  });

  it('a database without any IPAddress gets one for each Service cluster IP at the next start', async (t) => {
    const db = join(tempDir(), 'state.db');
    const first = await buildTestApp(undefined, { db });
    await first.http
      .post(SVC)
      .send(service('web', { clusterIP: '10.96.0.50' }))
      .expect(201);
    await first.http.delete(IPS).expect(200);
    assert.deepEqual(await addresses(first.http), []);
    await first.kubemock.close();
    const second = await buildTestApp(t, { db });
    assert.deepEqual(await addresses(second.http), [
      ['10.96.0.1', ref('default', 'kubernetes')],
      ['10.96.0.10', ref('kube-system', 'kube-dns')],
      ['10.96.0.50', ref('default', 'web')],
    ]);
  });
});

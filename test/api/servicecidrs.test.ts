/**
 * networking.k8s.io/v1 ServiceCIDR as kube-apiserver 1.33 serves it: discovery, the default
 * `kubernetes` one made from --service-cluster-ip-range and Ready at start, CRUD with the /status
 * subresource, ValidateServiceCIDR's and ValidateServiceCIDRUpdate's messages, the NAME CIDRS AGE
 * table, and the ServiceCIDR controller: its finalizer and Ready condition, and a deletion held
 * (Ready False, Terminating) while a Service address would be left outside every ServiceCIDR.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { parseIPv4Cidr, parsePortRange } from '../../src/apimachinery/ipv4.js';
import { storageVersionHash } from '../../src/http/discovery/documents.js';
import { messageType } from '../../src/http/protobuf/descriptor.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

type Obj = Record<string, any>;
const CIDRS = '/apis/networking.k8s.io/v1/servicecidrs';
const SVC = '/api/v1/namespaces/default/services';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const FINALIZER = 'networking.k8s.io/service-cidr-finalizer';

const serviceCIDR = (name: string, cidrs?: string[]): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'ServiceCIDR',
  metadata: { name },
  spec: cidrs ? { cidrs } : {},
});

/** The causes of a 422, as [field, message] pairs. */
function causes(res: { status: number; body: Obj }): [string, string][] {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.reason, 'Invalid');
  return res.body.details.causes.map((c: Obj) => [c.field, c.message]);
}

/** A typed client-go body: the `k8s\0` magic, then a runtime.Unknown around the ServiceCIDR message. */
function protobufServiceCIDR(fields: Obj): Buffer {
  const encode = (message: string, value: Obj) => {
    const type = messageType(message)!;
    return type.encode(type.fromObject(value)).finish();
  };
  const raw = encode('k8s.io.api.networking.v1.ServiceCIDR', fields);
  const unknown = encode('k8s.io.apimachinery.pkg.runtime.Unknown', {
    typeMeta: { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR' },
    raw,
  });
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

const ready = (sc: Obj) => (sc.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');

/** Lets the controllers finish what they started, moves the clock, and lets them finish again. */
async function passTime(app: TestApp, clock: ManualClock, ms: number) {
  await app.kubemock.manager!.waitIdle();
  clock.advance(ms);
  await app.kubemock.manager!.waitIdle();
}

describe('servicecidrs', () => {
  it('discovery lists servicecidrs and servicecidrs/status in networking.k8s.io/v1, cluster-scoped, every verb', async (t) => {
    const { http } = await buildTestApp(t);
    const list = await http.get('/apis/networking.k8s.io/v1').expect(200);
    const byName = (name: string) => (list.body.resources as Obj[]).find((r) => r.name === name);
    assert.deepEqual(byName('servicecidrs'), {
      name: 'servicecidrs',
      singularName: 'servicecidr',
      namespaced: false,
      kind: 'ServiceCIDR',
      verbs: ALL_VERBS,
      storageVersionHash: storageVersionHash('networking.k8s.io', 'v1', 'ServiceCIDR'),
    });
    assert.deepEqual(byName('servicecidrs/status'), {
      name: 'servicecidrs/status',
      singularName: '',
      namespaced: false,
      kind: 'ServiceCIDR',
      verbs: ['get', 'patch', 'update'],
    });
    const group = await http.get('/apis/networking.k8s.io').expect(200);
    assert.deepEqual(group.body.preferredVersion, { groupVersion: 'networking.k8s.io/v1', version: 'v1' });
  });

  it('the default ServiceCIDR `kubernetes` holds --service-cluster-ip-range and is Ready from the start', async (t) => {
    const { http } = await buildTestApp(t);
    const sc = (await http.get(`${CIDRS}/kubernetes`).expect(200)).body;
    assert.deepEqual(sc.spec, { cidrs: ['10.96.0.0/12'] });
    assert.deepEqual(
      sc.status.conditions.map((c: Obj) => [c.type, c.status, c.reason, c.message]),
      [['Ready', 'True', '', 'Kubernetes default Service CIDR is ready']],
    );
    assert.match(ready(sc).lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Created by the API server, its status applied by the default ServiceCIDR controller.
    assert.deepEqual(
      sc.metadata.managedFields.map((m: Obj) => [m.manager, m.operation, m.subresource]).sort(),
      [
        ['kube-apiserver', 'Update', undefined],
        ['kubernetes-service-cidr-controller', 'Apply', 'status'],
      ].sort(),
    );

    const small = { clusterIPRange: parseIPv4Cidr('10.0.0.0/24')!, nodePortRange: parsePortRange('30000-32767')! };
    const other = await buildTestApp(t, { serviceNetwork: small });
    assert.deepEqual((await other.http.get(`${CIDRS}/kubernetes`).expect(200)).body.spec, { cidrs: ['10.0.0.0/24'] });
  });

  it('create, get, list, the table, /status and delete; the status is the writer’s, as upstream’s strategy leaves it', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http.post(CIDRS).send({
      status: {
        conditions: [
          { type: 'Ready', status: 'False', reason: 'Mine', message: 'set by the client', lastTransitionTime: '2025-01-01T00:00:00Z' },
        ],
      },
      spec: { cidrs: ['10.200.0.0/24', '2001:db8::/112'] },
      metadata: { name: 'extra' },
      kind: 'ServiceCIDR',
      apiVersion: 'networking.k8s.io/v1',
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(Object.keys(created.body), ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    assert.equal(ready(created.body).reason, 'Mine');
    assert.equal(created.body.metadata.generation, undefined);

    const bare = await http
      .post(CIDRS)
      .send(serviceCIDR('bare', ['10.201.0.0/24']))
      .expect(201);
    // The status struct is always written (no pointer, not omitempty).
    assert.deepEqual(bare.body.status, {});

    const list = await http.get(CIDRS).expect(200);
    assert.equal(list.body.kind, 'ServiceCIDRList');
    assert.deepEqual(
      list.body.items.map((i: Obj) => i.metadata.name),
      ['bare', 'extra', 'kubernetes'],
    );
    const table = await http.get(CIDRS).set('Accept', TABLE).expect(200);
    assert.deepEqual(
      table.body.columnDefinitions.map((c: Obj) => [c.name, c.type, c.format]),
      [
        ['Name', 'string', 'name'],
        ['CIDRs', 'string', ''],
        ['Age', 'string', ''],
      ],
    );
    const row = table.body.rows.find((r: Obj) => r.cells[0] === 'extra');
    assert.deepEqual(row.cells.slice(0, 2), ['extra', '10.200.0.0/24,2001:db8::/112']);
    assert.match(row.cells[2], /^\d+s$/);

    // /status takes the status and keeps the spec and the labels.
    const current = (await http.get(`${CIDRS}/bare`).expect(200)).body;
    const status = await http.put(`${CIDRS}/bare/status`).send({
      ...current,
      metadata: { ...current.metadata, labels: { ignored: 'yes' } },
      spec: { cidrs: ['10.9.0.0/16'] },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Fine', message: '', lastTransitionTime: '2025-01-01T00:00:00Z' }] },
    });
    assert.equal(status.status, 200, status.text);
    assert.deepEqual(status.body.spec, { cidrs: ['10.201.0.0/24'] });
    assert.equal(status.body.metadata.labels, undefined);
    assert.equal(ready(status.body).reason, 'Fine');

    await http.delete(`${CIDRS}/bare`).expect(200);
    assert.equal((await http.get(`${CIDRS}/bare`)).status, 404);
  });

  it('a protobuf body (typed client-go) creates one', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http
      .post(CIDRS)
      .set('Content-Type', 'application/vnd.kubernetes.protobuf')
      .send(protobufServiceCIDR({ metadata: { name: 'proto' }, spec: { cidrs: ['10.210.0.0/24'] } }));
    assert.equal(res.status, 201, res.text);
    assert.deepEqual([res.body.metadata.name, res.body.spec], ['proto', { cidrs: ['10.210.0.0/24'] }]);
  });

  it('ValidateServiceCIDR: one or two CIDRs, of different families, each a subnet in canonical form', async (t) => {
    const { http } = await buildTestApp(t);
    const cases: [string[] | undefined, [string, string][]][] = [
      [undefined, [['spec.cidrs', 'Required value: at least one CIDR required']]],
      [
        ['10.0.0.0/24', '10.1.0.0/24', '2001:db8::/64'],
        [
          [
            'spec.cidrs',
            'Invalid value: networking.ServiceCIDRSpec{CIDRs:[]string{"10.0.0.0/24", "10.1.0.0/24", "2001:db8::/64"}}: may only hold up to 2 values',
          ],
        ],
      ],
      [
        ['10.0.0.0/24', '10.1.0.0/24'],
        [
          [
            'spec.cidrs',
            'Invalid value: networking.ServiceCIDRSpec{CIDRs:[]string{"10.0.0.0/24", "10.1.0.0/24"}}: may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64',
          ],
        ],
      ],
      [['10.0.0.0'], [['spec.cidrs[0]', 'Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']]],
      [['10.0.0.1/24'], [['spec.cidrs[0]', 'Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length']]],
      [['010.0.0.0/24'], [['spec.cidrs[0]', 'Invalid value: "010.0.0.0/24": must not have leading 0s in IP or prefix length']]],
      [['::ffff:10.0.0.0/120'], [['spec.cidrs[0]', 'Invalid value: "::ffff:10.0.0.0/120": must not have an IPv4-mapped IPv6 address']]],
      [['2001:DB8::/64'], [['spec.cidrs[0]', 'Invalid value: "2001:DB8::/64": must be in canonical form ("2001:db8::/64")']]],
    ];
    for (const [cidrs, want] of cases) {
      assert.deepEqual(causes(await http.post(CIDRS).send(serviceCIDR('bad', cidrs))), want, JSON.stringify(cidrs));
    }
    const named = await http.post(CIDRS).send(serviceCIDR('Bad_Name', ['10.0.0.0/24']));
    assert.equal(causes(named)[0][0], 'metadata.name');
  });

  it('ValidateServiceCIDRUpdate: the CIDRs stay, but a second family may join a single one', async (t) => {
    const { http } = await buildTestApp(t);
    const sc = (
      await http
        .post(CIDRS)
        .send(serviceCIDR('extra', ['10.200.0.0/24']))
        .expect(201)
    ).body;
    const put = (cidrs: string[]) => http.put(`${CIDRS}/extra`).send({ ...sc, metadata: { name: 'extra' }, spec: { cidrs } });
    assert.deepEqual(causes(await put(['10.201.0.0/24'])), [['spec.cidrs[0]', 'Invalid value: "10.201.0.0/24": field is immutable']]);
    assert.deepEqual(causes(await put(['10.201.0.0/24', '2001:db8::/112'])), [
      ['spec.cidrs[0]', 'Invalid value: "10.201.0.0/24": field is immutable'],
    ]);
    // Twice: the strategy's ValidateUpdate runs ValidateServiceCIDR, then ValidateServiceCIDRUpdate,
    // which validates the spec of an upgrade to dual-stack again.
    const notDual = [
      'spec.cidrs',
      'Invalid value: networking.ServiceCIDRSpec{CIDRs:[]string{"10.200.0.0/24", "10.9.0.0/16"}}: may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64',
    ];
    assert.deepEqual(causes(await put(['10.200.0.0/24', '10.9.0.0/16'])), [notDual, notDual]);
    const dual = await put(['10.200.0.0/24', '2001:db8::/112']);
    assert.equal(dual.status, 200, dual.text);
    assert.deepEqual(dual.body.spec.cidrs, ['10.200.0.0/24', '2001:db8::/112']);
    const back = await http.put(`${CIDRS}/extra`).send({ ...dual.body, spec: { cidrs: ['10.200.0.0/24'] } });
    assert.deepEqual(causes(back), [['spec.cidrs', 'Invalid value: []string{"10.200.0.0/24"}: field is immutable']]);
  });

  it('the controller adds its finalizer and Ready True to every ServiceCIDR', async (t) => {
    const app = await buildTestApp(t, { controllers: true, clock: new ManualClock() });
    await app.http
      .post(CIDRS)
      .send(serviceCIDR('extra', ['10.200.0.0/24']))
      .expect(201);
    await app.kubemock.manager!.waitIdle();
    for (const name of ['kubernetes', 'extra']) {
      const sc = (await app.http.get(`${CIDRS}/${name}`).expect(200)).body;
      assert.deepEqual(sc.metadata.finalizers, [FINALIZER], name);
      assert.deepEqual([ready(sc).status, ready(sc).reason, ready(sc).message], ['True', '', 'Kubernetes Service CIDR is ready'], name);
      assert.equal(sc.status.conditions.length, 1);
    }
  });

  it('a deleted ServiceCIDR whose addresses are in use stays, Ready False (Terminating), until they go and 10 s have passed', async (t) => {
    const clock = new ManualClock();
    const app = await buildTestApp(t, { controllers: true, clock });
    const { http } = app;
    await http
      .post(CIDRS)
      .send(serviceCIDR('extra', ['10.200.0.0/24']))
      .expect(201);
    await http
      .post(SVC)
      .send({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { clusterIP: '10.200.0.7', ports: [{ port: 80 }] } })
      .expect(201);
    await app.kubemock.manager!.waitIdle();

    const deleting = await http.delete(`${CIDRS}/extra`).expect(200);
    assert.ok(deleting.body.metadata.deletionTimestamp, JSON.stringify(deleting.body));
    await passTime(app, clock, 60_000);
    const sc = (await http.get(`${CIDRS}/extra`).expect(200)).body;
    assert.deepEqual(sc.metadata.finalizers, [FINALIZER]);
    assert.deepEqual(
      [ready(sc).status, ready(sc).reason, ready(sc).message],
      ['False', 'Terminating', 'There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR'],
    );
    // Being deleted, it gives no more addresses.
    const refused = await http
      .post(SVC)
      .send({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'late' }, spec: { clusterIP: '10.200.0.8', ports: [{ port: 80 }] } });
    assert.equal(refused.status, 422);
    assert.match(refused.body.message, /failed to allocate IP 10\.200\.0\.8: the provided network does not match the current range$/);

    await http.delete(`${SVC}/web`).expect(200);
    await app.kubemock.manager!.waitIdle();
    assert.equal((await http.get(`${CIDRS}/extra`)).status, 404);
  });

  it('a deleted ServiceCIDR without addresses in use goes once its deletion is 10 s old; one inside another goes too', async (t) => {
    const clock = new ManualClock();
    const app = await buildTestApp(t, { controllers: true, clock });
    const { http } = app;
    await http
      .post(CIDRS)
      .send(serviceCIDR('empty', ['10.200.0.0/24']))
      .expect(201);
    await http
      .post(CIDRS)
      .send(serviceCIDR('inner', ['10.96.1.0/24']))
      .expect(201);
    await http
      .post(SVC)
      .send({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { clusterIP: '10.96.1.7', ports: [{ port: 80 }] } })
      .expect(201);
    await app.kubemock.manager!.waitIdle();
    await http.delete(`${CIDRS}/empty`).expect(200);
    await http.delete(`${CIDRS}/inner`).expect(200);
    await passTime(app, clock, 9_000);
    assert.deepEqual((await http.get(`${CIDRS}/empty`).expect(200)).body.metadata.finalizers, [FINALIZER]);
    assert.equal(ready((await http.get(`${CIDRS}/empty`)).body).status, 'True');
    await passTime(app, clock, 1_000);
    assert.equal((await http.get(`${CIDRS}/empty`)).status, 404);
    // 10.96.1.7 is also in `kubernetes` (10.96.0.0/12): nothing is left outside, so `inner` goes.
    assert.equal((await http.get(`${CIDRS}/inner`)).status, 404);
  });
});

/**
 * kube-apiserver's IPAddress repair loop (ipallocator-repair-controller, repairip.go) as a client
 * sees it: a Service's deleted IPAddress comes back (ClusterIPNotAllocated), an allocator's
 * IPAddress whose Service is gone is deleted once past the grace (IPAddressNotAllocated), one whose
 * Service holds another address at once (IPAddressWrongReference), and a cluster IP outside every
 * ServiceCIDR is reported (ClusterIPOutOfRange) and left alone. A correct state gets no write.
 * Its events are written as upstream's are, through client-go's events.k8s.io/v1 recorder by
 * kube-apiserver's loopback client: action ClusterIPAllocation or IPAddressAllocation, reporting
 * controller ipallocator-repair-controller, no source or count.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostname } from 'node:os';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { LEAK_GRACE_MS } from '../../src/controllers/ipaddress-repair/plan.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

type Obj = Record<string, any>;
const IPS = '/apis/networking.k8s.io/v1/ipaddresses';
const CIDRS = '/apis/networking.k8s.io/v1/servicecidrs';
const SVC = '/api/v1/namespaces/default/services';
const LABELS = { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' };

const service = (name: string, clusterIP: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { clusterIP, ports: [{ port: 80 }] },
});
const allocated = (ip: string, serviceName: string): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IPAddress',
  metadata: { name: ip, labels: LABELS },
  spec: { parentRef: { resource: 'services', namespace: 'default', name: serviceName } },
});

async function start(t: Parameters<typeof buildTestApp>[0]) {
  const clock = new ManualClock();
  const app = await buildTestApp(t, { controllers: true, clock });
  const idle = () => app.kubemock.manager!.waitIdle();
  return { app, clock, http: app.http, idle };
}

/** The repair loop's events as [kind, name, reason, message]. */
async function repairEvents(http: TestApp['http']): Promise<string[][]> {
  const list = await http.get('/api/v1/namespaces/default/events').expect(200);
  return (list.body.items as Obj[])
    .filter((e) => e.reportingComponent === 'ipallocator-repair-controller')
    .map((e) => [e.involvedObject.kind, e.involvedObject.name, e.reason, e.message]);
}

/** The repair loop's events as served through events.k8s.io/v1, by reason. */
async function repairEventsV1(http: TestApp['http'], reason: string): Promise<Obj[]> {
  const list = await http.get('/apis/events.k8s.io/v1/namespaces/default/events').expect(200);
  return (list.body.items as Obj[]).filter((e) => e.reportingController === 'ipallocator-repair-controller' && e.reason === reason);
}

/** One repair event's events.k8s.io/v1 shape: what client-go's tools/events recorder writes, and who wrote it. */
function assertEventsV1Shape(ev: Obj | undefined, action: string, regarding: Obj): void {
  assert.ok(ev, 'the event is served through events.k8s.io/v1');
  assert.deepEqual(
    {
      type: ev.type,
      action: ev.action,
      reportingController: ev.reportingController,
      reportingInstance: ev.reportingInstance,
      regarding: { kind: ev.regarding.kind, name: ev.regarding.name, namespace: ev.regarding.namespace },
      related: ev.related,
      deprecatedSource: ev.deprecatedSource,
      deprecatedCount: ev.deprecatedCount,
      deprecatedFirstTimestamp: ev.deprecatedFirstTimestamp,
      deprecatedLastTimestamp: ev.deprecatedLastTimestamp,
    },
    {
      type: 'Warning',
      action,
      reportingController: 'ipallocator-repair-controller',
      reportingInstance: `ipallocator-repair-controller-${hostname()}`,
      regarding,
      related: undefined,
      deprecatedSource: {},
      deprecatedCount: undefined,
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    },
  );
  assert.match(ev.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.deepEqual(
    (ev.metadata.managedFields as Obj[]).map((m) => [m.manager, m.operation, m.apiVersion]),
    [['kube-apiserver', 'Update', 'events.k8s.io/v1']],
  );
}

describe('IPAddress repair loop', () => {
  it('recreates a Service’s deleted IPAddress, and writes nothing while all is right', async (t) => {
    const { http, idle } = await start(t);
    await http.post(SVC).send(service('web', '10.96.0.50')).expect(201);
    await idle();
    const before = (await http.get(`${IPS}/10.96.0.50`).expect(200)).body;
    await idle();
    assert.equal((await http.get(`${IPS}/10.96.0.50`).expect(200)).body.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(await repairEvents(http), []);

    await http.delete(`${IPS}/10.96.0.50`).expect(200);
    await idle();
    const again = (await http.get(`${IPS}/10.96.0.50`).expect(200)).body;
    assert.notEqual(again.metadata.uid, before.metadata.uid);
    assert.deepEqual([again.metadata.labels, again.spec.parentRef], [LABELS, { resource: 'services', namespace: 'default', name: 'web' }]);
    assert.deepEqual(await repairEvents(http), [
      ['Service', 'web', 'ClusterIPNotAllocated', 'Cluster IP [IPv4]: 10.96.0.50 is not allocated; repairing'],
    ]);
    const [ev] = await repairEventsV1(http, 'ClusterIPNotAllocated');
    assertEventsV1Shape(ev, 'ClusterIPAllocation', { kind: 'Service', name: 'web', namespace: 'default' });
    assert.equal(ev?.note, 'Cluster IP [IPv4]: 10.96.0.50 is not allocated; repairing');
    // Read through core/v1 it has no source, count or timestamps, as an events.k8s.io write has none.
    const core = ((await http.get('/api/v1/namespaces/default/events').expect(200)).body.items as Obj[]).find(
      (e) => e.metadata.name === ev?.metadata.name,
    );
    assert.deepEqual(
      [core?.source, core?.count, core?.firstTimestamp, core?.lastTimestamp, core?.action, core?.reportingComponent],
      [{}, undefined, null, null, 'ClusterIPAllocation', 'ipallocator-repair-controller'],
    );
  });

  it('deletes an orphan IPAddress of the allocator after the grace, and one naming a Service that holds another address at once', async (t) => {
    const { clock, http, idle } = await start(t);
    await http.post(SVC).send(service('web', '10.96.0.50')).expect(201);
    await http.post(IPS).send(allocated('10.96.0.77', 'ghost')).expect(201);
    await http.post(IPS).send(allocated('10.96.0.78', 'web')).expect(201);
    // Someone else's IPAddress is none of its business.
    await http
      .post(IPS)
      .send({ ...allocated('10.96.0.79', 'ghost'), metadata: { name: '10.96.0.79' } })
      .expect(201);
    await idle();
    assert.equal((await http.get(`${IPS}/10.96.0.78`)).status, 404);
    assert.equal((await http.get(`${IPS}/10.96.0.77`)).status, 200, 'still inside its grace');

    clock.advance(LEAK_GRACE_MS + 1_000);
    await idle();
    assert.equal((await http.get(`${IPS}/10.96.0.77`)).status, 404);
    assert.equal((await http.get(`${IPS}/10.96.0.79`)).status, 200);
    assert.deepEqual((await repairEvents(http)).sort(), [
      [
        'IPAddress',
        '10.96.0.77',
        'IPAddressNotAllocated',
        'IPAddress: 10.96.0.77 for Service default/ghost appears to have leaked: cleaning up',
      ],
      [
        'IPAddress',
        '10.96.0.78',
        'IPAddressWrongReference',
        'IPAddress: 10.96.0.78 for Service default/web has a wrong reference; cleaning up',
      ],
    ]);
    // An IPAddress is cluster-scoped: its events go to the default namespace, regarding it without one.
    const [leaked] = await repairEventsV1(http, 'IPAddressNotAllocated');
    assertEventsV1Shape(leaked, 'IPAddressAllocation', { kind: 'IPAddress', name: '10.96.0.77', namespace: undefined });
    const [wrong] = await repairEventsV1(http, 'IPAddressWrongReference');
    assertEventsV1Shape(wrong, 'IPAddressAllocation', { kind: 'IPAddress', name: '10.96.0.78', namespace: undefined });
  });

  it('reports a cluster IP outside every ServiceCIDR and gives it no IPAddress', async (t) => {
    const { http, idle } = await start(t);
    await http
      .post(CIDRS)
      .send({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: 'extra' }, spec: { cidrs: ['10.200.0.0/24'] } })
      .expect(201);
    await idle();
    await http.post(SVC).send(service('far', '10.200.0.7')).expect(201);
    await idle();
    // The ServiceCIDR goes for good: deleted, its finalizer taken off by hand.
    await http.delete(`${CIDRS}/extra`).expect(200);
    await http
      .patch(`${CIDRS}/extra`)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ metadata: { finalizers: null } }))
      .expect(200);
    await idle();
    await http.delete(`${IPS}/10.200.0.7`).expect(200);
    await idle();
    assert.equal((await http.get(`${IPS}/10.200.0.7`)).status, 404);
    const events = await repairEvents(http);
    assert.ok(events.length > 0);
    const outOfRange = await repairEventsV1(http, 'ClusterIPOutOfRange');
    assert.ok(outOfRange.length > 0);
    for (const ev of outOfRange) {
      assertEventsV1Shape(ev, 'ClusterIPAllocation', { kind: 'Service', name: 'far', namespace: 'default' });
    }
    for (const e of events) {
      assert.deepEqual(e, [
        'Service',
        'far',
        'ClusterIPOutOfRange',
        'Cluster IP [IPv4]: 10.200.0.7 is not within any configured Service CIDR; please recreate service',
      ]);
    }
  });
});

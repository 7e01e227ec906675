/**
 * The default ServiceCIDR `kubernetes` when --service-cluster-ip-range changes on an existing
 * database, as kube-apiserver 1.33's default ServiceCIDR controller (pkg/controlplane/controller/
 * defaultservicecidr, syncStatus) treats it: the stored object is not updated (only a second family
 * may be added, which a single IPv4 range cannot ask for), the mismatch is told once in a Warning
 * event, and Services keep getting addresses from the ServiceCIDR as stored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { parseIPv4Cidr, parsePortRange } from '../../src/apimachinery/ipv4.js';
import { ensureDefaultServiceCIDR } from '../../src/resources/servicecidrs/default-servicecidr.js';
import type { StoredServiceCIDR } from '../../src/resources/servicecidrs/readiness.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { useTempDir } from '../helpers/temp-dir.js';

type Obj = Record<string, any>;
const CIDRS = '/apis/networking.k8s.io/v1/servicecidrs';
const SVC = '/api/v1/namespaces/default/services';
const network = (cidr: string) => ({ clusterIPRange: parseIPv4Cidr(cidr)!, nodePortRange: parsePortRange('30000-32767')! });

async function defaultCIDREvents(http: TestApp['http']): Promise<string[][]> {
  const list = await http.get('/api/v1/namespaces/default/events').expect(200);
  return (list.body.items as Obj[])
    .filter((e) => e.source?.component === 'kubernetes-service-cidr-controller')
    .map((e) => [e.involvedObject.kind, e.involvedObject.name, e.type, e.reason, e.message, String(e.count)]);
}

describe('default ServiceCIDR and a changed --service-cluster-ip-range', () => {
  const tempDir = useTempDir('kubemock-default-servicecidr-');

  it('keeps the stored one, warns once, and allocates from it', async (t) => {
    const db = join(tempDir(), 'state.db');
    const first = await buildTestApp(undefined, { db, serviceNetwork: network('10.96.0.0/16') });
    const before = (await first.http.get(`${CIDRS}/kubernetes`).expect(200)).body;
    await first.kubemock.close();

    const clock = new ManualClock();
    const app = await buildTestApp(t, { db, serviceNetwork: network('10.100.0.0/24'), controllers: true, clock });
    const { http } = app;
    await app.kubemock.manager!.waitIdle();
    const after = (await http.get(`${CIDRS}/kubernetes`).expect(200)).body;
    assert.deepEqual(after.spec, { cidrs: ['10.96.0.0/16'] });
    assert.equal(after.metadata.uid, before.metadata.uid, 'not recreated');

    // Another look at it (a label added by hand brings it back to the controller) tells nothing new.
    await http
      .patch(`${CIDRS}/kubernetes`)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ metadata: { labels: { touched: 'yes' } } }))
      .expect(200);
    await app.kubemock.manager!.waitIdle();
    assert.deepEqual(await defaultCIDREvents(http), [
      [
        'ServiceCIDR',
        'kubernetes',
        'Warning',
        'KubernetesDefaultServiceCIDRInconsistent',
        'The default ServiceCIDR [10.96.0.0/16] does not match the controller flag configurations [10.100.0.0/24]',
        '1',
      ],
    ]);
    assert.deepEqual((await http.get(`${CIDRS}/kubernetes`).expect(200)).body.spec, { cidrs: ['10.96.0.0/16'] });

    const svc = await http
      .post(SVC)
      .send({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } })
      .expect(201);
    assert.match(svc.body.spec.clusterIP, /^10\.96\./);
  });

  it('a matching one: Ready False is reported and left, Unknown is set True', async (t) => {
    const app = await buildTestApp(t);
    const store = app.kubemock.registry.store<StoredServiceCIDR>('servicecidrs', 'networking.k8s.io');
    const setReady = (status: string) =>
      app.http
        .patch(`${CIDRS}/kubernetes/status`)
        .set('Content-Type', 'application/merge-patch+json')
        .send(
          JSON.stringify({
            status: {
              conditions: [{ type: 'Ready', status, reason: 'Broken', message: 'by hand', lastTransitionTime: '2025-01-01T00:00:00Z' }],
            },
          }),
        )
        .expect(200);
    await setReady('False');
    const before = store.get(undefined, 'kubernetes').metadata.resourceVersion;
    const finding = ensureDefaultServiceCIDR(store, app.kubemock.registry.serviceNetwork, Date.now());
    assert.deepEqual(
      finding && { kind: finding.kind, ...('reason' in finding ? { reason: finding.reason, message: finding.message } : {}) },
      {
        kind: 'not-ready',
        reason: 'Broken',
        message: 'by hand',
      },
    );
    assert.equal(store.get(undefined, 'kubernetes').metadata.resourceVersion, before);

    // The controller tells it once, in the words of a matching configuration.
    await setReady('True');
    const running = await buildTestApp(t, { controllers: true });
    // Made Ready by the controllers first: the condition below is set on top of theirs.
    await running.kubemock.manager!.waitIdle();
    await running.http
      .patch(`${CIDRS}/kubernetes/status`)
      .set('Content-Type', 'application/merge-patch+json')
      .send(
        JSON.stringify({
          status: {
            conditions: [
              { type: 'Ready', status: 'False', reason: 'Broken', message: 'by hand', lastTransitionTime: '2025-01-01T00:00:00Z' },
            ],
          },
        }),
      )
      .expect(200);
    await running.kubemock.manager!.waitIdle();
    assert.deepEqual(await defaultCIDREvents(running.http), [
      ['ServiceCIDR', 'kubernetes', 'Warning', 'Broken', 'Configuration matches, but by hand', '1'],
    ]);

    await setReady('Unknown');
    assert.equal(ensureDefaultServiceCIDR(store, app.kubemock.registry.serviceNetwork, Date.now()), undefined);
    const ready = store.get(undefined, 'kubernetes').status?.conditions?.find((c) => c.type === 'Ready');
    assert.deepEqual([ready?.status, ready?.message], ['True', 'Kubernetes default Service CIDR is ready']);
  });
});

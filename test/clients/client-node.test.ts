/**
 * @kubernetes/client-node, a client no one here wrote, against the library's kubemock: typed CRUD
 * on every kind (its deserializers check every field), strategic merge patch, watch, and an
 * informer that survives a forced 410 Expired and a restart.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startKubemock, type KubemockServer } from '../../src/index.js';
import { waitFor } from '../helpers/eventually.js';

let server: KubemockServer;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let coordination: k8s.CoordinationV1Api;

const NS = 'clients';
const MERGE = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const STRATEGIC = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
const labels = { app: 'agent' };
const podSpec = (image = 'nginx:1.25'): k8s.V1PodSpec => ({
  containers: [
    { name: 'main', image },
    { name: 'sidecar', image: 'busybox' },
  ],
});

before(async () => {
  server = await startKubemock({ nodes: 2, simulation: { maxTerminationMs: 50 } });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfigPath!);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  coordination = kc.makeApiClient(k8s.CoordinationV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
});
after(() => server.stop());

describe('@kubernetes/client-node typed CRUD', () => {
  it('namespaces', async () => {
    const created = await core.createNamespace({ body: { metadata: { name: 'crud-ns', labels: { a: '1' } } } });
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    assert.equal((await core.readNamespace({ name: 'crud-ns' })).status?.phase, 'Active');
    assert.ok((await core.listNamespace()).items.some((n) => n.metadata?.name === 'crud-ns'));
    const replaced = await core.replaceNamespace({
      name: 'crud-ns',
      body: { ...created, metadata: { ...created.metadata, labels: { a: '2' } } },
    });
    assert.equal(replaced.metadata?.labels?.a, '2');
    const patched = await core.patchNamespace({ name: 'crud-ns', body: { metadata: { labels: { b: '3' } } } }, MERGE);
    assert.deepEqual(patched.metadata?.labels, { a: '2', b: '3', 'kubernetes.io/metadata.name': 'crud-ns' });
    await core.deleteNamespace({ name: 'crud-ns' });
    await waitFor(async () =>
      assert.equal(
        await core.readNamespace({ name: 'crud-ns' }).then(
          () => 'there',
          (e: { code?: number }) => e.code,
        ),
        404,
      ),
    );
  });

  it('nodes, with their status', async () => {
    const created = await core.createNode({ body: { metadata: { name: 'crud-node', labels: { zone: 'a' } } } });
    assert.equal(created.metadata?.name, 'crud-node');
    await waitFor(async () =>
      assert.equal((await core.readNodeStatus({ name: 'crud-node' })).status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True'),
    );
    const node = await core.readNode({ name: 'crud-node' });
    assert.ok(node.status?.conditions?.every((c) => c.lastHeartbeatTime instanceof Date));
    const cordoned = await core.patchNode({ name: 'crud-node', body: { spec: { unschedulable: true } } }, STRATEGIC);
    assert.equal(cordoned.spec?.unschedulable, true);
    assert.equal(cordoned.spec?.unschedulable, true);
    // The node lifecycle controller taints a cordoned node, so a replace may meet a newer version: re-read and retry, as clients do.
    const replaced = await waitFor(async () => {
      const fresh = await core.readNode({ name: 'crud-node' });
      return core.replaceNode({ name: 'crud-node', body: { ...fresh, metadata: { ...fresh.metadata, labels: { zone: 'b' } } } });
    });
    assert.equal(replaced.metadata?.labels?.zone, 'b');
    assert.ok((await core.listNode({ labelSelector: 'zone=b' })).items.length === 1);
    await core.deleteNode({ name: 'crud-node' });
    await assert.rejects(core.readNode({ name: 'crud-node' }), (e: { code?: number }) => e.code === 404);
  });

  it('pods, including status and a strategic merge patch of the container list', async () => {
    const created = await core.createNamespacedPod({ namespace: NS, body: { metadata: { name: 'crud-pod', labels }, spec: podSpec() } });
    assert.equal(created.spec?.containers.length, 2);
    await waitFor(async () =>
      assert.equal((await core.readNamespacedPodStatus({ namespace: NS, name: 'crud-pod' })).status?.phase, 'Running'),
    );
    const running = await core.readNamespacedPod({ namespace: NS, name: 'crud-pod' });
    assert.ok(running.status?.startTime instanceof Date);
    // Strategic merge: the container list merges by name, so sidecar stays and main gets the new image.
    const patched = await core.patchNamespacedPod(
      {
        namespace: NS,
        name: 'crud-pod',
        body: { metadata: { labels: { tier: 'x' } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } },
      },
      STRATEGIC,
    );
    assert.deepEqual(
      patched.spec?.containers.map((c) => [c.name, c.image]),
      [
        ['main', 'nginx:1.27'],
        ['sidecar', 'busybox'],
      ],
    );
    assert.deepEqual(patched.metadata?.labels, { ...labels, tier: 'x' });
    // The new image makes the kubelet restart main and write the pod's status, so a replace may meet a newer version: re-read and retry, as clients do.
    const replaced = await waitFor(async () => {
      const fresh = await core.readNamespacedPod({ namespace: NS, name: 'crud-pod' });
      return core.replaceNamespacedPod({
        namespace: NS,
        name: 'crud-pod',
        body: { ...fresh, metadata: { ...fresh.metadata, annotations: { note: 'y' } } },
      });
    });
    assert.equal(replaced.metadata?.annotations?.note, 'y');
    assert.ok((await core.listNamespacedPod({ namespace: NS, labelSelector: 'tier=x' })).items.length === 1);
    assert.ok((await core.listPodForAllNamespaces({ fieldSelector: `metadata.namespace=${NS}` })).items.length >= 1);
    await core.deleteNamespacedPod({ namespace: NS, name: 'crud-pod', gracePeriodSeconds: 0 });
    await waitFor(async () =>
      assert.equal(
        await core.readNamespacedPod({ namespace: NS, name: 'crud-pod' }).then(
          () => 200,
          (e: { code?: number }) => e.code,
        ),
        404,
      ),
    );
  });

  it('events', async () => {
    const body: k8s.CoreV1Event = {
      metadata: { name: 'crud-event' },
      involvedObject: { kind: 'Pod', namespace: NS, name: 'someone', apiVersion: 'v1' },
      reason: 'Testing',
      message: 'hello',
      type: 'Normal',
      count: 1,
      firstTimestamp: new Date('2030-01-01T00:00:00Z'),
      lastTimestamp: new Date('2030-01-01T00:00:00Z'),
      source: { component: 'client-node-test' },
    };
    const created = await core.createNamespacedEvent({ namespace: NS, body });
    assert.deepEqual(created.firstTimestamp, new Date('2030-01-01T00:00:00Z'));
    const patched = await core.patchNamespacedEvent({ namespace: NS, name: 'crud-event', body: { count: 2 } }, MERGE);
    assert.equal(patched.count, 2);
    assert.equal((await core.readNamespacedEvent({ namespace: NS, name: 'crud-event' })).message, 'hello');
    assert.ok((await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'reason=Testing' })).items.length === 1);
    await core.deleteNamespacedEvent({ namespace: NS, name: 'crud-event' });
    await assert.rejects(core.readNamespacedEvent({ namespace: NS, name: 'crud-event' }), (e: { code?: number }) => e.code === 404);
  });

  it('events.k8s.io/v1 events through EventsV1Api, the same objects as core/v1 events', async () => {
    const events = kc.makeApiClient(k8s.EventsV1Api);
    // MicroTime is sent as written: kube-apiserver reads exactly six fractional digits, which a Date's ISO string lacks.
    const eventTime = '2030-01-01T00:00:00.123456Z' as unknown as Date;
    const body: k8s.EventsV1Event = {
      metadata: { name: 'v1-event' },
      eventTime,
      reportingController: 'example.com/client-node-test',
      reportingInstance: 'test-1',
      action: 'Check',
      reason: 'Checked',
      regarding: { kind: 'Pod', namespace: NS, name: 'someone', apiVersion: 'v1' },
      note: 'hello from events.k8s.io',
      type: 'Normal',
    };
    const created = await events.createNamespacedEvent({ namespace: NS, body });
    assert.deepEqual(created.eventTime, eventTime);
    assert.equal(created.regarding?.name, 'someone');
    const core1 = await core.readNamespacedEvent({ namespace: NS, name: 'v1-event' });
    assert.deepEqual(
      [core1.message, core1.reportingComponent, core1.involvedObject.name],
      ['hello from events.k8s.io', 'example.com/client-node-test', 'someone'],
    );
    const series = { count: 2, lastObservedTime: '2030-01-01T00:01:00.000000Z' as unknown as Date };
    const patched = await events.patchNamespacedEvent({ namespace: NS, name: 'v1-event', body: { series } }, MERGE);
    assert.deepEqual({ ...patched.series }, series);
    const listed = await events.listNamespacedEvent({ namespace: NS, fieldSelector: 'regarding.name=someone,reason=Checked' });
    assert.deepEqual(
      listed.items.map((e) => e.metadata?.resourceVersion),
      [patched.metadata?.resourceVersion],
    );
    assert.ok(
      (await events.listEventForAllNamespaces({ fieldSelector: 'reportingController=example.com/client-node-test' })).items.length === 1,
    );
    await assert.rejects(
      events.patchNamespacedEvent({ namespace: NS, name: 'v1-event', body: { note: 'rewritten' } }, MERGE),
      (e: { code?: number }) => e.code === 422,
    );
    await events.deleteNamespacedEvent({ namespace: NS, name: 'v1-event' });
    await assert.rejects(core.readNamespacedEvent({ namespace: NS, name: 'v1-event' }), (e: { code?: number }) => e.code === 404);
  });

  it('daemonsets, their pods and their controllerrevisions', async () => {
    const ds: k8s.V1DaemonSet = {
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec() } },
    };
    const created = await apps.createNamespacedDaemonSet({ namespace: NS, body: ds });
    assert.equal(created.spec?.updateStrategy?.type, 'RollingUpdate');
    await waitFor(async () =>
      assert.equal((await apps.readNamespacedDaemonSetStatus({ namespace: NS, name: 'agent' })).status?.numberReady, 2),
    );
    const revisions = await apps.listNamespacedControllerRevision({ namespace: NS });
    assert.equal(revisions.items.length, 1);
    assert.equal(revisions.items[0].metadata?.ownerReferences?.[0]?.name, 'agent');
    const patched = await apps.patchNamespacedDaemonSet(
      { namespace: NS, name: 'agent', body: { spec: { template: { spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } } } } },
      STRATEGIC,
    );
    assert.deepEqual(
      patched.spec?.template.spec?.containers.map((c) => c.image),
      ['nginx:1.27', 'busybox'],
    );
    await waitFor(async () => assert.equal((await apps.listNamespacedControllerRevision({ namespace: NS })).items.length, 2));
    // The controller writes the status meanwhile: re-read and retry on 409, as clients do.
    const replaced = await waitFor(async () => {
      const fresh = await apps.readNamespacedDaemonSet({ namespace: NS, name: 'agent' });
      return apps.replaceNamespacedDaemonSet({
        namespace: NS,
        name: 'agent',
        body: { ...fresh, metadata: { ...fresh.metadata, annotations: { a: 'b' } } },
      });
    });
    assert.equal(replaced.metadata?.annotations?.a, 'b');
    assert.ok((await apps.listDaemonSetForAllNamespaces()).items.some((d) => d.metadata?.name === 'agent'));
    await apps.deleteNamespacedDaemonSet({ namespace: NS, name: 'agent' });
    await waitFor(async () => assert.equal((await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=agent' })).items.length, 0));
  });

  it('controllerrevisions of their own', async () => {
    const created = await apps.createNamespacedControllerRevision({
      namespace: NS,
      body: { metadata: { name: 'rev-1' }, revision: 1, data: { spec: { x: 1 } } },
    });
    assert.equal(created.revision, 1);
    const patched = await apps.patchNamespacedControllerRevision(
      { namespace: NS, name: 'rev-1', body: { metadata: { labels: { k: 'v' } } } },
      MERGE,
    );
    assert.equal(patched.metadata?.labels?.k, 'v');
    const replaced = await apps.replaceNamespacedControllerRevision({ namespace: NS, name: 'rev-1', body: { ...patched, revision: 2 } });
    assert.equal(replaced.revision, 2);
    assert.deepEqual((await apps.readNamespacedControllerRevision({ namespace: NS, name: 'rev-1' })).data, { spec: { x: 1 } });
    await apps.deleteNamespacedControllerRevision({ namespace: NS, name: 'rev-1' });
    await assert.rejects(apps.readNamespacedControllerRevision({ namespace: NS, name: 'rev-1' }), (e: { code?: number }) => e.code === 404);
  });

  it('leases', async () => {
    const leases = await coordination.listNamespacedLease({ namespace: 'kube-node-lease' });
    assert.ok(leases.items.length >= 2);
    // client-node leaves MicroTime fields as strings; each must still be a valid time.
    assert.ok(
      leases.items.every((l) => !Number.isNaN(new Date(l.spec!.renewTime as unknown as string).getTime())),
      JSON.stringify(leases.items.map((l) => l.spec)),
    );
  });

  it("serviceaccounts: the controller's default, a created one read back, and a token through TokenRequest", async () => {
    const fallback = await waitFor(() => core.readNamespacedServiceAccount({ namespace: NS, name: 'default' }));
    assert.ok(fallback.metadata?.creationTimestamp instanceof Date);
    await core.createNamespacedServiceAccount({
      namespace: NS,
      body: { metadata: { name: 'reader' }, automountServiceAccountToken: false, imagePullSecrets: [{ name: 'registry' }] },
    });
    const read = await core.readNamespacedServiceAccount({ namespace: NS, name: 'reader' });
    assert.equal(read.automountServiceAccountToken, false);
    assert.deepEqual(
      read.imagePullSecrets?.map((r) => r.name),
      ['registry'],
    );
    assert.deepEqual(
      (await core.listNamespacedServiceAccount({ namespace: NS })).items.map((sa) => sa.metadata?.name),
      ['default', 'reader'],
    );
    const token = await core.createNamespacedServiceAccountToken({
      namespace: NS,
      name: 'reader',
      body: { spec: { audiences: ['api'], expirationSeconds: 600 } },
    });
    assert.ok(token.status?.expirationTimestamp instanceof Date);
    assert.equal(token.spec.expirationSeconds, 600);
    assert.equal(token.status?.token.split('.').length, 3);
  });
});

/** Restarts an informer after an error (as client-node advises), unless the test stopped it. */
const stoppedInformers = new WeakSet<object>();
function restarting(informer: { start(): Promise<void> }): void {
  if (!stoppedInformers.has(informer)) void informer.start().catch(() => undefined);
}
function stopInformer(informer: { stop(): Promise<void> }): Promise<void> {
  stoppedInformers.add(informer);
  return informer.stop();
}

describe('@kubernetes/client-node and the endpoint controllers', () => {
  it('lists the EndpointSlices of a Service through DiscoveryV1Api, and reads its Endpoints', async () => {
    const discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
    const pod = await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: 'backend', labels: { app: 'backend' } },
        spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
    });
    await core.createNamespacedService({
      namespace: NS,
      body: { metadata: { name: 'backend' }, spec: { selector: { app: 'backend' }, ports: [{ port: 80, targetPort: 'http' }] } },
    });
    const slices = await waitFor(
      async () => {
        const list = await discovery.listNamespacedEndpointSlice({ namespace: NS, labelSelector: 'kubernetes.io/service-name=backend' });
        assert.equal(list.items.length, 1);
        assert.equal(list.items[0].endpoints?.length, 1);
        assert.equal(list.items[0].endpoints?.[0].conditions?.ready, true);
        return list;
      },
      { timeoutMs: 10_000 },
    );
    const [slice] = slices.items;
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(
      slice.ports?.map((p) => ({ ...p })),
      [{ name: '', protocol: 'TCP', port: 8080 }],
    );
    assert.equal(slice.endpoints[0].targetRef?.uid, pod.metadata?.uid);
    assert.ok(slice.metadata?.creationTimestamp instanceof Date);
    const running = await core.readNamespacedPod({ namespace: NS, name: 'backend' });
    assert.deepEqual(slice.endpoints[0].addresses, [running.status?.podIP]);
    const ep = await core.readNamespacedEndpoints({ namespace: NS, name: 'backend' });
    assert.equal(ep.subsets?.[0].addresses?.[0].ip, running.status?.podIP);
    assert.equal(ep.subsets?.[0].ports?.[0].port, 8080);
  });
});

describe('@kubernetes/client-node watch and informer', () => {
  it('watch delivers ADDED, MODIFIED and DELETED', async () => {
    const events: string[] = [];
    const list = await core.listNamespacedPod({ namespace: NS });
    const req = await new k8s.Watch(kc).watch(
      `/api/v1/namespaces/${NS}/pods`,
      { resourceVersion: list.metadata?.resourceVersion, labelSelector: 'watched=yes' },
      (type: string, obj: k8s.V1Pod) => events.push(`${type} ${obj.metadata?.name}`),
      () => undefined,
    );
    try {
      await core.createNamespacedPod({ namespace: NS, body: { metadata: { name: 'w', labels: { watched: 'yes' } }, spec: podSpec() } });
      await core.patchNamespacedPod({ namespace: NS, name: 'w', body: { metadata: { annotations: { x: 'y' } } } }, MERGE);
      await core.deleteNamespacedPod({ namespace: NS, name: 'w', gracePeriodSeconds: 0 });
      await waitFor(() => assert.ok(events.includes('DELETED w'), events.join(', ')));
      assert.equal(events[0], 'ADDED w');
      assert.ok(events.slice(1, -1).every((e) => e === 'MODIFIED w'));
    } finally {
      req.abort();
    }
  });

  it('an informer survives a forced 410 Expired: it re-lists and its cache matches the server', async () => {
    const path = `/api/v1/namespaces/${NS}/pods`;
    const informer = k8s.makeInformer(kc, path, () => core.listNamespacedPod({ namespace: NS }));
    let connects = 0;
    informer.on('connect', () => connects++);
    informer.on('error', () => setTimeout(() => restarting(informer), 50));
    await informer.start();
    try {
      const names = async () => (await core.listNamespacedPod({ namespace: NS })).items.map((p) => p.metadata!.name!).sort();
      const cached = () =>
        informer
          .list(NS)
          .map((p) => p.metadata!.name!)
          .sort();
      await core.createNamespacedPod({ namespace: NS, body: { metadata: { name: 'i-1' }, spec: podSpec() } });
      await waitFor(async () => assert.deepEqual(cached(), await names()));
      const before = connects;
      // The next watch gets 410 Expired; the current one is cut so that the informer makes it.
      server.addFault({ verb: 'watch', resource: 'pods', namespace: NS, status: 410, count: 1 });
      server.addFault({ action: 'cut-watch', resource: 'pods', namespace: NS, count: 1 });
      await core.createNamespacedPod({ namespace: NS, body: { metadata: { name: 'i-2' }, spec: podSpec() } });
      await waitFor(() => assert.deepEqual(server.control.faults.list(), []));
      await core.createNamespacedPod({ namespace: NS, body: { metadata: { name: 'i-3' }, spec: podSpec() } });
      await waitFor(async () => assert.deepEqual(cached(), await names()));
      assert.ok(connects >= before + 2, `connects ${before} → ${connects}: one after the cut, one re-list after the 410`);
      const watches = server.journal({ verb: ['watch'], namespace: NS, resource: 'pods' });
      assert.ok(
        watches.some((e) => e.faults?.length),
        'the 410 is in the journal',
      );
    } finally {
      await stopInformer(informer);
    }
  });

  it('an informer survives a restart of the library server on the same database file and port', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'kubemock-client-node-')), 'k.db');
    let first: KubemockServer | undefined = await startKubemock({ db, nodes: 0, controllers: false });
    const port = first.port;
    const ownKc = new k8s.KubeConfig();
    ownKc.loadFromString(first.kubeconfig);
    const ownCore = ownKc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(ownKc, '/api/v1/namespaces/default/pods', () => ownCore.listNamespacedPod({ namespace: 'default' }));
    informer.on('error', () => setTimeout(() => restarting(informer), 50));
    await informer.start();
    let second: KubemockServer | undefined;
    try {
      await ownCore.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'before' }, spec: podSpec() } });
      await waitFor(() => assert.equal(informer.list('default').length, 1));
      await first.stop();
      first = undefined;
      second = await startKubemock({ db, port, nodes: 0, controllers: false });
      await ownCore.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'after' }, spec: podSpec() } });
      await waitFor(
        () =>
          assert.deepEqual(
            informer
              .list('default')
              .map((p) => p.metadata!.name)
              .sort(),
            ['after', 'before'],
          ),
        { timeoutMs: 10_000 },
      );
    } finally {
      await stopInformer(informer);
      await first?.stop();
      await second?.stop();
    }
  });
});

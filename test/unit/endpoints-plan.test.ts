/** The pure planners of the endpoints and EndpointSlice controllers, and the kubectl cells of both kinds, table-tested. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredEndpointsLabels, desiredSubsets } from '../../src/controllers/endpoints/plan.js';
import { findPort, shouldPodBeInEndpoints } from '../../src/controllers/endpoints/pod-endpoints.js';
import { TriggerTimeTracker } from '../../src/controllers/endpoints/trigger-time.js';
import { MAX_ENDPOINTS_PER_SLICE, planSlices, sliceLabels, type StoredSlice } from '../../src/controllers/endpointslice/plan.js';
import { formatEndpoints } from '../../src/resources/endpoints/table.js';
import { formatPorts, formatSliceEndpoints } from '../../src/resources/endpointslices/table.js';
import type { StoredNode, StoredPod, StoredService } from '../../src/resources/stored.js';

function svc(spec: StoredService['spec'] = {}, labels?: Record<string, string>): StoredService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', labels, creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], ...spec },
  };
}

function pod(
  name: string,
  ip: string | undefined,
  opts: { ready?: boolean; phase?: string; deleting?: boolean; node?: string; restartPolicy?: string; portName?: string } = {},
): StoredPod {
  const p: StoredPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `${name}-uid`, labels: { app: 'web' } },
    spec: {
      nodeName: opts.node ?? 'node-1',
      restartPolicy: opts.restartPolicy ?? 'Always',
      containers: [{ name: 'c', image: 'nginx', ports: [{ name: opts.portName ?? 'http', containerPort: 8080, protocol: 'TCP' }] }],
    },
    status: {
      phase: opts.phase ?? 'Running',
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: '2025-01-01T00:01:00Z' }],
    },
  };
  if (opts.deleting) p.metadata.deletionTimestamp = '2025-01-01T00:02:00Z';
  return p;
}

const node = (name: string, zone?: string): StoredNode => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} },
});

test('which pods count (ShouldPodBeInEndpoints)', () => {
  const cases: [string, StoredPod, boolean, boolean][] = [
    ['running with an IP', pod('a', '10.0.0.1'), false, true],
    ['no IP yet', pod('a', undefined), true, false],
    ['succeeded', pod('a', '10.0.0.1', { phase: 'Succeeded' }), true, false],
    ['failed', pod('a', '10.0.0.1', { phase: 'Failed' }), true, false],
    ['terminating, not wanted', pod('a', '10.0.0.1', { deleting: true }), false, false],
    ['terminating, wanted', pod('a', '10.0.0.1', { deleting: true }), true, true],
  ];
  for (const [name, p, includeTerminating, want] of cases) assert.equal(shouldPodBeInEndpoints(p, includeTerminating), want, name);
});

test('findPort: numbers as they are, names by container port name and protocol', () => {
  const p = pod('a', '10.0.0.1');
  assert.equal(findPort(p, { port: 80, targetPort: 9000 }), 9000);
  assert.equal(findPort(p, { port: 80 }), 80);
  assert.equal(findPort(p, { port: 80, targetPort: 'http', protocol: 'TCP' }), 8080);
  assert.equal(findPort(p, { port: 80, targetPort: 'http', protocol: 'UDP' }), undefined);
  assert.equal(findPort(p, { port: 80, targetPort: 'grpc' }), undefined);
});

test('desired subsets: ready and not-ready addresses sorted by IP, ports resolved per pod, grouped by port set', () => {
  const pods = [
    pod('b', '10.0.0.10'),
    pod('a', '10.0.0.9'),
    pod('c', '10.0.0.11', { ready: false }),
    pod('d', '10.0.0.12', { portName: 'other' }),
    pod('e', '10.0.0.13', { deleting: true }),
  ];
  const subsets = desiredSubsets(svc(), pods);
  assert.equal(subsets.length, 1, 'the pod whose named port does not resolve is left out');
  assert.deepEqual(
    subsets[0].addresses?.map((a) => a.ip),
    ['10.0.0.9', '10.0.0.10'],
  );
  assert.deepEqual(
    subsets[0].notReadyAddresses?.map((a) => a.ip),
    ['10.0.0.11'],
  );
  assert.deepEqual(subsets[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(subsets[0].addresses?.[0], {
    ip: '10.0.0.9',
    nodeName: 'node-1',
    targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'a-uid' },
  });

  const twoPorts = svc({
    selector: { app: 'web' },
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'raw', port: 81, targetPort: 9000 },
    ],
  });
  const grouped = desiredSubsets(twoPorts, [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { portName: 'x' })]);
  assert.deepEqual(
    grouped.map((s) => [s.addresses?.map((a) => a.ip), s.ports?.map((p) => p.name)]),
    [
      [['10.0.0.1'], ['http', 'raw']],
      [['10.0.0.2'], ['raw']],
    ],
  );
  assert.equal(
    desiredSubsets(svc({ publishNotReadyAddresses: true }), [pod('c', '10.0.0.3', { ready: false })])[0].addresses?.[0].ip,
    '10.0.0.3',
  );
});

test('Endpoints labels: the Service labels and the headless marker', () => {
  assert.deepEqual(desiredEndpointsLabels(svc({}, { a: '1' })), { a: '1' });
  assert.deepEqual(desiredEndpointsLabels(svc({ clusterIP: 'None' }, { a: '1' })), { a: '1', 'service.kubernetes.io/headless': '' });
  assert.deepEqual(sliceLabels(svc({}, { a: '1', 'kubernetes.io/service-name': 'x', 'endpointslice.kubernetes.io/managed-by': 'me' })), {
    a: '1',
    'kubernetes.io/service-name': 'web',
    'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
  });
});

test('planSlices: a new Service gets one slice; an unchanged one gets no write', () => {
  const nodes = new Map([['node-1', node('node-1', 'z1')]]);
  const input = {
    svc: svc(),
    pods: [pod('a', '10.0.0.1'), pod('t', '10.0.0.2', { deleting: true })],
    node: (n: string) => nodes.get(n),
    existing: [],
  };
  const plan = planSlices(input);
  assert.equal(plan.create.length, 1);
  assert.deepEqual([plan.update.length, plan.delete.length, plan.missingNodes], [0, 0, false]);
  const slice = plan.create[0];
  assert.equal(slice.metadata.generateName, 'web-');
  assert.deepEqual(
    slice.endpoints?.map((e) => [e.addresses[0], e.conditions, e.zone]),
    [
      ['10.0.0.1', { ready: true, serving: true, terminating: false }, 'z1'],
      ['10.0.0.2', { ready: false, serving: true, terminating: true }, 'z1'],
    ],
  );
  const stored: StoredSlice = { ...slice, metadata: { ...slice.metadata, name: 'web-abcde', uid: 'slice-uid' } };
  const again = planSlices({ ...input, existing: [stored] });
  assert.deepEqual([again.create.length, again.update.length, again.delete.length], [0, 0, 0]);
});

test('planSlices: pods on unknown nodes wait (unless not-ready addresses are published); an empty Service keeps a placeholder', () => {
  const missing = planSlices({ svc: svc(), pods: [pod('a', '10.0.0.1', { node: 'gone' })], node: () => undefined, existing: [] });
  assert.equal(missing.missingNodes, true);
  assert.deepEqual(
    missing.create.map((s) => [s.endpoints, s.ports]),
    [[[], []]],
    'only a placeholder',
  );
  const published = planSlices({
    svc: svc({ publishNotReadyAddresses: true }),
    pods: [pod('a', '10.0.0.1', { node: 'gone' })],
    node: () => undefined,
    existing: [],
  });
  assert.equal(published.create[0].endpoints?.length, 1);
});

test('planSlices: more than 100 endpoints fill several slices; a slice to delete is reused for one to create', () => {
  const pods = Array.from({ length: MAX_ENDPOINTS_PER_SLICE + 5 }, (_, i) => pod(`p${i}`, `10.0.${i >> 8}.${i & 255}`));
  const plan = planSlices({ svc: svc(), pods, node: () => node('node-1'), existing: [] });
  assert.deepEqual(
    plan.create.map((s) => s.endpoints?.length),
    [MAX_ENDPOINTS_PER_SLICE, 5],
  );
  const placeholder: StoredSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'web-old',
      namespace: 'default',
      uid: 'old',
      labels: sliceLabels(svc()),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints: null as never,
    ports: null as never,
  };
  const reuse = planSlices({ svc: svc(), pods: [pod('a', '10.0.0.1')], node: () => node('node-1'), existing: [placeholder] });
  assert.deepEqual([reuse.create.length, reuse.delete.length], [0, 0]);
  assert.equal(reuse.update[0].metadata.name, 'web-old');
  assert.equal(reuse.update[0].endpoints?.length, 1);
});

test('trigger time: the earliest change not yet seen, nothing when nothing changed', () => {
  const tracker = new TriggerTimeTracker();
  const s = svc();
  const first = tracker.compute('default/web', s, [pod('a', '10.0.0.1')]);
  assert.equal(first, Date.parse('2025-01-01T00:00:00Z'), 'the Service creation');
  assert.equal(tracker.compute('default/web', s, [pod('a', '10.0.0.1')]), undefined);
  const changed = pod('a', '10.0.0.1');
  changed.status!.conditions![0].lastTransitionTime = '2025-01-01T00:05:00Z';
  assert.equal(tracker.compute('default/web', s, [changed]), Date.parse('2025-01-01T00:05:00Z'));
});

test('kubectl cells: ENDPOINTS of Endpoints, PORTS and ENDPOINTS of slices', () => {
  const ep = (subsets: unknown) => formatEndpoints({ subsets } as never);
  const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));
  const cases: [unknown, string][] = [
    [undefined, '<none>'],
    [[{ notReadyAddresses: addrs('10.0.0.1'), ports: [{ port: 80 }] }], ''],
    [[{ addresses: addrs('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }] }], '10.0.0.1:80,10.0.0.2:80'],
    [
      [{ addresses: addrs('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }, { port: 81 }] }],
      '10.0.0.1:80,10.0.0.2:80,10.0.0.1:81 + 1 more...',
    ],
    [[{ addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5') }], '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...'],
    [[{ addresses: addrs('fd00::1'), ports: [{ port: 80 }] }], '[fd00::1]:80'],
  ];
  for (const [subsets, want] of cases) assert.equal(ep(subsets), want, JSON.stringify(subsets));
  const slice = (ports: unknown, endpoints: unknown) => ({ ports, endpoints }) as never;
  assert.equal(formatPorts(slice(null, null)), '<unset>');
  assert.equal(formatSliceEndpoints(slice(null, null)), '<unset>');
  assert.equal(formatPorts(slice([{ port: 80 }, { name: 'x' }, {}, { port: 9 }], [])), '80,x,* + 1 more...');
  assert.equal(
    formatSliceEndpoints(slice([], [{ addresses: ['1.1.1.1', '2.2.2.2'] }, { addresses: ['3.3.3.3', '4.4.4.4'] }])),
    '1.1.1.1,2.2.2.2,3.3.3.3 + 1 more...',
  );
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { buildTable, humanDuration, partialObjectMetadata, rowObject, since } from '../../src/apimachinery/table.js';
import * as pods from '../../src/resources/pods/table.js';
import * as nodes from '../../src/resources/nodes/table.js';
import * as daemonsets from '../../src/resources/daemonsets/table.js';
import * as events from '../../src/resources/events/table.js';
import * as namespaces from '../../src/resources/namespaces/table.js';
import * as revisions from '../../src/resources/controllerrevisions/table.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;
const NOW = Date.UTC(2025, 0, 10, 12, 0, 0);
const ago = (ms: number) => new Date(NOW - ms).toISOString().replace('.000Z', 'Z');

describe('humanDuration', () => {
  const cases: [number, string][] = [
    [-3 * S, '<invalid>'],
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [5 * S, '5s'],
    [59 * S, '59s'],
    [119 * S + 999, '119s'],
    [2 * M, '2m'],
    [2 * M + 30 * S, '2m30s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [13 * M + 59 * S, '13m'],
    [179 * M + 59 * S, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [7 * H + 59 * M + 59 * S, '7h59m'],
    [8 * H, '8h'],
    [47 * H + 59 * M, '47h'],
    [2 * D, '2d'],
    [2 * D + 3 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [400 * D, '400d'],
    [2 * Y - 1, '729d'],
    [2 * Y, '2y'],
    [2 * Y + 10 * D, '2y10d'],
    [3 * Y, '3y'],
    [8 * Y - D, '7y364d'],
    [8 * Y, '8y'],
    [9 * Y + 100 * D, '9y'],
  ];
  for (const [ms, want] of cases) test(`${ms}ms → ${want}`, () => assert.equal(humanDuration(ms), want));

  test('since: a missing or unreadable time is <unknown>', () => {
    assert.equal(since(undefined, NOW), '<unknown>');
    assert.equal(since(null, NOW), '<unknown>');
    assert.equal(since('', NOW), '<unknown>');
    assert.equal(since('not a time', NOW), '<unknown>');
    assert.equal(since(ago(90 * S), NOW), '90s');
  });
});

describe('partialObjectMetadata and buildTable', () => {
  test('keeps all metadata (managedFields too, as meta.AsPartialObjectMetadata, in table rows as well)', () => {
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', uid: 'u', labels: { a: 'b' }, managedFields: [{ manager: 'kubectl' }] },
      spec: {},
    };
    assert.deepEqual(partialObjectMetadata(obj), {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'p', namespace: 'default', uid: 'u', labels: { a: 'b' }, managedFields: [{ manager: 'kubectl' }] },
    });
    // A table row's object is the same PartialObjectMetadata, managedFields included (asTable uses AsPartialObjectMetadata).
    assert.deepEqual(rowObject(obj, 'Metadata'), partialObjectMetadata(obj));
  });
  test('drops empty list metadata fields', () => {
    const t = buildTable(null, [], { resourceVersion: '7', continue: '', remainingItemCount: 3 });
    assert.deepEqual(t, {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '7', remainingItemCount: 3 },
      columnDefinitions: null,
      rows: [],
    });
  });
});

type Obj = Record<string, unknown>;
const pod = (status: Obj, spec: Obj = {}, meta: Obj = {}): KubeObject => ({
  metadata: { name: 'p', creationTimestamp: ago(5 * M), ...meta },
  spec: { containers: [{ name: 'c' }], ...spec },
  status,
});
const running = (ready = true, extra: Obj = {}) => ({
  name: 'c',
  ready,
  restartCount: 0,
  state: { running: { startedAt: ago(M) } },
  ...extra,
});

describe('pod cells', () => {
  const cases: { name: string; pod: KubeObject; ready: string; status: string; restarts: string }[] = [
    { name: 'new pod: phase', pod: pod({ phase: 'Pending' }), ready: '0/1', status: 'Pending', restarts: '0' },
    {
      name: 'status.reason wins over phase',
      pod: pod({ phase: 'Failed', reason: 'Evicted' }),
      ready: '0/1',
      status: 'Evicted',
      restarts: '0',
    },
    {
      name: 'scheduling gated',
      pod: pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      ready: '0/1',
      status: 'SchedulingGated',
      restarts: '0',
    },
    {
      name: 'container creating',
      pod: pod({
        phase: 'Pending',
        containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
      }),
      ready: '0/1',
      status: 'ContainerCreating',
      restarts: '0',
    },
    {
      name: 'running and ready',
      pod: pod({ phase: 'Running', containerStatuses: [running()] }),
      ready: '1/1',
      status: 'Running',
      restarts: '0',
    },
    {
      name: 'running, not ready',
      pod: pod({ phase: 'Running', containerStatuses: [running(false)] }),
      ready: '0/1',
      status: 'Running',
      restarts: '0',
    },
    {
      name: 'crash loop with restarts and last termination',
      pod: pod({
        phase: 'Running',
        containerStatuses: [
          {
            name: 'c',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(42 * S) } },
          },
        ],
      }),
      ready: '0/1',
      status: 'CrashLoopBackOff',
      restarts: '3 (42s ago)',
    },
    {
      name: 'restarts without a known termination time',
      pod: pod({ phase: 'Running', containerStatuses: [running(true, { restartCount: 2 })] }),
      ready: '1/1',
      status: 'Running',
      restarts: '2',
    },
    {
      name: 'terminated with a reason (last container decides)',
      pod: pod({ phase: 'Succeeded', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
      ready: '0/1',
      status: 'Completed',
      restarts: '0',
    },
    {
      name: 'terminated by a signal, no reason',
      pod: pod({ phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 137, signal: 9 } } }] }),
      ready: '0/1',
      status: 'Signal:9',
      restarts: '0',
    },
    {
      name: 'terminated with an exit code, no reason',
      pod: pod({ phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 2 } } }] }),
      ready: '0/1',
      status: 'ExitCode:2',
      restarts: '0',
    },
    {
      name: 'one completed, one running and Ready condition → Running',
      pod: pod(
        {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [running(), { name: 'd', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
        },
        { containers: [{ name: 'c' }, { name: 'd' }] },
      ),
      ready: '1/2',
      status: 'Running',
      restarts: '0',
    },
    {
      name: 'one completed, one running, not Ready → NotReady',
      pod: pod(
        { phase: 'Running', containerStatuses: [running(), { name: 'd', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
        { containers: [{ name: 'c' }, { name: 'd' }] },
      ),
      ready: '1/2',
      status: 'NotReady',
      restarts: '0',
    },
    {
      name: 'init container running → Init:0/2',
      pod: pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i1', state: { running: {} } },
            { name: 'i2', state: { waiting: { reason: 'PodInitializing' } } },
          ],
        },
        { initContainers: [{ name: 'i1' }, { name: 'i2' }] },
      ),
      ready: '0/1',
      status: 'Init:0/2',
      restarts: '0',
    },
    {
      name: 'second init container waiting with a reason',
      pod: pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i1', state: { terminated: { exitCode: 0 } } },
            { name: 'i2', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } },
          ],
        },
        { initContainers: [{ name: 'i1' }, { name: 'i2' }] },
      ),
      ready: '0/1',
      status: 'Init:CrashLoopBackOff',
      restarts: '4',
    },
    {
      name: 'init container failed without reason',
      pod: pod(
        { phase: 'Failed', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 3 } } }] },
        { initContainers: [{ name: 'i1' }] },
      ),
      ready: '0/1',
      status: 'Init:ExitCode:3',
      restarts: '0',
    },
    {
      name: 'init container killed by a signal',
      pod: pod(
        { phase: 'Failed', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 137, signal: 9 } } }] },
        { initContainers: [{ name: 'i1' }] },
      ),
      ready: '0/1',
      status: 'Init:Signal:9',
      restarts: '0',
    },
    {
      name: 'init container failed with a reason',
      pod: pod(
        { phase: 'Failed', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 1, reason: 'Error' } } }] },
        { initContainers: [{ name: 'i1' }] },
      ),
      ready: '0/1',
      status: 'Init:Error',
      restarts: '0',
    },
    {
      name: 'started sidecar counts toward READY and RESTARTS',
      pod: pod(
        {
          phase: 'Running',
          initContainerStatuses: [
            {
              name: 'side',
              started: true,
              ready: true,
              restartCount: 1,
              state: { running: {} },
              lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * M) } },
            },
          ],
          containerStatuses: [running()],
        },
        { initContainers: [{ name: 'side', restartPolicy: 'Always' }] },
      ),
      ready: '2/2',
      status: 'Running',
      restarts: '1 (3m ago)',
    },
    {
      name: 'deleting a running pod → Terminating',
      pod: pod({ phase: 'Running', containerStatuses: [running()] }, {}, { deletionTimestamp: ago(0) }),
      ready: '1/1',
      status: 'Terminating',
      restarts: '0',
    },
    {
      name: 'deleting a finished pod keeps its status',
      pod: pod(
        { phase: 'Succeeded', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
        {},
        { deletionTimestamp: ago(0) },
      ),
      ready: '0/1',
      status: 'Completed',
      restarts: '0',
    },
    {
      name: 'deleting a pod on a lost node → Unknown',
      pod: pod({ phase: 'Running', reason: 'NodeLost', containerStatuses: [running()] }, {}, { deletionTimestamp: ago(0) }),
      ready: '1/1',
      status: 'Unknown',
      restarts: '0',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const cells = pods.cells(c.pod, NOW);
      assert.deepEqual(cells.slice(0, 5), ['p', c.ready, c.status, c.restarts, '5m']);
    });
  }

  test('wide cells: IP (podIPs, then podIP), node, nominated node, readiness gates', () => {
    const p = pod(
      {
        phase: 'Running',
        podIPs: [{ ip: '10.244.1.5' }],
        conditions: [
          { type: 'g1', status: 'True' },
          { type: 'g2', status: 'False' },
        ],
      },
      { nodeName: 'node-1', readinessGates: [{ conditionType: 'g1' }, { conditionType: 'g2' }] },
    );
    assert.deepEqual(pods.cells(p, NOW).slice(5), ['10.244.1.5', 'node-1', '<none>', '1/2']);
    assert.deepEqual(pods.cells(pod({ podIP: '10.0.0.9', nominatedNodeName: 'n2' }), NOW).slice(5), ['10.0.0.9', '<none>', 'n2', '<none>']);
    assert.deepEqual(pods.cells(pod({}), NOW).slice(5), ['<none>', '<none>', '<none>', '<none>']);
  });

  test('columns: 9, the last 4 only with -o wide; row condition for finished pods', () => {
    assert.deepEqual(
      pods.columns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Ready', 0],
        ['Status', 0],
        ['Restarts', 0],
        ['Age', 0],
        ['IP', 1],
        ['Node', 1],
        ['Nominated Node', 1],
        ['Readiness Gates', 1],
      ],
    );
    assert.equal(pods.columns[0].format, 'name');
    assert.equal(pods.rowConditions(pod({ phase: 'Running' })), undefined);
    assert.deepEqual(
      pods.rowConditions(pod({ phase: 'Succeeded' }))?.map((c) => [c.type, c.status, c.reason]),
      [['Completed', 'True', 'Succeeded']],
    );
  });
});

const node = (conditions: Obj[] | undefined, labels: Record<string, string> = {}, unschedulable = false): KubeObject => ({
  metadata: { name: 'n', labels, creationTimestamp: ago(10 * D) },
  spec: { unschedulable },
  status: { conditions, nodeInfo: { kubeletVersion: 'v1.29.2' } },
});

describe('node cells', () => {
  const statuses: [string, KubeObject, string][] = [
    [
      'Ready',
      node([
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True' },
      ]),
      'Ready',
    ],
    ['NotReady (False)', node([{ type: 'Ready', status: 'False' }]), 'NotReady'],
    ['NotReady (Unknown)', node([{ type: 'Ready', status: 'Unknown' }]), 'NotReady'],
    ['no Ready condition', node([{ type: 'DiskPressure', status: 'False' }]), 'Unknown'],
    ['no conditions at all', node(undefined), 'Unknown'],
    ['cordoned', node([{ type: 'Ready', status: 'True' }], {}, true), 'Ready,SchedulingDisabled'],
    ['cordoned, unknown', node(undefined, {}, true), 'Unknown,SchedulingDisabled'],
  ];
  for (const [name, n, want] of statuses) test(`STATUS ${name} → ${want}`, () => assert.equal(nodes.cells(n, NOW)[1], want));

  const roles: [Record<string, string>, string][] = [
    [{}, '<none>'],
    [{ 'node-role.kubernetes.io/control-plane': '' }, 'control-plane'],
    [{ 'node-role.kubernetes.io/worker': 'true', 'node-role.kubernetes.io/infra': '' }, 'infra,worker'],
    [{ 'kubernetes.io/role': 'master' }, 'master'],
    [{ 'kubernetes.io/role': '' }, '<none>'],
    [{ 'node-role.kubernetes.io/': 'x' }, '<none>'],
    [{ 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/etcd': '' }, 'etcd,worker'],
  ];
  for (const [labels, want] of roles)
    test(`ROLES ${JSON.stringify(labels)} → ${want}`, () => assert.equal(nodes.cells(node([], labels), NOW)[2], want));

  test('age, version and the wide cells', () => {
    const n = node([{ type: 'Ready', status: 'True' }]);
    (n.status as Obj).addresses = [
      { type: 'Hostname', address: 'n' },
      { type: 'InternalIP', address: '10.0.0.10' },
      { type: 'InternalIP', address: '10.0.0.11' },
    ];
    assert.deepEqual(nodes.cells(n, NOW).slice(3), ['10d', 'v1.29.2', '10.0.0.10', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });
});

describe('daemonset cells', () => {
  const ds = (spec: Obj, status: Obj = {}): KubeObject => ({ metadata: { name: 'ds1', creationTimestamp: ago(2 * M) }, spec, status });
  test('counters, node selector, age, containers, images, selector', () => {
    const d = ds(
      {
        selector: { matchLabels: { app: 'ds2' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] },
        template: {
          spec: {
            nodeSelector: { zone: 'a', disktype: 'ssd' },
            containers: [
              { name: 'c', image: 'nginx' },
              { name: 'sidecar', image: 'busybox' },
            ],
          },
        },
      },
      { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 0, updatedNumberScheduled: 1, numberAvailable: 0 },
    );
    assert.deepEqual(daemonsets.cells(d, NOW), [
      'ds1',
      1,
      1,
      0,
      1,
      0,
      'disktype=ssd,zone=a',
      '2m',
      'c,sidecar',
      'nginx,busybox',
      'app=ds2,tier in (be,fe)',
    ]);
  });
  test('empty status and selectors', () => {
    assert.deepEqual(daemonsets.cells(ds({ template: { spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } }), NOW), [
      'ds1',
      0,
      0,
      0,
      0,
      0,
      '<none>',
      '2m',
      'c',
      'nginx:1.25',
      '<none>',
    ]);
    assert.equal(
      daemonsets.cells(
        ds({
          selector: {
            matchExpressions: [
              { key: 'a', operator: 'Exists' },
              { key: 'b', operator: 'DoesNotExist' },
              { key: 'c', operator: 'NotIn', values: ['y', 'x'] },
            ],
          },
        }),
        NOW,
      )[10],
      'a,!b,c notin (x,y)',
    );
  });
  test('columns', () => {
    assert.deepEqual(
      daemonsets.columns.map((c) => `${c.name}:${c.type}:${c.priority}`),
      [
        'Name:string:0',
        'Desired:integer:0',
        'Current:integer:0',
        'Ready:integer:0',
        'Up-to-date:integer:0',
        'Available:integer:0',
        'Node Selector:string:0',
        'Age:string:0',
        'Containers:string:1',
        'Images:string:1',
        'Selector:string:1',
      ],
    );
  });
});

describe('event cells', () => {
  const ev = (fields: Obj): KubeObject => ({
    metadata: { name: 'ds1.17a' },
    involvedObject: { kind: 'DaemonSet', name: 'ds1' },
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: '  Created pod: ds1-4hx7q\n',
    ...fields,
  });
  const cases: [string, Obj, unknown[]][] = [
    [
      'first and last timestamps, count',
      { firstTimestamp: ago(10 * M), lastTimestamp: ago(2 * M), count: 3, source: { component: 'daemonset-controller' } },
      ['2m', 'Normal', 'SuccessfulCreate', 'daemonset/ds1', '', 'daemonset-controller', 'Created pod: ds1-4hx7q', '10m', 3, 'ds1.17a'],
    ],
    [
      'no lastTimestamp: first one; count 0 → 1',
      { firstTimestamp: ago(5 * S) },
      ['5s', 'Normal', 'SuccessfulCreate', 'daemonset/ds1', '', '', 'Created pod: ds1-4hx7q', '5s', 1, 'ds1.17a'],
    ],
    [
      'only eventTime; reporting controller and instance',
      { eventTime: '2025-01-10T11:59:30.000000Z', reportingComponent: 'kubelet', reportingInstance: 'node-1' },
      ['30s', 'Normal', 'SuccessfulCreate', 'daemonset/ds1', '', 'kubelet, node-1', 'Created pod: ds1-4hx7q', '30s', 1, 'ds1.17a'],
    ],
    [
      'series',
      { eventTime: ago(H), series: { count: 7, lastObservedTime: ago(4 * M) }, count: 2 },
      ['4m', 'Normal', 'SuccessfulCreate', 'daemonset/ds1', '', '', 'Created pod: ds1-4hx7q', '60m', 7, 'ds1.17a'],
    ],
    [
      'no time at all',
      {},
      ['<unknown>', 'Normal', 'SuccessfulCreate', 'daemonset/ds1', '', '', 'Created pod: ds1-4hx7q', '<unknown>', 1, 'ds1.17a'],
    ],
    [
      'sub-object, source with host, nameless object',
      {
        involvedObject: { kind: 'Node', fieldPath: 'spec.containers{c}' },
        source: { component: 'kubelet', host: 'node-1' },
        lastTimestamp: ago(0),
      },
      [
        '0s',
        'Normal',
        'SuccessfulCreate',
        'node',
        'spec.containers{c}',
        'kubelet, node-1',
        'Created pod: ds1-4hx7q',
        '<unknown>',
        1,
        'ds1.17a',
      ],
    ],
  ];
  for (const [name, fields, want] of cases) test(name, () => assert.deepEqual(events.cells(ev(fields), NOW), want));

  test('columns in wide order', () => {
    assert.deepEqual(
      events.columns.map((c) => `${c.name}:${c.priority}`),
      ['Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1'],
    );
  });
});

describe('namespace and controllerrevision cells', () => {
  test('namespace', () => {
    assert.deepEqual(namespaces.cells({ metadata: { name: 'default', creationTimestamp: ago(3 * H) }, status: { phase: 'Active' } }, NOW), [
      'default',
      'Active',
      '3h',
    ]);
  });
  test('controllerrevision', () => {
    const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds1', uid: 'u', controller: true };
    const cr = (refs: unknown[]): KubeObject => ({
      metadata: { name: 'ds1-6d5f9c7b88', creationTimestamp: ago(10 * M), ownerReferences: refs as never },
      revision: 2,
    });
    assert.deepEqual(revisions.cells(cr([owner]), NOW), ['ds1-6d5f9c7b88', 'daemonset.apps/ds1', 2, '10m']);
    assert.equal(revisions.cells(cr([{ ...owner, controller: false }]), NOW)[1], '<none>');
    assert.equal(revisions.cells(cr([]), NOW)[1], '<none>');
    assert.equal(revisions.cells(cr([{ ...owner, apiVersion: 'v1', kind: 'Node' }]), NOW)[1], 'node/ds1');
  });
});

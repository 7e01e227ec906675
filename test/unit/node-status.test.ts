/**
 * The status a registering kubelet posts over one written by someone else (completeNodeStatus),
 * and what it finds missing (missingNodeStatus): pure functions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completeNodeStatus, missingNodeStatus, readyNodeStatus, withKubeletNodeConditions } from '../../src/kubelet/node-status.js';

type Obj = Record<string, any>;

const NOW = Date.parse('2025-01-01T00:00:05Z');
const registered = readyNodeStatus({ name: 'n1', index: 1, now: NOW });
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- completeNodeStatus returns a KubeObject-like record; the tests read its typed fields (tsc fails without it)
const complete = (given: Obj | undefined) => completeNodeStatus(given, registered, NOW) as Obj;
const brief = (conditions: Obj[]) => conditions.map((c) => `${c.type}=${c.status}`);

describe('missingNodeStatus', () => {
  it('finds nothing missing in what the kubelet registers', () => {
    assert.deepEqual(missingNodeStatus(registered), []);
  });

  it('finds everything missing in no status, and all but conditions in a Ready-only one', () => {
    const all = ['conditions', 'addresses', 'capacity', 'allocatable', 'daemonEndpoints', 'nodeInfo'];
    assert.deepEqual(missingNodeStatus(undefined), all);
    assert.deepEqual(missingNodeStatus({}), all);
    assert.deepEqual(missingNodeStatus({ conditions: [{ type: 'Ready', status: 'True' }] }), all.slice(1));
  });

  it('counts a capacity without pods, an address without its value, an empty kubelet version as missing', () => {
    const status = { ...registered, capacity: { cpu: '4', memory: '16Gi' } };
    assert.deepEqual(missingNodeStatus(status), ['capacity']);
    assert.deepEqual(missingNodeStatus({ ...registered, addresses: [{ type: 'InternalIP' }, { type: 'Hostname', address: 'n1' }] }), [
      'addresses',
    ]);
    assert.deepEqual(missingNodeStatus({ ...registered, nodeInfo: { ...(registered.nodeInfo as Obj), kubeletVersion: '' } }), ['nodeInfo']);
    assert.deepEqual(missingNodeStatus({ ...registered, allocatable: { ...registered.allocatable, pods: undefined } }), ['allocatable']);
  });

  it('does not throw on values of the wrong shape', () => {
    const odd = { conditions: { type: 'Ready' }, addresses: 'x', capacity: [1], allocatable: null, daemonEndpoints: 7, nodeInfo: 'linux' };
    assert.deepEqual(missingNodeStatus(odd), ['conditions', 'addresses', 'capacity', 'allocatable', 'daemonEndpoints', 'nodeInfo']);
  });
});

describe('completeNodeStatus', () => {
  it('completes a Ready-only status into what the kubelet registers, conditions refreshed in place', () => {
    const out = complete({ conditions: [{ type: 'Ready', status: 'True' }] });
    assert.deepEqual(missingNodeStatus(out), []);
    assert.deepEqual(out.addresses, [
      { type: 'InternalIP', address: '10.0.0.3' },
      { type: 'Hostname', address: 'n1' },
    ]);
    assert.deepEqual(
      [out.capacity, out.allocatable, out.nodeInfo, out.daemonEndpoints],
      [registered.capacity, registered.allocatable, registered.nodeInfo, registered.daemonEndpoints],
    );
    assert.deepEqual(brief(out.conditions), ['Ready=True', 'MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False']);
    assert.ok(out.conditions.every((c: Obj) => c.lastHeartbeatTime === '2025-01-01T00:00:05Z'));
  });

  it('gives no status what the kubelet registers', () => {
    assert.deepEqual(complete(undefined), registered);
  });

  it('keeps every value given: addresses, capacity, allocatable, system info, other conditions, unknown fields', () => {
    const network = {
      type: 'NetworkUnavailable',
      status: 'False',
      reason: 'RouteCreated',
      message: 'route created',
      lastHeartbeatTime: '2025-01-01T00:00:00Z',
      lastTransitionTime: '2025-01-01T00:00:00Z',
    };
    const out = complete({
      capacity: { pods: '20', cpu: 2, 'example.com/dongle': '3' },
      allocatable: { cpu: '1500m' },
      addresses: [{ type: 'ExternalIP', address: '203.0.113.7' }, { type: 'InternalIP', address: '192.168.1.20' }, { type: 'InternalIP' }],
      nodeInfo: { kubeletVersion: 'v1.29.2', osImage: '' },
      daemonEndpoints: { kubeletEndpoint: { Port: 10255 } },
      conditions: [network],
      images: [{ names: ['nginx'] }],
    });
    assert.deepEqual(out.capacity, {
      cpu: 2,
      'ephemeral-storage': '100Gi',
      'example.com/dongle': '3',
      'hugepages-2Mi': '0',
      memory: '16Gi',
      pods: '20',
    });
    assert.deepEqual(out.allocatable, { ...out.capacity, cpu: '1500m' }, 'allocatable: what was given, else capacity');
    assert.deepEqual(out.addresses, [
      { type: 'ExternalIP', address: '203.0.113.7' },
      { type: 'InternalIP', address: '192.168.1.20' },
      { type: 'Hostname', address: 'n1' },
    ]);
    assert.equal(out.nodeInfo.kubeletVersion, 'v1.29.2');
    assert.equal(out.nodeInfo.osImage, 'kubemock simulated node', 'an empty value is missing');
    assert.deepEqual(out.daemonEndpoints, { kubeletEndpoint: { Port: 10255 } });
    assert.deepEqual(out.conditions[0], network);
    assert.deepEqual(out.images, [{ names: ['nginx'] }]);
    assert.deepEqual(missingNodeStatus(out), []);
  });

  it("replaces the kubelet's own conditions (a Ready=False given becomes the kubelet's Ready=True)", () => {
    const out = complete({
      conditions: [{ type: 'Ready', status: 'False', reason: 'Whatever', lastTransitionTime: '2025-01-01T00:00:00Z' }],
    });
    const ready = out.conditions.find((c: Obj) => c.type === 'Ready');
    assert.deepEqual([ready.status, ready.reason, ready.lastTransitionTime], ['True', 'KubeletReady', '2025-01-01T00:00:05Z']);
  });

  it('is idempotent: completing a completed status changes nothing', () => {
    for (const given of [
      undefined,
      { conditions: [{ type: 'Ready', status: 'True' }] },
      { capacity: { cpu: 2 }, addresses: [{ type: 'Hostname', address: 'h' }] },
    ]) {
      const once = complete(given);
      assert.deepEqual(complete(once), once);
    }
  });

  it('completes values of the wrong shape instead of throwing', () => {
    const out = complete({ conditions: [null, { type: 'Ready' }], addresses: 'x', capacity: [1], nodeInfo: 'linux' });
    assert.deepEqual(missingNodeStatus(out), []);
    assert.deepEqual(brief(out.conditions), ['Ready=True', 'MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False']);
  });
});

describe('withKubeletNodeConditions', () => {
  it('keeps a transition time while the status holds, and moves it when the status changes', () => {
    const t0 = '2025-01-01T00:00:00Z';
    const out = withKubeletNodeConditions(
      [
        { type: 'MemoryPressure', status: 'False', lastTransitionTime: t0 },
        { type: 'Ready', status: 'Unknown', lastTransitionTime: t0 },
      ],
      NOW,
    );
    assert.deepEqual(
      out.map((c) => [c.type, c.status, c.lastTransitionTime, c.lastHeartbeatTime]),
      [
        ['MemoryPressure', 'False', t0, '2025-01-01T00:00:05Z'],
        ['Ready', 'True', '2025-01-01T00:00:05Z', '2025-01-01T00:00:05Z'],
        ['DiskPressure', 'False', '2025-01-01T00:00:05Z', '2025-01-01T00:00:05Z'],
        ['PIDPressure', 'False', '2025-01-01T00:00:05Z', '2025-01-01T00:00:05Z'],
      ],
    );
  });
});

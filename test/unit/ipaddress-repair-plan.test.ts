/**
 * kube-apiserver's IPAddress repair loop's decisions (repairip.go's syncService and syncIPAddress):
 * what it reports and rewrites for a Service's cluster IPs and for the allocator's IPAddresses, and
 * that a correct state plans nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rfc3339 } from '../../src/apimachinery/object.js';
import { LEAK_GRACE_MS, planAddressRepair, planServiceRepair } from '../../src/controllers/ipaddress-repair/plan.js';
import { serviceIPAddress, type StoredIPAddress } from '../../src/resources/ipaddresses/managed.js';
import type { StoredServiceCIDR } from '../../src/resources/servicecidrs/readiness.js';
import type { StoredService } from '../../src/resources/stored.js';

const NOW = Date.UTC(2025, 0, 1);
const CIDRS: StoredServiceCIDR[] = [{ metadata: { name: 'kubernetes' }, spec: { cidrs: ['10.96.0.0/16'] } }];
const svc = (name: string, ...ips: string[]): StoredService => ({
  metadata: { name, namespace: 'default' },
  spec: { clusterIP: ips[0], clusterIPs: ips },
});
const held = (ip: string, name: string, createdAt = NOW - 60_000): StoredIPAddress => {
  const a = serviceIPAddress(ip, 'IPv4', 'default', name);
  a.metadata.creationTimestamp = rfc3339(createdAt);
  return a;
};
const lookup =
  <T extends { metadata: { name?: string } }>(...objs: T[]) =>
  (name: string) =>
    objs.find((o) => o.metadata.name === name);
const services =
  (...list: StoredService[]) =>
  (_ns: string, name: string) =>
    list.find((s) => s.metadata.name === name);

describe('IPAddress repair plan: a Service', () => {
  it('plans nothing when each cluster IP has its IPAddress', () => {
    const web = svc('web', '10.96.0.50');
    assert.deepEqual(planServiceRepair(web, lookup(held('10.96.0.50', 'web')), CIDRS, services(web)), { events: [], writes: [] });
  });

  it('recreates a missing IPAddress with ClusterIPNotAllocated', () => {
    const web = svc('web', '10.96.0.50');
    assert.deepEqual(planServiceRepair(web, lookup<StoredIPAddress>(), CIDRS, services(web)), {
      events: [
        {
          about: 'service',
          reason: 'ClusterIPNotAllocated',
          action: 'ClusterIPAllocation',
          message: 'Cluster IP [IPv4]: 10.96.0.50 is not allocated; repairing',
        },
      ],
      writes: [{ ip: '10.96.0.50', delete: false, create: true }],
    });
  });

  it('reports an address outside every ServiceCIDR and leaves it be', () => {
    const web = svc('web', '10.200.0.5');
    assert.deepEqual(planServiceRepair(web, lookup<StoredIPAddress>(), CIDRS, services(web)), {
      events: [
        {
          about: 'service',
          reason: 'ClusterIPOutOfRange',
          action: 'ClusterIPAllocation',
          message: 'Cluster IP [IPv4]: 10.200.0.5 is not within any configured Service CIDR; please recreate service',
        },
      ],
      writes: [],
    });
  });

  it('replaces an IPAddress naming a Service that is gone, or no Service; reports one held by another Service', () => {
    const web = svc('web', '10.96.0.50');
    const wrong = {
      about: 'service',
      reason: 'ClusterIPNotAllocated',
      action: 'ClusterIPAllocation',
      message: 'the ClusterIP [IPv4]: 10.96.0.50 for Service default/web has a wrong reference; repairing',
    };
    const recreate = { ip: '10.96.0.50', delete: true, create: true };
    assert.deepEqual(planServiceRepair(web, lookup(held('10.96.0.50', 'gone')), CIDRS, services(web)), {
      events: [wrong],
      writes: [recreate],
    });
    const gateway = held('10.96.0.50', 'web');
    gateway.spec = { parentRef: { group: 'gateway.networking.k8s.io', resource: 'gateways', namespace: 'default', name: 'gw' } };
    assert.deepEqual(planServiceRepair(web, lookup(gateway), CIDRS, services(web)), { events: [wrong], writes: [recreate] });
    const other = svc('other', '10.96.0.50');
    assert.deepEqual(planServiceRepair(web, lookup(held('10.96.0.50', 'other')), CIDRS, services(web, other)), {
      events: [
        {
          about: 'service',
          reason: 'ClusterIPAlreadyAllocated',
          action: 'ClusterIPAllocation',
          message: 'Cluster IP [IPv4]:10.96.0.50 was assigned to multiple services; please recreate service',
        },
      ],
      writes: [],
    });
  });

  it('recreates an IPAddress without the allocator’s labels, silently', () => {
    const web = svc('web', '10.96.0.50');
    const unlabelled = held('10.96.0.50', 'web');
    unlabelled.metadata.labels = { 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' };
    assert.deepEqual(planServiceRepair(web, lookup(unlabelled), CIDRS, services(web)), {
      events: [],
      writes: [{ ip: '10.96.0.50', delete: true, create: true }],
    });
  });

  it('reports a cluster IP that does not parse under the validation action, and repairs nothing', () => {
    const bad = svc('bad', '10.96.0.500');
    assert.deepEqual(planServiceRepair(bad, lookup<StoredIPAddress>(), CIDRS, services(bad)), {
      events: [
        {
          about: 'service',
          reason: 'ClusterIPNotValid',
          action: 'ClusterIPValidation',
          message: 'Cluster IP <nil> is not a valid IP; please recreate Service',
        },
      ],
      writes: [],
    });
  });

  it('looks at nothing for a headless or ExternalName Service', () => {
    const headless: StoredService = { metadata: { name: 'h', namespace: 'default' }, spec: { clusterIP: 'None', clusterIPs: ['None'] } };
    const ext: StoredService = { metadata: { name: 'e', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'x.example' } };
    for (const s of [headless, ext])
      assert.deepEqual(planServiceRepair(s, lookup<StoredIPAddress>(), CIDRS, services(s)), { events: [], writes: [] });
  });
});

describe('IPAddress repair plan: an IPAddress', () => {
  it('plans nothing for an address its Service holds, or one the allocator does not manage', () => {
    const web = svc('web', '10.96.0.50');
    assert.deepEqual(planAddressRepair(held('10.96.0.50', 'web'), services(web), NOW), { events: [], writes: [] });
    const byUser: StoredIPAddress = {
      metadata: { name: '10.96.0.51' },
      spec: { parentRef: { resource: 'services', namespace: 'default', name: 'gone' } },
    };
    assert.deepEqual(planAddressRepair(byUser, services(), NOW), { events: [], writes: [] });
  });

  it('deletes an orphan only once it is older than the grace, and looks again when it will be', () => {
    const young = held('10.96.0.50', 'gone', NOW - 1000); // creationTimestamp has whole seconds
    assert.deepEqual(planAddressRepair(young, services(), NOW), { events: [], writes: [], recheckAfterMs: LEAK_GRACE_MS - 1000 + 1 });
    const old = held('10.96.0.50', 'gone', NOW - 2000);
    assert.deepEqual(planAddressRepair(old, services(), NOW), {
      events: [
        {
          about: 'ipaddress',
          reason: 'IPAddressNotAllocated',
          action: 'IPAddressAllocation',
          message: 'IPAddress: 10.96.0.50 for Service default/gone appears to have leaked: cleaning up',
        },
      ],
      writes: [{ ip: '10.96.0.50', delete: true, create: false }],
    });
  });

  it('deletes at once one whose Service holds another address, or one naming no Service', () => {
    const web = svc('web', '10.96.0.9');
    assert.deepEqual(planAddressRepair(held('10.96.0.50', 'web', NOW), services(web), NOW), {
      events: [
        {
          about: 'ipaddress',
          reason: 'IPAddressWrongReference',
          action: 'IPAddressAllocation',
          message: 'IPAddress: 10.96.0.50 for Service default/web has a wrong reference; cleaning up',
        },
      ],
      writes: [{ ip: '10.96.0.50', delete: true, create: false }],
    });
    const gateway = held('10.96.0.50', 'web', NOW);
    gateway.spec = { parentRef: { group: 'gateway.networking.k8s.io', resource: 'gateways', namespace: 'default', name: 'gw' } };
    assert.deepEqual(planAddressRepair(gateway, services(web), NOW).events, [
      {
        about: 'ipaddress',
        reason: 'IPAddressNotAllocated',
        action: 'IPAddressAllocation',
        message:
          'IPAddress 10.96.0.50 appears to have been modified, not referencing a Service &{gateway.networking.k8s.io gateways default gw}: cleaning up',
      },
    ]);
  });
});

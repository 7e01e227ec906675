/**
 * The ServiceCIDR controller's decisions (pkg/controller/servicecidrs): a live ServiceCIDR is
 * protected; a deleted one is held while one of the allocator's addresses would be left in no
 * ServiceCIDR, and let go ten seconds after its deletion otherwise.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rfc3339 } from '../../src/apimachinery/object.js';
import { canDelete, planServiceCIDR } from '../../src/controllers/servicecidrs/plan.js';
import { serviceIPAddress, type StoredIPAddress } from '../../src/resources/ipaddresses/managed.js';
import type { StoredServiceCIDR } from '../../src/resources/servicecidrs/readiness.js';

const NOW = Date.UTC(2025, 0, 1);
const sc = (name: string, cidrs: string[], deletedAt?: number): StoredServiceCIDR => ({
  metadata: { name, ...(deletedAt === undefined ? {} : { deletionTimestamp: rfc3339(deletedAt) }) },
  spec: { cidrs },
});
const held = (ip: string, family: 'IPv4' | 'IPv6' = 'IPv4') => serviceIPAddress(ip, family, 'default', 'web');
const byUser = (ip: string): StoredIPAddress => ({ metadata: { name: ip }, spec: { parentRef: { resource: 'gateways', name: 'gw' } } });

describe('ServiceCIDR controller plan', () => {
  it('protects a live ServiceCIDR', () => {
    const live = sc('a', ['10.0.0.0/24']);
    assert.deepEqual(planServiceCIDR(live, [live], [held('10.0.0.5')], NOW), { action: 'protect' });
  });

  it('holds a deleted one while an allocated address is in it alone', () => {
    const a = sc('a', ['10.0.0.0/24'], NOW - 60_000);
    assert.deepEqual(planServiceCIDR(a, [a], [held('10.0.0.5')], NOW), { action: 'block' });
    // Another ServiceCIDR holding the address (not the whole subnet) frees it.
    const b = sc('b', ['10.0.0.0/28']);
    assert.deepEqual(planServiceCIDR(a, [a, b], [held('10.0.0.5')], NOW), { action: 'release' });
    assert.deepEqual(planServiceCIDR(a, [a, b], [held('10.0.0.50')], NOW), { action: 'block' });
  });

  it('only the allocator’s addresses of its families count', () => {
    const a = sc('a', ['10.0.0.0/24'], NOW - 60_000);
    assert.equal(canDelete(a, [a], [byUser('10.0.0.5')]), true);
    assert.equal(canDelete(a, [a], [held('10.0.1.5')]), true);
    const dual = sc('d', ['10.0.0.0/24', '2001:db8::/112'], NOW - 60_000);
    assert.equal(canDelete(dual, [dual], [held('2001:db8::5', 'IPv6')]), false);
  });

  it('lets one go whose subnets another ServiceCIDR holds, whatever addresses are in it', () => {
    const inner = sc('inner', ['10.0.1.0/24'], NOW - 60_000);
    const outer = sc('outer', ['10.0.0.0/16']);
    assert.equal(canDelete(inner, [inner, outer], [held('10.0.1.5')]), true);
    // A twin with the same subnet holds it too.
    const twin = sc('twin', ['10.0.1.0/24']);
    assert.equal(canDelete(inner, [inner, twin], [held('10.0.1.5')]), true);
  });

  it('waits until the deletion is 10 s old', () => {
    const a = sc('a', ['10.0.0.0/24'], NOW - 4_000);
    assert.deepEqual(planServiceCIDR(a, [a], [], NOW), { action: 'wait', ms: 6_000 });
    assert.deepEqual(planServiceCIDR(a, [a], [], NOW + 6_000), { action: 'release' });
  });
});

/** Pod addresses from a node's podCIDR as host-local gives them (IPv4 and IPv6), and its range in errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocatePodIP, podCIDRAddresses, podCIDRRange } from '../../src/kubelet/pod-cidr.js';

test('IPv4: the lowest free address after the network address and the bridge, never the broadcast', () => {
  assert.equal(allocatePodIP('10.244.1.0/24', new Set()), '10.244.1.2');
  assert.equal(allocatePodIP('10.244.1.0/24', new Set(['10.244.1.2', '10.244.1.4'])), '10.244.1.3');
  assert.equal(allocatePodIP('10.244.1.7/24', new Set()), '10.244.1.2', 'a host address names its network');
  const all = new Set(Array.from({ length: 253 }, (_, i) => `10.244.1.${i + 2}`));
  assert.equal(allocatePodIP('10.244.1.0/24', all), undefined);
  assert.equal(allocatePodIP('10.0.0.0/30', new Set()), '10.0.0.2');
  assert.equal(allocatePodIP('10.0.0.0/30', new Set(['10.0.0.2'])), undefined);
  assert.equal(podCIDRRange('10.244.1.0/24'), '10.244.1.1-10.244.1.254');
});

test('IPv6: addresses written as RFC 5952 text', () => {
  assert.equal(allocatePodIP('fd00:10:244:1::/64', new Set()), 'fd00:10:244:1::2');
  assert.equal(allocatePodIP('fd00:10:244:1::/64', new Set(['fd00:10:244:1::2'])), 'fd00:10:244:1::3');
  assert.equal(allocatePodIP('FD00:0010:0244:0001:0:0:0:0/64', new Set()), 'fd00:10:244:1::2');
  assert.equal(allocatePodIP('2001:db8:0:0:1:0:0:0/112', new Set()), '2001:db8::1:0:0:2', 'the longest zero run is the one compressed');
  assert.equal(podCIDRRange('fd00:10:244:1::/64'), 'fd00:10:244:1::1-fd00:10:244:1:ffff:ffff:ffff:ffff');
});

test('an unusable CIDR gives no address', () => {
  for (const cidr of [undefined, '', 'bogus', '10.0.0.0', '10.0.0.0/31', '10.0.0.0/33', '1::2::3/64', '300.0.0.0/24']) {
    assert.equal(allocatePodIP(cidr, new Set()), undefined, String(cidr));
  }
  assert.equal(podCIDRRange('bogus'), 'bogus');
});

test("the podCIDR is read as host-local reads it, with Go's net.ParseCIDR", () => {
  // No leading zeros in an IPv4 octet since Go 1.17 (the API server's sloppy reading takes them; host-local does not).
  assert.equal(allocatePodIP('010.244.1.0/24', new Set()), undefined);
  assert.equal(podCIDRAddresses('010.244.1.0/24'), 0);
  assert.equal(podCIDRRange('010.244.1.0/24'), '010.244.1.0/24');
  // The prefix length is read by dtoi, which takes leading zeros.
  assert.equal(allocatePodIP('10.244.1.0/024', new Set()), '10.244.1.2');
  // IPv6 with an embedded IPv4 address is IPv6 text like any other.
  assert.equal(allocatePodIP('64:ff9b::10.244.1.0/120', new Set()), '64:ff9b::af4:102');
  // A block whose network is IPv4-mapped IPv6 is unusable (host-local: IPNet IP and Mask version mismatch).
  assert.equal(allocatePodIP('::ffff:10.244.1.0/120', new Set()), undefined);
  assert.equal(allocatePodIP('fd00::1%eth0/64', new Set()), undefined);
  assert.equal(allocatePodIP('fd00:00010::/64', new Set()), undefined, 'at most four hex digits a group');
});

test('IPv4 addresses at the edges of their bytes and of the address space are written right', () => {
  assert.equal(allocatePodIP('10.244.0.0/23', new Set(Array.from({ length: 254 }, (_, i) => `10.244.0.${i + 2}`))), '10.244.1.0');
  assert.equal(allocatePodIP('255.255.255.0/24', new Set()), '255.255.255.2', 'no sign from the top bit');
  assert.equal(allocatePodIP('0.0.0.0/30', new Set()), '0.0.0.2');
  assert.equal(allocatePodIP('10.244.1.0/24', new Set()), '10.244.1.2');
  assert.equal(allocatePodIP('10.244.1.0/24', new Set(['10.244.1.2'])), '10.244.1.3', 'the CIDR is kept parsed, never the answer');
});

test('podCIDRAddresses counts exactly the addresses allocatePodIP gives out before the range is full', () => {
  for (const cidr of ['10.244.9.0/30', '10.244.1.0/29', '10.244.1.0/24', 'fd00::/126', 'fd00:10::/120']) {
    const inUse = new Set<string>();
    for (let ip = allocatePodIP(cidr, inUse); ip !== undefined; ip = allocatePodIP(cidr, inUse)) inUse.add(ip);
    assert.equal(podCIDRAddresses(cidr), inUse.size, cidr);
  }
  assert.equal(podCIDRAddresses('10.244.1.0/31'), 0, 'too small a block');
  assert.equal(podCIDRAddresses(undefined), 0);
  assert.equal(podCIDRAddresses('nonsense'), 0);
});

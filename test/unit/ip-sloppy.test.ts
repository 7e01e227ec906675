/** The legacy (non-strict) IP and CIDR parsing of field validation (Services' IPs), as ParseIPSloppy / ParseCIDRSloppy. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidCIDRSloppy, isValidIPSloppy } from '../../src/apimachinery/validation/ip.js';

describe('Service validation IP and CIDR parsing', () => {
  it('takes IPv4 with leading zeros and IPv6 without a zone', () => {
    for (const ip of ['10.0.0.1', '010.002.003.004', '::1', '2001:db8::7', '::ffff:1.2.3.4']) assert.ok(isValidIPSloppy(ip), ip);
    for (const ip of ['', '1.2.3', '256.0.0.1', '1.2.3.4.5', 'fe80::1%eth0', 'example.com', ' 1.2.3.4'])
      assert.ok(!isValidIPSloppy(ip), ip);
  });

  it('takes a CIDR with host bits set, and refuses a prefix beyond the family', () => {
    for (const c of ['10.0.0.0/8', '10.0.0.1/8', '0.0.0.0/0', '2001:db8::/64', '::/128', '10.0.0.0/08']) assert.ok(isValidCIDRSloppy(c), c);
    for (const c of ['10.0.0.0', '10.0.0.0/33', '2001:db8::/129', 'foo/8', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8']) {
      assert.ok(!isValidCIDRSloppy(c), c);
    }
  });
});

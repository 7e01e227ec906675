/**
 * --service-cluster-ip-range as kube-apiserver 1.33 completes and validates it (getServiceIPAndRanges,
 * ServiceIPRange, validateClusterIPFlags, validatePublicIPServiceClusterIPRangeIPFamilies), then
 * kubemock's single-stack limit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseServiceClusterIPRange } from '../../src/registry/service-cluster-ip-range.js';

const DEFAULT = '10.96.0.0/12';
const parse = (value: string) => parseServiceClusterIPRange(value, DEFAULT);
const range = (network: string, prefixLength: number) => {
  const n = network.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  return { range: { network: n, prefixLength, size: 2 ** (32 - prefixLength) } };
};

describe('parseServiceClusterIPRange', () => {
  it('reads each entry with ParseCIDRSloppy: leading zeros decimal, host bits cleared', () => {
    assert.deepEqual(parse('0010.96.0.0/12'), range('10.96.0.0', 12));
    assert.deepEqual(parse('010.096.5.1/016'), range('10.96.0.0', 16));
    assert.deepEqual(parse('172.20.0.0/16'), range('172.20.0.0', 16));
    // An IPv4-mapped address with a prefix of 96+ is an IPv4 network to net.IPNet (and 2^20 addresses fit).
    assert.deepEqual(parse('::ffff:10.96.0.0/108'), range('10.96.0.0', 12));
  });

  it('an empty value is the default range', () => {
    assert.deepEqual(parse(''), range('10.96.0.0', 12));
  });

  it('refuses what Complete refuses, with its words (no trimming: ParseCIDRSloppy takes the text as it is)', () => {
    for (const bad of ['10.96.0.0', ' 10.96.0.0/12', '10.96.0.0/12 ', '10.96.0.0/33', 'example.com/12', ',10.96.0.0/12']) {
      assert.deepEqual(parse(bad), { error: 'service-cluster-ip-range[0] is not a valid cidr' }, JSON.stringify(bad));
    }
    const tooSmall = {
      error: 'error determining service IP ranges for primary service cidr: the service cluster IP range must be at least 8 IP addresses',
    };
    assert.deepEqual(parse('10.0.0.0/30'), tooSmall);
    assert.deepEqual(parse('10.0.0.0/32'), tooSmall);
    // utilnet.RangeSize is 0 for a /0 or /1: too small before it is too large.
    assert.deepEqual(parse('0.0.0.0/0'), tooSmall);
    assert.deepEqual(parse('128.0.0.0/1'), tooSmall);
    assert.deepEqual(parse('10.96.0.0/12,'), { error: 'service-cluster-ip-range[1] is not an ip net' });
  });

  it("refuses what Validate refuses, all its errors at once as an aggregate's text", () => {
    assert.deepEqual(parse('10.0.0.0/11'), {
      error: 'specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12',
    });
    assert.deepEqual(parse('10.0.0.0/8,10.1.0.0/16'), {
      error:
        '[specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12, --service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family]',
    });
    assert.deepEqual(parse('10.96.0.0/12,fd00::/108,fd01::/108'), {
      error: '--service-cluster-ip-range must not contain more than two entries',
    });
    assert.deepEqual(parse('10.96.0.0/12,fd00::/100'), {
      error: 'specified --service-cluster-ip-range[1] is too large; for 128-bit addresses, the mask must be >= 108',
    });
    // The kubernetes Service's endpoints are 127.0.0.1 (the advertise address): the primary range must be IPv4.
    assert.deepEqual(parse('fd00:0::/108'), { error: 'service IP family "fd00::/108" must match public address family "127.0.0.1"' });
    assert.deepEqual(parse('fd00::/64'), {
      error:
        '[specified --service-cluster-ip-range is too large; for 128-bit addresses, the mask must be >= 108, service IP family "fd00::/64" must match public address family "127.0.0.1"]',
    });
  });

  it('refuses a valid dual-stack pair in its own words: kubemock serves single-stack IPv4', () => {
    const r = parse('10.96.0.0/12,fd00::/108');
    assert.ok('error' in r && /dual-stack/.test(r.error), JSON.stringify(r));
  });
});

/**
 * IP and CIDR checks of the legacy fields as apimachinery 1.33's ip.go makes them: what the legacy
 * (gate off) and strict (StrictIPCIDRValidation on) readings refuse and with which detail, the values
 * an update may keep, and the warnings for accepted values in a non-standard form. The cases are
 * upstream's ip_test.go tables, plus the corners of Go's old parser that kubemock must share.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { path } from '../../src/apimachinery/field-errors.js';
import {
  dualStackCIDRs,
  dualStackIPs,
  ipFamilyOf,
  validateCIDRForLegacyField,
  validateEndpointIP,
  validateIPForLegacyField,
} from '../../src/apimachinery/validation/ip.js';
import { cidrWarnings, ipWarnings } from '../../src/apimachinery/validation/ip-warnings.js';

const fld = path('spec', 'field');
const details = (errs: readonly { detail?: string }[]) => errs.map((e) => e.detail ?? '');

const BAD_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const BAD_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

describe('validateIPForLegacyField (IsValidIPForLegacyField)', () => {
  // [value, legacy detail, strict detail]; '' means accepted.
  const cases: [string, string, string][] = [
    ['1.2.3.4', '', ''],
    ['0.0.0.0', '', ''],
    ['255.255.255.255', '', ''],
    ['1234::abcd', '', ''],
    ['::', '', ''],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '', ''],
    // Not canonical, yet valid for a legacy field in both readings.
    ['0:0:0:0:0:0:0:0', '', ''],
    ['0001:002:03:4::', '', ''],
    ['1234::ABCD', '', ''],
    // Accepted by the legacy reading only.
    ['1.1.1.01', '', 'must not have leading 0s'],
    ['::ffff:1.1.1.1', '', 'must not be an IPv4-mapped IPv6 address'],
    // Go's old parser: any number of leading zeros, IPv6 groups of 5+ hex digits, leading zeros in an embedded IPv4.
    ['0000010.0.0.1', '', 'must not have leading 0s'],
    ['00001::', '', 'must not have leading 0s'],
    ['::ffff:010.1.1.1', '', 'must not have leading 0s'],
    ['::1.2.3.4', '', ''],
    // Refused by both.
    ['', BAD_IP, BAD_IP],
    ['aaaaaaa', BAD_IP, BAD_IP],
    ['myhost.mydomain', BAD_IP, BAD_IP],
    ['1.2.3.0/24', BAD_IP, BAD_IP],
    ['1.2.3.400', BAD_IP, BAD_IP],
    ['-1.0.0.0', BAD_IP, BAD_IP],
    ['2001:db8::10005', BAD_IP, BAD_IP],
    ['1.2.3.4:80', BAD_IP, BAD_IP],
    ['[2001:db8::1]', BAD_IP, BAD_IP],
    ['[2001:db8::1]:80', BAD_IP, BAD_IP],
    ['example.com:80', BAD_IP, BAD_IP],
    ['1234::abcd%eth0', BAD_IP, BAD_IP],
    ['169.254.0.0%eth0', BAD_IP, BAD_IP],
    ['1.2.3', BAD_IP, BAD_IP],
    ['1.2.3.4.5', BAD_IP, BAD_IP],
    [' 1.2.3.4', BAD_IP, BAD_IP],
    ['1::2::3', BAD_IP, BAD_IP],
    ['1:2:3:4:5:6:7:8::', BAD_IP, BAD_IP],
    ['1:2:3:4:5:6:7::8', BAD_IP, BAD_IP],
    ['1:2:3:4:5:6:7', BAD_IP, BAD_IP],
    ['1.2.3.4::', BAD_IP, BAD_IP],
    ['::1.2.3.4:5', BAD_IP, BAD_IP],
  ];
  for (const [value, legacy, strict] of cases) {
    it(JSON.stringify(value), () => {
      assert.deepEqual(details(validateIPForLegacyField(fld, value)), legacy ? [legacy] : [], 'legacy');
      assert.deepEqual(details(validateIPForLegacyField(fld, value, { strict: true })), strict ? [strict] : [], 'strict');
      assert.deepEqual(validateIPForLegacyField(fld, value, { strict: true, validOld: [value] }), [], 'kept from the old object');
    });
  }

  it('reports the field and the value as written', () => {
    assert.deepEqual(validateIPForLegacyField(fld, 'x'), [
      { type: 'FieldValueInvalid', field: 'spec.field', badValue: 'x', detail: BAD_IP },
    ]);
  });
});

describe('validateCIDRForLegacyField (IsValidCIDRForLegacyField)', () => {
  const cases: [string, string, string][] = [
    ['1.0.0.0/8', '', ''],
    ['0.0.0.0/0', '', ''],
    ['1.1.1.1/32', '', ''],
    ['2001:4860:4860::/48', '', ''],
    ['::/0', '', ''],
    ['::1/128', '', ''],
    ['2a00:79e0:2:0::/64', '', ''],
    ['2001:DB8::/64', '', ''],
    ['1.1.01.0/24', '', 'must not have leading 0s in IP or prefix length'],
    ['::ffff:1.1.1.0/24', '', 'must not have an IPv4-mapped IPv6 address'],
    ['::ffff:1.1.1.0/120', '', 'must not have an IPv4-mapped IPv6 address'],
    ['1.2.3.4/24', '', 'must not have bits set beyond the prefix length'],
    ['2001:db8::1/64', '', 'must not have bits set beyond the prefix length'],
    ['192.168.0.0/016', '', 'must not have leading 0s in IP or prefix length'],
    ['', BAD_CIDR, BAD_CIDR],
    ['aaaaaaa', BAD_CIDR, BAD_CIDR],
    ['1.2.3.4', BAD_CIDR, BAD_CIDR],
    ['192.168.0.1/healthz', BAD_CIDR, BAD_CIDR],
    ['192.168.0.1/0/99', BAD_CIDR, BAD_CIDR],
    ['192.168.0.0/-16', BAD_CIDR, BAD_CIDR],
    ['192.168.0.0/+16', BAD_CIDR, BAD_CIDR],
    ['10.0.0.0/33', BAD_CIDR, BAD_CIDR],
    ['2001:db8::/129', BAD_CIDR, BAD_CIDR],
    ['10.0.0.0/', BAD_CIDR, BAD_CIDR],
    ['fe80::/64%eth0', BAD_CIDR, BAD_CIDR],
  ];
  for (const [value, legacy, strict] of cases) {
    it(JSON.stringify(value), () => {
      assert.deepEqual(details(validateCIDRForLegacyField(fld, value)), legacy ? [legacy] : [], 'legacy');
      assert.deepEqual(details(validateCIDRForLegacyField(fld, value, { strict: true })), strict ? [strict] : [], 'strict');
      assert.deepEqual(validateCIDRForLegacyField(fld, value, { strict: true, validOld: [value] }), [], 'kept from the old object');
    });
  }
});

describe('ipWarnings (GetWarningsForIP)', () => {
  const at = path('spec').child('clusterIPs').index(0);
  const cases: [string, string[]][] = [
    ['192.12.2.2', []],
    ['2001:db8::2', []],
    [
      '192.012.2.2',
      [
        'spec.clusterIPs[0]: non-standard IP address "192.012.2.2" will be considered invalid in a future Kubernetes release: use "192.12.2.2"',
      ],
    ],
    [
      '::ffff:192.12.2.2',
      [
        'spec.clusterIPs[0]: non-standard IP address "::ffff:192.12.2.2" will be considered invalid in a future Kubernetes release: use "192.12.2.2"',
      ],
    ],
    ['2001:db8:0:0::2', ['spec.clusterIPs[0]: IPv6 address "2001:db8:0:0::2" should be in RFC 5952 canonical format ("2001:db8::2")']],
    ['2001:DB8::2', ['spec.clusterIPs[0]: IPv6 address "2001:DB8::2" should be in RFC 5952 canonical format ("2001:db8::2")']],
    ['1:0:0:2:0:0:0:3', ['spec.clusterIPs[0]: IPv6 address "1:0:0:2:0:0:0:3" should be in RFC 5952 canonical format ("1:0:0:2::3")']],
    ['1:0:0:2:0:0:3:4', ['spec.clusterIPs[0]: IPv6 address "1:0:0:2:0:0:3:4" should be in RFC 5952 canonical format ("1::2:0:0:3:4")']],
    ['::1.2.3.4', ['spec.clusterIPs[0]: IPv6 address "::1.2.3.4" should be in RFC 5952 canonical format ("::102:304")']],
    [
      '00002001:db8::2',
      [
        'spec.clusterIPs[0]: non-standard IP address "00002001:db8::2" will be considered invalid in a future Kubernetes release: use "2001:db8::2"',
      ],
    ],
    ['not-an-ip', []],
  ];
  for (const [value, want] of cases) it(JSON.stringify(value), () => assert.deepEqual(ipWarnings(at, value), want));
});

describe('cidrWarnings (GetWarningsForCIDR)', () => {
  const at = path('spec').child('loadBalancerSourceRanges').index(0);
  const p = 'spec.loadBalancerSourceRanges[0]';
  const cases: [string, string[]][] = [
    ['192.12.2.0/24', []],
    ['2001:db8::/64', []],
    [
      '192.012.2.0/24',
      [`${p}: non-standard CIDR value "192.012.2.0/24" will be considered invalid in a future Kubernetes release: use "192.12.2.0/24"`],
    ],
    [
      '192.12.2.0/024',
      [`${p}: non-standard CIDR value "192.12.2.0/024" will be considered invalid in a future Kubernetes release: use "192.12.2.0/24"`],
    ],
    [
      '::ffff:192.12.2.0/120',
      [
        `${p}: non-standard CIDR value "::ffff:192.12.2.0/120" will be considered invalid in a future Kubernetes release: use "192.12.2.0/24"`,
      ],
    ],
    ['192.12.2.8/24', [`${p}: CIDR value "192.12.2.8/24" is ambiguous in this context (should be "192.12.2.0/24" or "192.12.2.8/32"?)`]],
    [
      '192.012.2.8/24',
      [
        `${p}: CIDR value "192.012.2.8/24" is ambiguous in this context (should be "192.12.2.0/24" or "192.12.2.8/32"?)`,
        `${p}: non-standard CIDR value "192.012.2.8/24" will be considered invalid in a future Kubernetes release: use "192.12.2.0/24"`,
      ],
    ],
    ['2001:db8:0:0::/64', [`${p}: IPv6 CIDR value "2001:db8:0:0::/64" should be in RFC 5952 canonical format ("2001:db8::/64")`]],
    [
      '2001:db8::1/64',
      [`${p}: CIDR value "2001:db8::1/64" is ambiguous in this context (should be "2001:db8::/64" or "2001:db8::1/128"?)`],
    ],
    // An IPv4-mapped address under a short prefix: Go's network is IPv6, its single address IPv4 with 128 bits.
    [
      '::ffff:1.1.1.0/24',
      [
        `${p}: CIDR value "::ffff:1.1.1.0/24" is ambiguous in this context (should be "::/24" or "1.1.1.0/128"?)`,
        `${p}: non-standard CIDR value "::ffff:1.1.1.0/24" will be considered invalid in a future Kubernetes release: use "::/24"`,
      ],
    ],
    [' 10.0.0.0/8', []],
  ];
  for (const [value, want] of cases) it(JSON.stringify(value), () => assert.deepEqual(cidrWarnings(at, value), want));
});

describe('families, dual stack and endpoint addresses', () => {
  it('counts an IPv4-mapped address as IPv4, as net.IP.To4 does', () => {
    assert.equal(ipFamilyOf('10.0.0.1'), 4);
    assert.equal(ipFamilyOf('010.0.0.1'), 4);
    assert.equal(ipFamilyOf('::ffff:10.0.0.1'), 4);
    assert.equal(ipFamilyOf('fd00::1'), 6);
    assert.equal(ipFamilyOf('fd00::1%eth0'), undefined);
  });

  it("gives IsDualStackIPStrings' and IsDualStackCIDRStrings' answers and error texts", () => {
    assert.deepEqual(dualStackIPs(['10.0.0.1', 'fd00::1']), { dual: true });
    assert.deepEqual(dualStackIPs(['10.0.0.1', '::ffff:10.0.0.2']), { dual: false });
    assert.deepEqual(dualStackIPs(['10.0.0.1', 'bogus']), { dual: false, error: 'invalid IP[1]: bogus' });
    assert.deepEqual(dualStackCIDRs(['10.0.0.0/8', 'fd00::/64']), { dual: true });
    assert.deepEqual(dualStackCIDRs(['x', 'fd00::/64']), { dual: false, error: 'invalid CIDR[0]: <nil> (invalid CIDR address: x)' });
  });

  it('judges a written-sloppily endpoint address by the address it stands for, and reports it as written', () => {
    assert.deepEqual(details(validateEndpointIP(fld, '010.1.2.3')), []);
    assert.deepEqual(details(validateEndpointIP(fld, '000.0.0.0')), ['may not be unspecified (000.0.0.0)']);
    assert.deepEqual(details(validateEndpointIP(fld, '127.000.0.1')), ['may not be in the loopback range (127.0.0.0/8, ::1/128)']);
    assert.deepEqual(details(validateEndpointIP(fld, '::ffff:169.254.1.1')), [
      'may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ]);
    assert.deepEqual(details(validateEndpointIP(fld, '0:0:0:0:0:0:0:1')), ['may not be in the loopback range (127.0.0.0/8, ::1/128)']);
    assert.deepEqual(details(validateEndpointIP(fld, 'ff12::1')), [
      'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ]);
    assert.deepEqual(details(validateEndpointIP(fld, '224.0.0.9')), [
      'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ]);
    assert.deepEqual(details(validateEndpointIP(fld, '::')), ['may not be unspecified (::)']);
    assert.deepEqual(details(validateEndpointIP(fld, '127.0.0.1', true)), []);
    assert.deepEqual(details(validateEndpointIP(fld, 'fe80::1%eth0')), ['must be a valid IP address']);
  });
});

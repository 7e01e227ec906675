/**
 * The three upstream readings of IP text over one reader (src/apimachinery/ip): Go 1.16's sloppy
 * ParseIP / ParseCIDR (k8s.io/utils/net), today's strict net.ParseIP / ParseCIDR, and net/netip's
 * ParseAddr / ParsePrefix with their error texts; and the one writer (net.IP.String, netip's String).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { networkOf } from '../../src/apimachinery/ip/cidr.js';
import { formatAddr, formatIP, formatNetwork } from '../../src/apimachinery/ip/format.js';
import { parseAddr, parsePrefix } from '../../src/apimachinery/ip/netip.js';
import { IP_INVALID, IP_NON_STRICT, IP_V6_TEXT } from '../../src/apimachinery/ip/read-address.js';
import { parseCIDRSloppy, parseIPSloppy } from '../../src/apimachinery/ip/sloppy.js';
import { parseCIDR, parseIP } from '../../src/apimachinery/ip/strict.js';

const sloppy = (text: string) => {
  const out = new Uint8Array(16);
  const flags = parseIPSloppy(text, out);
  return flags === IP_INVALID ? undefined : { text: formatIP(out), flags };
};
const strict = (text: string) => {
  const out = new Uint8Array(16);
  return parseIP(text, out) === IP_INVALID ? undefined : formatIP(out);
};
const netip = (text: string) => {
  const r = parseAddr(text);
  return 'error' in r ? r.error : formatAddr(r.ok.bytes, r.ok.is4, r.ok.zone);
};

describe('sloppy, strict and netip reading of addresses', () => {
  it('leading zeros in an IPv4 octet: decimal to the sloppy reader, refused by the strict ones', () => {
    assert.deepEqual(sloppy('010.001.0.0255'), { text: '10.1.0.255', flags: IP_NON_STRICT });
    assert.equal(strict('010.1.2.3'), undefined);
    assert.equal(netip('010.1.2.3'), 'ParseAddr("010.1.2.3"): IPv4 field has octet with leading zero');
    assert.equal(strict('10.0.0.0'), '10.0.0.0', 'a lone 0 is no leading zero');
  });

  it('an IPv6 group of five or more hex digits: sloppy only', () => {
    assert.deepEqual(sloppy('2001:db8::00001'), { text: '2001:db8::1', flags: IP_V6_TEXT | IP_NON_STRICT });
    assert.equal(strict('2001:db8::00001'), undefined);
    assert.equal(netip('2001:db8::00001'), 'ParseAddr("2001:db8::00001"): each group must have 4 or less digits (at "00001")');
    assert.equal(sloppy('::10000'), undefined, 'a group is still at most 0xffff');
  });

  it('IPv4-mapped IPv6: net.IP writes it dotted, netip keeps the ::ffff: prefix', () => {
    assert.deepEqual(sloppy('::FFFF:1.2.3.4'), { text: '1.2.3.4', flags: IP_V6_TEXT });
    assert.equal(strict('::ffff:1.2.3.4'), '1.2.3.4');
    assert.equal(netip('::ffff:1.2.3.4'), '::ffff:1.2.3.4');
    assert.equal(
      netip('::ffff:01.2.3.4'),
      'ParseAddr("::ffff:01.2.3.4"): ParseAddr("01.2.3.4"): IPv4 field has octet with leading zero (at "01.2.3.4")',
    );
  });

  it('a zone: netip only, and never in a prefix', () => {
    assert.equal(sloppy('fe80::1%eth0'), undefined);
    assert.equal(strict('fe80::1%eth0'), undefined);
    assert.equal(netip('fe80::1%eth0'), 'fe80::1%eth0');
    assert.equal(netip('fe80::1%'), 'ParseAddr("fe80::1%"): zone must be a non-empty string');
    assert.equal(netip('%eth0'), 'ParseAddr("%eth0"): missing IPv6 address');
    assert.equal(netip('1.2.3.4%eth0'), 'ParseAddr("1.2.3.4%eth0"): unexpected character (at "%eth0")');
    const prefix = parsePrefix('fe80::1%eth0/64');
    assert.deepEqual(prefix, { error: 'netip.ParsePrefix("fe80::1%eth0/64"): IPv6 zones cannot be present in a prefix' });
  });

  it("netip's error texts, in its order of checks", () => {
    const cases: [string, string][] = [
      ['', 'unable to parse IP'],
      ['1.2.3', 'IPv4 address too short'],
      ['1.2.3.4.5', 'IPv4 address too long'],
      ['1..2.3', 'IPv4 field must have at least one digit (at ".2.3")'],
      ['1.2.3.256', 'IPv4 field has value >255'],
      ['1:2', 'address string too short'],
      ['1::2::3', 'multiple :: in address (at ":3")'],
      ['1:2:3:4:5:6:7:8:9', 'trailing garbage after address (at "9")'],
      ['1:2:3:4:5:6:7::8', 'the :: must expand to at least one field of zeros'],
      ['1:', 'colon must be followed by more characters (at ":")'],
      ['::g', 'each colon-separated field must have at least one digit (at "g")'],
      ['1.2.3.4:5', 'unexpected character (at ":5")'],
      ['1:2:3:4:5:6:7:8.', 'embedded IPv4 address must replace the final 2 fields of the address (at "8.")'],
      ['1:2:3:4:5:6:7:1.2.3.4', 'embedded IPv4 address must replace the final 2 fields of the address (at "1.2.3.4")'],
      ['1::2:3:4:5:6:7:1.2.3.4', 'too many hex fields to fit an embedded IPv4 at the end of the address (at "1.2.3.4")'],
      ['1::2:3:4:5:6:1.2.3.4', 'the :: must expand to at least one field of zeros'],
    ];
    for (const [text, want] of cases) assert.equal(netip(text), `ParseAddr(${JSON.stringify(text)}): ${want}`, text);
    assert.equal(netip('1:2:3:4:5:6:1.2.3.4'), '1:2:3:4:5:6:102:304');
  });
});

describe('sloppy, strict and netip reading of CIDRs', () => {
  it('ParseCIDRSloppy takes leading zeros in the address; both Go readings take them in the prefix length', () => {
    const c = parseCIDRSloppy('0010.96.0.7/012')!;
    assert.equal(formatNetwork(c, networkOf(c)), '10.96.0.0/12');
    assert.equal(c.nonStrict, true);
    assert.equal(parseCIDR('0010.96.0.0/12'), undefined);
    const s = parseCIDR('10.96.0.0/012')!;
    assert.deepEqual([s.prefixLength, s.bits, s.nonStrict], [12, 32, true]);
    assert.deepEqual(parsePrefix('10.96.0.0/012'), { error: 'netip.ParsePrefix("10.96.0.0/012"): bad bits after slash: "012"' });
  });

  it('the family width bounds the prefix length; an IPv4-mapped address is IPv6 text', () => {
    assert.equal(parseCIDR('10.0.0.0/33'), undefined);
    const mapped = parseCIDR('::ffff:10.96.0.0/108')!;
    assert.deepEqual([mapped.bits, mapped.v6Text], [128, true]);
    assert.equal(formatNetwork(mapped, networkOf(mapped)), '10.96.0.0/12', 'net.IPNet.String of an IPv4 network');
    assert.deepEqual(parsePrefix('1.2.3.4/33'), { error: 'netip.ParsePrefix("1.2.3.4/33"): prefix length out of range' });
    assert.deepEqual(parsePrefix('1.2.3.4'), { error: `netip.ParsePrefix("1.2.3.4"): no '/'` });
    assert.deepEqual(parsePrefix('1.2.3.4/+8'), { error: 'netip.ParsePrefix("1.2.3.4/+8"): bad bits after slash: "+8"' });
    assert.deepEqual(parsePrefix('1.2.3.4/99999999999999999999'), {
      error: 'netip.ParsePrefix("1.2.3.4/99999999999999999999"): bad bits after slash: "99999999999999999999"',
    });
    assert.deepEqual(parsePrefix('1.2.3.4/999'), { error: 'netip.ParsePrefix("1.2.3.4/999"): prefix length out of range' });
    const p = parsePrefix('2001:DB8::1/64');
    assert.ok('ok' in p);
    assert.deepEqual([formatAddr(p.ok.addr.bytes, p.ok.addr.is4), p.ok.bits], ['2001:db8::1', 64]);
  });

  it('Go 1.16 reads the address to the first slash, netip to the last', () => {
    assert.equal(parseCIDRSloppy('1.2.3.4/8/8'), undefined);
    assert.deepEqual(parsePrefix('1.2.3.4/8/8'), {
      error: 'netip.ParsePrefix("1.2.3.4/8/8"): ParseAddr("1.2.3.4/8"): unexpected character (at "/8")',
    });
  });
});

describe('the one writer: RFC 5952', () => {
  it('compresses the first longest run of two or more zero groups, in lower case', () => {
    const cases: [string, string][] = [
      ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['0:0:0:0:0:0:0:0', '::'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['1:0:0:0:0:0:0:0', '1::'],
      ['::1.2.3.4', '::102:304'],
    ];
    for (const [text, want] of cases) assert.equal(strict(text), want, text);
  });
});

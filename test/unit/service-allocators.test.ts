import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIPv4, parseIPv4Cidr, parsePortRange, type Ipv4Cidr, type PortRange } from '../../src/apimachinery/ipv4.js';
import { allocateFromRanges, allocateIP, staticSubrangeSize, type IPResult } from '../../src/resources/services/ip-allocator.js';
import { PortAllocation, staticPortSubrangeSize } from '../../src/resources/services/port-allocator.js';

const cidr = (text: string): Ipv4Cidr => parseIPv4Cidr(text)!;
const ports = (text: string): PortRange => parsePortRange(text)!;
const ips = (...list: string[]) => new Set(list.map((ip) => parseIPv4(ip)!));
/** Every address of a.b.c.first … a.b.c.last. */
const block = (prefix: string, first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => `${prefix}.${first + i}`);
const first = () => 0;

describe('cluster IP allocator', () => {
  it('keeps a static low part of min(max(16, size/16), 256) addresses for requests', () => {
    const table: [string, number][] = [
      ['10.96.0.0/12', 256],
      ['10.0.0.0/20', 256],
      ['10.0.0.0/22', 64],
      ['10.0.0.0/24', 16],
      ['10.0.0.0/27', 16],
      ['10.0.0.0/28', 0],
    ];
    for (const [range, size] of table) assert.equal(staticSubrangeSize(cidr(range)), size, range);
  });

  const range = cidr('10.0.0.0/24');
  const table: { name: string; requested?: string; used?: string[]; dryRun?: boolean; want: IPResult }[] = [
    { name: 'a free requested address is honoured', requested: '10.0.0.5', want: { ip: '10.0.0.5' } },
    {
      name: 'a requested address in use is refused',
      requested: '10.0.0.5',
      used: ['10.0.0.5'],
      want: { error: 'provided IP is already allocated' },
    },
    {
      name: 'an address outside the CIDR does not match the range',
      requested: '10.0.1.5',
      want: { error: 'the provided network does not match the current range' },
    },
    {
      name: 'the network address is not in the valid range',
      requested: '10.0.0.0',
      want: { error: 'provided IP 10.0.0.0 is not in the valid range' },
    },
    { name: 'the broadcast address neither', requested: '10.0.0.255', want: { error: 'provided IP 10.0.0.255 is not in the valid range' } },
    { name: 'any address comes from above the static part', want: { ip: '10.0.0.17' } },
    { name: 'skipping addresses in use', used: ['10.0.0.17', '10.0.0.18'], want: { ip: '10.0.0.19' } },
    { name: 'the static part once the rest is full', used: block('10.0.0', 17, 254), want: { ip: '10.0.0.1' } },
    { name: 'range is full', used: block('10.0.0', 1, 254), want: { error: 'range is full' } },
    { name: 'a dry run checks the range only', requested: '10.0.0.5', used: ['10.0.0.5'], dryRun: true, want: { ip: '10.0.0.5' } },
    {
      name: 'a dry run refuses an address out of the CIDR as out of range',
      requested: '10.0.1.5',
      dryRun: true,
      want: { error: 'provided IP 10.0.1.5 is not in the valid range' },
    },
    { name: 'a dry run answers the network address for any', dryRun: true, want: { ip: '10.0.0.0' } },
  ];
  for (const c of table) {
    it(c.name, () => {
      const got = allocateIP({ range, used: ips(...(c.used ?? [])), requested: c.requested, dryRun: c.dryRun ?? false, random: first });
      assert.deepEqual(got, c.want);
    });
  }

  it('starts the scan at the random offset and wraps around the upper part', () => {
    const got = allocateIP({ range, used: ips('10.0.0.254'), dryRun: false, random: (n) => n - 1 });
    assert.deepEqual(got, { ip: '10.0.0.17' });
  });
});

describe('cluster IP allocator over several ServiceCIDRs (the MetaAllocator)', () => {
  const ranges = [cidr('10.0.0.0/28'), cidr('10.1.0.0/24'), cidr('10.1.0.0/16')];
  const table: { name: string; requested?: string; used?: string[]; ranges?: Ipv4Cidr[]; want: IPResult }[] = [
    { name: 'a request goes to the range holding it', requested: '10.1.0.9', want: { ip: '10.1.0.9' } },
    {
      name: 'an address outside every range does not match',
      requested: '10.2.0.1',
      want: { error: 'the provided network does not match the current range' },
    },
    {
      name: 'a range where the address is usable wins over one where it is the broadcast',
      requested: '10.1.0.255',
      want: { ip: '10.1.0.255' },
    },
    {
      name: 'the broadcast of the only range holding it is not in the valid range',
      requested: '10.0.0.15',
      want: { error: 'provided IP 10.0.0.15 is not in the valid range' },
    },
    {
      name: 'an address taken is refused whichever range holds it',
      requested: '10.1.0.9',
      used: ['10.1.0.9'],
      want: { error: 'provided IP is already allocated' },
    },
    { name: 'any address comes from the first range with one free', want: { ip: '10.0.0.1' } },
    { name: 'the next range once the first is full', used: block('10.0.0', 1, 14), want: { ip: '10.1.0.17' } },
    {
      name: 'no range: a request does not match',
      ranges: [],
      requested: '10.0.0.1',
      want: { error: 'the provided network does not match the current range' },
    },
    { name: 'no range: nothing to hand out', ranges: [], want: { error: 'range is full' } },
  ];
  for (const c of table) {
    it(c.name, () => {
      const got = allocateFromRanges({
        ranges: c.ranges ?? ranges,
        used: ips(...(c.used ?? [])),
        requested: c.requested,
        dryRun: false,
        random: first,
      });
      assert.deepEqual(got, c.want);
    });
  }

  it('a dry run asks the first range only', () => {
    const dry = (requested?: string) => allocateFromRanges({ ranges, used: ips(), requested, dryRun: true, random: first });
    assert.deepEqual(dry('10.1.0.9'), { error: 'provided IP 10.1.0.9 is not in the valid range' });
    assert.deepEqual(dry(), { ip: '10.0.0.0' });
  });
});

describe('node port allocator', () => {
  it('keeps a static low part of min(max(16, size/32), 128) ports for requests', () => {
    const table: [string, number][] = [
      ['30000-32767', 86],
      ['30000-39999', 128],
      ['30000-30099', 16],
      ['30000-30016', 16],
      ['30000-30015', 0],
    ];
    for (const [range, size] of table) assert.equal(staticPortSubrangeSize(ports(range)), size, range);
  });

  const range = ports('30000-32767');
  it('honours a free request and refuses a port in use or out of range', () => {
    const op = new PortAllocation(range, new Set([30001]), false, first);
    assert.equal(op.allocate(30000), undefined);
    assert.equal(op.allocate(30001), 'provided port is already allocated');
    assert.equal(op.allocate(30000), 'provided port is already allocated', 'taken by this same write');
    assert.equal(op.allocate(29999), 'provided port is not in the valid range. The range of valid ports is 30000-32767');
    assert.equal(op.allocate(32768), 'provided port is not in the valid range. The range of valid ports is 30000-32767');
  });

  it('allocates from above the static part, then from it, then reports a full range', () => {
    const small = ports('30000-30019'); // 20 ports: 16 static, 4 dynamic
    const op = new PortAllocation(small, new Set([30017]), false, first);
    assert.deepEqual([op.allocateNext(), op.allocateNext(), op.allocateNext()], [30016, 30018, 30019]);
    assert.equal(op.allocateNext(), 30000);
    const full = new PortAllocation(small, new Set(Array.from({ length: 20 }, (_, i) => 30000 + i)), false, first);
    assert.equal(full.allocateNext(), 'range is full');
  });

  it('starts a dynamic allocation at the default range’s first dynamic port with a zero random offset', () => {
    assert.equal(new PortAllocation(range, new Set(), false, first).allocateNext(), 30086);
  });

  it('on a dry run checks requests against ports in use only and answers placeholders from 32769', () => {
    const op = new PortAllocation(range, new Set([30001]), true, first);
    assert.equal(op.allocate(30001), 'provided port is already allocated');
    assert.deepEqual([op.allocateNext(), op.allocateNext()], [32769, 32770]);
    const requested = new PortAllocation(range, new Set(), true, first);
    assert.equal(requested.allocate(80), undefined, 'the range is not checked');
    assert.equal(requested.allocateNext(), 81, 'the next placeholder follows the highest port taken');
  });
});

/**
 * The node port allocator, as kube-apiserver's (portallocator with its per-write operation), kept
 * pure: one PortAllocation per Service write, over the ports other Services hold. A request is
 * honoured or refused with upstream's error text; a dynamic allocation prefers the upper part of
 * the range (KEP-3668: the low part is left to requests). A dry run checks requests against the
 * ports in use but not the range, and answers placeholder ports from 32769 up, as upstream's does.
 */
import { formatPortRange, portRangeContains, type PortRange } from '../../apimachinery/ipv4.js';
import type { RandomInt } from './ip-allocator.js';

export const PORT_ALREADY_ALLOCATED = 'provided port is already allocated';
export const PORT_RANGE_FULL = 'range is full';

export const portNotInRange = (range: PortRange) =>
  `provided port is not in the valid range. The range of valid ports is ${formatPortRange(range)}`;

/** The size of the low, request-only part: min(max(16, size/32), 128), none for ranges of 16 or fewer. */
export function staticPortSubrangeSize(range: PortRange): number {
  if (range.size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(range.size / 32)), 128);
}

/** One write's node port allocations: what it takes counts as used for the rest of the write. */
export class PortAllocation {
  private readonly taken: number[] = [];

  constructor(
    private readonly range: PortRange,
    /** Ports held by other Services. */
    private readonly used: ReadonlySet<number>,
    private readonly dryRun: boolean,
    private readonly random: RandomInt,
  ) {}

  /** Reserves `port`; an error text when it cannot be. */
  allocate(port: number): string | undefined {
    if (this.dryRun) {
      if (this.used.has(port) || this.taken.includes(port)) return PORT_ALREADY_ALLOCATED;
      this.taken.push(port);
      return undefined;
    }
    if (!portRangeContains(this.range, port)) return portNotInRange(this.range);
    if (this.used.has(port) || this.taken.includes(port)) return PORT_ALREADY_ALLOCATED;
    this.taken.push(port);
    return undefined;
  }

  /** Any free port, or an error text when the range is full. */
  allocateNext(): number | string {
    if (this.dryRun) {
      const port = this.taken.length ? Math.max(...this.taken) + 1 : 32769;
      this.taken.push(port);
      return port;
    }
    const { base, size } = this.range;
    const split = base + staticPortSubrangeSize(this.range);
    const port = this.scan(split, base + size - 1) ?? this.scan(base, split - 1);
    if (port === undefined) return PORT_RANGE_FULL;
    this.taken.push(port);
    return port;
  }

  private scan(low: number, high: number): number | undefined {
    const count = high - low + 1;
    if (count <= 0) return undefined;
    const start = this.random(count);
    for (let i = 0; i < count; i++) {
      const port = low + ((start + i) % count);
      if (!this.used.has(port) && !this.taken.includes(port)) return port;
    }
    return undefined;
  }
}

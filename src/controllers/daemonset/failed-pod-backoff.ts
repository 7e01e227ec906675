/** Back-off for replacing failed daemon pods: 1 s, doubling per failure, at most 15 min. */
import type { Clock } from '../../apimachinery/clock.js';

const INITIAL_MS = 1000;
const MAX_MS = 15 * 60 * 1000;

export class FailedPodBackoff {
  private readonly entries = new Map<string, { delayMs: number; until: number }>();

  constructor(private readonly clock: Clock) {}

  /** 0 when a replacement may go ahead now (and starts the next back-off); else the wait in ms. */
  check(key: string): number {
    const now = this.clock.now();
    const entry = this.entries.get(key);
    if (entry && entry.until > now) return entry.until - now;
    const delayMs = entry ? Math.min(MAX_MS, entry.delayMs * 2) : INITIAL_MS;
    this.entries.set(key, { delayMs, until: now + delayMs });
    return 0;
  }
}

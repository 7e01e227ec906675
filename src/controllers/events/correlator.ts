/**
 * What client-go's EventCorrelator decides before an event reaches the API server, with its
 * default settings: similar events (same source, object, type and reason; another message) are
 * combined after ten within ten minutes, an identical event bumps the count of the one already
 * written, and a source may burst 25 events about one object, then one every five minutes.
 * Pure: the time comes in; the recorder does the writing.
 */
import { LRUCache } from 'lru-cache';

const CACHE_ENTRIES = 4096;
const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_REFILL_PER_MS = 1 / 300_000;
export const COMBINED_PREFIX = '(combined from similar events): ';

export interface EventDraft {
  source: { component: string; host?: string };
  involved: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; fieldPath?: string };
  type: string;
  reason: string;
  message: string;
  /** Empty on a combined event, as upstream's aggregate copy leaves them. */
  reportingComponent: string;
  reportingInstance: string;
}

export type Correlation =
  | { skip: true }
  | {
      skip: false;
      event: EventDraft;
      /** The key the written event is remembered by (see `written`). */
      key: string;
      /** How many times this event has happened (dropped ones included). */
      count: number;
      /** The event already written for it, to bump instead of writing a new one. */
      existing?: { name: string; namespace: string; firstTimestamp: string };
    };

interface Observation {
  count: number;
  name?: string;
  namespace?: string;
  firstTimestamp?: string;
}

/** Source and involved object (upstream's spam key; the other keys extend it). */
function sourceObjectKey({ source: s, involved: o }: EventDraft): string {
  return `${s.component}${s.host ?? ''}${o.kind ?? ''}${o.namespace ?? ''}${o.name ?? ''}${o.uid ?? ''}${o.apiVersion ?? ''}`;
}

export class EventCorrelator {
  private readonly aggregates = new LRUCache<string, { messages: Set<string>; last: number }>({ max: CACHE_ENTRIES });
  private readonly observed = new LRUCache<string, Observation>({ max: CACHE_ENTRIES });
  private readonly buckets = new LRUCache<string, { tokens: number; at: number }>({ max: CACHE_ENTRIES });

  correlate(draft: EventDraft, now: number): Correlation {
    const objectKey = sourceObjectKey(draft);
    const { event, key } = this.aggregate(draft, objectKey, now);
    const last = this.observed.get(key);
    const count = (last?.count ?? 0) + 1;
    // Counted even when the spam filter then drops it, as upstream's logger does.
    this.observed.set(key, { ...last, count });
    if (!this.accept(objectKey, now)) return { skip: true };
    const existing = last?.name ? { name: last.name, namespace: last.namespace!, firstTimestamp: last.firstTimestamp! } : undefined;
    return { skip: false, event, key, count, existing };
  }

  /** The event under `key` is now this one on the server (created, or bumped to `count`). */
  written(key: string, name: string, namespace: string, count: number, firstTimestamp: string): void {
    this.observed.set(key, { count, name, namespace, firstTimestamp });
  }

  /** The event under `key` is gone from the server: the next one is written afresh. */
  forget(key: string): void {
    this.observed.delete(key);
  }

  private aggregate(draft: EventDraft, objectKey: string, now: number): { event: EventDraft; key: string } {
    const o = draft.involved;
    const eventKey = `${objectKey}${o.fieldPath ?? ''}${draft.type}${draft.reason}${draft.message}`;
    const aggregateKey = `${objectKey}${draft.type}${draft.reason}${draft.reportingComponent}${draft.reportingInstance}`;
    // A get makes the entry the most recently used: only a new record needs a set.
    let record = this.aggregates.get(aggregateKey);
    if (!record || now - record.last > AGGREGATE_INTERVAL_MS)
      this.aggregates.set(aggregateKey, (record = { messages: new Set(), last: now }));
    record.messages.add(draft.message);
    record.last = now;
    if (record.messages.size < AGGREGATE_MAX_EVENTS) return { event: draft, key: eventKey };
    // Keep the set below the limit, so every further distinct message is combined too.
    record.messages.delete(record.messages.values().next().value!);
    return {
      event: { ...draft, message: COMBINED_PREFIX + draft.message, reportingComponent: '', reportingInstance: '' },
      key: aggregateKey,
    };
  }

  /** A token bucket per source and object: 25 at once, then one per five minutes. */
  private accept(objectKey: string, now: number): boolean {
    let bucket = this.buckets.get(objectKey);
    if (!bucket) this.buckets.set(objectKey, (bucket = { tokens: SPAM_BURST, at: now }));
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + Math.max(0, now - bucket.at) * SPAM_REFILL_PER_MS);
    bucket.at = now;
    const ok = bucket.tokens >= 1;
    if (ok) bucket.tokens -= 1;
    return ok;
  }
}

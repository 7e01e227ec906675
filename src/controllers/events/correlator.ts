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

/** What `correlate` hands back for `written` and `forget`: the remembered event's place. */
export interface CorrelationKey {
  readonly record: SourceObjectRecord;
  readonly key: string;
}

export type Correlation =
  | { skip: true }
  | {
      skip: false;
      event: EventDraft;
      /** Where the written event is remembered (see `written`). */
      key: CorrelationKey;
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

interface Aggregate {
  /** The distinct messages, oldest first (fewer than AGGREGATE_MAX_EVENTS). */
  messages: string[];
  last: number;
}

/**
 * All that is remembered of one source's events about one object. Upstream's three caches (spam
 * filter, aggregator, logger) are keyed by source and object first, then by more of the event;
 * here that first part is looked up once and the rest are small maps of the record.
 */
interface SourceObjectRecord {
  /** The spam filter's token bucket. */
  tokens: number;
  at: number;
  /** Similar events (type, reason, reporter) and the messages seen among them. */
  aggregates: Map<string, Aggregate>;
  /** Identical events (or a combined group) and the Event written for them. */
  observed: Map<string, Observation>;
}

/** Source and involved object (upstream's spam key; the other keys extend it). */
function sourceObjectKey({ source: s, involved: o }: EventDraft): string {
  return flatKey([s.component, s.host ?? '', o.kind ?? '', o.namespace ?? '', o.name ?? '', o.uid ?? '', o.apiVersion ?? '']);
}

/**
 * The parts joined by NUL into one flat string. The keys are kept for as long as their entries: a
 * template literal of many parts is a rope of as many string pieces (V8 joins them lazily), each
 * a heap object the collector copies and marks; a join writes one string.
 */
function flatKey(parts: string[]): string {
  return parts.join('\0');
}

/** Sets `key` in a record's map, the oldest entry giving way past the cache's size (one object with endless distinct events). */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > CACHE_ENTRIES) map.delete(map.keys().next().value!);
}

export class EventCorrelator {
  private readonly records = new LRUCache<string, SourceObjectRecord>({ max: CACHE_ENTRIES });

  correlate(draft: EventDraft, now: number): Correlation {
    const objectKey = sourceObjectKey(draft);
    let record = this.records.get(objectKey);
    if (!record) this.records.set(objectKey, (record = { tokens: SPAM_BURST, at: now, aggregates: new Map(), observed: new Map() }));
    const { event, key } = aggregate(record, draft, now);
    const last = record.observed.get(key);
    const count = (last?.count ?? 0) + 1;
    // Counted even when the spam filter then drops it, as upstream's logger does.
    remember(record.observed, key, { ...last, count });
    if (!accept(record, now)) return { skip: true };
    const existing = last?.name ? { name: last.name, namespace: last.namespace!, firstTimestamp: last.firstTimestamp! } : undefined;
    return { skip: false, event, key: { record, key }, count, existing };
  }

  /** The event under `key` is now this one on the server (created, or bumped to `count`). */
  written({ record, key }: CorrelationKey, name: string, namespace: string, count: number, firstTimestamp: string): void {
    remember(record.observed, key, { count, name, namespace, firstTimestamp });
  }

  /** The event under `key` is gone from the server: the next one is written afresh. */
  forget({ record, key }: CorrelationKey): void {
    record.observed.delete(key);
  }
}

/** Similar events: the tenth distinct message within ten minutes turns them into one combined event. */
function aggregate(record: SourceObjectRecord, draft: EventDraft, now: number): { event: EventDraft; key: string } {
  // Both kinds of key name entries of `observed` (an event, or a combined group): their first letters keep them apart.
  const eventKey = flatKey(['e' + (draft.involved.fieldPath ?? ''), draft.type, draft.reason, draft.message]);
  const aggregateKey = flatKey(['a' + draft.type, draft.reason, draft.reportingComponent, draft.reportingInstance]);
  let group = record.aggregates.get(aggregateKey);
  if (!group || now - group.last > AGGREGATE_INTERVAL_MS) remember(record.aggregates, aggregateKey, (group = { messages: [], last: now }));
  if (!group.messages.includes(draft.message)) group.messages.push(draft.message);
  group.last = now;
  if (group.messages.length < AGGREGATE_MAX_EVENTS) return { event: draft, key: eventKey };
  // Keep the list below the limit, so every further distinct message is combined too.
  group.messages.shift();
  return {
    event: { ...draft, message: COMBINED_PREFIX + draft.message, reportingComponent: '', reportingInstance: '' },
    key: aggregateKey,
  };
}

/** The source's token bucket for the object: 25 at once, then one per five minutes. */
function accept(record: SourceObjectRecord, now: number): boolean {
  record.tokens = Math.min(SPAM_BURST, record.tokens + Math.max(0, now - record.at) * SPAM_REFILL_PER_MS);
  record.at = now;
  const ok = record.tokens >= 1;
  if (ok) record.tokens -= 1;
  return ok;
}

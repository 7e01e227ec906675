/**
 * Writes core/v1 Events about objects, as client-go's recorder does: name `<object>.<hex nanos>`,
 * identical events (same object, type, reason, message, source) merged by bumping count.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { rfc3339 } from '../../apimachinery/object.js';
import type { Clock } from '../../apimachinery/clock.js';
import type { Registry } from '../../registry/registry.js';
import { StatusError } from '../../apimachinery/status.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

interface Aggregate {
  name: string;
  namespace: string;
}

export class EventRecorder {
  private readonly seen = new Map<string, Aggregate>();
  private lastNanos = 0n;

  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
  ) {}

  record(source: EventSource, involved: KubeObject, type: EventType, reason: string, message: string): void {
    const ns = involved.metadata.namespace || 'default';
    const aggKey = [involved.metadata.uid, type, reason, message, source.component, source.host ?? ''].join('\u0000');
    const store = this.registry.store('events');
    const now = rfc3339(this.clock.now());
    const existing = this.seen.get(aggKey);
    if (existing) {
      try {
        store.patch(existing.namespace, existing.name, (ev) => ({ ...ev, count: Number(ev.count ?? 1) + 1, lastTimestamp: now }));
        return;
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
        this.seen.delete(aggKey);
      }
    }
    const name = `${involved.metadata.name}.${this.nextNanos().toString(16)}`;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason,
      message,
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    try {
      store.create(event);
      this.seen.set(aggKey, { name, namespace: ns });
      if (this.seen.size > 10_000) this.seen.delete(this.seen.keys().next().value!);
    } catch (e) {
      // An event about an object in a namespace being deleted is dropped, as upstream does.
      if (!(e instanceof StatusError && (e.code === 403 || e.code === 404))) throw e;
    }
  }

  /** Strictly increasing nanoseconds, so two events in one millisecond get distinct names. */
  private nextNanos(): bigint {
    const n = BigInt(this.clock.now()) * 1_000_000n;
    this.lastNanos = n > this.lastNanos ? n : this.lastNanos + 1n;
    return this.lastNanos;
  }
}

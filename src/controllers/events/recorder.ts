/**
 * Writes core/v1 Events about objects, as client-go's recorder does: name `<object>.<hex nanos>`,
 * and what its EventCorrelator decides (identical events bump the count, similar ones are
 * combined, a source's burst about one object is limited).
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { rfc3339 } from '../../apimachinery/object.js';
import type { Clock } from '../../apimachinery/clock.js';
import type { Registry } from '../../registry/registry.js';
import { API_SERVER_FIELD_MANAGER } from '../../registry/field-ownership.js';
import { EventCorrelator, type EventDraft } from './correlator.js';
import { EventsV1Recorder } from './events-v1-recorder.js';
import { objectReference } from './object-reference.js';
import { rejectedByServer } from './rejected-write.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

/**
 * The field manager of a component's Event writes: its client's program name, as upstream records
 * it (the kubelet's and kube-scheduler's own; the controllers' is kube-controller-manager's, the
 * registry's default).
 */
const FIELD_MANAGERS: Record<string, string> = {
  kubelet: 'kubelet',
  'default-scheduler': 'kube-scheduler',
  // kube-apiserver's own controllers write through its loopback client.
  'ipallocator-repair-controller': API_SERVER_FIELD_MANAGER,
  'kubernetes-service-cidr-controller': API_SERVER_FIELD_MANAGER,
};

export class EventRecorder {
  private readonly correlator = new EventCorrelator();
  private lastNanos = 0n;
  private readonly v1Recorders: EventsV1Recorder[] = [];

  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
  ) {}

  /**
   * Records an event about `involved`, or with `fieldPath` about a part of it (a pod's container,
   * as the kubelet's container references name it): identical events about two parts are two events.
   */
  record(source: EventSource, involved: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const ref = objectReference(involved, fieldPath);
    const nowMs = this.clock.now();
    const draft: EventDraft = {
      source,
      involved: ref,
      type,
      reason,
      message,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    const verdict = this.correlator.correlate(draft, nowMs);
    if (verdict.skip) return;
    const { event: e, key, count, existing } = verdict;
    const store = this.registry.store('events');
    const now = rfc3339(nowMs);
    const manager = FIELD_MANAGERS[source.component];
    const opts = manager ? { fieldManager: manager } : {};
    if (existing) {
      try {
        // Nothing waits for an event's write: it may join a batch (a lost race drops it, as upstream's recorder drops failed writes).
        this.registry.batched(() =>
          store.patch(existing.namespace, existing.name, (ev) => ({ ...ev, count, message: e.message, lastTimestamp: now }), opts),
        );
        this.correlator.written(key, existing.name, existing.namespace, count, existing.firstTimestamp);
        return;
      } catch (err) {
        if (!rejectedByServer(err)) throw err;
        // A gone event is written afresh; any other answer drops this one.
        if (err.code !== 404) return;
        this.correlator.forget(key);
      }
    }
    const ns = involved.metadata.namespace || 'default';
    const name = `${involved.metadata.name}.${this.nextNanos().toString(16)}`;
    // Built in the order the API server writes an Event (kind first): its canonical order copies nothing at the top.
    const event: KubeObject = {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name, namespace: ns },
      involvedObject: ref,
      reason,
      message: e.message,
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count,
      type,
      eventTime: null,
      reportingComponent: e.reportingComponent,
      reportingInstance: e.reportingInstance,
    };
    try {
      this.registry.batched(() => store.create(event, opts));
      this.correlator.written(key, name, ns, count, now);
    } catch (err) {
      if (!rejectedByServer(err)) throw err;
    }
  }

  /**
   * A recorder of events.k8s.io/v1 Events for a reporting controller (client-go's tools/events
   * NewRecorder), whose names are unique among this recorder's too.
   */
  newRecorder(reportingController: string): EventsV1Recorder {
    const recorder = new EventsV1Recorder(
      this.registry,
      this.clock,
      (name) => `${name}.${this.nextNanos().toString(16)}`,
      reportingController,
      FIELD_MANAGERS[reportingController],
    );
    this.v1Recorders.push(recorder);
    return recorder;
  }

  /** Stops the events.k8s.io recorders' series timers (the server is closing). */
  stop(): void {
    for (const r of this.v1Recorders) r.stop();
  }

  /** Strictly increasing nanoseconds, so two events in one millisecond get distinct names. */
  private nextNanos(): bigint {
    const n = BigInt(this.clock.now()) * 1_000_000n;
    this.lastNanos = n > this.lastNanos ? n : this.lastNanos + 1n;
    return this.lastNanos;
  }
}

/**
 * events.k8s.io/v1 Event: the newer shape of the same stored Events (client-go's tools/events
 * recorder writes it). Served by conversion from core/v1 Event (src/resources/events/events-v1.ts).
 */
import { Type } from '@sinclair/typebox';
import { field, gvk, int32, microTime, str, time } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { EventSourceSchema, ObjectReferenceSchema } from '../core-schemas/event.js';

export const EVENTS_V1 = 'io.k8s.api.events.v1';

export const EventSeriesSchema = Type.Object(
  {
    count: int32('Occurrences in the series up to the last heartbeat.'),
    lastObservedTime: microTime('When the last occurrence before the last heartbeat was seen.'),
  },
  { $id: `${EVENTS_V1}.EventSeries`, description: 'An event that keeps happening, reported as one object updated on heartbeats.' },
);

export const EventSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: field(ObjectMetaSchema, 'Standard object metadata.'),
    eventTime: microTime('When the event was first observed. Required.'),
    series: Type.Optional(field(EventSeriesSchema, 'The series this event stands for; unset for a single event.')),
    reportingController: Type.Optional(str('Controller that emitted the event, e.g. kubernetes.io/kubelet. Required for new events.')),
    reportingInstance: Type.Optional(
      str('Instance of that controller, e.g. kubelet-node-1. Required for new events; at most 128 characters.'),
    ),
    action: Type.Optional(
      str('What was done, or failed, about the regarding object; machine-readable. Required for new events; at most 128 characters.'),
    ),
    reason: Type.Optional(str('Why the action was taken. Required for new events; at most 128 characters.')),
    regarding: Type.Optional(field(ObjectReferenceSchema, 'The object the event is about, usually one the reporting controller manages.')),
    related: Type.Optional(field(ObjectReferenceSchema, 'A second object involved, e.g. one the regarding object created or deleted.')),
    note: Type.Optional(str('Human-readable description of what happened; at most 1 kB.')),
    type: Type.Optional(str('Normal or Warning; other types may be added. Required for new events.')),
    deprecatedSource: Type.Optional(field(EventSourceSchema, 'core/v1 Event.source, kept for compatibility.')),
    deprecatedFirstTimestamp: Type.Optional(time('core/v1 Event.firstTimestamp, kept for compatibility.')),
    deprecatedLastTimestamp: Type.Optional(time('core/v1 Event.lastTimestamp, kept for compatibility.')),
    deprecatedCount: Type.Optional(int32('core/v1 Event.count, kept for compatibility.')),
  },
  {
    $id: `${EVENTS_V1}.Event`,
    description: 'A report of something that happened in the cluster, usually a change of state. Best-effort and kept for a limited time.',
    ...gvk('events.k8s.io', 'v1', 'Event'),
  },
);

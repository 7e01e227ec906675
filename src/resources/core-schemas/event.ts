/** core/v1 Event and ObjectReference. */
import { Type } from '@sinclair/typebox';
import { atomicStruct, field, gvk, int32, microTime, str, time } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { CORE } from './container.js';

export const ObjectReferenceSchema = Type.Object(
  {
    kind: Type.Optional(str('Kind of the referent.')),
    namespace: Type.Optional(str('Namespace of the referent.')),
    name: Type.Optional(str('Name of the referent.')),
    uid: Type.Optional(str('UID of the referent.')),
    apiVersion: Type.Optional(str('API version of the referent.')),
    resourceVersion: Type.Optional(str('Resource version of the referent the reference was made to.')),
    fieldPath: Type.Optional(str('Part of the referent meant, e.g. "spec.containers{web}" for a container of a pod.')),
  },
  { $id: `${CORE}.ObjectReference`, description: 'Identifies any object, or a part of it.', ...atomicStruct },
);

export const EventSourceSchema = Type.Object(
  {
    component: Type.Optional(str('Component that emitted the event, e.g. kubelet.')),
    host: Type.Optional(str('Node on which the event was emitted.')),
  },
  { $id: `${CORE}.EventSource`, description: 'Who reported an event.' },
);

export const EventSeriesSchema = Type.Object(
  {
    count: Type.Optional(int32('Occurrences so far.')),
    lastObservedTime: Type.Optional(microTime('When the last occurrence was seen.')),
  },
  { $id: `${CORE}.EventSeries`, description: 'Aggregate of an event that keeps happening.' },
);

export const EventSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: field(ObjectMetaSchema, 'Standard object metadata.'),
    involvedObject: field(ObjectReferenceSchema, 'The object the event is about.'),
    reason: Type.Optional(str('Short, machine-readable reason, e.g. Scheduled or BackOff.')),
    message: Type.Optional(str('Human-readable description.')),
    source: Type.Optional(field(EventSourceSchema, 'Component and host that reported the event.')),
    firstTimestamp: Type.Optional(time('When the event was first recorded.')),
    lastTimestamp: Type.Optional(time('When the event was last recorded.')),
    count: Type.Optional(int32('Number of occurrences.')),
    type: Type.Optional(str('Normal or Warning.')),
    eventTime: Type.Optional(microTime('When the event was first observed, to the microsecond.')),
    series: Type.Optional(field(EventSeriesSchema, 'Series data when the event repeats; unset for a single event.')),
    action: Type.Optional(str('What was done, or failed, about the object.')),
    related: Type.Optional(field(ObjectReferenceSchema, 'A second object involved, if any.')),
    reportingComponent: Type.Optional(str('Controller that emitted the event, e.g. kubernetes.io/kubelet.')),
    reportingInstance: Type.Optional(str('Instance of that controller, e.g. kubelet-node1.')),
  },
  { $id: `${CORE}.Event`, description: 'A report of something that happened in the cluster.', ...gvk('', 'v1', 'Event') },
);

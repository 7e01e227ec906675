/** core/v1 Event: what controllers and the kubelet report about objects; also served as events.k8s.io/v1. */
import type { KubeObject } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import { EventSchema } from '../core-schemas/event.js';
import { validateEvent } from './validation.js';
import { table } from './table.js';
import { eventsV1 } from './events-v1.js';

interface Event extends KubeObject {
  involvedObject?: Record<string, string | undefined>;
  reason?: string;
  type?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

const PROTOBUF = 'k8s.io.api.core.v1.Event';
const INVOLVED = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

const events: ResourceDefinition<Event> = {
  group: '',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  schema: EventSchema,
  listSchema: listSchema(EventSchema, 'Event'),
  protobuf: PROTOBUF,
  table,
  fieldLabels: [...INVOLVED.map((f) => `involvedObject.${f}`), 'reason', 'reportingComponent', 'source', 'type'],
  selectableFields(ev) {
    const fields: Record<string, string> = {};
    for (const f of INVOLVED) fields[`involvedObject.${f}`] = ev.involvedObject?.[f] ?? '';
    fields.reason = ev.reason ?? '';
    fields.reportingComponent = ev.reportingComponent ?? '';
    // Events written through events.k8s.io have no source: their reporting controller stands in.
    fields.source = ev.source?.component || ev.reportingComponent || '';
    fields.type = ev.type ?? '';
    return fields;
  },
  // AllowCreateOnUpdate (true in pkg/registry/core/event/strategy.go, whose storage serves events.k8s.io/v1 too):
  // a PUT of a missing one creates it.
  allowCreateOnUpdate: true,
  // What Go writes of an unset field (`source: {}`, `eventTime: null`…) is written by the store's encoding (go-zeros.ts).
  strategy: {
    // ValidateEventCreate through core/v1: legacyValidateEvent alone, no ValidateObjectMeta (through
    // events.k8s.io/v1 it follows the legacy checks: events-v1.ts).
    ownObjectMetaOnCreate: true,
    validate: (ev) => validateEvent(ev),
    validateUpdate: (ev) => validateEvent(ev),
  },
  servedVersions: [eventsV1],
};

export default events;

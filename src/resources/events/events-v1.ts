/**
 * events.k8s.io/v1 Event as a served version of the stored core/v1 Event: the field mapping of
 * upstream's conversion (note ↔ message, regarding ↔ involvedObject, reportingController ↔
 * reportingComponent, deprecated* ↔ source / firstTimestamp / lastTimestamp / count), the field
 * labels that group accepts, and the strict validation of writes made through it
 * (ValidateEventCreate / ValidateEventUpdate with an events.k8s.io request version).
 */
import type { FieldError } from '../../apimachinery/field-errors.js';
import { immutable, invalidValue, path, required, type BadValue } from '../../apimachinery/field-errors.js';
import { deepEqual, type KubeObject } from '../../apimachinery/object.js';
import { goTimeString } from '../../apimachinery/go-format.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import type { ObjectMetaChecks, ServedVersion } from '../../registry/resource-definition.js';
import { EventSchema } from '../events-schemas/event.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, str } from '../../apimachinery/json-fields.js';
import { validateEvent } from './validation.js';
import { goQuote } from '../../apimachinery/go-quote.js';

type Event = KubeObject;

const INVOLVED = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

/** Go leaves empty strings, zero counts and zero times out (omitempty) or prints null for times. */
const set = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && v !== 0;

function assign(out: Obj, key: string, value: unknown): void {
  if (set(value)) out[key] = value;
}

/** An ObjectReference / EventSource without its empty fields (all omitempty in Go). */
function compact(v: unknown): Obj | undefined {
  const o = asObj(v);
  if (!o) return undefined;
  const out: Obj = {};
  for (const [k, x] of Object.entries(o)) assign(out, k, x);
  return Object.keys(out).length ? out : undefined;
}

/** Stored core/v1 Event → events.k8s.io/v1 Event, fields in upstream's order and Go's zero values. */
export function fromStorage(ev: Event): KubeObject {
  const e = ev as Obj;
  const out: Obj = {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: ev.metadata,
    eventTime: set(e.eventTime) ? e.eventTime : null,
  };
  const series = asObj(e.series);
  if (series)
    out.series = {
      count: typeof series.count === 'number' ? series.count : 0,
      lastObservedTime: set(series.lastObservedTime) ? series.lastObservedTime : null,
    };
  assign(out, 'reportingController', e.reportingComponent);
  assign(out, 'reportingInstance', e.reportingInstance);
  assign(out, 'action', e.action);
  assign(out, 'reason', e.reason);
  out.regarding = asObj(e.involvedObject) ?? {};
  if (asObj(e.related)) out.related = e.related;
  assign(out, 'note', e.message);
  assign(out, 'type', e.type);
  out.deprecatedSource = asObj(e.source) ?? {};
  out.deprecatedFirstTimestamp = set(e.firstTimestamp) ? e.firstTimestamp : null;
  out.deprecatedLastTimestamp = set(e.lastTimestamp) ? e.lastTimestamp : null;
  assign(out, 'deprecatedCount', e.count);
  return out as KubeObject;
}

/**
 * events.k8s.io/v1 Event → the stored core/v1 Event as upstream's encoder writes it: core/v1's field
 * order, empty omitempty fields left out, and the fields Go always writes present with their zeros
 * (`source: {}`, null times, empty reporting strings), so the store's canonical order finds it in
 * order and copies nothing.
 */
export function toStorage(obj: KubeObject): Event {
  const v = obj as Obj;
  const out: Obj = { kind: 'Event', apiVersion: 'v1', metadata: obj.metadata, involvedObject: compact(v.regarding) ?? {} };
  assign(out, 'reason', v.reason);
  assign(out, 'message', v.note);
  out.source = compact(v.deprecatedSource) ?? {};
  out.firstTimestamp = set(v.deprecatedFirstTimestamp) ? v.deprecatedFirstTimestamp : null;
  out.lastTimestamp = set(v.deprecatedLastTimestamp) ? v.deprecatedLastTimestamp : null;
  assign(out, 'count', v.deprecatedCount);
  assign(out, 'type', v.type);
  out.eventTime = set(v.eventTime) ? v.eventTime : null;
  const series = asObj(v.series);
  if (series) {
    const s: Obj = {};
    assign(s, 'count', series.count);
    assign(s, 'lastObservedTime', series.lastObservedTime);
    out.series = s;
  }
  assign(out, 'action', v.action);
  const related = compact(v.related);
  if (asObj(v.related)) out.related = related ?? {};
  out.reportingComponent = set(v.reportingController) ? v.reportingController : '';
  out.reportingInstance = set(v.reportingInstance) ? v.reportingInstance : '';
  return out as Event;
}

/** The field labels events.k8s.io/v1 accepts, as the stored kind's labels. */
export const fieldLabels: Record<string, string> = {
  ...Object.fromEntries(INVOLVED.map((f) => [`regarding.${f}`, `involvedObject.${f}`])),
  reason: 'reason',
  reportingController: 'reportingComponent',
  source: 'source',
  type: 'type',
  'metadata.namespace': 'metadata.namespace',
  'metadata.name': 'metadata.name',
};

/** validateV1EventSeries. */
function validateSeries(e: Obj): FieldError[] {
  const series = asObj(e.series);
  if (!series) return [];
  const errs: FieldError[] = [];
  if (!(typeof series.count === 'number' && series.count >= 2)) errs.push(invalidValue('series.count', '', 'should be at least 2'));
  if (!set(series.lastObservedTime)) errs.push(required('series.lastObservedTime'));
  return errs;
}

/** ValidateEventCreate for a request through events.k8s.io/v1: the legacy checks, then (strict) ValidateObjectMeta and the rest. */
export function validateCreate(ev: Event, meta: Pick<ObjectMetaChecks, 'create'>): FieldError[] {
  const e = ev as Obj;
  const errs = [...validateEvent(ev), ...meta.create(), ...validateSeries(e)];
  if (!set(e.eventTime)) errs.push(required(path('eventTime')));
  const type = str(e.type);
  if (type !== 'Normal' && type !== 'Warning') errs.push(invalidValue(path('type'), '', `has invalid value: ${type}`));
  if (set(e.firstTimestamp)) errs.push(invalidValue(path('firstTimestamp'), '', 'needs to be unset'));
  if (set(e.lastTimestamp)) errs.push(invalidValue(path('lastTimestamp'), '', 'needs to be unset'));
  if (set(e.count)) errs.push(invalidValue(path('count'), '', 'needs to be unset'));
  const source = asObj(e.source);
  if (set(source?.component) || set(source?.host)) errs.push(invalidValue(path('source'), '', 'needs to be unset'));
  return errs;
}

/** Go's %#v of an internal core.ObjectReference (a pointer for `related`). */
function goReference(v: unknown, pointer: boolean): BadValue {
  const o = asObj(v);
  if (!o && pointer) return { go: '(*core.ObjectReference)(nil)' };
  const fields = ['Kind', 'Namespace', 'Name', 'UID', 'APIVersion', 'ResourceVersion', 'FieldPath'].map(
    (f, i) => `${f}:${goQuote(str(o?.[INVOLVED[i]]))}`,
  );
  return { go: `${pointer ? '&' : ''}core.ObjectReference{${fields.join(', ')}}` };
}

function goSource(v: unknown): BadValue {
  const o = asObj(v);
  return { go: `core.EventSource{Component:${goQuote(str(o?.component))}, Host:${goQuote(str(o?.host))}}` };
}

const goTime = (v: unknown): BadValue => ({ go: goTimeString(v) });

const same = (a: unknown, b: unknown): boolean => deepEqual(a ?? '', b ?? '') || (!set(a) && !set(b));

/**
 * ValidateEventUpdate for a request through events.k8s.io/v1: the legacy checks, then (strict)
 * ValidateObjectMetaUpdate, and most fields are immutable. (Through core/v1 only the legacy checks run.)
 */
export function validateUpdate(ev: Event, old: Event, meta: ObjectMetaChecks): FieldError[] {
  const e = ev as Obj;
  const o = old as Obj;
  const errs = [...validateEvent(ev), ...meta.update()];
  if (!deepEqual(compact(e.series), compact(o.series))) errs.push(...validateSeries(e));
  const check = (key: string, label: string, shown: (v: unknown) => BadValue, normal: (v: unknown) => unknown = (x) => x) => {
    if (!same(normal(e[key]), normal(o[key]))) errs.push(immutable(path(label), shown(e[key])));
  };
  const text = (v: unknown): BadValue => str(v);
  const count = (v: unknown): BadValue => (typeof v === 'number' ? v : 0);
  check(
    'involvedObject',
    'involvedObject',
    (v) => goReference(v, false),
    (v) => compact(v) ?? {},
  );
  check('reason', 'reason', text);
  check('message', 'message', text);
  check('source', 'source', goSource, (v) => compact(v) ?? {});
  check('firstTimestamp', 'firstTimestamp', goTime);
  check('lastTimestamp', 'lastTimestamp', goTime);
  check('count', 'count', count);
  check('reason', 'reason', text);
  check('type', 'type', text);
  check('eventTime', 'eventTime', goTime);
  check('action', 'action', text);
  check(
    'related',
    'related',
    (v) => goReference(v, true),
    (v) => (asObj(v) ? (compact(v) ?? {}) : undefined),
  );
  check('reportingComponent', 'reportingController', text);
  check('reportingInstance', 'reportingInstance', text);
  return errs;
}

export const eventsV1: ServedVersion<Event> = {
  group: 'events.k8s.io',
  version: 'v1',
  schema: EventSchema,
  listSchema: listSchema(EventSchema, 'Event'),
  protobuf: 'k8s.io.api.events.v1.Event',
  fromStorage,
  toStorage,
  fieldLabels,
  validate: validateCreate,
  validateUpdate,
};

/**
 * `kubectl get events` columns: LAST SEEN TYPE REASON OBJECT MESSAGE; wide adds SUBOBJECT and SOURCE
 * (before MESSAGE) and FIRST SEEN, COUNT, NAME (after it).
 */
import { parseRfc3339, type KubeObject } from '../../apimachinery/object.js';
import { column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';

interface Event extends KubeObject {
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
}

export const columns = [
  column('Last Seen', 'How long ago the event was last observed.'),
  column('Type', 'Normal or Warning.'),
  column('Reason', 'Why the event happened, in one CamelCase word.'),
  column('Object', 'The object the event is about, as kind/name.'),
  column('Subobject', 'The part of the object the event is about (a container, for instance).', { priority: 1 }),
  column('Source', 'The component (and host) that reported the event.', { priority: 1 }),
  column('Message', 'What happened, for humans.'),
  column('First Seen', 'How long ago the event was first observed.', { priority: 1 }),
  column('Count', 'How many times the event was observed.', { priority: 1 }),
  nameColumn(1),
];

/** `component, host`, falling back to reportingController / reportingInstance; host left out when empty. */
export function eventSource(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export function cells(obj: KubeObject, now: number): unknown[] {
  const ev = obj as Event;
  const firstSeen = parseRfc3339(ev.firstTimestamp) === undefined ? since(ev.eventTime, now) : since(ev.firstTimestamp, now);
  let lastSeen = parseRfc3339(ev.lastTimestamp) === undefined ? firstSeen : since(ev.lastTimestamp, now);
  let count = typeof ev.count === 'number' ? ev.count : 0;
  if (ev.series) {
    lastSeen = since(ev.series.lastObservedTime, now);
    count = ev.series.count ?? 0;
  } else if (count === 0) count = 1;
  const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
  const name = ev.involvedObject?.name ?? '';
  return [
    lastSeen,
    ev.type ?? '',
    ev.reason ?? '',
    name ? `${kind}/${name}` : kind,
    ev.involvedObject?.fieldPath ?? '',
    eventSource(ev),
    (ev.message ?? '').trim(),
    firstSeen,
    count,
    ev.metadata.name ?? '',
  ];
}

export const table: TableConvertor = { columns, cells };

/**
 * meta.k8s.io/v1 Table: what `kubectl get` asks for (`Accept: application/json;as=Table;…`).
 * The server formats every cell (AGE included); kubectl only lays the cells out.
 */
import { parseRfc3339, type KubeObject, type ListMeta, type ObjectMeta } from './object.js';

export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type of the cells: string, integer, number, boolean, date. */
  type: string;
  /** `name` marks the column holding the object's name. */
  format: string;
  description: string;
  /** 0 = always shown; 1 = shown only with `-o wide`. */
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  /** PartialObjectMetadata, the full object, or null (per `includeObject`). */
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: ListMeta;
  /** null in watch events after the first one (the client keeps the columns it has). */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** How one kind prints: its columns and, for one object, the cells (all of them, wide included). */
export interface TableConvertor<T extends KubeObject = KubeObject> {
  columns: TableColumnDefinition[];
  cells(obj: T, now: number): unknown[];
  /** Informational row conditions (pods: Completed once Succeeded / Failed). */
  rowConditions?(obj: T): TableRowCondition[] | undefined;
}

/** A column definition with the defaults upstream leaves implicit (format "", priority 0). */
export function column(
  name: string,
  description: string,
  opts: { type?: string; format?: string; priority?: number } = {},
): TableColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

/** The NAME column every kind starts with (events put it last, with priority 1). */
export function nameColumn(priority = 0): TableColumnDefinition {
  return column('Name', 'The name of the object, unique within its namespace (or cluster for cluster-scoped kinds).', {
    format: 'name',
    priority,
  });
}

export const AGE_COLUMN: TableColumnDefinition = column('Age', 'How long ago the object was created.');

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * A short duration with 2–3 significant figures, as kubectl shows AGE: `59s`, `119s`, `2m30s`,
 * `179m`, `3h5m`, `47h`, `2d3h`, `400d`, `2y10d`, `9y`. Up to 1s in the future reads `0s`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** AGE-style cell: HumanDuration(now − t), `<unknown>` for a zero time. */
export function since(value: unknown, now: number): string {
  const t = parseRfc3339(value);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

/** labels.FormatLabels: `k=v` pairs sorted by key, `<none>` when there are none. */
export function formatLabels(labels: unknown): string {
  if (!labels || typeof labels !== 'object') return '<none>';
  const map = labels as Record<string, unknown>;
  const keys = Object.keys(map).sort();
  return keys.length ? keys.map((k) => `${k}=${String(map[k])}`).join(',') : '<none>';
}

/**
 * The object's metadata as meta.k8s.io/v1 PartialObjectMetadata (meta.AsPartialObjectMetadata:
 * every ObjectMeta field, managedFields included, also in a table row's `object`).
 */
export function partialObjectMetadata(
  obj: KubeObject,
  apiVersion = 'meta.k8s.io/v1',
): { kind: 'PartialObjectMetadata'; apiVersion: string; metadata: ObjectMeta } {
  const metadata: ObjectMeta = {};
  for (const [k, v] of Object.entries(obj.metadata ?? {})) if (v !== undefined) metadata[k] = v;
  return { kind: 'PartialObjectMetadata', apiVersion, metadata };
}

export type IncludeObject = 'Metadata' | 'Object' | 'None';

/** What a row carries as `object` for one source object. */
export function rowObject(obj: KubeObject, include: IncludeObject, apiVersion = 'meta.k8s.io/v1'): unknown {
  if (include === 'Object') return obj;
  if (include === 'None') return null;
  return partialObjectMetadata(obj, apiVersion);
}

/** One row per object, with the convertor's cells and row conditions. */
export function tableRow(
  convertor: TableConvertor,
  obj: KubeObject,
  now: number,
  include: IncludeObject,
  apiVersion = 'meta.k8s.io/v1',
): TableRow {
  const row: TableRow = { cells: convertor.cells(obj, now) };
  const conditions = convertor.rowConditions?.(obj);
  if (conditions?.length) row.conditions = conditions;
  row.object = rowObject(obj, include, apiVersion);
  return row;
}

/** A Table from columns (null to leave them out) and rows; list metadata as given, empty fields dropped. */
export function buildTable(
  columns: TableColumnDefinition[] | null,
  rows: TableRow[],
  listMeta: ListMeta = {},
  apiVersion = 'meta.k8s.io/v1',
): Table {
  const metadata: ListMeta = {};
  if (listMeta.resourceVersion) metadata.resourceVersion = listMeta.resourceVersion;
  if (listMeta.continue) metadata.continue = listMeta.continue;
  if (listMeta.remainingItemCount !== undefined && listMeta.remainingItemCount !== null)
    metadata.remainingItemCount = listMeta.remainingItemCount;
  return { kind: 'Table', apiVersion, metadata, columnDefinitions: columns, rows };
}

/** The Table of kinds with no printer of their own (upstream's default convertor): NAME and CREATED AT. */
export const defaultTableConvertor: TableConvertor = {
  columns: [nameColumn(), column('Created At', 'When the object was created.', { type: 'date' })],
  cells: (obj) => [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? null],
};

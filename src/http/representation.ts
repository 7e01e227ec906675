/**
 * How objects are written back to the client in the negotiated format: as stored (JSON), as
 * YAML, or as a meta.k8s.io Table (`kubectl get`). Handlers call these; they never format by hand.
 */
import type { KubeObject, ListMeta } from '../apimachinery/object.js';
import { badRequest } from '../apimachinery/status.js';
import { buildTable, defaultTableConvertor, tableRow, type IncludeObject, type TableConvertor } from '../apimachinery/table.js';
import { apiVersionOf } from '../registry/resource-definition.js';
import type { ListResult } from '../registry/paged-list.js';
import { sendJsonText, sendRaw } from './reply.js';
import type { HandlerContext } from './handlers/context.js';
import { stringifyGo } from '../apimachinery/go-json.js';
import { toServed, toServedJson } from './conversion.js';

interface TableRequest {
  convertor: TableConvertor;
  include: IncludeObject;
  apiVersion: string;
  now: () => number;
}

const INCLUDE_OBJECT = new Set(['', 'Metadata', 'Object', 'None']);

/** The Table settings of this request, or undefined when it did not ask for a Table. */
function tableRequest(c: HandlerContext): TableRequest | undefined {
  if (c.format.type !== 'table') return undefined;
  const include = c.query.includeObject ?? '';
  if (!INCLUDE_OBJECT.has(include)) {
    throw badRequest(
      `Unable to convert to Table as requested: includeObject: Invalid value: ${JSON.stringify(include)}: must be 'Metadata', 'Object', 'None', or empty`,
    );
  }
  const clock = c.registry.options.clock;
  return {
    convertor: (c.store.def.table as TableConvertor | undefined) ?? defaultTableConvertor,
    include: (include || 'Metadata') as IncludeObject,
    apiVersion: `meta.k8s.io/${c.format.version}`,
    now: () => clock.now(),
  };
}

function tableJson(t: TableRequest, objects: KubeObject[], meta: ListMeta, withColumns: boolean): string {
  const now = t.now();
  const rows = objects.map((obj) => tableRow(t.convertor, obj, now, t.include, t.apiVersion));
  return stringifyGo(buildTable(withColumns ? t.convertor.columns : null, rows, meta, t.apiVersion));
}

/** One stored object (its JSON) in the negotiated format and the requested group-version. */
export function renderObject(c: HandlerContext, code: number, json: string): void {
  const table = tableRequest(c);
  if (!table) {
    sendStored(c, code, json);
    return;
  }
  const obj = toServed(c.store.def, JSON.parse(json) as KubeObject);
  sendRaw(c.reply, code, tableJson(table, [obj], { resourceVersion: obj.metadata?.resourceVersion }, true));
}

/** The answer to a write: the stored object's JSON in the requested group-version (JSON or YAML). */
export function sendStored(c: HandlerContext, code: number, json: string): void {
  sendJsonText(c.reply, code, toServedJson(c.store.def, json), c.format);
}

function listMeta(result: ListResult): ListMeta {
  const meta: ListMeta = { resourceVersion: String(result.revision) };
  if (result.continueToken) meta.continue = result.continueToken;
  if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
  return meta;
}

export function renderList(c: HandlerContext, result: ListResult): void {
  const def = c.store.def;
  const meta = listMeta(result);
  const table = tableRequest(c);
  if (table) {
    sendRaw(c.reply, 200, tableJson(table, result.items.map((item) => toServed(def, item)), meta, true));
    return;
  }
  const head = `{"kind":${JSON.stringify(def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(def))},"metadata":${JSON.stringify(meta)},"items":[`;
  const items = def.conversion ? result.raw.map((json) => toServedJson(def, json)) : result.raw;
  sendJsonText(c.reply, 200, `${head}${items.join(',')}]}`, c.format);
}

/**
 * Returns a function that turns one watched (stored) object into the JSON of the event's `object`,
 * in the requested group-version. With a Table Accept each event carries a one-row Table; only the
 * first one has the column definitions (later ones say `null`, and kubectl keeps the columns it
 * has), as kube-apiserver does.
 */
export function watchObjectEncoder(c: HandlerContext): (object: KubeObject, json: string | undefined) => string {
  const table = tableRequest(c);
  const def = c.store.def;
  if (!table && def.conversion) return (object) => stringifyGo(toServed(def, object));
  if (!table) return (object, json) => json ?? stringifyGo(object);
  let first = true;
  return (stored) => {
    const object = toServed(def, stored);
    const out = tableJson(table, [object], { resourceVersion: object.metadata?.resourceVersion }, first);
    first = false;
    return out;
  };
}

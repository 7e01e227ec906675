/**
 * How objects are written back to the client in the negotiated format: as stored (JSON), as
 * YAML, as a meta.k8s.io Table (`kubectl get`), or as PartialObjectMetadata(List) (client-go's
 * metadata client, controller-runtime's metadata informers): kube-apiserver's transformObject, for
 * get, list, watch and the object a write answers with. Handlers call these; they never format by hand.
 */
import type { KubeObject, ListMeta } from '../apimachinery/object.js';
import { badRequest, notAcceptable } from '../apimachinery/status.js';
import {
  buildTable,
  defaultTableConvertor,
  partialObjectMetadata,
  tableRow,
  type IncludeObject,
  type TableConvertor,
} from '../apimachinery/table.js';
import { apiVersionOf, type ResourceDefinition } from '../registry/resource-definition.js';
import type { ListResult } from '../registry/paged-list.js';
import { sendJsonText } from './reply.js';
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
  if (c.format.convert?.kind !== 'Table') return undefined;
  const include = c.query.includeObject ?? '';
  if (!INCLUDE_OBJECT.has(include)) {
    throw badRequest(
      `Unable to convert to Table as requested: includeObject: Invalid value: ${JSON.stringify(include)}: must be 'Metadata', 'Object', 'None', or empty`,
    );
  }
  const clock = c.registry.options.clock;
  return {
    convertor: c.store.def.table ?? defaultTableConvertor,
    include: (include || 'Metadata') as IncludeObject,
    apiVersion: `meta.k8s.io/${c.format.convert.version}`,
    now: () => clock.now(),
  };
}

function tableJson(t: TableRequest, objects: KubeObject[], meta: ListMeta, withColumns: boolean): string {
  const now = t.now();
  const rows = objects.map((obj) => tableRow(t.convertor, obj, now, t.include, t.apiVersion));
  return stringifyGo(buildTable(withColumns ? t.convertor.columns : null, rows, meta, t.apiVersion));
}

/** The Go type a handler holds (`*core.Pod`, `*apps.DaemonSetList`), as upstream names it in conversion errors. */
function internalType(def: ResourceDefinition, list: boolean): string {
  const pkg = def.group ? def.group.split('.')[0] : 'core';
  return `*${pkg}.${list ? def.listKind : def.kind}`;
}

/** One object as PartialObjectMetadata JSON: kind, apiVersion, then the object's metadata. */
function metadataJson(obj: KubeObject, apiVersion: string): string {
  return stringifyGo(partialObjectMetadata(obj, apiVersion));
}

/** One stored object (its JSON) in the negotiated format and the requested group-version. */
export function renderObject(c: HandlerContext, code: number, json: string): void {
  const def = c.store.def;
  const convert = c.format.convert;
  if (!convert) return void sendJsonText(c.reply, code, toServedJson(def, json), c.format);
  if (convert.kind === 'PartialObjectMetadataList') {
    throw notAcceptable(`you requested PartialObjectMetadataList, but the requested object is not a list (${internalType(def, false)})`);
  }
  const obj = toServed(def, JSON.parse(json) as KubeObject);
  const table = tableRequest(c);
  const body = table
    ? tableJson(table, [obj], { resourceVersion: obj.metadata?.resourceVersion }, true)
    : metadataJson(obj, `meta.k8s.io/${convert.version}`);
  sendJsonText(c.reply, code, body, c.format);
}

function listMeta(result: ListResult): ListMeta {
  const meta: ListMeta = { resourceVersion: String(result.revision) };
  if (result.continueToken) meta.continue = result.continueToken;
  if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
  return meta;
}

/**
 * Stored objects as a list in the negotiated format and the requested group-version. `stored`
 * is only asked for its objects when the answer needs them: a plain list of the stored version
 * writes each item's stored JSON (`raw`) as is, without parsing it. A PartialObjectMetadataList
 * with no items says `"items":null`, as upstream's (it builds a new list and appends each item to a
 * nil slice).
 */
export function renderItems(c: HandlerContext, stored: { readonly items: KubeObject[]; readonly raw?: string[] }, meta: ListMeta): void {
  const def = c.store.def;
  const convert = c.format.convert;
  if (convert?.kind === 'PartialObjectMetadata') {
    throw notAcceptable(`you requested PartialObjectMetadata, but the requested object is a list (${internalType(def, true)})`);
  }
  const listHead = (kind: string, apiVersion: string) =>
    `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(meta)},"items":`;
  if (!convert && !def.conversion && stored.raw) {
    return void sendJsonText(c.reply, 200, `${listHead(def.listKind, apiVersionOf(def))}[${stored.raw.join(',')}]}`, c.format);
  }
  const items = def.conversion ? stored.items.map((obj) => toServed(def, obj)) : stored.items;
  const table = tableRequest(c);
  if (table) return void sendJsonText(c.reply, 200, tableJson(table, items, meta, true), c.format);
  if (!convert)
    return void sendJsonText(
      c.reply,
      200,
      `${listHead(def.listKind, apiVersionOf(def))}[${items.map((obj) => stringifyGo(obj)).join(',')}]}`,
      c.format,
    );
  const apiVersion = `meta.k8s.io/${convert.version}`;
  const body = items.length ? `[${items.map((obj) => metadataJson(obj, apiVersion)).join(',')}]` : 'null';
  sendJsonText(c.reply, 200, `${listHead('PartialObjectMetadataList', apiVersion)}${body}}`, c.format);
}

export function renderList(c: HandlerContext, result: ListResult): void {
  renderItems(c, result, listMeta(result));
}

/**
 * Returns a function that turns one watched (stored) object into the JSON of the event's `object`, or
 * undefined when no event can be encoded: each event of a watch asked as PartialObjectMetadataList
 * fails its conversion upstream, whose stream ends at the first event (this one ends at once). With a Table Accept each event carries
 * a one-row Table; only the first one has the column definitions (later ones say `null`, and
 * kubectl keeps the columns it has), as kube-apiserver does. With a PartialObjectMetadata Accept
 * each event carries the object's PartialObjectMetadata.
 */
export function watchObjectEncoder(c: HandlerContext): ((object: KubeObject, json: string | undefined) => string) | undefined {
  const convert = c.format.convert;
  if (convert?.kind === 'PartialObjectMetadataList') return undefined;
  if (convert?.kind === 'PartialObjectMetadata') {
    const apiVersion = `meta.k8s.io/${convert.version}`;
    return (object) => metadataJson(object, apiVersion);
  }
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

/** The `object` of a BOOKMARK event: the kind's own (an object with only a resourceVersion), or its PartialObjectMetadata. */
export function bookmarkObjectJson(c: HandlerContext, bookmark: KubeObject): string {
  const convert = c.format.convert;
  if (convert?.kind === 'PartialObjectMetadata') return metadataJson(bookmark, `meta.k8s.io/${convert.version}`);
  return JSON.stringify(bookmark);
}

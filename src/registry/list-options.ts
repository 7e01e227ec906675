/** The list/watch query parameters, parsed once per request. */
import { invalid } from '../apimachinery/status.js';
import { forbiddenField, notSupported, type FieldError } from '../apimachinery/field-errors.js';
import { parseQueryInt64 } from '../apimachinery/query-params.js';
import { parseSelector, type Selector } from '../apimachinery/labels.js';
import { checkFieldsSupported, parseFieldSelector, renameFields, type FieldSelector } from '../apimachinery/fields.js';
import type { KubeObject } from '../apimachinery/object.js';
import type { ResourceDefinition } from './resource-definition.js';

export interface ListOptions {
  labelSelector?: Selector;
  fieldSelector?: FieldSelector;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface RawListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: string;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  sendInitialEvents?: string;
  timeoutSeconds?: string;
}

/**
 * The options of a LIST or a DELETE of a collection: read as parseListOptions reads them (a
 * malformed value is a 400), then checked as ValidateListOptions checks a list (422 Invalid,
 * `ListOptions.meta.k8s.io "" is invalid: …`, every finding at once).
 */
export function parseListQuery(def: ResourceDefinition, q: RawListQuery): ListOptions {
  const opts = parseListOptions(def, q);
  parseQueryInt64(q.timeoutSeconds);
  const errors: FieldError[] = [];
  const match = opts.resourceVersionMatch;
  if (match) {
    if (!opts.resourceVersion)
      errors.push(forbiddenField('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (opts.continueToken)
      errors.push(forbiddenField('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') errors.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan']));
    if (match === 'Exact' && opts.resourceVersion === '0')
      errors.push(forbiddenField('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (q.sendInitialEvents !== undefined) errors.push(forbiddenField('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  if (errors.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errors);
  return opts;
}

export function fieldLabelsOf(def: ResourceDefinition): Set<string> {
  return new Set(['metadata.name', 'metadata.namespace', ...(def.fieldLabels ?? [])]);
}

export function parseListOptions(def: ResourceDefinition, q: RawListQuery): ListOptions {
  const opts: ListOptions = {};
  if (q.labelSelector) {
    const sel = parseSelector(q.labelSelector);
    if (!sel.empty) opts.labelSelector = sel;
  }
  if (q.fieldSelector) {
    let sel = parseFieldSelector(q.fieldSelector);
    checkFieldsSupported(sel, fieldLabelsOf(def));
    // A served version's labels name the stored kind's fields, which objects are matched in.
    if (def.conversion) sel = renameFields(sel, def.conversion.fieldLabels);
    if (!sel.empty) opts.fieldSelector = sel;
  }
  // A limit of zero or less asks for no paging, as upstream reads it.
  const limit = parseQueryInt64(q.limit);
  if (limit !== undefined && limit > 0) opts.limit = limit;
  if (q.continue) opts.continueToken = q.continue;
  if (q.resourceVersion !== undefined && q.resourceVersion !== '') opts.resourceVersion = q.resourceVersion;
  if (q.resourceVersionMatch) opts.resourceVersionMatch = q.resourceVersionMatch;
  return opts;
}

/** The fields a field selector can see on one object. */
export function selectableFieldsOf(def: ResourceDefinition, obj: KubeObject): Record<string, string> {
  const base: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (def.namespaced) base['metadata.namespace'] = obj.metadata.namespace ?? '';
  return def.selectableFields ? { ...base, ...def.selectableFields(obj) } : base;
}

export function matchesOptions(def: ResourceDefinition, obj: KubeObject, opts: ListOptions): boolean {
  if (opts.labelSelector && !opts.labelSelector.matches(obj.metadata.labels)) return false;
  if (opts.fieldSelector && !opts.fieldSelector.matches(selectableFieldsOf(def, obj))) return false;
  return true;
}

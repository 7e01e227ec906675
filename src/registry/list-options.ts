/** The list/watch query parameters, parsed once per request. */
import { badRequest } from '../apimachinery/status.js';
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
  if (q.limit !== undefined && q.limit !== '') {
    const n = Number(q.limit);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid limit: ${q.limit}`);
    if (n > 0) opts.limit = n;
  }
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

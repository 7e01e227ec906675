/**
 * The options of a store watch: what a WATCH request's query says (metav1.ListOptions read for a
 * watch), parsed once, then checked as kube-apiserver checks them before it opens the watch.
 */
import { badRequest, invalid } from '../apimachinery/status.js';
import { forbiddenField, type FieldError } from '../apimachinery/field-errors.js';
import { parseFieldSelector, type FieldSelector } from '../apimachinery/fields.js';
import type { Selector } from '../apimachinery/labels.js';
import { parseQueryBool, parseQueryInt64 } from '../apimachinery/query-params.js';
import type { ResourceDefinition } from './resource-definition.js';
import { parseListOptions, type RawListQuery } from './list-options.js';
import { parseResourceVersion } from './paged-list.js';

export interface WatchOptions {
  /** Only objects of this namespace (ignored for a cluster-scoped kind); undefined: every namespace. */
  namespace?: string;
  /** Only the object of this name (a watch of `…/pods/{name}`): a fieldSelector on metadata.name. */
  name?: string;
  labelSelector?: Selector;
  fieldSelector?: FieldSelector;
  /** Replay the changes after this revision, then go live; unset or "0": the current state first, as ADDED events. */
  resourceVersion?: string;
  /** Only "NotOlderThan", and only with sendInitialEvents. */
  resourceVersionMatch?: string;
  /** Whether the parameter was given (undefined when not), and its value. */
  sendInitialEvents?: boolean;
  allowWatchBookmarks?: boolean;
  /** With allowWatchBookmarks: a BOOKMARK this often (on the registry's clock); none without it. */
  bookmarkIntervalMs?: number;
  /** The watch ends after this long on the registry's clock; undefined: never. */
  timeoutSeconds?: number;
}

/** A WATCH request's query parameters, each with its first value. */
export interface RawWatchQuery extends RawListQuery {
  allowWatchBookmarks?: string;
}

/** Reads the query of a WATCH (a malformed selector or timeout is a 400); nothing is checked against anything else yet. */
export function parseWatchQuery(def: ResourceDefinition, q: RawWatchQuery): WatchOptions {
  const list = parseListOptions(def, { ...q, limit: undefined, continue: undefined });
  const opts: WatchOptions = { ...list, allowWatchBookmarks: parseQueryBool(q.allowWatchBookmarks) };
  if (q.sendInitialEvents !== undefined) opts.sendInitialEvents = parseQueryBool(q.sendInitialEvents);
  // As the apiserver times a watch: 0 is the server's default, a negative timeout has run out already.
  const timeoutSeconds = parseQueryInt64(q.timeoutSeconds);
  if (timeoutSeconds !== undefined && timeoutSeconds !== 0) opts.timeoutSeconds = Math.max(timeoutSeconds, 0);
  return opts;
}

/** What a checked watch starts from, and what it selects. */
interface CheckedWatch {
  /** The revision whose later changes are replayed; undefined: start from the current state. */
  startRevision: number | undefined;
  /** The label and field selectors, the name folded into the field selector. */
  fieldSelector: FieldSelector | undefined;
}

/**
 * Checks the options as kube-apiserver does before a watch opens: the name against the field
 * selector (400), sendInitialEvents with resourceVersionMatch and bookmarks (422, as
 * ValidateListOptions words it), the resourceVersion's form (400).
 */
export function checkWatchOptions(opts: WatchOptions): CheckedWatch {
  let fieldSelector = opts.fieldSelector;
  if (opts.name !== undefined) {
    if (fieldSelector && fieldSelector.requiredValue('metadata.name') !== opts.name)
      throw badRequest("fieldSelector metadata.name doesn't match requested name");
    fieldSelector ??= parseFieldSelector(`metadata.name=${opts.name}`);
  }
  if (opts.sendInitialEvents !== undefined) {
    const errors: FieldError[] = [];
    if (opts.resourceVersionMatch !== 'NotOlderThan')
      errors.push(forbiddenField('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    if (opts.sendInitialEvents && !opts.allowWatchBookmarks)
      errors.push(forbiddenField('allowWatchBookmarks', 'sendInitialEvents requires setting allowWatchBookmarks to true'));
    if (errors.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errors);
  } else if (opts.resourceVersionMatch) {
    throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [
      forbiddenField('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch'),
    ]);
  }
  const rv = opts.resourceVersion;
  return { startRevision: rv && rv !== '0' ? parseResourceVersion(rv) : undefined, fieldSelector };
}

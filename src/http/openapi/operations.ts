/**
 * The REST operations of every served resource, in a neutral form that v3.ts (OpenAPI 3.0) and v2.ts
 * (Swagger 2.0) both render: paths, operation ids, `x-kubernetes-action`, the group-version-kind,
 * parameters, bodies and responses, following the layout of a real API server.
 */
import type { ResourceDefinition } from '../../registry/resource-definition.js';

export interface GVK {
  group: string;
  version: string;
  kind: string;
}

export interface Param {
  name: string;
  in: 'query' | 'path';
  type: 'string' | 'boolean' | 'integer';
  description: string;
  required?: boolean;
}

export interface Operation {
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  operationId: string;
  description: string;
  tag: string;
  action: string;
  gvk?: GVK;
  params: Param[];
  /** Schema name of the request body, and the media types it is accepted in. */
  body?: { schema: string; mediaTypes: string[]; required: boolean };
  /** Status code → schema name ('' = no body, 'string' = plain text). */
  responses: Record<string, string>;
  /** Media types of the response. */
  produces: string[];
}

export interface PathItem {
  path: string;
  params: Param[];
  operations: Operation[];
}

export const PATCH_MEDIA_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];
const OBJECT_MEDIA = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const STREAM_MEDIA = [
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf;stream=watch',
];

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const PATCH = `${META}.Patch`;
export const WATCH_EVENT = `${META}.WatchEvent`;
export const API_RESOURCE_LIST = `${META}.APIResourceList`;

const q = (name: string, type: Param['type'], description: string): Param => ({ name, in: 'query', type, description });

const P = {
  name: { name: 'name', in: 'path', type: 'string', description: 'Name of the object.', required: true } as Param,
  namespace: { name: 'namespace', in: 'path', type: 'string', description: 'Namespace of the objects.', required: true } as Param,
  pretty: q('pretty', 'string', 'When "true", the output is indented.'),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'Ask a watch for BOOKMARK events carrying only a resource version.'),
  continue: q('continue', 'string', 'Token from a previous limited list, to fetch the next page.'),
  fieldSelector: q('fieldSelector', 'string', 'Keep only objects whose fields match, e.g. "spec.nodeName=node-1".'),
  labelSelector: q('labelSelector', 'string', 'Keep only objects whose labels match, e.g. "app=web,tier!=db".'),
  limit: q('limit', 'integer', 'Largest number of objects to return; a continue token follows when more remain.'),
  resourceVersion: q('resourceVersion', 'string', 'Resource version the read must be at least as new as; a watch starts after it.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'How resourceVersion is applied to a list: NotOlderThan or Exact.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', 'Start a watch with the current objects as ADDED events, then a bookmark.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'End the list or watch after this many seconds.'),
  watch: q('watch', 'boolean', 'Stream changes (ADDED, MODIFIED, DELETED) instead of returning a list.'),
  dryRun: q('dryRun', 'string', 'When "All", every step is run but nothing is persisted.'),
  fieldManager: q('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields.'),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'What to do with unknown or duplicate fields in the body: Ignore (drop them), Warn (drop them with a Warning header) or Strict (fail the request).',
  ),
  force: q('force', 'boolean', 'Server-side apply only: take over fields owned by other managers instead of failing with a conflict.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'Seconds the object may take to terminate; 0 deletes at once.'),
  ignoreStore: q(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'Delete objects that can no longer be read from storage (unsafe).',
  ),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated, use propagationPolicy: whether dependents are orphaned.'),
  propagationPolicy: q('propagationPolicy', 'string', 'What happens to dependents: Orphan, Background or Foreground.'),
};

const LIST_PARAMS = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [...WRITE_PARAMS, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.ignoreStore, P.orphanDependents, P.propagationPolicy];
const DELETE_COLLECTION_PARAMS = [
  P.continue, P.dryRun, P.fieldSelector, P.gracePeriodSeconds, P.ignoreStore, P.labelSelector, P.limit, P.orphanDependents,
  P.propagationPolicy, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds,
];

/** "CoreV1", "AppsV1", "RbacAuthorizationV1": the group-version part of operation ids. */
export function gvIdent(group: string, version: string): string {
  const words = (group === '' ? 'core' : group.replace(/\.k8s\.io$/, '')).split(/[.-]/);
  return words.map(capitalize).join('') + capitalize(version);
}

/** "core_v1", "apps_v1": the tag of a group-version's operations. */
export function gvTag(group: string, version: string): string {
  return `${group === '' ? 'core' : group.replace(/\.k8s\.io$/, '').replace(/[.-]/g, '_')}_${version}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "/api/v1" or "/apis/<group>/<version>". */
export function gvPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

export interface KindSchemas {
  kind: string;
  list: string;
}

/** The path items of one resource. `schemas` are the definition names of its kind and list. */
export function resourcePaths(def: ResourceDefinition, schemas: KindSchemas, schemaNameOf: (gvk: GVK) => string | undefined): PathItem[] {
  const { group, version, kind, plural } = def;
  const gv = gvIdent(group, version);
  const tag = gvTag(group, version);
  const gvk: GVK = { group, version, kind };
  const prefix = gvPrefix(group, version);
  const ns = def.namespaced ? '/namespaces/{namespace}' : '';
  const nsWord = def.namespaced ? 'Namespaced' : '';
  const nsParams = def.namespaced ? [P.namespace] : [];
  const op = (o: Omit<Operation, 'tag' | 'gvk' | 'produces'> & { gvk?: GVK; produces?: string[] }): Operation => ({
    tag, gvk, produces: OBJECT_MEDIA, ...o,
  });
  const write = (mediaTypes = ['*/*']) => ({ schema: schemas.kind, mediaTypes, required: true });
  const deleteBody = { schema: DELETE_OPTIONS, mediaTypes: ['*/*'], required: false };
  const items: PathItem[] = [];

  if (def.virtual) {
    // Create-only kinds that are never stored (reviews): POST on the collection is all there is.
    items.push({
      path: `${prefix}${ns}/${plural}`,
      params: [...nsParams, P.pretty],
      operations: [
        op({ method: 'post', operationId: `create${gv}${nsWord}${kind}`, action: 'post', description: `Create a ${kind}: computed from the request, never stored.`, params: WRITE_PARAMS, body: write(), responses: { 200: schemas.kind, 201: schemas.kind, 202: schemas.kind, 401: '' } }),
      ],
    });
    return items;
  }

  items.push({
    path: `${prefix}${ns}/${plural}`,
    params: [...nsParams, P.pretty],
    operations: [
      op({ method: 'get', operationId: `list${gv}${nsWord}${kind}`, action: 'list', description: `List or watch ${kind} objects.`, params: LIST_PARAMS, responses: { 200: schemas.list, 401: '' }, produces: STREAM_MEDIA }),
      op({ method: 'post', operationId: `create${gv}${nsWord}${kind}`, action: 'post', description: `Create a ${kind}.`, params: WRITE_PARAMS, body: write(), responses: { 200: schemas.kind, 201: schemas.kind, 202: schemas.kind, 401: '' } }),
      op({ method: 'delete', operationId: `delete${gv}Collection${nsWord}${kind}`, action: 'deletecollection', description: `Delete every ${kind} that matches the selectors.`, params: DELETE_COLLECTION_PARAMS, body: deleteBody, responses: { 200: STATUS, 401: '' } }),
    ],
  });
  const deleted = def.deleteReturnsObject ? schemas.kind : STATUS;
  items.push({
    path: `${prefix}${ns}/${plural}/{name}`,
    params: [P.name, ...nsParams, P.pretty],
    operations: [
      op({ method: 'get', operationId: `read${gv}${nsWord}${kind}`, action: 'get', description: `Read the named ${kind}.`, params: [], responses: { 200: schemas.kind, 401: '' } }),
      op({ method: 'put', operationId: `replace${gv}${nsWord}${kind}`, action: 'put', description: `Replace the named ${kind}.`, params: WRITE_PARAMS, body: write(), responses: { 200: schemas.kind, 201: schemas.kind, 401: '' } }),
      op({ method: 'delete', operationId: `delete${gv}${nsWord}${kind}`, action: 'delete', description: `Delete the named ${kind}.`, params: DELETE_PARAMS, body: deleteBody, responses: { 200: deleted, 202: deleted, 401: '' } }),
      op({ method: 'patch', operationId: `patch${gv}${nsWord}${kind}`, action: 'patch', description: `Partially update the named ${kind}.`, params: PATCH_PARAMS, body: { schema: PATCH, mediaTypes: PATCH_MEDIA_TYPES, required: true }, responses: { 200: schemas.kind, 201: schemas.kind, 401: '' } }),
    ],
  });
  if (def.statusStrategy) {
    items.push({
      path: `${prefix}${ns}/${plural}/{name}/status`,
      params: [P.name, ...nsParams, P.pretty],
      operations: [
        op({ method: 'get', operationId: `read${gv}${nsWord}${kind}Status`, action: 'get', description: `Read the status of the named ${kind}.`, params: [], responses: { 200: schemas.kind, 401: '' } }),
        op({ method: 'put', operationId: `replace${gv}${nsWord}${kind}Status`, action: 'put', description: `Replace the status of the named ${kind}.`, params: WRITE_PARAMS, body: write(), responses: { 200: schemas.kind, 201: schemas.kind, 401: '' } }),
        op({ method: 'patch', operationId: `patch${gv}${nsWord}${kind}Status`, action: 'patch', description: `Partially update the status of the named ${kind}.`, params: PATCH_PARAMS, body: { schema: PATCH, mediaTypes: PATCH_MEDIA_TYPES, required: true }, responses: { 200: schemas.kind, 201: schemas.kind, 401: '' } }),
      ],
    });
  }
  for (const extra of def.extraSubresources ?? []) {
    if (extra.name === 'status') continue;
    const sub = capitalize(extra.name);
    const extraGvk: GVK = { group: extra.group ?? group, version: extra.version ?? version, kind: extra.kind ?? kind };
    const extraSchema = schemaNameOf(extraGvk);
    const operations: Operation[] = [];
    for (const verb of extra.verbs) {
      if (verb === 'get') {
        const text = extraSchema === undefined || extraGvk.kind === kind;
        operations.push(op({ method: 'get', gvk: extraGvk, operationId: `read${gv}${nsWord}${kind}${sub}`, action: 'get', description: `Read ${extra.name} of the named ${kind}.`, params: [], responses: { 200: text ? 'string' : extraSchema, 401: '' }, produces: text ? ['text/plain', 'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] : OBJECT_MEDIA }));
      } else if (verb === 'create') {
        const body = extraSchema ?? schemas.kind;
        operations.push(op({ method: 'post', gvk: extraGvk, operationId: `create${gv}${nsWord}${kind}${sub}`, action: 'post', description: `Create ${extra.name} of the named ${kind}.`, params: WRITE_PARAMS, body: { schema: body, mediaTypes: ['*/*'], required: true }, responses: { 200: body, 201: body, 202: body, 401: '' } }));
      }
    }
    if (operations.length > 0) items.push({ path: `${prefix}${ns}/${plural}/{name}/${extra.name}`, params: [P.name, ...nsParams, P.pretty], operations });
  }
  if (def.namespaced) {
    items.push({
      path: `${prefix}/${plural}`,
      params: [...LIST_PARAMS.slice(0, 5), P.pretty, ...LIST_PARAMS.slice(5)],
      operations: [op({ method: 'get', operationId: `list${gv}${kind}ForAllNamespaces`, action: 'list', description: `List or watch ${kind} objects of every namespace.`, params: [], responses: { 200: schemas.list, 401: '' }, produces: STREAM_MEDIA })],
    });
  }
  const watchParams = (extra: Param[]) => [...LIST_PARAMS.slice(0, 5), ...extra, P.pretty, ...LIST_PARAMS.slice(5)];
  const watchOp = (operationId: string, action: string, description: string) =>
    op({ method: 'get', operationId, action, description, params: [], responses: { 200: WATCH_EVENT, 401: '' }, produces: STREAM_MEDIA });
  items.push({
    path: `${prefix}/watch${ns}/${plural}`,
    params: watchParams(nsParams),
    operations: [watchOp(`watch${gv}${nsWord}${kind}List`, 'watchlist', `Deprecated (use list with watch=true): watch ${kind} objects.`)],
  });
  items.push({
    path: `${prefix}/watch${ns}/${plural}/{name}`,
    params: watchParams([P.name, ...nsParams]),
    operations: [watchOp(`watch${gv}${nsWord}${kind}`, 'watch', `Deprecated (use list with watch=true and a field selector): watch one ${kind}.`)],
  });
  if (def.namespaced) {
    items.push({
      path: `${prefix}/watch/${plural}`,
      params: watchParams([]),
      operations: [watchOp(`watch${gv}${kind}ListForAllNamespaces`, 'watchlist', `Deprecated (use list with watch=true): watch ${kind} objects of every namespace.`)],
    });
  }
  return items;
}

/** `GET /api/v1/` or `GET /apis/<group>/<version>/`: the resources of the group-version. */
export function groupVersionResourcesPath(group: string, version: string): PathItem {
  const operation: Operation = {
    method: 'get', operationId: `get${gvIdent(group, version)}APIResources`, description: 'List the resources of this group-version.',
    tag: gvTag(group, version), action: '', params: [], responses: { 200: API_RESOURCE_LIST, 401: '' }, produces: OBJECT_MEDIA,
  };
  return { path: `${gvPrefix(group, version)}/`, params: [], operations: [operation] };
}

/** A discovery path outside group-versions (`/api/`, `/apis/`, `/apis/<group>/`, `/version/`). */
export function discoveryPath(path: string, operationId: string, tag: string, schema: string, description: string): PathItem {
  const operation: Operation = {
    method: 'get', operationId, description, tag, action: '', params: [], responses: { 200: schema, 401: '' }, produces: OBJECT_MEDIA,
  };
  return { path, params: [], operations: [operation] };
}

/**
 * OpenAPI v3 as a Kubernetes API server publishes it: one OpenAPI 3.0 document per group-version
 * (`api/v1`, `apis/apps/v1`) plus the discovery-only ones (`api`, `apis`, `apis/<group>`, `version`),
 * each carrying every schema it refers to, and the `/openapi/v3` root that lists them with a content
 * hash (upper-case hex SHA-512 of the document bytes) in `serverRelativeURL`.
 *
 * kubectl reads these for `explain`, for apply's patch computation, and to decide that the server
 * validates fields itself: a PATCH operation with the kind's `x-kubernetes-group-version-kind` must
 * list a `fieldValidation` query parameter inline (cli-runtime query_param_verifier_v3.go).
 */
import { createHash } from 'node:crypto';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { DefinitionCollector, V3_REF_PREFIX, closure, referencedNames, type JsonSchema } from './definitions.js';
import {
  discoveryPath,
  groupVersionResourcesPath,
  resourcePaths,
  type GVK,
  type Operation,
  type Param,
  type PathItem,
} from './operations.js';
import { openKindSchemas } from '../../apimachinery/schemas/open-kind.js';
import type { SchemaSource } from './sources.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const RESPONSE_TEXT: Record<string, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 401: 'Unauthorized' };

export const BEARER_TOKEN = {
  description: 'A bearer token in the Authorization header ("Bearer <token>"); kubemock does not check it.',
  type: 'apiKey',
  name: 'authorization',
  in: 'header',
};

/** Everything both OpenAPI versions are rendered from. */
export interface OpenApiModel {
  /** All definitions by name, v3 references. */
  definitions: Record<string, JsonSchema>;
  /** Path items by document key ('api/v1', 'apis/apps/v1', 'api', 'apis', 'apis/apps', 'version'). */
  groups: Map<string, PathItem[]>;
  /** The server version shown as info.version. */
  version: string;
}

export interface V3Documents {
  /** The `/openapi/v3` body. */
  root: { paths: Record<string, { serverRelativeURL: string }> };
  /** Document key → { document, its bytes, its hash }. */
  documents: Map<string, { document: JsonSchema; bytes: Buffer; hash: string }>;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Collects the definitions and path items of every served resource. */
export function buildModel(defs: ResourceDefinition[], source: SchemaSource, version: string): OpenApiModel {
  const collector = new DefinitionCollector(source.named);
  for (const schema of source.extras) collector.add(schema);
  const schemaNameOf = (gvk: GVK): string | undefined => {
    const schema = source.schemaFor(gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, gvk.kind);
    return schema ? collector.add(schema) : undefined;
  };
  const groups = new Map<string, PathItem[]>();
  const items = (key: string) => groups.get(key) ?? groups.set(key, []).get(key)!;
  items('api').push(discoveryPath('/api/', 'getCoreAPIVersions', 'core', `${META}.APIVersions`, 'Versions of the core API.'));
  items('apis').push(discoveryPath('/apis/', 'getAPIVersions', 'apis', `${META}.APIGroupList`, 'The served API groups.'));
  items('version').push(discoveryPath('/version/', 'getCodeVersion', 'version', 'io.k8s.apimachinery.pkg.version.Info', 'Build information of the server.'));
  for (const def of defs) {
    const gvKey = def.group ? `apis/${def.group}/${def.version}` : `api/${def.version}`;
    if (!groups.has(gvKey)) items(gvKey).push(groupVersionResourcesPath(def.group, def.version));
    if (def.group && !groups.has(`apis/${def.group}`)) {
      const ident = def.group.replace(/\.k8s\.io$/, '').split(/[.-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
      items(`apis/${def.group}`).push(discoveryPath(`/apis/${def.group}/`, `get${ident}APIGroup`, def.group.replace(/\.k8s\.io$/, '').replace(/[.-]/g, '_'), `${META}.APIGroup`, 'Versions of the group.'));
    }
    const kind = collector.add(def.schema);
    const list = collector.add(def.listSchema);
    // Subresource kinds without a schema (policy/v1 Eviction …) get a stand-in too.
    const subresourceSchema = (gvk: GVK) => schemaNameOf(gvk) ?? collector.add(openKindSchemas(gvk.group, gvk.version, gvk.kind).kind);
    items(gvKey).push(...resourcePaths(def, { kind, list }, subresourceSchema));
  }
  return { definitions: collector.sorted(), groups, version };
}

function param(p: Param): JsonSchema {
  return { name: p.name, in: p.in, description: p.description, ...(p.required ? { required: true } : {}), schema: { type: p.type } };
}

function schemaOf(name: string): JsonSchema {
  return name === 'string' ? { type: 'string' } : { $ref: V3_REF_PREFIX + name };
}

function operation(o: Operation): JsonSchema {
  const out: JsonSchema = { tags: [o.tag], description: o.description, operationId: o.operationId };
  if (o.params.length > 0) out.parameters = o.params.map(param);
  if (o.body) {
    const content = Object.fromEntries(o.body.mediaTypes.map((m) => [m, { schema: schemaOf(o.body!.schema) }]));
    out.requestBody = { content, ...(o.body.required ? { required: true } : {}) };
  }
  const responses: JsonSchema = {};
  for (const [code, schema] of Object.entries(o.responses)) {
    const media = schema === 'string' ? o.produces.filter((m) => m === 'text/plain') : o.produces;
    responses[code] = {
      description: RESPONSE_TEXT[code] ?? 'OK',
      ...(schema ? { content: Object.fromEntries(media.map((m) => [m, { schema: schemaOf(schema) }])) } : {}),
    };
  }
  out.responses = responses;
  if (o.action) out['x-kubernetes-action'] = o.action;
  if (o.gvk) out['x-kubernetes-group-version-kind'] = { group: o.gvk.group, version: o.gvk.version, kind: o.gvk.kind };
  return out;
}

export function renderPaths(items: PathItem[], renderOperation: (o: Operation) => JsonSchema, renderParam: (p: Param) => JsonSchema): Record<string, JsonSchema> {
  const paths: Record<string, JsonSchema> = {};
  for (const item of items) {
    const out: JsonSchema = {};
    for (const o of item.operations) out[o.method] = renderOperation(o);
    if (item.params.length > 0) out.parameters = item.params.map(renderParam);
    paths[item.path] = out;
  }
  return sortKeys(paths);
}

/** Upper-case hex SHA-512, the hash and ETag kube-openapi gives a document. */
export function contentHash(bytes: Buffer): string {
  return createHash('sha512').update(bytes).digest('hex').toUpperCase();
}

/** The per-group-version documents and the root that points at them. */
export function buildV3(model: OpenApiModel): V3Documents {
  const documents = new Map<string, { document: JsonSchema; bytes: Buffer; hash: string }>();
  for (const key of [...model.groups.keys()].sort()) {
    const paths = renderPaths(model.groups.get(key)!, operation, param);
    const schemas = closure(model.definitions, referencedNames(paths, V3_REF_PREFIX), V3_REF_PREFIX);
    const document: JsonSchema = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: model.version },
      paths,
      components: { schemas, securitySchemes: { BearerToken: BEARER_TOKEN } },
      security: [{ BearerToken: [] }],
    };
    const bytes = Buffer.from(JSON.stringify(document));
    documents.set(key, { document, bytes, hash: contentHash(bytes) });
  }
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, { hash }] of documents) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  return { root: { paths }, documents };
}

/** All group-versions in one OpenAPI 3.0 document, for humans (served through @fastify/swagger). */
export function combinedV3(model: OpenApiModel, title: string): JsonSchema {
  const items = [...model.groups.values()].flat();
  return {
    openapi: '3.0.0',
    info: { title, version: model.version, description: 'The Kubernetes API served by kubemock, all group-versions in one document.' },
    paths: renderPaths(items, operation, param),
    components: { schemas: model.definitions, securitySchemes: { BearerToken: BEARER_TOKEN } },
    security: [{ BearerToken: [] }],
  };
}

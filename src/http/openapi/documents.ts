/**
 * Every OpenAPI document kubemock serves, built in one go from the resource definitions and their
 * schemas: `/openapi/v2` (JSON and protobuf), `/openapi/v3` and its per-group-version documents, and
 * one combined v3 document for humans. Also the file layout of the committed copies under openapi/.
 */
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { versionInfo } from '../discovery/version.js';
import type { JsonSchema } from './definitions.js';
import { encodeSwaggerProtobuf } from './protobuf.js';
import { defaultSchemaSource, type SchemaSource } from './sources.js';
import { buildV2 } from './v2.js';
import { buildModel, buildV3, combinedV3, contentHash, type V3Documents } from './v3.js';

export interface ServedDocument {
  bytes: Buffer;
  /** Upper-case hex SHA-512 of the JSON bytes (unquoted). */
  hash: string;
}

export interface OpenApiDocuments {
  v2: { document: JsonSchema; json: ServedDocument; protobuf: Buffer };
  v3: V3Documents & { rootJson: ServedDocument };
  /** All group-versions in one OpenAPI 3.0 document (the human docs). */
  combined: JsonSchema;
}

export function buildOpenApiDocuments(defs: ResourceDefinition[], source: SchemaSource = defaultSchemaSource()): OpenApiDocuments {
  const model = buildModel(defs, source, versionInfo().gitVersion);
  const v2 = buildV2(model);
  const v2Json = Buffer.from(JSON.stringify(v2));
  const v3 = buildV3(model);
  const rootBytes = Buffer.from(JSON.stringify(v3.root));
  return {
    v2: { document: v2, json: { bytes: v2Json, hash: contentHash(v2Json) }, protobuf: encodeSwaggerProtobuf(v2) },
    v3: { ...v3, rootJson: { bytes: rootBytes, hash: contentHash(rootBytes) } },
    combined: combinedV3(model, 'kubemock'),
  };
}

/**
 * The committed copies: path under openapi/ → pretty-printed JSON. Group-version documents are named
 * like upstream's api/openapi-spec/v3 files (`apis__apps__v1_openapi.json`); the root is `v3/root.json`.
 */
export function openApiFiles(docs: OpenApiDocuments): Map<string, string> {
  const files = new Map<string, string>();
  const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  files.set('v2.json', pretty(docs.v2.document));
  files.set('v3/root.json', pretty(docs.v3.root));
  for (const [key, { document }] of docs.v3.documents) files.set(`v3/${key.replace(/\//g, '__')}_openapi.json`, pretty(document));
  return files;
}

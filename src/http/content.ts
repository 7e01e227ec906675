/** Request body decoding and response media types: JSON or YAML in, JSON or YAML out. */
import YAML from 'yaml';
import { parseAccept } from './media-type.js';
import { badRequest, notAcceptable, unsupportedMediaType } from '../apimachinery/status.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function parseText(text: string, yaml: boolean): unknown {
  if (!yaml) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw badRequest(`error decoding request body: ${(e as Error).message}`);
    }
  }
  try {
    const docs = YAML.parseAllDocuments(text);
    const live = docs.filter((d) => d.contents !== null);
    if (live.length > 1) throw new Error('the body holds more than one YAML document');
    const doc = live[0] ?? docs[0];
    if (!doc) return null;
    if (doc.errors.length) throw doc.errors[0]!;
    return doc.toJS();
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
  }
}

function requireBody(body: unknown): string {
  if (!Buffer.isBuffer(body) || body.length === 0) throw badRequest('the request body is empty; an object is required');
  return body.toString('utf8');
}

/** Body of POST / PUT: JSON or YAML. */
export function decodeObjectBody(contentType: string | undefined, body: unknown): unknown {
  const type = mediaType(contentType);
  if (type === 'application/json' || type === '') return parseText(requireBody(body), false);
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') return parseText(requireBody(body), true);
  throw unsupportedMediaType(type);
}

/** Body of PATCH: which kind of patch, and the document. */
export function decodePatchBody(contentType: string | undefined, body: unknown): { type: PatchType; patch: unknown } {
  const media = mediaType(contentType);
  const type = PATCH_TYPES[media];
  if (!type) {
    throw unsupportedMediaType(media || 'none');
  }
  return { type, patch: parseText(requireBody(body), type === 'apply') };
}

/** Optional body (DELETE): DeleteOptions in JSON or YAML, or nothing. */
export function decodeOptionalBody(contentType: string | undefined, body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
  return decodeObjectBody(contentType, body);
}

export type ResponseFormat = { type: 'json' } | { type: 'yaml' } | { type: 'table'; includeObject?: string };

/** Chooses the response format from Accept; `tables` says whether Table output is served. */
export function negotiate(accept: string | undefined, tables: boolean): ResponseFormat {
  if (!accept) return { type: 'json' };
  for (const range of parseAccept(accept)) {
    if (range.type === 'application/json') {
      if (range.params.get('as') === 'Table') {
        if (tables && range.params.get('g') === 'meta.k8s.io' && (range.params.get('v') === 'v1' || range.params.get('v') === 'v1beta1')) return { type: 'table' };
        continue;
      }
      if (range.params.has('as')) continue;
      return { type: 'json' };
    }
    if (range.type === 'application/yaml') return { type: 'yaml' };
    if (range.type === '*/*' || range.type === 'application/*') return { type: 'json' };
  }
  throw notAcceptable('only the following media types are accepted: application/json, application/yaml');
}

export function toYaml(value: unknown): string {
  return YAML.stringify(value, { aliasDuplicateObjects: false });
}

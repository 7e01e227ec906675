/** Request body decoding and response media types: JSON or YAML in, JSON or YAML out. */
import YAML from 'yaml';
import { parseAccept } from './media-type.js';
import { badRequest, notAcceptable, StatusError, StatusReason, unsupportedMediaType } from '../apimachinery/status.js';
import { parseGoJson, summarizeData } from '../apimachinery/json-scan.js';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from './protobuf/decode.js';

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

/**
 * Body of POST / PUT: JSON or YAML. Given the expected `kind`, a JSON body that is not an object
 * fails as upstream's decoder fails (`the object provided is unrecognized (must be of type Pod): …`).
 */
export function decodeObjectBody(contentType: string | undefined, body: unknown, kind?: string): unknown {
  const type = mediaType(contentType);
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') return parseText(requireBody(body), true);
  if (type === PROTOBUF_MEDIA_TYPE) {
    requireBody(body);
    return decodeProtobufObject(body as Buffer);
  }
  if (type !== 'application/json' && type !== '') throw unsupportedMediaType(type);
  const text = requireBody(body);
  if (!kind) return parseText(text, false);
  const buf = body as Buffer;
  const unrecognized = (why: string) =>
    badRequest(`the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${why} (${summarizeData(buf)})`);
  let value: unknown;
  try {
    value = parseGoJson(buf);
  } catch (e) {
    throw unrecognized((e as Error).message);
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
    const findKind = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
    throw unrecognized(`json: cannot unmarshal ${what} into Go value of type ${findKind}`);
  }
  return value;
}

/** Body of PATCH: which kind of patch, and its raw bytes (each patch type decodes them its own way). */
export function decodePatchBody(contentType: string | undefined, body: unknown): { type: PatchType; raw: Buffer } {
  const media = mediaType(contentType);
  const type = PATCH_TYPES[media];
  if (!type) {
    // As upstream's NewUnsupportedMediaTypeError, listing the patch types a built-in kind takes.
    const accepted = Object.keys(PATCH_TYPES).join(', ');
    throw new StatusError(415, StatusReason.UnsupportedMediaType, `the body of the request was in an unknown format - accepted media types include: ${accepted}`);
  }
  return { type, raw: Buffer.isBuffer(body) ? body : Buffer.alloc(0) };
}

/** Optional body (DELETE): DeleteOptions in JSON or YAML, or nothing. */
export function decodeOptionalBody(contentType: string | undefined, body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
  return decodeObjectBody(contentType, body);
}

export type ResponseFormat = { type: 'json' } | { type: 'yaml' } | { type: 'table'; version: 'v1' | 'v1beta1'; includeObject?: string };

/** Chooses the response format from Accept; `tables` says whether Table output is served. */
export function negotiate(accept: string | undefined, tables: boolean): ResponseFormat {
  if (!accept) return { type: 'json' };
  for (const range of parseAccept(accept)) {
    if (range.type === 'application/json') {
      if (range.params.get('as') === 'Table') {
        const version = range.params.get('v');
        if (tables && range.params.get('g') === 'meta.k8s.io' && (version === 'v1' || version === 'v1beta1')) return { type: 'table', version };
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

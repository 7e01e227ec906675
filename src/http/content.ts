/** Request body decoding and response media types: JSON or YAML in, JSON or YAML out. */
import YAML from 'yaml';
import { parseAccept } from './media-type.js';
import { boundedMemo } from '../apimachinery/bounded-memo.js';
import { badRequest, notAcceptable, StatusError, StatusReason, unsupportedMediaType } from '../apimachinery/status.js';
import { parseGoJson, summarizeData } from '../apimachinery/json-scan.js';
import { numberTokens, type NumberTokens } from '../apimachinery/json-numbers.js';
import { parseYamlDocuments, yamlToJs } from '../apimachinery/yaml-decode.js';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from './protobuf/decode.js';
import { protobufMessageOf } from '../resources/protobuf-messages.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function parseJson(buf: Buffer): unknown {
  try {
    return parseGoJson(buf);
  } catch (e) {
    throw badRequest(`error decoding request body: ${(e as Error).message}`);
  }
}

function parseYaml(text: string): unknown {
  try {
    const docs = parseYamlDocuments(text);
    const live = docs.filter((d) => d.contents !== null);
    if (live.length > 1) throw new Error('the body holds more than one YAML document');
    const doc = live[0] ?? docs[0];
    if (!doc) return null;
    if (doc.errors.length) throw doc.errors[0];
    return yamlToJs(doc);
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
  }
}

function requireBody(body: unknown): Buffer {
  if (!Buffer.isBuffer(body) || body.length === 0) throw badRequest('the request body is empty; an object is required');
  return body;
}

/**
 * Body of POST / PUT: JSON or YAML. Given the expected `kind`, a body that is not an object, or
 * YAML that cannot be read, fails as upstream's decoder fails (`the object provided is
 * unrecognized (must be of type Pod): …`, with the start of the body as summarizeData prints it).
 */
export function decodeObjectBody(contentType: string | undefined, body: unknown, kind?: string): unknown {
  const type = mediaType(contentType);
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') {
    const text = requireBody(body).toString('utf8');
    try {
      return parseYaml(text);
    } catch (e) {
      if (!kind || !(e instanceof StatusError)) throw e;
      throw badRequest(
        `the object provided is unrecognized (must be of type ${kind}): ${e.status.message} (${summarizeData(body as Buffer)})`,
      );
    }
  }
  if (type === PROTOBUF_MEDIA_TYPE) {
    requireBody(body);
    return decodeProtobufObject(body as Buffer, protobufMessageOf);
  }
  if (type !== 'application/json' && type !== '') throw unsupportedMediaType(type);
  const buf = requireBody(body);
  if (!kind) return parseJson(buf);
  const unrecognized = (why: string) =>
    badRequest(
      `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${why} (${summarizeData(buf)})`,
    );
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

/**
 * The numbers of a JSON body that JSON.parse did not keep as written (json-numbers.ts), for the
 * decoding into Go types to read them from their text; none for YAML and protobuf bodies.
 */
export function jsonBodyNumbers(contentType: string | undefined, body: unknown): NumberTokens | undefined {
  const type = mediaType(contentType);
  return (type === 'application/json' || type === '') && Buffer.isBuffer(body) ? numberTokens(body) : undefined;
}

/** Body of PATCH: which kind of patch, and its raw bytes (each patch type decodes them its own way). */
export function decodePatchBody(contentType: string | undefined, body: unknown): { type: PatchType; raw: Buffer } {
  const media = mediaType(contentType);
  const type = PATCH_TYPES[media];
  if (!type) {
    // As upstream's NewUnsupportedMediaTypeError, listing the patch types a built-in kind takes.
    const accepted = Object.keys(PATCH_TYPES).join(', ');
    throw new StatusError(
      415,
      StatusReason.UnsupportedMediaType,
      `the body of the request was in an unknown format - accepted media types include: ${accepted}`,
    );
  }
  return { type, raw: Buffer.isBuffer(body) ? body : Buffer.alloc(0) };
}

/** Optional body (DELETE): DeleteOptions in JSON or YAML, or nothing. */
export function decodeOptionalBody(contentType: string | undefined, body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
  return decodeObjectBody(contentType, body);
}

/** The meta.k8s.io kinds a response can be converted to (`Accept: …;as=<kind>;g=meta.k8s.io;v=<version>`). */
export type ConversionKind = 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';
export interface Conversion {
  kind: ConversionKind;
  version: 'v1' | 'v1beta1';
}

/** The negotiated response: its media type, and the conversion asked for, if any (upstream's MediaTypeOptions). */
export interface ResponseFormat {
  media: 'json' | 'yaml';
  convert?: Conversion;
}

const CONVERSION_KINDS: readonly string[] = ['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList'];

/**
 * The conversion a media range asks for: none (undefined) without `as`, `g` and `v`; null when it
 * asks for one this endpoint cannot give (the range is then skipped, as upstream's
 * AllowsMediaTypeTransform skips it): only meta.k8s.io v1 / v1beta1 Table (where `tables`),
 * PartialObjectMetadata and PartialObjectMetadataList.
 */
function conversionOf(params: Map<string, string>, tables: boolean): Conversion | null | undefined {
  if (!params.has('as') && !params.has('g') && !params.has('v')) return undefined;
  const kind = params.get('as') ?? '';
  const version = params.get('v');
  if (params.get('g') !== 'meta.k8s.io' || (version !== 'v1' && version !== 'v1beta1') || !CONVERSION_KINDS.includes(kind)) return null;
  if (kind === 'Table' && !tables) return null;
  return { kind: kind as ConversionKind, version };
}

const MEDIA: Record<string, ResponseFormat['media']> = {
  'application/json': 'json',
  'application/yaml': 'yaml',
  'application/*': 'json',
  '*/*': 'json',
};

/**
 * Chooses the response format from Accept: the first media range, in the header's order, that is
 * served with a conversion this endpoint gives; `tables` says whether Table output is served.
 * Whether the conversion fits the verb (a list asked as one object) is the representation's error.
 */
export function negotiate(accept: string | undefined, tables: boolean): Readonly<ResponseFormat> {
  if (!accept) return JSON_FORMAT;
  // Clients send the same few Accept headers again and again: each is read once.
  return tables ? negotiatedWithTables(accept) : negotiatedWithoutTables(accept);
}

const JSON_FORMAT: Readonly<ResponseFormat> = Object.freeze({ media: 'json' });
const NEGOTIATED_LIMIT = 256;
const negotiatedWithTables = boundedMemo((accept: string) => Object.freeze(negotiateAccept(accept, true)), NEGOTIATED_LIMIT);
const negotiatedWithoutTables = boundedMemo((accept: string) => Object.freeze(negotiateAccept(accept, false)), NEGOTIATED_LIMIT);

function negotiateAccept(accept: string, tables: boolean): ResponseFormat {
  for (const range of parseAccept(accept)) {
    const media = MEDIA[range.type];
    if (!media) continue;
    const convert = conversionOf(range.params, tables);
    if (convert === null) continue;
    return convert ? { media, convert } : { media };
  }
  throw notAcceptable('only the following media types are accepted: application/json, application/yaml');
}

export function toYaml(value: unknown): string {
  return YAML.stringify(value, { aliasDuplicateObjects: false });
}

/**
 * The size bounds kube-apiserver gives a schema node when it estimates the cost of a rule
 * (k8s.io/apiserver/pkg/cel/common SchemaDeclType, the MaxElements and MinSerializedSize of each
 * DeclType): a string's most characters (maxLength × 4 bytes a rune, the longest enum value, or
 * what a 3 MB request can hold), a list's most items and a map's most entries (maxItems,
 * maxProperties, or the request size divided by the smallest serialized item), and each node's
 * smallest JSON form, from which the cardinality of a rule below unbounded lists and maps follows.
 * A node that CEL does not see (no type, an array without items) has no bounds.
 */
import { additionalSchema, type JSONSchemaProps } from '../structural-schema/types.js';
import { escapeName } from './types.js';

/** The largest request body kube-apiserver accepts, the bound of everything unbounded. */
export const MAX_REQUEST_SIZE_BYTES = 3 * 1024 * 1024;

const MAX_DURATION_JSON = 32;
const MAX_DATETIME_JSON = 32;
const MIN_DURATION_JSON = 3;
const DATE_JSON = 12;
const MIN_DATETIME_JSON = 21;
const MIN_STRING = 2;
const MIN_BOOL = 4;
const MIN_NUMBER = 1;

export interface DeclSize {
  /** The most characters, bytes, items or entries a value here may have (0 for other values). */
  maxElements: number;
  /** The length of the shortest JSON a value here serializes to. */
  minSerializedSize: number;
  /** An object's properties, by their escaped CEL names. */
  fields?: Map<string, DeclSize>;
  /** A list's items or a map's values. */
  elem?: DeclSize;
  /** A map's keys. */
  key?: DeclSize;
}

const nonNegative = (n: number) => Math.max(0, n);
const byteLength = (s: string) => Buffer.byteLength(s);
const MAP_KEY: DeclSize = { maxElements: 0, minSerializedSize: MIN_STRING };

/** Without maxLength: the longest string a request can hold, or the longest value of the format. */
function longestString(s: JSONSchemaProps): number {
  if (s['x-kubernetes-int-or-string']) return MAX_REQUEST_SIZE_BYTES - 2;
  switch (s.format) {
    case 'duration':
      return MAX_DURATION_JSON;
    case 'date':
      return DATE_JSON;
    case 'date-time':
      return MAX_DATETIME_JSON;
    default:
      return MAX_REQUEST_SIZE_BYTES - 2;
  }
}

/** maxLength counts runes, a rune is at most 4 bytes. */
const fromMaxLength = (maxLength: number) => nonNegative(maxLength) * 4;

/** The properties a resource root sees: the schema's own, or apiVersion, kind and a metadata of name and generateName. */
function withTypeAndObjectMeta(s: JSONSchemaProps): JSONSchemaProps {
  const p = s.properties;
  const isString = (x: JSONSchemaProps | undefined) => x?.type === 'string';
  const meta = p?.metadata;
  if (isString(p?.kind) && isString(p?.apiVersion) && meta?.type === 'object' && isString(meta.properties?.name)) {
    if (isString(meta.properties?.generateName)) return s;
  }
  const str: JSONSchemaProps = { type: 'string' };
  return {
    ...s,
    properties: {
      ...p,
      kind: str,
      apiVersion: str,
      metadata: { type: 'object', properties: { name: str, generateName: str } },
    },
  };
}

/** A string's bounds: bytes up to maxLength, a format's longest value, or maxLength runes, the longest enum value, the request. */
function stringSizes(s: JSONSchemaProps): DeclSize {
  switch (s.format) {
    case 'byte':
      return { maxElements: s.maxLength !== undefined ? nonNegative(s.maxLength) : longestString(s), minSerializedSize: MIN_STRING };
    case 'duration':
      return { maxElements: longestString(s), minSerializedSize: MIN_DURATION_JSON };
    case 'date':
      return { maxElements: longestString(s), minSerializedSize: DATE_JSON };
    case 'date-time':
      return { maxElements: longestString(s), minSerializedSize: MIN_DATETIME_JSON };
    default:
      break;
  }
  if (s.maxLength !== undefined) return { maxElements: fromMaxLength(s.maxLength), minSerializedSize: MIN_STRING };
  if (s.enum?.length) {
    const longest = s.enum.reduce<number>((m, v) => (typeof v === 'string' ? Math.max(m, byteLength(v)) : m), 0);
    return { maxElements: longest, minSerializedSize: MIN_STRING };
  }
  return { maxElements: longestString(s), minSerializedSize: MIN_STRING };
}

/** The size bounds of `s`, or undefined where CEL does not see the node; `resourceRoot` as for celTypeOf. */
export function declSizes(s: JSONSchemaProps, resourceRoot = s['x-kubernetes-embedded-resource'] === true): DeclSize | undefined {
  if (s['x-kubernetes-int-or-string']) {
    return { maxElements: s.maxLength !== undefined ? fromMaxLength(s.maxLength) : longestString(s), minSerializedSize: 1 };
  }
  if (resourceRoot) s = withTypeAndObjectMeta(s);
  switch (s.type) {
    case 'array': {
      if (!s.items || typeof s.items !== 'object') return undefined;
      const items = declSizes(s.items);
      if (!items) return undefined;
      const max =
        s.maxItems !== undefined ? nonNegative(s.maxItems) : Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (items.minSerializedSize + 1));
      return { maxElements: max, minSerializedSize: 2, elem: items };
    }
    case 'object': {
      const extra = additionalSchema(s);
      if (extra) {
        const values = declSizes(extra);
        if (!values) return undefined;
        const max =
          s.maxProperties !== undefined
            ? nonNegative(s.maxProperties)
            : Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (values.minSerializedSize + 6));
        return { maxElements: max, minSerializedSize: 2, elem: values, key: MAP_KEY };
      }
      const required = new Set(s.required ?? []);
      const fields = new Map<string, DeclSize>();
      let min = 2;
      for (const [name, prop] of Object.entries(s.properties ?? {})) {
        const t = declSizes(prop);
        if (!t) continue;
        const escaped = escapeName(name);
        if (escaped !== undefined) fields.set(escaped, t);
        if (required.has(name) && prop.default === undefined) min += byteLength(name) + t.minSerializedSize + 4;
      }
      return { maxElements: 0, minSerializedSize: min, fields };
    }
    case 'string':
      return stringSizes(s);
    case 'boolean':
      return { maxElements: 0, minSerializedSize: MIN_BOOL };
    case 'number':
    case 'integer':
      return { maxElements: 0, minSerializedSize: MIN_NUMBER };
    default:
      return undefined;
  }
}

/** How many times a value of `minSize` bytes can repeat in one request (a comma between each). */
export function maxCardinality(minSize: number): number {
  return Math.floor(MAX_REQUEST_SIZE_BYTES / (minSize + 1));
}

/**
 * The messages whose JSON form is not their fields: the upstream types with their own JSON
 * (un)marshalling in Go. Each takes the decoded message (protobufjs's object of the fields sent)
 * and returns what the same value is in a JSON body; `nested` turns a message field of it into JSON
 * (apiextensions' JSONSchemaProps wrappers hold a schema).
 */
import type protobuf from 'protobufjs';
import { protobufjs } from './descriptor.js';
import { ProtobufError } from './errors.js';
import { parseGoJson } from '../../apimachinery/json-scan.js';

type Fields = Record<string, unknown>;

/** An int64/uint64 field as a JS number (protobufjs reads them as Long). */
export function numberOf(v: unknown, unsigned = false): number {
  if (v === undefined) return 0;
  return typeof v === 'number'
    ? v
    : protobufjs()
        .util.LongBits.from(v as protobuf.Long)
        .toNumber(unsigned);
}

function stringOf(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The seconds of a Timestamp that RFC 3339 can write: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
const MIN_SECONDS = -62_135_596_800;
const MAX_SECONDS = 253_402_300_799;

/**
 * Time (seconds, nanos) as RFC 3339, in seconds (Time) or microseconds (MicroTime); zero is null.
 * A time outside the years 1 to 9999, the range Timestamp documents, is malformed data (as
 * protobuf's own timestamp check words it): Go would keep an instant no JSON client can read back.
 */
function timeOf(m: Fields, micro: boolean): string | null {
  const seconds = numberOf(m.seconds);
  const nanos = typeof m.nanos === 'number' ? m.nanos : 0;
  if (seconds === 0 && nanos === 0) return null;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    const exact = m.seconds === undefined || typeof m.seconds === 'number' ? String(seconds) : String(m.seconds);
    throw new ProtobufError(`timestamp (seconds:${exact}) ${seconds < 0 ? 'before 0001-01-01' : 'after 9999-12-31'}`);
  }
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

/** A duration in nanoseconds as Go prints it (`1h2m3.5s`, `150ms`, `0s`). */
function durationOf(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  if (n < 1e9) {
    const [unit, div] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${n / div}${unit}`;
  }
  const h = Math.floor(n / 3.6e12);
  n -= h * 3.6e12;
  const m = Math.floor(n / 6e10);
  n -= m * 6e10;
  const s = `${n / 1e9}s`;
  return `${sign}${h ? `${h}h${m}m` : m ? `${m}m` : ''}${s}`;
}

/** Raw bytes that hold a JSON document (RawExtension, FieldsV1); empty is null. */
function rawJson(raw: unknown, message: string): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return null;
  try {
    return parseGoJson(Buffer.from(raw.buffer, raw.byteOffset, raw.length));
  } catch {
    throw new ProtobufError(`a ${message} does not hold JSON`);
  }
}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/** A named Go []string (its message wraps the list in `items`). */
const stringList = (m: Fields): unknown => (Array.isArray(m.items) ? m.items : []);

const APIEXTENSIONS = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';
const SCHEMA = `${APIEXTENSIONS}.JSONSchemaProps`;

/** A nested message as JSON: its message's fields turned into JSON (to-json.ts's messageToJson). */
export type NestedToJson = (message: string, fields: Fields) => unknown;

/** A set JSONSchemaProps field (`schema`) as JSON; undefined when unset. */
function schemaOf(m: Fields, nested: NestedToJson): unknown {
  return m.schema === undefined || m.schema === null ? undefined : nested(SCHEMA, m.schema as Fields);
}

/** By upstream full name. scripts/protobuf-update.ts skips these when it reads the Go structs. */
export const JSON_FORMS: Readonly<Record<string, (m: Fields, nested: NestedToJson) => unknown>> = {
  [`${META}.Time`]: (m) => timeOf(m, false),
  [`${META}.MicroTime`]: (m) => timeOf(m, true),
  [`${META}.Duration`]: (m) => durationOf(numberOf(m.duration)),
  [`${META}.FieldsV1`]: (m) => rawJson(m.Raw, 'FieldsV1'),
  [`${META}.Verbs`]: stringList, // a Go []string
  'k8s.io.api.authorization.v1.ExtraValue': stringList, // a Go []string
  'k8s.io.api.authentication.v1.ExtraValue': stringList, // a Go []string
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (m) => rawJson(m.raw, 'RawExtension'),
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (m) =>
    numberOf(m.type) === 1 ? stringOf(m.strVal) : typeof m.intVal === 'number' ? m.intVal : 0,
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (m) => stringOf(m.string),
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue': (m) => stringOf(m.string),
  // apiextensions v1 marshal.go: raw JSON (null when empty); the schema wrappers are their list,
  // their schema or their boolean, in that order of precedence, as their MarshalJSON writes them.
  [`${APIEXTENSIONS}.JSON`]: (m) => rawJson(m.raw, 'JSON'),
  [`${APIEXTENSIONS}.JSONSchemaPropsOrArray`]: (m, nested) =>
    Array.isArray(m.jSONSchemas) && m.jSONSchemas.length
      ? (m.jSONSchemas as Fields[]).map((s) => nested(SCHEMA, s))
      : (schemaOf(m, nested) ?? null),
  [`${APIEXTENSIONS}.JSONSchemaPropsOrBool`]: (m, nested) => schemaOf(m, nested) ?? m.allows === true,
  [`${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`]: (m, nested) =>
    Array.isArray(m.property) && m.property.length ? m.property : (schemaOf(m, nested) ?? null),
};

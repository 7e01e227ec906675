/**
 * Validation of a custom resource against its CRD's structural schema, worded as kube-apiserver
 * words it: go-openapi's validators (`<path> in body must be of type integer: "string"`, `should
 * match '<pattern>'`, …) turned into field errors the way apiextensions-apiserver converts them
 * (Required, Unsupported value, Too long, Too many, Invalid value; type and format mismatches as
 * TypeInvalid, which prints as Invalid value), then the list-type checks.
 * Paths are go-openapi's: dotted, with list indexes as `.0` and map keys as `.key`.
 */
import { deepEqual, isPlainObject } from '../object.js';
import {
  duplicate,
  invalidValue,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
  type BadValue,
  type FieldError,
} from '../field-errors.js';
import { goValue } from '../go-format.js';
import { isStrfmtDate, isStrfmtDateTime, parseStrfmtDuration } from '../cel/strfmt.js';
import { regexpMatches } from '../re2.js';
import { additionalSchema, type JSONSchemaProps } from './types.js';

/** go-openapi's name for the JSON type of a value (swag's type detection). */
function jsonTypeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'boolean';
  // Go decodes a whole number that fits an int64 as one; a larger one is a float64, which
  // go-openapi counts as an integer only up to 2^53.
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? 'integer' : 'number';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function typeMatches(type: string, v: unknown): boolean {
  const actual = jsonTypeOf(v);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}

/** A value as a field error shows it: scalars as themselves, anything else as Go's %#v would. */
function bad(v: unknown): BadValue {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return { go: goValue(v) };
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HOSTNAME = /^(?=.{1,255}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The string formats kube-apiserver checks (its strfmt registry); unknown formats pass, as upstream. */
export const FORMATS: Record<string, (s: string) => boolean> = {
  // strfmt.IsDate and strfmt.IsDateTime
  date: isStrfmtDate,
  'date-time': isStrfmtDateTime,
  uuid: (s) => UUID.test(s),
  ipv4: (s) => IPV4.test(s),
  hostname: (s) => HOSTNAME.test(s),
  byte: (s) => BASE64.test(s),
  // strfmt.IsDuration: what strfmt.ParseDuration reads (`1h30m`, `3 days`), as CEL's reader too
  duration: (s) => parseStrfmtDuration(s).error === undefined,
  int32: () => true,
  int64: () => true,
};

class Validator {
  readonly errors: FieldError[] = [];

  node(v: unknown, s: JSONSchemaProps, at: string): void {
    const name = at || '.';
    if (v === null || v === undefined) {
      if (s.nullable || !s.type) return;
      this.errors.push(typeInvalid(at, 'null', `${name} in body must be of type ${s.type}: "null"`));
      return;
    }
    if (s['x-kubernetes-int-or-string']) {
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) {
        this.errors.push(
          typeInvalid(at, jsonTypeOf(v), `${name} in body must be of type integer,string: ${JSON.stringify(jsonTypeOf(v))}`),
        );
        return;
      }
    } else if (s.type && !typeMatches(s.type, v)) {
      const actual = jsonTypeOf(v);
      this.errors.push(typeInvalid(at, actual, `${name} in body must be of type ${s.type}: ${JSON.stringify(actual)}`));
      return;
    }
    for (const sub of s.allOf ?? []) this.node(v, sub, at);
    if (s.anyOf?.length && !s.anyOf.some((sub) => validateValue(v, sub, at).length === 0)) {
      this.errors.push(invalidValue(at, bad(v), `${name} in body must validate at least one schema (anyOf)`));
    }
    if (s.oneOf?.length && s.oneOf.filter((sub) => validateValue(v, sub, at).length === 0).length !== 1) {
      this.errors.push(invalidValue(at, bad(v), `${name} in body must validate one and only one schema (oneOf)`));
    }
    if (s.not && validateValue(v, s.not, at).length === 0) {
      this.errors.push(invalidValue(at, bad(v), `${name} in body should not validate the schema (not)`));
    }
    if (typeof v === 'string') this.string(v, s, at, name);
    if (typeof v === 'number') this.number(v, s, at, name);
    if (Array.isArray(v)) this.array(v, s, at, name);
    if (s.enum && !s.enum.some((e) => deepEqual(e, v))) {
      this.errors.push(
        notSupported(
          at,
          bad(v),
          s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))),
        ),
      );
    }
    if (isPlainObject(v)) this.object(v, s, at, name);
  }

  private string(v: string, s: JSONSchemaProps, at: string, name: string): void {
    const chars = [...v].length;
    if (s.maxLength !== undefined && chars > s.maxLength) this.errors.push(tooLong(at, s.maxLength));
    if (s.minLength !== undefined && chars < s.minLength) {
      this.errors.push(invalidValue(at, v, `${name} in body should be at least ${s.minLength} chars long`));
    }
    if (s.pattern !== undefined && !matchesPattern(s.pattern, v)) {
      this.errors.push(invalidValue(at, v, `${name} in body should match '${s.pattern}'`));
    }
    const check = s.format ? FORMATS[s.format] : undefined;
    if (check && !check(v)) this.errors.push(typeInvalid(at, v, `${name} in body must be of type ${s.format}: ${JSON.stringify(v)}`));
  }

  private number(v: number, s: JSONSchemaProps, at: string, name: string): void {
    if (s.multipleOf !== undefined && s.multipleOf !== 0 && !Number.isInteger(v / s.multipleOf)) {
      this.errors.push(invalidValue(at, v, `${name} in body should be a multiple of ${s.multipleOf}`));
    }
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
      const how = s.exclusiveMaximum ? 'less than' : 'less than or equal to';
      this.errors.push(invalidValue(at, v, `${name} in body should be ${how} ${s.maximum}`));
    }
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
      const how = s.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      this.errors.push(invalidValue(at, v, `${name} in body should be ${how} ${s.minimum}`));
    }
  }

  private array(v: unknown[], s: JSONSchemaProps, at: string, name: string): void {
    if (s.minItems !== undefined && v.length < s.minItems) {
      this.errors.push(invalidValue(at, v.length, `${name} in body should have at least ${s.minItems} items`));
    }
    if (s.maxItems !== undefined && v.length > s.maxItems) this.errors.push(tooMany(at, v.length, s.maxItems));
    if (s.uniqueItems && v.some((x, i) => v.findIndex((y) => deepEqual(x, y)) !== i)) {
      this.errors.push(invalidValue(at, bad(v), `${name} in body shouldn't contain duplicates`));
    }
    if (s.items) v.forEach((item, i) => this.node(item, s.items!, `${at}.${i}`.replace(/^\./, '')));
    this.listType(v, s, at);
  }

  /** x-kubernetes-list-type set and map: no two items (or keys) alike (upstream's listtype validation). */
  private listType(v: unknown[], s: JSONSchemaProps, at: string): void {
    const type = s['x-kubernetes-list-type'];
    if (type === 'set') {
      v.forEach((x, i) => {
        if (v.findIndex((y) => deepEqual(x, y)) !== i) this.errors.push(duplicate(`${at}[${i}]`, bad(x)));
      });
    } else if (type === 'map') {
      const keys = s['x-kubernetes-list-map-keys'] ?? [];
      const keyOf = (x: unknown) =>
        isPlainObject(x) ? Object.fromEntries(keys.filter((k) => x[k] !== undefined).map((k) => [k, x[k]])) : x;
      v.forEach((x, i) => {
        const k = keyOf(x);
        if (v.findIndex((y) => deepEqual(keyOf(y), k)) !== i) this.errors.push(duplicate(`${at}[${i}]`, bad(k)));
      });
    }
  }

  private object(v: Record<string, unknown>, s: JSONSchemaProps, at: string, name: string): void {
    const count = Object.keys(v).length;
    if (s.maxProperties !== undefined && count > s.maxProperties) this.errors.push(tooMany(at, count, s.maxProperties));
    if (s.minProperties !== undefined && count < s.minProperties) {
      this.errors.push(invalidValue(at, count, `${name} in body should have at least ${s.minProperties} properties`));
    }
    const child = (key: string) => (at ? `${at}.${key}` : key);
    for (const key of s.required ?? []) if (!Object.hasOwn(v, key)) this.errors.push(required(child(key)));
    if (s['x-kubernetes-embedded-resource']) {
      if (typeof v.apiVersion !== 'string' || v.apiVersion === '') this.errors.push(required(child('apiVersion'), 'must not be empty'));
      if (typeof v.kind !== 'string' || v.kind === '') this.errors.push(required(child('kind'), 'must not be empty'));
    }
    const extra = additionalSchema(s);
    for (const [key, value] of Object.entries(v)) {
      const prop = s.properties?.[key];
      if (prop) this.node(value, prop, child(key));
      else if (extra) this.node(value, extra, child(key));
    }
  }
}

/** Whether `v` matches the pattern (RE2, as go-openapi's validator runs it); a pattern that does not compile matches nothing (the CRD's validation refused it). */
function matchesPattern(pattern: string, v: string): boolean {
  try {
    return regexpMatches(pattern, v);
  } catch {
    return false;
  }
}

/** Every schema violation of `value`, at `at` (a go-openapi path, '' for the root). */
export function validateValue(value: unknown, schema: JSONSchemaProps, at = ''): FieldError[] {
  const v = new Validator();
  v.node(value, schema, at);
  return v.errors;
}

/**
 * The Swagger 2.0 document of `/openapi/v2`: every path and definition in one document, in the
 * spelling upstream uses (plain `$ref` with a sibling description instead of `allOf`, body parameters,
 * IntOrString and Quantity as strings). kubectl 1.27/1.28 download it (as protobuf, see protobuf.ts)
 * before create/apply/edit/explain; it backs `kubectl explain --output=plaintext-openapiv2`, apply's
 * patch computation on those versions and the fallback of the fieldValidation check.
 */
import { V3_REF_PREFIX, type JsonSchema } from './definitions.js';
import type { Operation, Param } from './operations.js';
import { BEARER_TOKEN, RESPONSE_TEXT, renderPaths, type OpenApiModel } from './v3.js';

export const V2_REF_PREFIX = '#/definitions/';

function isTypeOnly(s: unknown): s is { type: string } {
  return typeof s === 'object' && s !== null && Object.keys(s).length === 1 && typeof (s as { type?: unknown }).type === 'string';
}

/** One v3 schema (as built by definitions.ts) in its v2 spelling. */
export function toV2Schema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toV2Schema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(s)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = value.startsWith(V3_REF_PREFIX) ? V2_REF_PREFIX + value.slice(V3_REF_PREFIX.length) : value;
    else if (key === 'allOf' && Array.isArray(value) && value.length === 1 && typeof (value[0] as JsonSchema).$ref === 'string') {
      Object.assign(out, toV2Schema(value[0]));
    } else if (key === 'oneOf' && Array.isArray(value) && value.every(isTypeOnly)) {
      // A scalar that is a number or a string (IntOrString, Quantity): Swagger 2.0 calls it a string.
      out.type = value.some((v) => v.type === 'string') ? 'string' : value[0].type;
    } else if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, toV2Schema(v)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = toV2Schema(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function param(p: Param): JsonSchema {
  return { name: p.name, in: p.in, description: p.description, ...(p.required ? { required: true } : {}), type: p.type, uniqueItems: true };
}

function schemaOf(name: string): JsonSchema {
  return name === 'string' ? { type: 'string' } : { $ref: V2_REF_PREFIX + name };
}

function operation(o: Operation): JsonSchema {
  const out: JsonSchema = { description: o.description };
  if (o.body) out.consumes = o.body.mediaTypes;
  out.produces = o.produces;
  out.schemes = ['https'];
  out.tags = [o.tag];
  out.operationId = o.operationId;
  const params: JsonSchema[] = [];
  if (o.body) params.push({ name: 'body', in: 'body', ...(o.body.required ? { required: true } : {}), schema: schemaOf(o.body.schema) });
  params.push(...o.params.map(param));
  if (params.length > 0) out.parameters = params;
  const responses: JsonSchema = {};
  for (const [code, schema] of Object.entries(o.responses)) {
    responses[code] = { description: RESPONSE_TEXT[code] ?? 'OK', ...(schema ? { schema: schemaOf(schema) } : {}) };
  }
  out.responses = responses;
  if (o.action) out['x-kubernetes-action'] = o.action;
  if (o.gvk) out['x-kubernetes-group-version-kind'] = { group: o.gvk.group, version: o.gvk.version, kind: o.gvk.kind };
  return out;
}

/** The whole Swagger 2.0 document. */
export function buildV2(model: OpenApiModel): JsonSchema {
  const definitions = Object.fromEntries(Object.entries(model.definitions).map(([name, s]) => [name, toV2Schema(s)]));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: model.version },
    paths: renderPaths([...model.groups.values()].flat(), operation, param),
    definitions,
    securityDefinitions: { BearerToken: BEARER_TOKEN },
    security: [{ BearerToken: [] }],
  };
}

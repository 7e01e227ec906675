/**
 * Checks that a request body is the kind the URL names, and fills in what it left out. A built-in
 * body is read as kube-apiserver's create and update handlers decode it (json.Serializer.Decode,
 * the versioning codec, transformDecodeError, then AcceptsGroupVersion); a custom resource as the
 * CRD handler's unstructured decoder reads it.
 */
import { badRequest, invalid } from '../apimachinery/status.js';
import { invalidValue, path } from '../apimachinery/field-errors.js';
import { summarizeData } from '../apimachinery/json-scan.js';
import { jsonKind } from '../apimachinery/prune.js';
import { isPlainObject, type KubeObject } from '../apimachinery/object.js';
import { apiVersionOf, type ResourceDefinition } from './resource-definition.js';
import {
  convertsTo,
  externalTypeOf,
  internalTypeOf,
  INTERNAL_VERSION,
  SCALE_SCHEME,
  schemeOf,
  type BuiltinScheme,
} from './builtin-scheme.js';

/** The endpoint a body is decoded for: its own group/version/kind, and the group-versions it takes. */
export interface BodyTarget {
  group: string;
  version: string;
  kind: string;
  /** apiVersions accepted besides the target's own (pods/eviction takes policy/v1beta1 too). */
  accepts?: readonly string[];
}

interface TypeMeta {
  group: string;
  version: string;
  kind: string;
}

/**
 * SimpleMetaFactory.Interpret: apiVersion and kind as Go reads them into strings, the apiVersion
 * split by schema.ParseGroupVersion; a string says why it cannot be.
 */
function interpret(body: Record<string, unknown>): TypeMeta | string {
  for (const field of ['apiVersion', 'kind']) {
    const value = body[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(value)} into Go struct field .${field} of type string`;
    }
  }
  const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : '';
  const kind = typeof body.kind === 'string' ? body.kind : '';
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '', kind };
  const parts = apiVersion.split('/');
  if (parts.length > 2) return `unexpected GroupVersion string: ${apiVersion}`;
  return parts.length === 1 ? { group: '', version: apiVersion, kind } : { group: parts[0], version: parts[1], kind };
}

/** gvkWithDefaults: a body's empty kind, and its empty version in the default's group, from the default. */
function withDefaults(tm: TypeMeta, d: TypeMeta): TypeMeta {
  const out = { ...tm };
  if (!out.kind) out.kind = d.kind;
  if (!out.version && !out.group) {
    out.group = d.group;
    out.version = d.version;
  }
  if (!out.version && out.group === d.group) out.version = d.version;
  return out;
}

function rawText(raw: unknown): string {
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : JSON.stringify(raw ?? null);
}

function unrecognized(kind: string, why: string, raw: unknown): Error {
  const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(rawText(raw));
  return badRequest(`the object provided is unrecognized (must be of type ${kind}): ${why} (${summarizeData(buf)})`);
}

/** What a body is decoded into: the scheme that reads its kind, the Go type of the result, and which kinds convert to that. */
interface DecodeInto {
  scheme: BuiltinScheme;
  type: string;
  converts(tm: TypeMeta): boolean;
}

/** A built-in endpoint's: its group's scheme, into its internal type. */
function builtinInto(target: { group: string; kind: string }): DecodeInto {
  return {
    scheme: schemeOf(target.group),
    type: internalTypeOf(target.group, target.kind),
    converts: (tm) => convertsTo(tm.group, tm.version, tm.kind, target.group, target.kind),
  };
}

/** A custom resource's Scale: client-go's scale scheme, into an autoscaling/v1 Scale, which only itself is. */
const SCALE_INTO: DecodeInto = {
  scheme: SCALE_SCHEME,
  type: 'v1.Scale',
  converts: (tm) => tm.group === 'autoscaling' && tm.version === 'v1' && tm.kind === 'Scale',
};
const SCALE_TARGET = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

/**
 * Why a body of this group/version/kind cannot be decoded: runtime's notRegisteredErr when the
 * scheme has no such kind (Scheme.New), the converter's "unknown conversion" when its Go type does
 * not convert to the one decoded into; undefined when it does.
 */
function kindDecodeFailure(tm: TypeMeta, into: DecodeInto): string | undefined {
  const scheme = into.scheme;
  const registered =
    (tm.version === INTERNAL_VERSION
      ? scheme.internalKinds.get(tm.group)?.has(tm.kind)
      : scheme.kinds.get(apiVersionOf(tm))?.has(tm.kind)) || scheme.unversioned.has(tm.kind);
  if (!registered) {
    return tm.version === INTERNAL_VERSION
      ? `no kind "${tm.kind}" is registered for the internal version of group "${tm.group}" in scheme "${scheme.name}"`
      : `no kind "${tm.kind}" is registered for version "${apiVersionOf(tm)}" in scheme "${scheme.name}"`;
  }
  if (into.converts(tm)) return undefined;
  const from = scheme.unversioned.has(tm.kind) ? `v1.${tm.kind}` : externalTypeOf(tm.group, tm.version, tm.kind);
  return `converting (${from}) to (${into.type}): unknown conversion`;
}

/**
 * A built-in create or update body's apiVersion and kind, as upstream's handler decodes them:
 * empty parts default to the endpoint's; a kind its scheme lacks, or one that does not convert to
 * the endpoint's type, is `K in version "V" cannot be handled as a X: …`; a convertible kind of a
 * group-version the endpoint does not take is `the API version in the data … does not match …`.
 * All 400 BadRequest. `raw` is the body as sent, which some messages quote.
 */
export function checkBodyKind(body: Record<string, unknown>, target: BodyTarget, raw: unknown): void {
  const own = apiVersionOf(target);
  if ((body.apiVersion === own || body.apiVersion === undefined) && (body.kind === target.kind || body.kind === undefined)) return;
  const read = interpret(body);
  if (typeof read === 'string') throw unrecognized(target.kind, read, raw);
  const tm = withDefaults(read, target);
  const cannot = (why: string) => badRequest(`${tm.kind} in version "${tm.version}" cannot be handled as a ${target.kind}: ${why}`);
  if (!tm.version) throw cannot(`Object 'apiVersion' is missing in '${rawText(raw)}'`);
  const failure = kindDecodeFailure(tm, builtinInto(target));
  if (failure) throw cannot(failure);
  const given = apiVersionOf(tm);
  if (given !== own && !target.accepts?.includes(given)) {
    throw badRequest(`the API version in the data (${given}) does not match the expected API version (${own})`);
  }
}

/**
 * A custom resource body, as the CRD handler decodes it into an unstructured object (nothing is
 * defaulted): no kind is a 400 (unstructuredJSONScheme's missing kind), an apiVersion other than
 * the URL's is the create and update handlers' 400. Any kind decodes: one other than the CRD's is
 * its validator's 422, later (checkCustomResourceTypeMeta).
 */
function checkCustomResourceKind(def: ResourceDefinition, body: Record<string, unknown>, raw: unknown): void {
  const own = apiVersionOf(def);
  if (body.apiVersion === own && body.kind === def.kind) return;
  const read = interpret(body);
  if (typeof read === 'string') throw unrecognized(def.kind, read, raw);
  if (!read.kind) throw unrecognized(def.kind, `Object 'Kind' is missing in '${rawText(raw)}'`, raw);
  const given = apiVersionOf(read);
  if (given !== own) throw badRequest(`the API version in the data (${given}) does not match the expected API version (${own})`);
}

/** customResourceValidator.ValidateTypeMeta: a custom resource's kind and apiVersion are the CRD's (422 Invalid). */
export function checkCustomResourceTypeMeta(def: ResourceDefinition, obj: Record<string, unknown>): void {
  const own = apiVersionOf(def);
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const errors = [
    ...(kind !== def.kind ? [invalidValue(path('kind'), kind, `must be ${def.kind}`)] : []),
    ...(apiVersion !== own ? [invalidValue(path('apiVersion'), apiVersion, `must be ${own}`)] : []),
  ];
  if (!errors.length) return;
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  throw invalid({ group: def.group, kind: def.kind }, typeof meta.name === 'string' ? meta.name : '', errors);
}

/**
 * Why the result of a JSON or merge patch does not decode into the endpoint's type, or undefined.
 * Upstream decodes it with runtime.DecodeInto: nothing defaults from the URL, so an empty kind or
 * version is the internal type's (and decodes as it is); a custom resource needs a kind. `text` is
 * the patched document as upstream quotes it. A strategic merge patch reads no kind at all.
 */
export function patchedKindFailure(def: ResourceDefinition, obj: Record<string, unknown>, text: () => string): string | undefined {
  if (obj.apiVersion === apiVersionOf(def) && obj.kind === def.kind) return undefined;
  const read = interpret(obj);
  if (typeof read === 'string') return read;
  if (def.unstructured) return read.kind ? undefined : `Object 'Kind' is missing in '${text()}'`;
  const tm = withDefaults(read, { group: def.group, version: INTERNAL_VERSION, kind: def.kind });
  if (!tm.version) return `Object 'apiVersion' is missing in '${text()}'`;
  return kindDecodeFailure(tm, builtinInto(def));
}

/** The check of a create or update body of this resource, built-in or custom. */
export function checkKind(def: ResourceDefinition, body: Record<string, unknown>, raw: unknown): void {
  if (def.unstructured) checkCustomResourceKind(def, body, raw);
  else checkBodyKind(body, def, raw);
}

/** The body as the object to store: a JSON object, with metadata, apiVersion and kind the URL's. */
export function checkBody(def: ResourceDefinition, body: unknown): KubeObject {
  if (!isPlainObject(body)) throw badRequest(`Object '${def.kind}' is not a JSON object`);
  if (body.metadata === undefined || body.metadata === null) body.metadata = {};
  if (!isPlainObject(body.metadata)) throw badRequest(`metadata of ${def.kind} must be an object`);
  body.apiVersion = apiVersionOf(def);
  body.kind = def.kind;
  return body as KubeObject;
}

/** Namespace from the URL wins; a different one in the body is a 400, as upstream. */
export function checkNamespace(def: ResourceDefinition, obj: KubeObject, urlNamespace: string | undefined): void {
  if (!def.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  const given = obj.metadata.namespace;
  if (given && urlNamespace && given !== urlNamespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = urlNamespace ?? given;
}

export function checkName(obj: KubeObject, urlName: string): void {
  const given = obj.metadata.name;
  if (given && given !== urlName) {
    throw badRequest(`the name of the object (${given}) does not match the name on the URL (${urlName})`);
  }
  obj.metadata.name = urlName;
}

/**
 * The CRD handler's Scale (the scale subresource of a custom resource), decoded with client-go's
 * scale scheme into an autoscaling/v1 Scale. An update body of any other kind fails to decode, and
 * the failure is never shown: transformDecodeError first asks the handler's typer (which knows
 * only the CRD's parameter kinds) for the Scale's kind, and answers that it has none (400).
 */
export const SCALE_UPDATE_DECODE_FAILURE =
  'no kind is registered for the type v1.Scale in scheme "pkg/apiserver/customresource_handler.go:725"';

/** Whether a Scale update body decodes (its apiVersion and kind, defaulted from autoscaling/v1 Scale, are those). */
export function isScaleBody(body: Record<string, unknown>): boolean {
  if ((body.apiVersion === 'autoscaling/v1' || body.apiVersion === undefined) && (body.kind === 'Scale' || body.kind === undefined))
    return true;
  const read = interpret(body);
  if (typeof read === 'string') return false;
  const tm = withDefaults(read, SCALE_TARGET);
  return !!tm.version && kindDecodeFailure(tm, SCALE_INTO) === undefined;
}

/** Why a JSON or merge patch's result does not decode as a custom resource's Scale (runtime.DecodeInto), or undefined. */
export function patchedScaleFailure(obj: Record<string, unknown>, text: () => string): string | undefined {
  if (obj.apiVersion === 'autoscaling/v1' && obj.kind === 'Scale') return undefined;
  const read = interpret(obj);
  if (typeof read === 'string') return read;
  const tm = withDefaults(read, SCALE_TARGET);
  if (!tm.version) return `Object 'apiVersion' is missing in '${text()}'`;
  return kindDecodeFailure(tm, SCALE_INTO);
}

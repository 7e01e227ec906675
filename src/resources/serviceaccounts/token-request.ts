/**
 * authentication.k8s.io/v1 TokenRequest, the body of `serviceaccounts/<name>/token` (upstream's
 * TokenREST and pkg/serviceaccount claims): the request is checked and defaulted here, its claims
 * built, and the answer assembled around the signed token. Reading the objects it names and signing
 * are the caller's (the HTTP handler and TokenIssuer).
 */
import { Type, type Static } from '@sinclair/typebox';
import { invalidValue, path, tooLong, type FieldError } from '../../apimachinery/field-errors.js';
import { isPlainObject, rfc3339, type KubeObject } from '../../apimachinery/object.js';
import { prune } from '../../apimachinery/prune.js';
import type { NumberTokens } from '../../apimachinery/json-numbers.js';
import { inSchemaOrder } from '../../apimachinery/schema-order.js';
import { field, int64, str } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { badRequest, invalid } from '../../apimachinery/status.js';
import type { RequestKind } from '../../registry/resource-definition.js';

export const TOKEN_REQUEST_KIND: RequestKind = {
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'TokenRequest',
  protobuf: 'k8s.io.api.authentication.v1.TokenRequest',
};
const GROUP_KIND = { group: TOKEN_REQUEST_KIND.group, kind: TOKEN_REQUEST_KIND.kind };

/** The API server's issuer (--service-account-issuer), also its only API audience (--api-audiences defaults to it). */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const API_AUDIENCES = [SERVICE_ACCOUNT_ISSUER];

/** SetDefaults_TokenRequestSpec. */
const DEFAULT_EXPIRATION_SECONDS = 3600;
/** ValidateTokenRequest's bounds: ten minutes, 2^32 seconds. */
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;
/**
 * The lifetime the ServiceAccount admission gives projected tokens (WarnOnlyBoundTokenExpirationSeconds):
 * a pod-bound request for exactly this many seconds gets a token valid a year that says when to warn
 * (--service-account-extend-token-expiration, on by default).
 */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607;
const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 60 * 60;

const BoundObjectReferenceSchema = Type.Object(
  {
    kind: Type.Optional(str('Kind of the referent: Pod, Node or Secret.')),
    apiVersion: Type.Optional(str('API version of the referent.')),
    name: Type.Optional(str('Name of the referent.')),
    uid: Type.Optional(str('UID of the referent.')),
  },
  { $id: 'io.k8s.api.authentication.v1.BoundObjectReference', description: 'The object a token is bound to.' },
);

const TokenRequestSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(
      Type.Object(
        {
          audiences: Type.Optional(Type.Array(str('An audience.'), { description: 'Who the token is meant for.' })),
          expirationSeconds: Type.Optional(int64('Requested lifetime of the token.')),
          boundObjectRef: Type.Optional(field(BoundObjectReferenceSchema, 'The object the token is valid only as long as.')),
        },
        { $id: 'io.k8s.api.authentication.v1.TokenRequestSpec', description: 'What a token is requested for.' },
      ),
    ),
  },
  { $id: 'io.k8s.api.authentication.v1.TokenRequest', description: 'A request for a service account token.' },
);

type BoundObjectReference = Static<typeof BoundObjectReferenceSchema>;

export interface TokenRequestSpec {
  audiences: string[];
  expirationSeconds: number;
  boundObjectRef: BoundObjectReference | null;
}

interface ParsedTokenRequest {
  metadata: KubeObject['metadata'];
  spec: TokenRequestSpec;
}

/** An object a token names in its claims. */
export interface ClaimRef {
  name: string;
  uid?: string;
}

/**
 * The decoded body checked against the URL's account and namespace, and defaulted (400 when it does
 * not decode, 422 when it names another account or namespace, as TokenREST.Create refuses).
 * `numbers`: the JSON body's numbers that JSON.parse did not keep as written (json-numbers.ts).
 */
export function parseTokenRequest(body: unknown, namespace: string, name: string, numbers?: NumberTokens): ParsedTokenRequest {
  const decoded = prune(isPlainObject(body) ? body : {}, TokenRequestSchema, numbers && { numbers });
  if (decoded.typeError) throw badRequest(`TokenRequest in version "v1" cannot be handled as a TokenRequest: ${decoded.typeError}`);
  const req = decoded.value as Static<typeof TokenRequestSchema>;
  const metadata: KubeObject['metadata'] = { ...(req.metadata ?? {}) };
  if (metadata.name && metadata.name !== name) {
    throw invalid(GROUP_KIND, name, [
      invalidValue(path('metadata', 'name'), metadata.name, 'must match the service account name if specified'),
    ]);
  }
  if (metadata.namespace && metadata.namespace !== namespace) {
    throw invalid(GROUP_KIND, name, [
      invalidValue(path('metadata', 'namespace'), metadata.namespace, 'must match the service account namespace if specified'),
    ]);
  }
  metadata.name = name;
  metadata.namespace = namespace;
  const spec: TokenRequestSpec = {
    audiences: req.spec?.audiences?.length ? req.spec.audiences : [...API_AUDIENCES],
    expirationSeconds: req.spec?.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS,
    boundObjectRef: req.spec?.boundObjectRef ?? null,
  };
  return { metadata, spec };
}

/** ValidateTokenRequest (422), which upstream runs once the account was found. */
export function validateTokenRequest(spec: TokenRequestSpec): void {
  const errs: FieldError[] = [];
  const at = path('spec', 'expirationSeconds');
  if (spec.expirationSeconds < MIN_EXPIRATION_SECONDS)
    errs.push(invalidValue(at, spec.expirationSeconds, 'may not specify a duration less than 10 minutes'));
  if (spec.expirationSeconds > MAX_EXPIRATION_SECONDS) errs.push(tooLong(at, MAX_EXPIRATION_SECONDS));
  // Upstream validates after filling the name in, but reports the object with an empty name.
  if (errs.length) throw invalid(GROUP_KIND, '', errs);
}

export interface TokenSubject {
  serviceAccount: { namespace: string; name: string; uid: string };
  pod?: ClaimRef;
  secret?: ClaimRef;
  node?: ClaimRef;
}

/**
 * The token's claims (pkg/serviceaccount Claims plus the issuer), keys sorted as go-jose writes the
 * merged claim set. `now` in ms; a pod-bound token of the admission's lifetime is extended.
 */
export function tokenClaims(subject: TokenSubject, spec: TokenRequestSpec, now: number, jti: string): Record<string, unknown> {
  const sa = subject.serviceAccount;
  const iat = Math.floor(now / 1000);
  const extended =
    subject.pod !== undefined &&
    spec.expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS &&
    spec.audiences.every((a) => API_AUDIENCES.includes(a));
  const lifetime = extended ? EXTENDED_EXPIRATION_SECONDS : spec.expirationSeconds;
  const ref = (r: ClaimRef) => (r.uid ? { name: r.name, uid: r.uid } : { name: r.name });
  const kubernetes: Record<string, unknown> = { namespace: sa.namespace };
  if (subject.node) kubernetes.node = ref(subject.node);
  if (subject.pod) kubernetes.pod = ref(subject.pod);
  if (subject.secret) kubernetes.secret = ref(subject.secret);
  kubernetes.serviceaccount = ref(sa);
  if (extended) kubernetes.warnafter = iat + spec.expirationSeconds;
  return {
    aud: spec.audiences,
    exp: iat + lifetime,
    iat,
    iss: SERVICE_ACCOUNT_ISSUER,
    jti,
    'kubernetes.io': kubernetes,
    nbf: iat,
    sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
  };
}

/** The answer: the request as defaulted, created now, with the token and when it expires (now + the requested seconds). */
export function tokenRequestResponse(req: ParsedTokenRequest, token: string, now: number): KubeObject {
  const metadata = inSchemaOrder({ ...req.metadata, creationTimestamp: rfc3339(now) }, ObjectMetaSchema);
  return {
    kind: TOKEN_REQUEST_KIND.kind,
    apiVersion: `${TOKEN_REQUEST_KIND.group}/${TOKEN_REQUEST_KIND.version}`,
    metadata,
    spec: { ...req.spec },
    status: { token, expirationTimestamp: rfc3339(now + req.spec.expirationSeconds * 1000) },
  };
}

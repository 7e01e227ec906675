/**
 * authorization.k8s.io/v1 access reviews, answered by the server's authorizer (RBAC, with
 * system:masters allowed everything): SelfSubjectAccessReview and SelfSubjectRulesReview about the
 * requester (`kubectl auth can-i`, `--list`), SubjectAccessReview about any user (cluster-wide) and
 * LocalSubjectAccessReview (in its namespace). All are create-only and never stored
 * (ResourceDefinition.virtual); kubectl 1.32+ POSTs them as protobuf.
 */
import type { TSchema } from '@sinclair/typebox';
import { attributes, type Attributes, type Authorizer } from '../../apimachinery/authorization.js';
import { invalidValue, path, type FieldError } from '../../apimachinery/field-errors.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { prune } from '../../apimachinery/prune.js';
import { badRequest, invalid } from '../../apimachinery/status.js';
import { isPlainObject } from '../../apimachinery/object.js';
import type { UserInfo } from '../../apimachinery/user-info.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { openKindSchemas } from '../../apimachinery/schemas/open-kind.js';
import {
  SelfSubjectAccessReviewSpecSchema,
  SelfSubjectRulesReviewSpecSchema,
  SubjectAccessReviewSpecSchema,
  type ReviewAttributes,
  type SubjectAccessReviewSpec,
} from './review-specs.js';
import { goQuote } from '../../apimachinery/go-quote.js';

const GROUP = 'authorization.k8s.io';
const VERSION = 'v1';

/**
 * The request's spec as the apiserver reads it: decoded into its type, so unknown fields are
 * dropped and the rest come in Go's order.
 */
function decodedSpecOf(body: KubeObject | undefined, schema: TSchema): Record<string, unknown> {
  if (!isPlainObject(body?.spec)) return {};
  const decoded = prune(body.spec, schema).value;
  return isPlainObject(decoded) ? decoded : {};
}

/** The names, schemas and protobuf message of one review kind (its fields are not described: kept as sent). */
function reviewKind(kind: string, namespaced = false) {
  const schemas = openKindSchemas(GROUP, VERSION, kind);
  return {
    group: GROUP,
    version: VERSION,
    kind,
    listKind: `${kind}List`,
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    namespaced,
    schema: schemas.kind,
    listSchema: schemas.list,
    protobuf: `k8s.io.api.authorization.v1.${kind}`,
    strategy: {},
  };
}

function review(kind: string, body: KubeObject | undefined, spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject {
  const metadata: KubeObject['metadata'] = {};
  if (body?.metadata.name) metadata.name = body.metadata.name;
  if (body?.metadata.namespace) metadata.namespace = body.metadata.namespace;
  return { kind, apiVersion: `${GROUP}/${VERSION}`, metadata, spec, status };
}

/** ValidateSelfSubjectAccessReviewSpec / the SubjectAccessReview part: exactly one kind of attributes. */
export function attributeErrors(spec: ReviewAttributes): FieldError[] {
  const fld = path('spec');
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    const n = spec.nonResourceAttributes;
    const shown = { go: `authorization.NonResourceAttributes{Path:${goQuote(n.path ?? '')}, Verb:${goQuote(n.verb ?? '')}}` };
    return [invalidValue(fld.child('nonResourceAttributes'), shown, 'cannot be specified in combination with resourceAttributes')];
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    return [
      invalidValue(fld.child('resourceAttributes'), 'null', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'),
    ];
  }
  return [];
}

/** The attributes a review asks about, for `user`. */
function reviewedAttributes(user: UserInfo, spec: ReviewAttributes): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return attributes(user, r.verb ?? '', {
      resourceRequest: true,
      namespace: r.namespace,
      apiGroup: r.group,
      apiVersion: r.version,
      resource: r.resource,
      subresource: r.subresource,
      name: r.name,
    });
  }
  const n = spec.nonResourceAttributes ?? {};
  return attributes(user, n.verb ?? '', { path: n.path });
}

/** SubjectAccessReviewStatus: allowed, and the reason when there is one (denied is never set: RBAC has no deny). */
function accessStatus(authorizer: Authorizer, attrs: Attributes): Record<string, unknown> {
  const decision = authorizer.authorize(attrs);
  const status: Record<string, unknown> = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return status;
}

function checked<T extends ReviewAttributes>(kind: string, spec: T, extra: FieldError[] = []): T {
  const errors = [...attributeErrors(spec), ...extra];
  if (errors.length) throw invalid({ group: GROUP, kind }, '', errors);
  return spec;
}

export const selfSubjectAccessReviews: ResourceDefinition = {
  ...reviewKind('SelfSubjectAccessReview'),
  virtual: {
    create: (body, _namespace, { user, authorizer }) => {
      const spec = checked('SelfSubjectAccessReview', decodedSpecOf(body, SelfSubjectAccessReviewSpecSchema) as ReviewAttributes);
      return review(
        'SelfSubjectAccessReview',
        body,
        spec as Record<string, unknown>,
        accessStatus(authorizer, reviewedAttributes(user, spec)),
      );
    },
  },
};

function subjectOf(spec: SubjectAccessReviewSpec): UserInfo {
  const user: UserInfo = { username: spec.user ?? '', groups: spec.groups ?? [] };
  if (spec.uid) user.uid = spec.uid;
  if (spec.extra) user.extra = spec.extra;
  return user;
}

function subjectErrors(spec: SubjectAccessReviewSpec): FieldError[] {
  if (spec.user || spec.groups?.length) return [];
  return [invalidValue(path('spec', 'user'), spec.user ?? '', 'at least one of user or group must be specified')];
}

export const subjectAccessReviews: ResourceDefinition = {
  ...reviewKind('SubjectAccessReview'),
  virtual: {
    create: (body, _namespace, { authorizer }) => {
      const decoded = decodedSpecOf(body, SubjectAccessReviewSpecSchema) as SubjectAccessReviewSpec;
      const spec = checked('SubjectAccessReview', decoded, subjectErrors(decoded));
      return review(
        'SubjectAccessReview',
        body,
        decoded as Record<string, unknown>,
        accessStatus(authorizer, reviewedAttributes(subjectOf(spec), spec)),
      );
    },
  },
};

export const localSubjectAccessReviews: ResourceDefinition = {
  ...reviewKind('LocalSubjectAccessReview', true),
  virtual: {
    create: (body, namespace, { authorizer }) => {
      const decoded = decodedSpecOf(body, SubjectAccessReviewSpecSchema) as SubjectAccessReviewSpec;
      if (decoded.resourceAttributes?.namespace !== namespace) {
        throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace ?? ''}`);
      }
      const spec = checked('LocalSubjectAccessReview', decoded, subjectErrors(decoded));
      return review(
        'LocalSubjectAccessReview',
        body,
        decoded as Record<string, unknown>,
        accessStatus(authorizer, reviewedAttributes(subjectOf(spec), spec)),
      );
    },
  },
};

/** ResourceRuleInfo / NonResourceRuleInfo as the status lists them: empty lists left out. */
function withoutEmptyLists<T extends object>(rule: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => !Array.isArray(v) || v.length > 0));
}

export const selfSubjectRulesReviews: ResourceDefinition = {
  ...reviewKind('SelfSubjectRulesReview'),
  virtual: {
    create: (body, _namespace, { user, authorizer }) => {
      const spec = decodedSpecOf(body, SelfSubjectRulesReviewSpecSchema) as { namespace?: string };
      if (!spec.namespace) throw badRequest('no namespace on request');
      const rules = authorizer.rulesFor(user, spec.namespace);
      const status: Record<string, unknown> = {
        resourceRules: rules.resourceRules.map(withoutEmptyLists),
        nonResourceRules: rules.nonResourceRules.map(withoutEmptyLists),
        incomplete: rules.incomplete,
      };
      if (rules.evaluationError) status.evaluationError = rules.evaluationError;
      return review('SelfSubjectRulesReview', body, spec, status);
    },
  },
};

export default [localSubjectAccessReviews, selfSubjectAccessReviews, selfSubjectRulesReviews, subjectAccessReviews];

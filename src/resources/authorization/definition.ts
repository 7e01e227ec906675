/**
 * authorization.k8s.io/v1 SelfSubjectAccessReview and SelfSubjectRulesReview: what `kubectl auth
 * can-i` asks. kubemock has no authorization, so every request is allowed and every rule is granted.
 * Both are create-only and never stored (ResourceDefinition.virtual). kubectl 1.32+ POSTs them as
 * protobuf, which is accepted without being decoded: the answer does not depend on the question.
 */
import type { TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../../apimachinery/object.js';
import { prune } from '../../apimachinery/prune.js';
import { SelfSubjectAccessReviewSpecSchema, SelfSubjectRulesReviewSpecSchema } from './review-specs.js';
import { isPlainObject } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { openKindSchemas } from '../../apimachinery/schemas/open-kind.js';

const GROUP = 'authorization.k8s.io';
const VERSION = 'v1';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/**
 * The request's spec echoed back (empty when it was not decoded), as the apiserver echoes it:
 * decoded into its type, so unknown fields are dropped and the rest come in Go's order.
 */
function decodedSpecOf(body: KubeObject | undefined, schema: TSchema): Record<string, unknown> {
  if (!isPlainObject(body?.spec)) return {};
  const decoded = prune(body.spec, schema).value;
  return isPlainObject(decoded) ? decoded : {};
}

/** The names, schemas and protobuf message of one review kind (its fields are not described: kept as sent). */
function reviewKind(kind: string) {
  const schemas = openKindSchemas(GROUP, VERSION, kind);
  return {
    group: GROUP,
    version: VERSION,
    kind,
    listKind: `${kind}List`,
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    namespaced: false,
    schema: schemas.kind,
    listSchema: schemas.list,
    protobuf: `k8s.io.api.authorization.v1.${kind}`,
    strategy: {},
  };
}

function review(kind: string, body: KubeObject | undefined, specSchema: TSchema, status: Record<string, unknown>): KubeObject {
  const metadata: KubeObject['metadata'] = {};
  if (body?.metadata.name) metadata.name = body.metadata.name;
  return { kind, apiVersion: `${GROUP}/${VERSION}`, metadata, spec: decodedSpecOf(body, specSchema), status };
}

export const selfSubjectAccessReviews: ResourceDefinition = {
  ...reviewKind('SelfSubjectAccessReview'),
  virtual: {
    opaqueMediaTypes: [PROTOBUF],
    create: (body) =>
      review('SelfSubjectAccessReview', body, SelfSubjectAccessReviewSpecSchema, {
        allowed: true,
        reason: 'kubemock allows every request',
      }),
  },
};

export const selfSubjectRulesReviews: ResourceDefinition = {
  ...reviewKind('SelfSubjectRulesReview'),
  virtual: {
    opaqueMediaTypes: [PROTOBUF],
    create: (body) =>
      review('SelfSubjectRulesReview', body, SelfSubjectRulesReviewSpecSchema, {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      }),
  },
};

export default [selfSubjectAccessReviews, selfSubjectRulesReviews];

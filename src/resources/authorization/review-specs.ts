/**
 * The spec of the authorization.k8s.io/v1 self-reviews, which the answer echoes: decoded into
 * these shapes, as the apiserver decodes the request into its Go structs (unknown fields dropped,
 * fields written back in declaration order).
 */
import { Type } from '@sinclair/typebox';
import { atomicList, field, str } from '../../apimachinery/schemas/extensions.js';

const AUTHORIZATION = 'io.k8s.api.authorization.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

function selectorRequirement(kind: 'Field' | 'Label') {
  return Type.Object(
    {
      key: str('The key the requirement applies to.'),
      operator: str('In, NotIn, Exists or DoesNotExist.'),
      values: Type.Optional(atomicList(str('A value.'), 'The values the operator compares with.')),
    },
    { $id: `${META}.${kind}SelectorRequirement`, description: `One requirement of a ${kind.toLowerCase()} selector.` },
  );
}

function selectorAttributes(kind: 'Field' | 'Label') {
  return Type.Object(
    {
      rawSelector: Type.Optional(str('The selector as a query parameter would give it.')),
      requirements: Type.Optional(atomicList(selectorRequirement(kind), 'The parsed requirements.')),
    },
    { $id: `${AUTHORIZATION}.${kind}SelectorAttributes`, description: `A ${kind.toLowerCase()} selector of the request reviewed.` },
  );
}

const ResourceAttributesSchema = Type.Object(
  {
    namespace: Type.Optional(str('Namespace of the request.')),
    verb: Type.Optional(str('Verb of the request.')),
    group: Type.Optional(str('API group of the resource.')),
    version: Type.Optional(str('API version of the resource.')),
    resource: Type.Optional(str('The resource.')),
    subresource: Type.Optional(str('The subresource.')),
    name: Type.Optional(str('Name of the object.')),
    fieldSelector: Type.Optional(field(selectorAttributes('Field'), 'Field selector of a list or watch.')),
    labelSelector: Type.Optional(field(selectorAttributes('Label'), 'Label selector of a list or watch.')),
  },
  { $id: `${AUTHORIZATION}.ResourceAttributes`, description: 'A request on a resource.' },
);

const NonResourceAttributesSchema = Type.Object(
  {
    path: Type.Optional(str('URL path of the request.')),
    verb: Type.Optional(str('HTTP verb of the request.')),
  },
  { $id: `${AUTHORIZATION}.NonResourceAttributes`, description: 'A request on a non-resource URL.' },
);

export const SelfSubjectAccessReviewSpecSchema = Type.Object(
  {
    resourceAttributes: Type.Optional(field(ResourceAttributesSchema, 'The resource request asked about.')),
    nonResourceAttributes: Type.Optional(field(NonResourceAttributesSchema, 'The non-resource request asked about.')),
  },
  { $id: `${AUTHORIZATION}.SelfSubjectAccessReviewSpec`, description: 'The request a SelfSubjectAccessReview asks about.' },
);

export const SelfSubjectRulesReviewSpecSchema = Type.Object(
  { namespace: Type.Optional(str('Namespace the rules are listed for.')) },
  { $id: `${AUTHORIZATION}.SelfSubjectRulesReviewSpec`, description: 'The namespace a SelfSubjectRulesReview lists rules for.' },
);

export const SubjectAccessReviewSpecSchema = Type.Object(
  {
    resourceAttributes: Type.Optional(field(ResourceAttributesSchema, 'The resource request asked about.')),
    nonResourceAttributes: Type.Optional(field(NonResourceAttributesSchema, 'The non-resource request asked about.')),
    user: Type.Optional(str('The user asked about.')),
    groups: Type.Optional(atomicList(str('A group.'), 'The groups of the user asked about.')),
    extra: Type.Optional(
      Type.Record(Type.String(), atomicList(str('A value.'), 'The values of one key.'), {
        description: 'Extra information about the user.',
      }),
    ),
    uid: Type.Optional(str('The UID of the user asked about.')),
  },
  { $id: `${AUTHORIZATION}.SubjectAccessReviewSpec`, description: 'The request and user a SubjectAccessReview asks about.' },
);

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

/** What an access review asks about: a request on a resource, or on a non-resource URL. */
export interface ReviewAttributes {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: { path?: string; verb?: string };
}

export interface SubjectAccessReviewSpec extends ReviewAttributes {
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  uid?: string;
}

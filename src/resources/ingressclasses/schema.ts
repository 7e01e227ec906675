/** networking.k8s.io/v1 IngressClass: an ingress controller, and its configuration, Ingresses can name. */
import { Type, type Static } from '@sinclair/typebox';
import { field, gvk, str } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';

const NETWORKING = 'io.k8s.api.networking.v1';

export const IngressClassParametersReferenceSchema = Type.Object(
  {
    apiGroup: Type.Optional(str("The referent's API group; absent for the core group.")),
    kind: str("The referent's kind."),
    name: str("The referent's name."),
    scope: Type.Optional(str('Cluster (the default) or Namespace: whether the referent is cluster-scoped or in a namespace.')),
    namespace: Type.Optional(str("The referent's namespace: required with scope Namespace, forbidden with Cluster.")),
  },
  { $id: `${NETWORKING}.IngressClassParametersReference`, description: 'An object holding configuration for the controller.' },
);

export const IngressClassSpecSchema = Type.Object(
  {
    controller: Type.Optional(
      str('The controller that implements the class, as a domain-prefixed path (e.g. example.com/ingress-controller); immutable.'),
    ),
    parameters: Type.Optional(field(IngressClassParametersReferenceSchema, 'An object with further configuration for the controller.')),
  },
  { $id: `${NETWORKING}.IngressClassSpec`, description: 'The controller of an IngressClass and its configuration.' },
);

export const IngressClassSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(IngressClassSpecSchema, 'The controller of the class and its configuration.')),
  },
  {
    $id: `${NETWORKING}.IngressClass`,
    description:
      'A class of Ingresses, served by one controller. The annotation ingressclass.kubernetes.io/is-default-class: "true" makes it the class of new Ingresses that name none.',
    ...gvk('networking.k8s.io', 'v1', 'IngressClass'),
  },
);

export const IngressClassListSchema = listSchema(IngressClassSchema, 'IngressClass');

export type IngressClass = Static<typeof IngressClassSchema>;
export type IngressClassSpec = Static<typeof IngressClassSpecSchema>;
export type IngressClassParametersReference = Static<typeof IngressClassParametersReferenceSchema>;

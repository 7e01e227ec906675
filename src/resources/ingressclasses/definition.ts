/**
 * networking.k8s.io/v1 IngressClass (pkg/registry/networking/ingressclass): cluster-scoped, no
 * status, generation moving with the spec, no short names. The class an Ingress names in
 * spec.ingressClassName; the one annotated `ingressclass.kubernetes.io/is-default-class: "true"`
 * is given to new Ingresses that name none (ingresses/default-class-admission.ts).
 */
import type { Stored } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { IngressClassListSchema, IngressClassSchema, type IngressClass } from './schema.js';
import { table } from './table.js';
import { defaultIngressClass, validateIngressClass, validateIngressClassUpdate } from './validation.js';

const ingressClasses: ResourceDefinition<Stored<IngressClass>> = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  listKind: 'IngressClassList',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  schema: IngressClassSchema,
  listSchema: IngressClassListSchema,
  protobuf: 'k8s.io.api.networking.v1.IngressClass',
  table,
  tracksGeneration: true,
  strategy: {
    defaults: (ic) => defaultIngressClass(ic),
    validate: (ic) => validateIngressClass(ic),
    validateUpdate: (ic, old, meta) => validateIngressClassUpdate(ic, old, meta),
  },
};

export default ingressClasses;

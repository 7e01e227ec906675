/**
 * networking.k8s.io/v1 Ingress (pkg/registry/networking/ingress): namespaced, short name `ing`, a
 * /status subresource written by the ingress controller (status reset on create and kept on spec
 * writes), generation moving with the spec. A new Ingress without a class gets the default one
 * (default-class-admission.ts). kubemock runs no ingress controller: the status stays empty until
 * someone writes it.
 */
import type { Stored } from '../../apimachinery/object.js';
import { statusKeepsSpec, type ResourceDefinition, DEFAULT_RESET_FIELDS } from '../../registry/resource-definition.js';
import { admitDefaultIngressClass } from './default-class-admission.js';
import { IngressListSchema, IngressSchema, type Ingress } from './schema.js';
import { table } from './table.js';
import { validateIngressCreate, validateIngressStatusUpdate, validateIngressUpdate } from './validation.js';

const ingresses: ResourceDefinition<Stored<Ingress>> = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  listKind: 'IngressList',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  schema: IngressSchema,
  listSchema: IngressListSchema,
  protobuf: 'k8s.io.api.networking.v1.Ingress',
  table,
  tracksGeneration: true,
  // GetResetFields: the Ingress strategy resets status; the status strategy, spec.
  resetFields: DEFAULT_RESET_FIELDS,
  strategy: {
    prepareForCreate(ing) {
      ing.status = {};
    },
    // The stored status stays; a copy stored without one has Go's empty status.
    prepareForUpdate(ing, old) {
      ing.status = old.status ?? {};
    },
    validate: (ing) => validateIngressCreate(ing),
    // ValidateIngressUpdate: ObjectMetaUpdate, then validateIngress (ObjectMeta first).
    validateUpdate: (ing, old, meta) => [...meta.update(), ...meta.create(), ...validateIngressUpdate(ing, old)],
  },
  statusStrategy: statusKeepsSpec({
    validateUpdate: (ing, old, meta) => [...meta.update(), ...validateIngressStatusUpdate(ing, old)],
  }),
  hooks: {
    admit: (ing, old, cluster) => admitDefaultIngressClass(ing, old, cluster),
  },
};

export default ingresses;

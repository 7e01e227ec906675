/**
 * networking.k8s.io/v1 ServiceCIDR (pkg/registry/networking/servicecidr): cluster-scoped, with a
 * /status subresource. Its strategy leaves the status to the writer on create and on updates of the
 * main resource (upstream's PrepareForCreate and PrepareForUpdate change nothing); /status keeps
 * the spec and resets the metadata (ResetObjectMetaForStatus). The API server keeps the default
 * one, `kubernetes` (default-servicecidr.ts); the ServiceCIDR controller its finalizer and Ready
 * condition; the Service allocator takes cluster IPs from the ready ones (services/ip-ranges.ts).
 */
import type { Stored } from '../../apimachinery/object.js';
import { DEFAULT_RESET_FIELDS, statusKeepsSpec, type ResourceDefinition } from '../../registry/resource-definition.js';
import { ServiceCIDRListSchema, ServiceCIDRSchema, type ServiceCIDR } from './schema.js';
import { table } from './table.js';
import { validateServiceCIDR, validateServiceCIDRUpdate } from './validation.js';

const serviceCIDRs: ResourceDefinition<Stored<ServiceCIDR>> = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'ServiceCIDR',
  listKind: 'ServiceCIDRList',
  plural: 'servicecidrs',
  singular: 'servicecidr',
  namespaced: false,
  schema: ServiceCIDRSchema,
  listSchema: ServiceCIDRListSchema,
  protobuf: 'k8s.io.api.networking.v1.ServiceCIDR',
  table,
  // GetResetFields: the strategy's status, the status strategy's spec.
  resetFields: DEFAULT_RESET_FIELDS,
  strategy: {
    validate: (sc) => validateServiceCIDR(sc),
    // The strategy's ValidateUpdate: ValidateServiceCIDR (ObjectMeta first), then ValidateServiceCIDRUpdate (ObjectMetaUpdate first).
    validateUpdate: (sc, old, meta) => [
      ...meta.create(),
      ...validateServiceCIDR(sc),
      ...meta.update(),
      ...validateServiceCIDRUpdate(sc, old),
    ],
  },
  // ValidateServiceCIDRStatusUpdate checks the metadata update only.
  statusStrategy: statusKeepsSpec({ statusMetadata: 'reset', validateUpdate: (_sc, _old, meta) => meta.update() }),
};

export default serviceCIDRs;

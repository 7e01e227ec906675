/**
 * core/v1 Endpoints (k8s pkg/registry/core/endpoint): no status, no generation; written by the
 * endpoints controller for Services with a selector, by hand for the others; `kubectl get ep`
 * shows NAME ENDPOINTS AGE.
 */
import type { Stored } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { EndpointsListSchema, EndpointsSchema, type Endpoints } from './schema.js';
import { table } from './table.js';
import { defaultEndpoints, validateEndpoints } from './validation.js';
import { endpointsWarnings } from './warnings.js';

const endpoints: ResourceDefinition<Stored<Endpoints>> = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  listKind: 'EndpointsList',
  plural: 'endpoints',
  etcdResourcePrefix: 'services/endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  deprecated: { since: '1.33', replacement: 'discovery.k8s.io/v1 EndpointSlice' },
  schema: EndpointsSchema,
  listSchema: EndpointsListSchema,
  protobuf: 'k8s.io.api.core.v1.Endpoints',
  table,
  // AllowCreateOnUpdate (true in pkg/registry/core/endpoint/strategy.go): a PUT of a missing one creates it.
  allowCreateOnUpdate: true,
  strategy: {
    defaults: (ep) => defaultEndpoints(ep),
    validate: (ep) => validateEndpoints(ep),
    // ValidateEndpointsUpdate: ValidateObjectMetaUpdate, then the subsets (no ValidateObjectMeta).
    validateUpdate: (ep, _old, meta) => [...meta.update(), ...validateEndpoints(ep)],
    warnings: (ep) => endpointsWarnings(ep),
  },
};

export default endpoints;

/**
 * discovery.k8s.io/v1 EndpointSlice (k8s pkg/registry/discovery/endpointslice): no status; the
 * generation moves when anything but metadata (labels aside) changes. Written by the EndpointSlice
 * controller for Services with a selector (and by kube-apiserver for `default/kubernetes`).
 */
import type { Stored } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { EndpointSliceListSchema, EndpointSliceSchema, type EndpointSlice } from './schema.js';
import { table } from './table.js';
import { defaultEndpointSlice, validateEndpointSlice, validateEndpointSliceUpdate } from './validation.js';
import { endpointSliceWarnings } from './warnings.js';

type StoredSlice = Stored<EndpointSlice>;

/**
 * Go keeps a nil list as nil and protobuf storage turns an empty one into nil, so a slice without
 * endpoints or ports reads back `null` in both fields (neither is omitempty).
 */
function nullEmptyLists(slice: StoredSlice): void {
  const lists = slice as { endpoints?: unknown[] | null; ports?: unknown[] | null };
  if (!lists.endpoints?.length) lists.endpoints = null;
  if (!lists.ports?.length) lists.ports = null;
}

/** A slice has no spec: its generation moves when its address type, endpoints, ports or labels change. */
const generationSubject = (s: StoredSlice) => [s.addressType, s.endpoints, s.ports, s.metadata.labels ?? {}];

const endpointSlices: ResourceDefinition<StoredSlice> = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  listKind: 'EndpointSliceList',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  schema: EndpointSliceSchema,
  listSchema: EndpointSliceListSchema,
  protobuf: 'k8s.io.api.discovery.v1.EndpointSlice',
  tracksGeneration: true,
  generationSubject,
  table,
  strategy: {
    defaults: (s) => defaultEndpointSlice(s),
    prepareForCreate: nullEmptyLists,
    prepareForUpdate: nullEmptyLists,
    validate: (s) => validateEndpointSlice(s),
    // ValidateEndpointSliceUpdate: ValidateEndpointSlice (ObjectMeta first), then addressType; no ValidateObjectMetaUpdate.
    validateUpdate: (s, old, meta) => [...meta.create(), ...validateEndpointSliceUpdate(s, old)],
    warnings: (s, old) => endpointSliceWarnings(s, old),
  },
};

export default endpointSlices;

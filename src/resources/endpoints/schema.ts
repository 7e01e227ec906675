/** core/v1 Endpoints: the addresses behind a Service, grouped into subsets that share ports (Go field order). */
import { Type, type Static } from '@sinclair/typebox';
import { atomicList, atomicStruct, field, gvk, int32, str } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { CORE } from '../core-schemas/container.js';
import { ObjectReferenceSchema } from '../core-schemas/event.js';

export const EndpointAddressSchema = Type.Object(
  {
    ip: str('The IP of this endpoint; may not be loopback, link-local or link-local multicast.'),
    hostname: Type.Optional(str('Hostname of this endpoint (a headless Service publishes it in DNS).')),
    nodeName: Type.Optional(str('Node hosting this endpoint.')),
    targetRef: Type.Optional(field(ObjectReferenceSchema, 'The object providing the endpoint, usually a Pod.')),
  },
  { $id: `${CORE}.EndpointAddress`, description: 'One address of an endpoint.', ...atomicStruct },
);

export const EndpointPortSchema = Type.Object(
  {
    name: Type.Optional(str('The name of the Service port this endpoint port serves; optional when the Service has one port.')),
    port: int32('The port number of the endpoint.'),
    protocol: Type.Optional(str('TCP (the default), UDP or SCTP.')),
    appProtocol: Type.Optional(str('Application protocol of the port, as the Service port gives it.')),
  },
  { $id: `${CORE}.EndpointPort`, description: 'A port number of an endpoint.', ...atomicStruct },
);

export const EndpointSubsetSchema = Type.Object(
  {
    addresses: Type.Optional(atomicList(EndpointAddressSchema, 'Addresses ready to receive traffic on these ports.')),
    notReadyAddresses: Type.Optional(
      atomicList(EndpointAddressSchema, 'Addresses not ready to receive traffic (not yet started, or failing their readiness probe).'),
    ),
    ports: Type.Optional(atomicList(EndpointPortSchema, 'The port numbers these addresses serve.')),
  },
  { $id: `${CORE}.EndpointSubset`, description: 'A group of addresses that share a set of ports.' },
);

export const EndpointsSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    subsets: Type.Optional(
      atomicList(EndpointSubsetSchema, 'The addresses and ports of the Service, as groups of addresses sharing the same ports.'),
    ),
  },
  {
    $id: `${CORE}.Endpoints`,
    description: 'The endpoints of a Service: what the Service name resolves to (deprecated in favour of EndpointSlice).',
    ...gvk('', 'v1', 'Endpoints'),
  },
);

export const EndpointsListSchema = listSchema(EndpointsSchema, 'Endpoints');

export type Endpoints = Static<typeof EndpointsSchema>;
export type EndpointSubset = Static<typeof EndpointSubsetSchema>;
export type EndpointAddress = Static<typeof EndpointAddressSchema>;
export type EndpointPort = Static<typeof EndpointPortSchema>;

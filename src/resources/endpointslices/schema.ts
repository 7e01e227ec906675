/** discovery.k8s.io/v1 EndpointSlice: a slice of a Service's endpoints of one address type, sharing one set of ports (Go field order). */
import { Type, type Static } from '@sinclair/typebox';
import { atomicList, atomicStruct, bool, field, gvk, int32, setList, str, stringMap } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { ObjectReferenceSchema } from '../core-schemas/event.js';

const DISCOVERY = 'io.k8s.api.discovery.v1';

export const EndpointConditionsSchema = Type.Object(
  {
    ready: Type.Optional(bool('Whether the endpoint is ready for traffic; absent means unknown (read as ready).')),
    serving: Type.Optional(bool('Whether the endpoint is serving, whatever its terminating state.')),
    terminating: Type.Optional(bool('Whether the endpoint is terminating.')),
  },
  { $id: `${DISCOVERY}.EndpointConditions`, description: 'The current state of an endpoint.' },
);

export const ForZoneSchema = Type.Object(
  { name: str('Name of the zone.') },
  { $id: `${DISCOVERY}.ForZone`, description: 'A zone an endpoint should serve.' },
);

export const ForNodeSchema = Type.Object(
  { name: str('Name of the node.') },
  { $id: `${DISCOVERY}.ForNode`, description: 'A node an endpoint should serve.' },
);

export const EndpointHintsSchema = Type.Object(
  {
    forZones: Type.Optional(atomicList(ForZoneSchema, 'Zones this endpoint should serve, for topology aware routing.')),
    forNodes: Type.Optional(atomicList(ForNodeSchema, 'Nodes this endpoint should serve, for topology aware routing.')),
  },
  { $id: `${DISCOVERY}.EndpointHints`, description: 'Hints on how an endpoint should be consumed.' },
);

export const EndpointSchema = Type.Object(
  {
    addresses: setList(str('An address.'), "The addresses of this endpoint, of the slice's address type (consumers use the first)."),
    conditions: Type.Optional(field(EndpointConditionsSchema, 'The current state of the endpoint.')),
    hostname: Type.Optional(str('Hostname of this endpoint (a headless Service publishes it in DNS).')),
    targetRef: Type.Optional(field(ObjectReferenceSchema, 'The object providing the endpoint, usually a Pod.')),
    deprecatedTopology: Type.Optional(stringMap('Topology of the endpoint (deprecated: use nodeName and zone).')),
    nodeName: Type.Optional(str('Node hosting this endpoint.')),
    zone: Type.Optional(str('Zone this endpoint is in.')),
    hints: Type.Optional(field(EndpointHintsSchema, 'Hints on how the endpoint should be consumed.')),
  },
  { $id: `${DISCOVERY}.Endpoint`, description: 'One endpoint of a Service.' },
);

export const EndpointSlicePortSchema = Type.Object(
  {
    name: Type.Optional(str("Name of the port: the Service port's name, empty or a DNS label, unique in the slice.")),
    protocol: Type.Optional(str('TCP (the default), UDP or SCTP.')),
    port: Type.Optional(int32('The port number; absent means all ports.')),
    appProtocol: Type.Optional(str('Application protocol of the port.')),
  },
  { $id: `${DISCOVERY}.EndpointPort`, description: 'A port of the endpoints of a slice.', ...atomicStruct },
);

export const EndpointSliceSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    addressType: str('The type of the addresses in this slice: IPv4, IPv6 or FQDN; immutable.'),
    endpoints: Type.Optional(atomicList(EndpointSchema, 'The endpoints of the slice (at most 1000).')),
    ports: Type.Optional(
      atomicList(
        EndpointSlicePortSchema,
        'The ports every endpoint of the slice exposes (at most 100); absent means none, an empty port all.',
      ),
    ),
  },
  {
    $id: `${DISCOVERY}.EndpointSlice`,
    description: 'A subset of the endpoints of a Service, of one address type and one set of ports.',
    ...gvk('discovery.k8s.io', 'v1', 'EndpointSlice'),
  },
);

export const EndpointSliceListSchema = listSchema(EndpointSliceSchema, 'EndpointSlice');

export type EndpointSlice = Static<typeof EndpointSliceSchema>;
export type Endpoint = Static<typeof EndpointSchema>;
export type EndpointSlicePort = Static<typeof EndpointSlicePortSchema>;

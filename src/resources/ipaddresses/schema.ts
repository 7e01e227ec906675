/** networking.k8s.io/v1 IPAddress: one address taken by an object (a Service's cluster IP), named by the address. */
import { Type, type Static } from '@sinclair/typebox';
import { field, gvk, str } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';

const NETWORKING = 'io.k8s.api.networking.v1';

export const ParentReferenceSchema = Type.Object(
  {
    group: Type.Optional(str('The API group of the object holding the address; empty for the core group.')),
    resource: Type.Optional(str('The resource (plural) of the object holding the address, e.g. services.')),
    namespace: Type.Optional(str('The namespace of the object holding the address; empty for a cluster-scoped one.')),
    name: Type.Optional(str('The name of the object holding the address.')),
  },
  { $id: `${NETWORKING}.ParentReference`, description: 'The object an IPAddress belongs to.' },
);

export const IPAddressSpecSchema = Type.Object(
  {
    parentRef: Type.Optional(field(ParentReferenceSchema, 'The object the address belongs to; required, and fixed once set.')),
  },
  { $id: `${NETWORKING}.IPAddressSpec`, description: 'Who holds an IPAddress.' },
);

export const IPAddressSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(IPAddressSpecSchema, 'Who holds the address.')),
  },
  {
    $id: `${NETWORKING}.IPAddress`,
    description:
      'One IP address in use, named by the address in its canonical form (dotted decimal without leading zeros for IPv4, RFC 5952 for IPv6). The API server keeps one per Service cluster IP.',
    ...gvk('networking.k8s.io', 'v1', 'IPAddress'),
  },
);

export const IPAddressListSchema = listSchema(IPAddressSchema, 'IPAddress');

export type IPAddress = Static<typeof IPAddressSchema>;
export type ParentReference = Static<typeof ParentReferenceSchema>;

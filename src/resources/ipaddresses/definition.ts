/**
 * networking.k8s.io/v1 IPAddress (pkg/registry/networking/ipaddress): cluster-scoped, no status,
 * named by the address it stands for. The Service REST creates one per cluster IP it allocates and
 * deletes it when the IP is released (services/ip-addresses.ts); clients may create their own, which
 * keeps the address from Services.
 */
import type { Stored } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { IPAddressListSchema, IPAddressSchema, type IPAddress } from './schema.js';
import { table } from './table.js';
import { nameIsCanonicalIP, validateIPAddress, validateIPAddressUpdate } from './validation.js';

const ipAddresses: ResourceDefinition<Stored<IPAddress>> = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IPAddress',
  listKind: 'IPAddressList',
  plural: 'ipaddresses',
  singular: 'ipaddress',
  namespaced: false,
  nameValidator: nameIsCanonicalIP,
  schema: IPAddressSchema,
  listSchema: IPAddressListSchema,
  protobuf: 'k8s.io.api.networking.v1.IPAddress',
  table,
  strategy: {
    validate: (ip) => validateIPAddress(ip),
    validateUpdate: (ip, old, meta) => validateIPAddressUpdate(ip, old, meta),
  },
};

export default ipAddresses;

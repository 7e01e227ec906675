/**
 * The IPAddress objects the Service REST's allocator keeps (ipallocator.go's createIPAddress): one
 * per cluster IP, named by the address in its canonical form, labelled with its IP family and as
 * managed by ipallocator.k8s.io, its parentRef the Service.
 */
import type { Stored } from '../../apimachinery/object.js';
import { resourceKey } from '../../registry/resource-definition.js';
import type { IPAddress } from './schema.js';

export type StoredIPAddress = Stored<IPAddress>;

/** Where IPAddresses are stored (a ClusterReader's and the controllers' cache key). */
export const IP_ADDRESSES = resourceKey('networking.k8s.io', 'ipaddresses');

/** LabelIPAddressFamily and LabelManagedBy (k8s.io/api networking/v1), and the allocator's ControllerName. */
export const IP_FAMILY_LABEL = 'ipaddress.kubernetes.io/ip-family';
export const MANAGED_BY_LABEL = 'ipaddress.kubernetes.io/managed-by';
export const IP_ALLOCATOR_NAME = 'ipallocator.k8s.io';

/** The IPAddress for `ip` (canonical text) held by the Service `namespace/name`. */
export function serviceIPAddress(ip: string, family: 'IPv4' | 'IPv6', namespace: string, name: string): StoredIPAddress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IPAddress',
    metadata: { name: ip, labels: { [IP_FAMILY_LABEL]: family, [MANAGED_BY_LABEL]: IP_ALLOCATOR_NAME } },
    // The core group is empty, which the omitempty group field leaves out.
    spec: { parentRef: { resource: 'services', namespace, name } },
  };
}

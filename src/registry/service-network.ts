/** The service network kube-apiserver starts with unless told otherwise (its flags' defaults). */
import { parseIPv4Cidr, parsePortRange } from '../apimachinery/ipv4.js';
import type { ServiceNetwork } from './resource-definition.js';

/** The address the `kubernetes` Endpoints advertise for the API server (kube-apiserver's --advertise-address). */
export const ADVERTISED_ADDRESS = '127.0.0.1';

export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';
export const DEFAULT_SERVICE_NODE_PORT_RANGE = '30000-32767';

export const DEFAULT_SERVICE_NETWORK: ServiceNetwork = {
  clusterIPRange: parseIPv4Cidr(DEFAULT_SERVICE_CLUSTER_IP_RANGE)!,
  nodePortRange: parsePortRange(DEFAULT_SERVICE_NODE_PORT_RANGE)!,
};

/** core/v1 Service: a stable virtual address (and DNS name) in front of a set of pods. */
import { Type } from '@sinclair/typebox';
import { atomicList, bool, field, gvk, int32, intOrString, mergeList, str, stringMap } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { CORE } from './container.js';
import { ConditionSchema } from '../../apimachinery/schemas/condition.js';

export const ServicePortSchema = Type.Object(
  {
    name: Type.Optional(str('Name of this port; required (and unique) when the service has more than one port.')),
    protocol: Type.Optional(str('TCP (the default), UDP or SCTP.')),
    appProtocol: Type.Optional(str('Application protocol hint for implementations, e.g. "http" or "kubernetes.io/h2c".')),
    port: int32('The port the service listens on.'),
    targetPort: Type.Optional(intOrString('Port number or named container port of the selected pods; defaults to `port`.')),
    nodePort: Type.Optional(int32('Port opened on every node for NodePort and LoadBalancer services.')),
  },
  { $id: `${CORE}.ServicePort`, description: 'One port a service exposes and where it forwards to.' },
);

export const ClientIPConfigSchema = Type.Object(
  { timeoutSeconds: Type.Optional(int32('How long a client sticks to one endpoint (1 to 86400 seconds, default 10800).')) },
  { $id: `${CORE}.ClientIPConfig`, description: 'Settings of client-IP session affinity.' },
);

export const SessionAffinityConfigSchema = Type.Object(
  { clientIP: Type.Optional(field(ClientIPConfigSchema, 'Settings used when sessionAffinity is ClientIP.')) },
  { $id: `${CORE}.SessionAffinityConfig`, description: 'Session affinity settings.' },
);

export const ServiceSpecSchema = Type.Object(
  {
    ports: Type.Optional(mergeList(ServicePortSchema, 'port', 'Ports the service exposes.', { mapKeys: ['port', 'protocol'] })),
    selector: Type.Optional(stringMap('Labels of the pods traffic is sent to; absent means endpoints are managed by hand.', 'atomic')),
    clusterIP: Type.Optional(str('Virtual IP of the service, allocated when empty; "None" makes a headless service.')),
    clusterIPs: Type.Optional(atomicList(str('An IP address.'), 'The cluster IPs, one per IP family; the first equals clusterIP.')),
    type: Type.Optional(str('ClusterIP (the default), NodePort, LoadBalancer or ExternalName.')),
    externalIPs: Type.Optional(atomicList(str('An IP address.'), 'Addresses outside the cluster that also route to the service.')),
    sessionAffinity: Type.Optional(str('None (the default) or ClientIP.')),
    loadBalancerIP: Type.Optional(str('Requested load balancer address (deprecated).')),
    loadBalancerSourceRanges: Type.Optional(atomicList(str('A CIDR.'), 'Client ranges a load balancer admits.')),
    externalName: Type.Optional(str('DNS name the service aliases, for type ExternalName.')),
    externalTrafficPolicy: Type.Optional(str('Cluster or Local: how traffic from outside reaches endpoints.')),
    healthCheckNodePort: Type.Optional(int32('Node port for load balancer health checks when externalTrafficPolicy is Local.')),
    publishNotReadyAddresses: Type.Optional(bool('Whether endpoints that are not ready are published too.')),
    sessionAffinityConfig: Type.Optional(field(SessionAffinityConfigSchema, 'Session affinity settings.')),
    ipFamilies: Type.Optional(atomicList(str('IPv4 or IPv6.'), 'IP families of the cluster IPs, in order.')),
    ipFamilyPolicy: Type.Optional(str('SingleStack, PreferDualStack or RequireDualStack.')),
    allocateLoadBalancerNodePorts: Type.Optional(bool('Whether node ports are allocated for a LoadBalancer service.')),
    loadBalancerClass: Type.Optional(str('Load balancer implementation to use.')),
    internalTrafficPolicy: Type.Optional(str('Cluster or Local: how traffic from inside the cluster reaches endpoints.')),
    trafficDistribution: Type.Optional(str('Preference for how traffic is spread over endpoints, e.g. PreferClose.')),
  },
  { $id: `${CORE}.ServiceSpec`, description: 'Desired behaviour of a service.' },
);

export const PortStatusSchema = Type.Object(
  {
    port: int32('Port number.'),
    protocol: str('TCP, UDP or SCTP.'),
    error: Type.Optional(str('Why the port could not be opened, if it could not.')),
  },
  { $id: `${CORE}.PortStatus`, description: 'State of one load balancer port.' },
);

export const LoadBalancerIngressSchema = Type.Object(
  {
    ip: Type.Optional(str('IP address of the load balancer.')),
    hostname: Type.Optional(str('Host name of the load balancer.')),
    ipMode: Type.Optional(str('VIP or Proxy: how the load balancer address is used.')),
    ports: Type.Optional(atomicList(PortStatusSchema, 'Per-port state.')),
  },
  { $id: `${CORE}.LoadBalancerIngress`, description: 'One address of a load balancer.' },
);

export const LoadBalancerStatusSchema = Type.Object(
  { ingress: Type.Optional(atomicList(LoadBalancerIngressSchema, 'Addresses of the load balancer.')) },
  { $id: `${CORE}.LoadBalancerStatus`, description: 'State of a load balancer.' },
);

export const ServiceStatusSchema = Type.Object(
  {
    loadBalancer: Type.Optional(field(LoadBalancerStatusSchema, 'The load balancer, for type LoadBalancer.')),
    conditions: Type.Optional(mergeList(ConditionSchema, 'type', 'Current conditions of the service.')),
  },
  { $id: `${CORE}.ServiceStatus`, description: 'Observed state of a service.' },
);

export const ServiceSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(ServiceSpecSchema, 'Desired behaviour of the service.')),
    status: Type.Optional(field(ServiceStatusSchema, 'Observed state of the service.')),
  },
  {
    $id: `${CORE}.Service`,
    description: 'A named, stable network endpoint (virtual IP and DNS name) for the pods its selector picks.',
    ...gvk('', 'v1', 'Service'),
  },
);

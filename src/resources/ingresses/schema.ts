/** networking.k8s.io/v1 Ingress: HTTP(S) routes from outside the cluster to Services, by host and path. */
import { Type, type Static } from '@sinclair/typebox';
import { atomicList, atomicStruct, field, gvk, int32, str } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { TypedLocalObjectReferenceSchema } from '../core-schemas/volume.js';

const NETWORKING = 'io.k8s.api.networking.v1';

export const ServiceBackendPortSchema = Type.Object(
  {
    name: Type.Optional(str("The name of the Service's port; excludes number.")),
    number: Type.Optional(int32("The Service's port number; excludes name.")),
  },
  { $id: `${NETWORKING}.ServiceBackendPort`, description: 'A port of the backend Service, by name or number.', ...atomicStruct },
);

export const IngressServiceBackendSchema = Type.Object(
  {
    name: str('The Service, in the namespace of the Ingress.'),
    port: Type.Optional(field(ServiceBackendPortSchema, 'The port of the Service, by name or number (one of them is required).')),
  },
  { $id: `${NETWORKING}.IngressServiceBackend`, description: 'A Service traffic is sent to.' },
);

export const IngressBackendSchema = Type.Object(
  {
    service: Type.Optional(field(IngressServiceBackendSchema, 'A Service to send traffic to; excludes resource.')),
    resource: Type.Optional(
      field(TypedLocalObjectReferenceSchema, 'Another object in the namespace to send traffic to (controller-defined); excludes service.'),
    ),
  },
  { $id: `${NETWORKING}.IngressBackend`, description: 'Where matching traffic is sent: a Service or another object.' },
);

export const HTTPIngressPathSchema = Type.Object(
  {
    path: Type.Optional(str('The path requests are matched against; absolute for Exact and Prefix.')),
    pathType: str('How path is matched: Exact, Prefix (by path elements) or ImplementationSpecific (up to the controller).'),
    backend: field(IngressBackendSchema, 'Where the requests that match are sent.'),
  },
  { $id: `${NETWORKING}.HTTPIngressPath`, description: 'A path and the backend its requests go to.' },
);

export const HTTPIngressRuleValueSchema = Type.Object(
  {
    paths: atomicList(HTTPIngressPathSchema, 'Paths and their backends (at least one).'),
  },
  { $id: `${NETWORKING}.HTTPIngressRuleValue`, description: 'The HTTP routes of a rule: paths and their backends.' },
);

export const IngressRuleSchema = Type.Object(
  {
    host: Type.Optional(
      str('The host requests must name to match, a DNS name (not an IP), possibly with a leading "*." wildcard label; absent: every host.'),
    ),
    http: Type.Optional(field(HTTPIngressRuleValueSchema, 'HTTP routes of the host.')),
  },
  { $id: `${NETWORKING}.IngressRule`, description: 'The routes of one host (or of every host).' },
);

export const IngressTLSSchema = Type.Object(
  {
    hosts: Type.Optional(atomicList(str('A host.'), 'Hosts the certificate is for; absent: the default host of the controller.')),
    secretName: Type.Optional(str('The Secret with the certificate and key; optional for controllers that use SNI only.')),
  },
  { $id: `${NETWORKING}.IngressTLS`, description: 'TLS for some hosts: the Secret with their certificate.' },
);

export const IngressSpecSchema = Type.Object(
  {
    ingressClassName: Type.Optional(
      str('The IngressClass of this Ingress; set on creation to the default class when absent (and no class annotation is set).'),
    ),
    defaultBackend: Type.Optional(field(IngressBackendSchema, 'Where requests no rule matches are sent.')),
    tls: Type.Optional(atomicList(IngressTLSSchema, 'TLS configuration, by host.')),
    rules: Type.Optional(atomicList(IngressRuleSchema, 'Host rules; absent: everything goes to the default backend.')),
  },
  { $id: `${NETWORKING}.IngressSpec`, description: 'The routes of an Ingress, its TLS and its class.' },
);

export const IngressPortStatusSchema = Type.Object(
  {
    port: int32('The port number.'),
    protocol: str('TCP, UDP or SCTP.'),
    error: Type.Optional(str('Why the port could not be opened, if it could not.')),
  },
  { $id: `${NETWORKING}.IngressPortStatus`, description: 'State of one port of an Ingress load balancer.' },
);

export const IngressLoadBalancerIngressSchema = Type.Object(
  {
    ip: Type.Optional(str('An IP address of the load balancer.')),
    hostname: Type.Optional(str('A DNS name of the load balancer.')),
    ports: Type.Optional(atomicList(IngressPortStatusSchema, 'Per-port state.')),
  },
  { $id: `${NETWORKING}.IngressLoadBalancerIngress`, description: 'One address of the load balancer of an Ingress.' },
);

export const IngressLoadBalancerStatusSchema = Type.Object(
  {
    ingress: Type.Optional(atomicList(IngressLoadBalancerIngressSchema, 'The addresses of the load balancer.')),
  },
  { $id: `${NETWORKING}.IngressLoadBalancerStatus`, description: 'The load balancer of an Ingress.' },
);

export const IngressStatusSchema = Type.Object(
  {
    loadBalancer: Type.Optional(field(IngressLoadBalancerStatusSchema, 'The load balancer serving the Ingress.')),
  },
  { $id: `${NETWORKING}.IngressStatus`, description: 'Observed state of an Ingress, written by its controller.' },
);

export const IngressSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(IngressSpecSchema, 'The routes, TLS and class of the Ingress.')),
    status: Type.Optional(field(IngressStatusSchema, 'Observed state of the Ingress; read-only for clients.')),
  },
  {
    $id: `${NETWORKING}.Ingress`,
    description: 'Rules that route inbound HTTP(S) traffic to Services, served by the controller of its IngressClass.',
    ...gvk('networking.k8s.io', 'v1', 'Ingress'),
  },
);

export const IngressListSchema = listSchema(IngressSchema, 'Ingress');

export type Ingress = Static<typeof IngressSchema>;
export type IngressSpec = Static<typeof IngressSpecSchema>;
export type IngressBackend = Static<typeof IngressBackendSchema>;
export type IngressRule = Static<typeof IngressRuleSchema>;
export type HTTPIngressPath = Static<typeof HTTPIngressPathSchema>;
export type IngressLoadBalancerStatus = Static<typeof IngressLoadBalancerStatusSchema>;

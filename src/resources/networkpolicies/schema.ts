/** networking.k8s.io/v1 NetworkPolicy: which traffic may reach, and leave, a set of pods. */
import { Type, type Static } from '@sinclair/typebox';
import { atomicList, field, gvk, int32, intOrString, str } from '../../apimachinery/schemas/extensions.js';
import { LabelSelectorSchema, ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';

const NETWORKING = 'io.k8s.api.networking.v1';

export const NetworkPolicyPortSchema = Type.Object(
  {
    protocol: Type.Optional(str('TCP (the default), UDP or SCTP: the protocol traffic must use to match.')),
    port: Type.Optional(intOrString('The port on the pods, as a number or a named container port; absent: every port of the protocol.')),
    endPort: Type.Optional(int32('With a numeric port, the last port of a range starting there (at least the port).')),
  },
  { $id: `${NETWORKING}.NetworkPolicyPort`, description: 'A port, or a range of ports, a rule lets traffic through on.' },
);

export const IPBlockSchema = Type.Object(
  {
    cidr: str('The addresses the block allows, as a CIDR (e.g. 192.168.1.0/24 or 2001:db8::/64).'),
    except: Type.Optional(atomicList(str('A CIDR inside cidr.'), 'CIDRs inside cidr the block leaves out.')),
  },
  { $id: `${NETWORKING}.IPBlock`, description: 'A range of addresses, with holes, a rule allows; meant for traffic outside the cluster.' },
);

export const NetworkPolicyPeerSchema = Type.Object(
  {
    podSelector: Type.Optional(
      field(LabelSelectorSchema, 'Pods allowed, in the namespaces namespaceSelector picks (this namespace without one).'),
    ),
    namespaceSelector: Type.Optional(field(LabelSelectorSchema, 'Namespaces whose pods (those podSelector picks, else all) are allowed.')),
    ipBlock: Type.Optional(field(IPBlockSchema, 'Addresses allowed; excludes the two selectors.')),
  },
  {
    $id: `${NETWORKING}.NetworkPolicyPeer`,
    description: 'Where allowed traffic comes from or goes to: pods, namespaces, or an address block.',
  },
);

export const NetworkPolicyIngressRuleSchema = Type.Object(
  {
    ports: Type.Optional(atomicList(NetworkPolicyPortSchema, 'Ports the traffic may reach; empty or absent: every port.')),
    from: Type.Optional(atomicList(NetworkPolicyPeerSchema, 'Sources allowed; empty or absent: every source.')),
  },
  {
    $id: `${NETWORKING}.NetworkPolicyIngressRule`,
    description: 'Traffic the selected pods may receive: from these sources, on these ports.',
  },
);

export const NetworkPolicyEgressRuleSchema = Type.Object(
  {
    ports: Type.Optional(atomicList(NetworkPolicyPortSchema, 'Ports the traffic may go to; empty or absent: every port.')),
    to: Type.Optional(atomicList(NetworkPolicyPeerSchema, 'Destinations allowed; empty or absent: every destination.')),
  },
  {
    $id: `${NETWORKING}.NetworkPolicyEgressRule`,
    description: 'Traffic the selected pods may send: to these destinations, on these ports.',
  },
);

export const NetworkPolicySpecSchema = Type.Object(
  {
    podSelector: field(LabelSelectorSchema, 'The pods of the namespace the policy applies to; an empty selector picks them all.'),
    ingress: Type.Optional(
      atomicList(
        NetworkPolicyIngressRuleSchema,
        'Incoming traffic allowed (any rule matching lets it in); with none, the pods are isolated.',
      ),
    ),
    egress: Type.Optional(
      atomicList(
        NetworkPolicyEgressRuleSchema,
        'Outgoing traffic allowed (any rule matching lets it out), when Egress is among policyTypes.',
      ),
    ),
    policyTypes: Type.Optional(
      atomicList(
        str('Ingress or Egress.'),
        'The directions the policy governs: Ingress, Egress or both; defaults to Ingress, plus Egress when egress rules are given.',
      ),
    ),
  },
  { $id: `${NETWORKING}.NetworkPolicySpec`, description: 'What a NetworkPolicy selects and allows.' },
);

export const NetworkPolicySchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(NetworkPolicySpecSchema, 'The pods the policy selects and the traffic it allows them.')),
  },
  {
    $id: `${NETWORKING}.NetworkPolicy`,
    description: 'Which network traffic the selected pods may receive and send.',
    ...gvk('networking.k8s.io', 'v1', 'NetworkPolicy'),
  },
);

export const NetworkPolicyListSchema = listSchema(NetworkPolicySchema, 'NetworkPolicy');

export type NetworkPolicy = Static<typeof NetworkPolicySchema>;
export type NetworkPolicySpec = Static<typeof NetworkPolicySpecSchema>;
export type NetworkPolicyPort = Static<typeof NetworkPolicyPortSchema>;
export type NetworkPolicyPeer = Static<typeof NetworkPolicyPeerSchema>;
export type IPBlock = Static<typeof IPBlockSchema>;

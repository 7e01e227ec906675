/**
 * networking.k8s.io/v1 NetworkPolicy (pkg/registry/networking/networkpolicy): namespaced, no status
 * (the alpha status was removed in 1.28), generation moving with the spec, short name `netpol`;
 * non-standard ipBlock CIDRs are accepted with a warning.
 * kubemock stores policies and enforces none of them, as a cluster without a network plugin that
 * implements them does.
 */
import type { Stored } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { NetworkPolicyListSchema, NetworkPolicySchema, type NetworkPolicy } from './schema.js';
import { table } from './table.js';
import { defaultNetworkPolicy, validateNetworkPolicy, validateNetworkPolicyUpdate } from './validation.js';
import { networkPolicyWarnings } from './warnings.js';

const networkPolicies: ResourceDefinition<Stored<NetworkPolicy>> = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  listKind: 'NetworkPolicyList',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  schema: NetworkPolicySchema,
  listSchema: NetworkPolicyListSchema,
  protobuf: 'k8s.io.api.networking.v1.NetworkPolicy',
  table,
  tracksGeneration: true,
  strategy: {
    defaults: (np) => defaultNetworkPolicy(np),
    validate: (np) => validateNetworkPolicy(np),
    // The strategy's ValidateUpdate: ValidateNetworkPolicy (ObjectMeta, spec), then ValidateNetworkPolicyUpdate
    // (ObjectMetaUpdate, the spec again), both with the options the stored object allows.
    validateUpdate: (np, old, meta) => {
      const spec = validateNetworkPolicyUpdate(np, old);
      return [...meta.create(), ...spec, ...meta.update(), ...spec];
    },
    warnings: (np) => networkPolicyWarnings(np),
  },
};

export default networkPolicies;

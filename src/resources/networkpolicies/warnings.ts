/**
 * The warnings of a NetworkPolicy create or update (networkPolicyWarnings in
 * pkg/registry/networking/networkpolicy/strategy.go, 1.33): every ipBlock CIDR and except written in
 * a non-standard or ambiguous form (GetWarningsForCIDR).
 */
import { path, type FieldPath } from '../../apimachinery/field-errors.js';
import { cidrWarnings } from '../../apimachinery/validation/ip-warnings.js';
import type { NetworkPolicy, NetworkPolicyPeer } from './schema.js';

function peerWarnings(peers: (NetworkPolicyPeer | undefined)[] | undefined, at: FieldPath): string[] {
  const warnings: string[] = [];
  (peers ?? []).forEach((peer, j) => {
    const block = peer?.ipBlock;
    if (!block) return;
    const fld = at.index(j).child('ipBlock');
    warnings.push(...cidrWarnings(fld.child('cidr'), block.cidr ?? ''));
    (block.except ?? []).forEach((except, k) => warnings.push(...cidrWarnings(fld.child('except').index(k), except)));
  });
  return warnings;
}

export function networkPolicyWarnings(np: NetworkPolicy): string[] {
  const spec = path('spec');
  return [
    ...(np.spec?.ingress ?? []).flatMap((rule, i) => peerWarnings(rule?.from, spec.child('ingress').index(i).child('from'))),
    ...(np.spec?.egress ?? []).flatMap((rule, i) => peerWarnings(rule?.to, spec.child('egress').index(i).child('to'))),
  ];
}

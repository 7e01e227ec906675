/**
 * The warnings of an EndpointSlice write (pkg/registry/discovery/endpointslice's strategy, 1.33):
 * on create the deprecated FQDN address type, on create and update addresses in a non-standard form.
 * Slices the EndpointSlice (or mirroring) controller labels as its own are not checked for
 * addresses, as upstream trusts its controllers to write standard ones.
 */
import { path } from '../../apimachinery/field-errors.js';
import { ipWarnings } from '../../apimachinery/validation/ip-warnings.js';
import type { EndpointSlice } from './schema.js';

/** discoveryv1.LabelManagedBy and the names the upstream controllers write in it. */
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const TRUSTED_CONTROLLERS = ['endpointslice-controller.k8s.io', 'endpointslicemirroring-controller.k8s.io'];

/** warnOnBadIPs. */
function addressWarnings(slice: EndpointSlice): string[] {
  const manager = slice.metadata?.labels?.[MANAGED_BY_LABEL];
  if (manager !== undefined && TRUSTED_CONTROLLERS.includes(manager)) return [];
  const warnings: string[] = [];
  (slice.endpoints ?? []).forEach((ep, i) => {
    const at = path('endpoints').index(i).child('addresses');
    (ep.addresses ?? []).forEach((address, j) => warnings.push(...ipWarnings(at.index(j), address)));
  });
  return warnings;
}

/** WarningsOnCreate (`old` undefined) and WarningsOnUpdate. */
export function endpointSliceWarnings(slice: EndpointSlice, old: EndpointSlice | undefined): string[] {
  const deprecated = !old && slice.addressType === 'FQDN' ? ['spec.addressType: FQDN endpoints are deprecated'] : [];
  return [...deprecated, ...addressWarnings(slice)];
}

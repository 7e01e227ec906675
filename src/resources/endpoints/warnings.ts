/**
 * The warnings of an Endpoints create or update (pkg/registry/core/endpoint's endpointsWarnings,
 * 1.33): addresses in a non-standard form. Objects the endpoints controller labels as its own are
 * not checked, as upstream trusts it to write standard addresses.
 */
import { path } from '../../apimachinery/field-errors.js';
import { ipWarnings } from '../../apimachinery/validation/ip-warnings.js';
import type { Endpoints } from './schema.js';

/** endpointscontroller.LabelManagedBy and the controller's name in it. */
const MANAGED_BY_LABEL = 'endpoints.kubernetes.io/managed-by';
const CONTROLLER_NAME = 'endpoint-controller';

export function endpointsWarnings(ep: Endpoints): string[] {
  if (ep.metadata?.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) return [];
  const warnings: string[] = [];
  (ep.subsets ?? []).forEach((ss, i) => {
    const at = path('subsets').index(i);
    (ss.addresses ?? []).forEach((a, j) => warnings.push(...ipWarnings(at.child('addresses').index(j).child('ip'), a.ip)));
    (ss.notReadyAddresses ?? []).forEach((a, j) => warnings.push(...ipWarnings(at.child('notReadyAddresses').index(j).child('ip'), a.ip)));
  });
  return warnings;
}

/**
 * Fields of disabled feature gates, dropped before validation as pkg/api/pod's DropDisabledPodFields
 * and DropDisabledTemplateFields drop them. Only DynamicResourceAllocation is off by default in 1.33
 * among the gates kubemock models: pod-level resourceClaims, the containers' resources.claims and
 * status.resourceClaimStatuses are removed unless the stored pod (template) already had claims.
 */
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, objList } from '../../apimachinery/json-fields.js';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** dynamicResourceAllocationInUse: claims at pod level (containers cannot name claims without them). */
const claimsInUse = (spec: Obj | undefined): boolean => list(spec?.resourceClaims).length > 0;

/** dropDisabledDynamicResourceAllocationFields. */
export function dropDisabledPodSpecFields(spec: Obj | undefined, oldSpec?: Obj): void {
  if (!spec || claimsInUse(oldSpec)) return;
  delete spec.resourceClaims;
  for (const key of CONTAINER_LISTS) {
    for (const c of objList(spec[key])) {
      const resources = asObj(c.resources);
      if (resources) delete resources.claims;
    }
  }
}

/** dropDisabledPodStatusFields: claim statuses go with the claims. */
export function dropDisabledPodStatusFields(status: Obj | undefined, oldSpec?: Obj): void {
  if (status && !claimsInUse(oldSpec)) delete status.resourceClaimStatuses;
}

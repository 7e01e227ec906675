/**
 * Fields of disabled feature gates, dropped before validation as pkg/api/pod's DropDisabledPodFields
 * and DropDisabledTemplateFields drop them. The gates off by default in 1.33 that kubemock models:
 * - DynamicResourceAllocation: pod-level resourceClaims, the containers' resources.claims and
 *   status.resourceClaimStatuses are removed unless the stored pod (template) already had claims;
 * - ResourceHealthStatus (alpha): the container statuses' allocatedResourcesStatus is always removed,
 *   so its validation never sees one;
 * - PodObservedGenerationTracking (alpha): status.observedGeneration and the conditions' are removed
 *   unless the stored status already had one;
 * - ClusterTrustBundleProjection (beta, off by default in 1.33): every projected source loses its
 *   clusterTrustBundle unless the stored pod (template) already projected one, so a fresh object's
 *   bundle is never validated and a source that only held a bundle is stored empty.
 */
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, isObj, list, objList } from '../../apimachinery/json-fields.js';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** dynamicResourceAllocationInUse: claims at pod level (containers cannot name claims without them). */
const claimsInUse = (spec: Obj | undefined): boolean => list(spec?.resourceClaims).length > 0;

/** Calls `visit` with each projected source of a spec's projected volumes, until it answers true. */
function someProjectedSource(spec: Obj | undefined, visit: (source: Obj) => boolean): boolean {
  const volumes = spec?.volumes;
  if (!Array.isArray(volumes)) return false;
  for (const volume of volumes) {
    const sources = isObj(volume) ? asObj(volume.projected)?.sources : undefined;
    if (!Array.isArray(sources)) continue;
    for (const source of sources) if (isObj(source) && visit(source)) return true;
  }
  return false;
}

/** clusterTrustBundleProjectionInUse: any projected source of the stored spec names a bundle. */
const trustBundlesInUse = (spec: Obj | undefined): boolean => someProjectedSource(spec, (s) => s.clusterTrustBundle != null);

/** dropDisabledClusterTrustBundleProjection. */
function dropTrustBundles(spec: Obj, oldSpec: Obj | undefined): void {
  if (trustBundlesInUse(oldSpec)) return;
  someProjectedSource(spec, (source) => {
    if ('clusterTrustBundle' in source) delete source.clusterTrustBundle;
    return false;
  });
}

/** dropDisabledDynamicResourceAllocationFields and dropDisabledClusterTrustBundleProjection. */
export function dropDisabledPodSpecFields(spec: Obj | undefined, oldSpec?: Obj): void {
  if (!spec) return;
  dropTrustBundles(spec, oldSpec);
  if (claimsInUse(oldSpec)) return;
  delete spec.resourceClaims;
  for (const key of CONTAINER_LISTS) {
    for (const c of objList(spec[key])) {
      const resources = asObj(c.resources);
      if (resources) delete resources.claims;
    }
  }
}

const STATUS_LISTS = ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'];

/** podObservedGenerationTrackingInUse: the status or one of its conditions has a non-zero observedGeneration. */
const observedGenerationInUse = (status: Obj | undefined): boolean =>
  !!status &&
  (!!status.observedGeneration || (Array.isArray(status.conditions) && status.conditions.some((c) => isObj(c) && !!c.observedGeneration)));

/** dropDisabledPodStatusFields: claim statuses go with the claims; device health and observed generations go. */
export function dropDisabledPodStatusFields(status: Obj | undefined, oldSpec?: Obj, oldStatus?: Obj): void {
  if (!status) return;
  // Each field is looked for before it is deleted: a status rarely has any, and a delete of a
  // missing property still costs a call into the runtime (this runs for every status write).
  if ('resourceClaimStatuses' in status && !claimsInUse(oldSpec)) delete status.resourceClaimStatuses;
  for (const key of STATUS_LISTS) {
    const statuses = status[key];
    if (!Array.isArray(statuses)) continue;
    for (const s of statuses) if (isObj(s) && 'allocatedResourcesStatus' in s) delete s.allocatedResourcesStatus;
  }
  if (!observedGenerationInUse(oldStatus)) {
    if ('observedGeneration' in status) delete status.observedGeneration;
    const conditions = status.conditions;
    if (Array.isArray(conditions)) for (const c of conditions) if (isObj(c) && 'observedGeneration' in c) delete c.observedGeneration;
  }
}

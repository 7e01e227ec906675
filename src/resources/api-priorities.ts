/**
 * Where discovery places each API group and, within a group, each version: kube-apiserver 1.33's
 * priorities, the one statement of them in kubemock. kube-apiserver registers an APIService per
 * built-in group-version with these numbers (its generic control-plane table merged with its own,
 * pkg/controlplane/apiserver/aggregator.go and cmd/kube-apiserver/app/aggregator.go) and gives the
 * aggregated discovery manager the same ones; a group sorts by its highest group priority, highest
 * first, a version within its group by its version priority, highest first (ties: the Kubernetes
 * version order). It is kube-apiserver's whole table, groups kubemock does not serve included, so
 * that a group added later lands where a real server lists it.
 */
import { groupOfApiVersion } from '../apimachinery/group-version.js';

/** A group-version's place in discovery: the APIService's groupPriorityMinimum and versionPriority. */
export interface ApiPriority {
  readonly group: number;
  readonly version: number;
}

const p = (group: number, version: number): ApiPriority => ({ group, version });

/** The built-in group-versions, by apiVersion (`v1` is the core group's), highest group first. */
export const BUILTIN_API_PRIORITIES: Readonly<Record<string, ApiPriority>> = {
  v1: p(18000, 1),
  'apps/v1': p(17800, 15),
  'events.k8s.io/v1': p(17750, 15),
  'events.k8s.io/v1beta1': p(17750, 5),
  'authentication.k8s.io/v1': p(17700, 15),
  'authentication.k8s.io/v1beta1': p(17700, 9),
  'authentication.k8s.io/v1alpha1': p(17700, 1),
  'authorization.k8s.io/v1': p(17600, 15),
  'autoscaling/v2': p(17500, 30),
  'autoscaling/v1': p(17500, 15),
  'autoscaling/v2beta1': p(17500, 9),
  'autoscaling/v2beta2': p(17500, 1),
  'batch/v1': p(17400, 15),
  'batch/v1beta1': p(17400, 9),
  'batch/v2alpha1': p(17400, 9),
  'certificates.k8s.io/v1': p(17300, 15),
  'certificates.k8s.io/v1beta1': p(17300, 9),
  'certificates.k8s.io/v1alpha1': p(17300, 1),
  'networking.k8s.io/v1': p(17200, 15),
  'networking.k8s.io/v1beta1': p(17200, 9),
  'policy/v1': p(17100, 15),
  'policy/v1beta1': p(17100, 9),
  'rbac.authorization.k8s.io/v1': p(17000, 15),
  'storage.k8s.io/v1': p(16800, 15),
  'storage.k8s.io/v1beta1': p(16800, 9),
  'storage.k8s.io/v1alpha1': p(16800, 1),
  'apiextensions.k8s.io/v1': p(16700, 15),
  'admissionregistration.k8s.io/v1': p(16700, 15),
  'admissionregistration.k8s.io/v1beta1': p(16700, 12),
  'admissionregistration.k8s.io/v1alpha1': p(16700, 9),
  'scheduling.k8s.io/v1': p(16600, 15),
  'coordination.k8s.io/v1': p(16500, 15),
  'coordination.k8s.io/v1beta1': p(16500, 13),
  'coordination.k8s.io/v1alpha2': p(16500, 12),
  'node.k8s.io/v1': p(16300, 15),
  'node.k8s.io/v1beta1': p(16300, 9),
  'node.k8s.io/v1alpha1': p(16300, 1),
  'discovery.k8s.io/v1': p(16200, 15),
  'discovery.k8s.io/v1beta1': p(16200, 12),
  'resource.k8s.io/v1beta2': p(16200, 15),
  'resource.k8s.io/v1beta1': p(16200, 9),
  'resource.k8s.io/v1alpha3': p(16200, 1),
  'flowcontrol.apiserver.k8s.io/v1': p(16100, 21),
  'flowcontrol.apiserver.k8s.io/v1beta3': p(16100, 18),
  'flowcontrol.apiserver.k8s.io/v1beta2': p(16100, 15),
  'flowcontrol.apiserver.k8s.io/v1beta1': p(16100, 12),
  'flowcontrol.apiserver.k8s.io/v1alpha1': p(16100, 9),
  'internal.apiserver.k8s.io/v1alpha1': p(16000, 9),
  'storagemigration.k8s.io/v1alpha1': p(15800, 9),
};

/**
 * Every served version of a CustomResourceDefinition: low in the group order, one version priority
 * for all, so a CRD group's versions fall in the Kubernetes version order (the CRD registration
 * controller's APIServices, and apiextensions' discovery controller, use these).
 */
export const CUSTOM_RESOURCE_PRIORITY: ApiPriority = p(1000, 100);

/** What the aggregated discovery manager assumes for a group-version nobody gave a priority. */
export const UNLISTED_API_PRIORITY: ApiPriority = p(1000, 15);

/** The group priority of a built-in group (its versions' highest), or undefined for a group not in the table. */
export function builtinGroupPriority(group: string): number | undefined {
  const priorities = Object.entries(BUILTIN_API_PRIORITIES)
    .filter(([apiVersion]) => groupOfApiVersion(apiVersion) === group)
    .map(([, priority]) => priority.group);
  return priorities.length ? Math.max(...priorities) : undefined;
}

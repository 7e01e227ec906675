/**
 * A data table of upstream's schemes (Kubernetes 1.33): which kinds each built-in group-version
 * registers, the Go type each decodes into, and the internal type it converts to. It names kinds
 * because it copies upstream's registrations; nothing here is kubemock's own kinds.
 *
 * Sources: the addKnownTypes of every k8s.io/api <group>/<version>/register.go at v0.33.9 (the
 * packages pkg/apis/<group>/install adds to the legacyscheme; every version k8s.io/api holds is
 * taken as installed, apidiscovery aside, which has no install package), metav1.AddToGroupVersion
 * (WatchEvent and the options kinds in every group-version; the unversioned kinds), and
 * apiextensions-apiserver's own scheme (pkg/apiserver/apiserver.go), which serves CRDs, and
 * client-go's scale scheme (scale/util.go), which custom resources' Scale is decoded with.
 *
 * A scheme's name is where runtime.NewScheme was called, as naming.GetNameFromCallsite prints it
 * for a -trimpath build (the path from its last "/pkg/"): what released kube-apiservers print.
 */

/** `X+` stands for X and XList. */
const LEGACY_KINDS: Record<string, string> = {
  v1: 'Pod+ PodStatusResult PodTemplate+ ReplicationController+ Service+ ServiceProxyOptions Endpoints+ Node+ NodeProxyOptions Binding Event+ List LimitRange+ ResourceQuota+ Namespace+ Secret+ ServiceAccount+ PersistentVolume+ PersistentVolumeClaim+ PodAttachOptions PodLogOptions PodExecOptions PodPortForwardOptions PodProxyOptions ComponentStatus+ SerializedReference RangeAllocation ConfigMap+ Status',
  'admission.k8s.io/v1': 'AdmissionReview',
  'admission.k8s.io/v1beta1': 'AdmissionReview',
  'admissionregistration.k8s.io/v1':
    'ValidatingWebhookConfiguration+ MutatingWebhookConfiguration+ ValidatingAdmissionPolicy+ ValidatingAdmissionPolicyBinding+',
  'admissionregistration.k8s.io/v1alpha1':
    'ValidatingAdmissionPolicy+ ValidatingAdmissionPolicyBinding+ MutatingAdmissionPolicy+ MutatingAdmissionPolicyBinding+',
  'admissionregistration.k8s.io/v1beta1':
    'ValidatingWebhookConfiguration+ MutatingWebhookConfiguration+ ValidatingAdmissionPolicy+ ValidatingAdmissionPolicyBinding+',
  'internal.apiserver.k8s.io/v1alpha1': 'StorageVersion+',
  'apps/v1': 'Deployment+ StatefulSet+ DaemonSet+ ReplicaSet+ ControllerRevision+',
  'apps/v1beta1': 'Deployment+ DeploymentRollback Scale StatefulSet+ ControllerRevision+',
  'apps/v1beta2': 'Deployment+ Scale StatefulSet+ DaemonSet+ ReplicaSet+ ControllerRevision+',
  'authentication.k8s.io/v1': 'TokenReview TokenRequest SelfSubjectReview',
  'authentication.k8s.io/v1alpha1': 'SelfSubjectReview',
  'authentication.k8s.io/v1beta1': 'SelfSubjectReview TokenReview',
  'authorization.k8s.io/v1': 'SelfSubjectRulesReview SelfSubjectAccessReview SubjectAccessReview LocalSubjectAccessReview',
  'authorization.k8s.io/v1beta1': 'SelfSubjectRulesReview SelfSubjectAccessReview SubjectAccessReview LocalSubjectAccessReview',
  'autoscaling/v1': 'HorizontalPodAutoscaler+ Scale',
  'autoscaling/v2': 'HorizontalPodAutoscaler+',
  'autoscaling/v2beta1': 'HorizontalPodAutoscaler+',
  'autoscaling/v2beta2': 'HorizontalPodAutoscaler+',
  'batch/v1': 'Job+ CronJob+',
  'batch/v1beta1': 'CronJob+',
  'certificates.k8s.io/v1': 'CertificateSigningRequest+',
  'certificates.k8s.io/v1alpha1': 'ClusterTrustBundle+',
  'certificates.k8s.io/v1beta1': 'CertificateSigningRequest+ ClusterTrustBundle+',
  'coordination.k8s.io/v1': 'Lease+',
  'coordination.k8s.io/v1alpha2': 'LeaseCandidate+',
  'coordination.k8s.io/v1beta1': 'Lease+ LeaseCandidate+',
  'discovery.k8s.io/v1': 'EndpointSlice+',
  'discovery.k8s.io/v1beta1': 'EndpointSlice+',
  'events.k8s.io/v1': 'Event+',
  'events.k8s.io/v1beta1': 'Event+',
  'extensions/v1beta1': 'Deployment+ DeploymentRollback Scale DaemonSet+ Ingress+ ReplicaSet+ NetworkPolicy+',
  'flowcontrol.apiserver.k8s.io/v1': 'FlowSchema+ PriorityLevelConfiguration+',
  'flowcontrol.apiserver.k8s.io/v1beta1': 'FlowSchema+ PriorityLevelConfiguration+',
  'flowcontrol.apiserver.k8s.io/v1beta2': 'FlowSchema+ PriorityLevelConfiguration+',
  'flowcontrol.apiserver.k8s.io/v1beta3': 'FlowSchema+ PriorityLevelConfiguration+',
  'imagepolicy.k8s.io/v1alpha1': 'ImageReview',
  'networking.k8s.io/v1': 'Ingress+ IngressClass+ NetworkPolicy+ IPAddress+ ServiceCIDR+',
  'networking.k8s.io/v1alpha1': 'IPAddress+ ServiceCIDR+',
  'networking.k8s.io/v1beta1': 'Ingress+ IngressClass+ IPAddress+ ServiceCIDR+',
  'node.k8s.io/v1': 'RuntimeClass+',
  'node.k8s.io/v1alpha1': 'RuntimeClass+',
  'node.k8s.io/v1beta1': 'RuntimeClass+',
  'policy/v1': 'PodDisruptionBudget+ Eviction',
  'policy/v1beta1': 'PodDisruptionBudget+ Eviction',
  'rbac.authorization.k8s.io/v1': 'Role+ RoleBinding+ ClusterRole+ ClusterRoleBinding+',
  'rbac.authorization.k8s.io/v1alpha1': 'Role+ RoleBinding+ ClusterRole+ ClusterRoleBinding+',
  'rbac.authorization.k8s.io/v1beta1': 'Role+ RoleBinding+ ClusterRole+ ClusterRoleBinding+',
  'resource.k8s.io/v1alpha3': 'DeviceClass+ ResourceClaim+ ResourceClaimTemplate+ ResourceSlice+ DeviceTaintRule+',
  'resource.k8s.io/v1beta1': 'DeviceClass+ ResourceClaim+ ResourceClaimTemplate+ ResourceSlice+',
  'resource.k8s.io/v1beta2': 'DeviceClass+ ResourceClaim+ ResourceClaimTemplate+ ResourceSlice+',
  'scheduling.k8s.io/v1': 'PriorityClass+',
  'scheduling.k8s.io/v1alpha1': 'PriorityClass+',
  'scheduling.k8s.io/v1beta1': 'PriorityClass+',
  'storage.k8s.io/v1': 'StorageClass+ VolumeAttachment+ CSINode+ CSIDriver+ CSIStorageCapacity+',
  'storage.k8s.io/v1alpha1': 'VolumeAttachment+ CSIStorageCapacity+ VolumeAttributesClass+',
  'storage.k8s.io/v1beta1': 'StorageClass+ VolumeAttachment+ CSIDriver+ CSINode+ CSIStorageCapacity+ VolumeAttributesClass+',
  'storagemigration.k8s.io/v1alpha1': 'StorageVersionMigration+',
};

/** apiextensions-apiserver's scheme: its group, and the options kinds it adds to core v1. */
const APIEXTENSIONS_KINDS: Record<string, string> = {
  v1: '',
  'apiextensions.k8s.io/v1': 'CustomResourceDefinition+ ConversionReview',
  'apiextensions.k8s.io/v1beta1': 'CustomResourceDefinition+ ConversionReview',
};

/** metav1.AddToGroupVersion: in every group-version, as metav1 (Go package v1) types. */
const META_KINDS = ['WatchEvent', 'ListOptions', 'GetOptions', 'DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions'];
/** metav1's unversioned kinds: found by kind alone, whatever the group-version (Scheme.New). */
const UNVERSIONED = ['Status', 'APIVersions', 'APIGroupList', 'APIGroup', 'APIResourceList'];

export const INTERNAL_VERSION = '__internal';

export interface BuiltinScheme {
  name: string;
  /** apiVersion → the kinds registered there. */
  kinds: ReadonlyMap<string, ReadonlySet<string>>;
  /** group → the kinds of its internal version. */
  internalKinds: ReadonlyMap<string, ReadonlySet<string>>;
  unversioned: ReadonlySet<string>;
}

function build(name: string, table: Record<string, string>, unversioned: string[]): BuiltinScheme {
  const kinds = new Map<string, Set<string>>();
  const internalKinds = new Map<string, Set<string>>();
  for (const [apiVersion, list] of Object.entries(table)) {
    const own = list.split(' ').flatMap((k) => (!k ? [] : k.endsWith('+') ? [k.slice(0, -1), `${k.slice(0, -1)}List`] : [k]));
    kinds.set(apiVersion, new Set([...own, ...META_KINDS]));
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const internal = internalKinds.get(group) ?? new Set(['WatchEvent']);
    for (const k of own) internal.add(k);
    internalKinds.set(group, internal);
  }
  return { name, kinds, internalKinds, unversioned: new Set(unversioned) };
}

const LEGACY = build('pkg/api/legacyscheme/scheme.go:30', LEGACY_KINDS, UNVERSIONED);
// Its unversioned kinds add WatchEvent (apiserver.go's unversionedTypes).
const APIEXTENSIONS = build('pkg/apiserver/apiserver.go:55', APIEXTENSIONS_KINDS, [...UNVERSIONED, 'WatchEvent']);

/**
 * client-go's scale converter scheme (scale.NewScaleConverter), which the CRD handler decodes a
 * custom resource's Scale with: the whole of four of the legacy group-versions, and an internal
 * Scale in their groups.
 */
export const SCALE_SCHEME = build(
  'k8s.io/client-go/scale/util.go:146',
  Object.fromEntries(['autoscaling/v1', 'extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'].map((gv) => [gv, LEGACY_KINDS[gv]])),
  UNVERSIONED,
);

/** The scheme a built-in endpoint of this group decodes its bodies with. */
export function schemeOf(group: string): BuiltinScheme {
  return group === 'apiextensions.k8s.io' ? APIEXTENSIONS : LEGACY;
}

/** Groups whose internal Go package is not named by the group's first label. */
const INTERNAL_PACKAGE: Record<string, string> = {
  '': 'core',
  'events.k8s.io': 'core',
  'internal.apiserver.k8s.io': 'apiserverinternal',
};
/** Kinds whose internal type lives in another group's package (conversion-gen's targets). */
const INTERNAL_PACKAGE_OF_KIND: Record<string, Record<string, string>> = {
  extensions: {
    Scale: 'autoscaling',
    Ingress: 'networking',
    IngressList: 'networking',
    NetworkPolicy: 'networking',
    NetworkPolicyList: 'networking',
  },
  apps: { Scale: 'autoscaling' },
};

function internalPackage(group: string, kind: string): string {
  const byKind = INTERNAL_PACKAGE_OF_KIND[group]?.[kind];
  if (byKind) return byKind;
  if (group === 'extensions') return 'apps';
  return INTERNAL_PACKAGE[group] ?? group.split('.')[0];
}

/** The Go type (package.Type, as reflect prints it) a kind's internal version is. */
export function internalTypeOf(group: string, kind: string): string {
  return `${internalPackage(group, kind)}.${kind}`;
}

const META_TYPES = new Set([...META_KINDS, ...UNVERSIONED]);

/**
 * The Go type a registered group/version/kind decodes into: metav1's kinds are package v1
 * wherever they are registered; the internal version's kinds are the internal types; any other
 * is the version's package (k8s.io/api/<group>/<version> is named by its version).
 */
export function externalTypeOf(group: string, version: string, kind: string): string {
  if (version === INTERNAL_VERSION) return kind === 'WatchEvent' ? 'v1.InternalEvent' : internalTypeOf(group, kind);
  return META_TYPES.has(kind) ? `v1.${kind}` : `${version}.${kind}`;
}

/** Whether decoding a body of this kind into the endpoint's internal type converts (else "unknown conversion"). */
export function convertsTo(group: string, version: string, kind: string, endpointGroup: string, endpointKind: string): boolean {
  if (kind !== endpointKind || (version !== INTERNAL_VERSION && META_TYPES.has(kind))) return false;
  return internalTypeOf(group, kind) === internalTypeOf(endpointGroup, endpointKind);
}
